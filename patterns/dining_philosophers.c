/*
 * dining_philosophers.c - five philosophers, five forks (mutexes), each
 * needs both neighbouring forks to eat.  If every one takes the left fork
 * and then waits for the right, they can all hold one fork and wait for
 * the next: a cycle of waits, a deadlock.  Two fixes break the cycle: take
 * the lower-numbered fork first (a global lock order), or a waiter who
 * lets at most four sit at once.  Read it beside
 * patterns/go/dining_philosophers.go.
 *
 * Checks:
 *   invariant all-fed  every philosopher eats every meal.
 */
#include "patterns/pattern.h"

/* What the philosophers share: Go's closure variables. */
struct table {
	struct pattern_run *run;
	int n;
	cl_mutex **forks;            /* forks[i] lies between philosopher i and i+1 */
	cl_sema *seats;              /* the waiter form: n-1 seats */
	int *meals;                  /* shared: meals[i], written by philosopher i, read by main after Wait */
	cl_waitgroup *wg;
};

struct philosopher_args {
	struct table *t;
	int id;
};

enum manners { LEFT_THEN_RIGHT, LOWER_FIRST, WAITER };

/* Go: time.Sleep(latency(think)) */
static void pause_for(struct table *t)
{
	cl_sleep(pattern_latency(pattern_param(t->run, "think") * CL_MS));
}

/* Go: eat -- with both forks held. */
static void eat(struct table *t, int id)
{
	cl_note("philosopher %d eats", id);
	pause_for(t);
	cl_wr(t->meals[id], cl_rd(t->meals[id]) + 1);
}

/* Go: for m := 0; m < meals; m++ { think; left.Lock(); right.Lock(); eat; right.Unlock(); left.Unlock() } */
static void dine(struct philosopher_args *a, enum manners manners)
{
	struct table *t = a->t;
	int meals = (int)pattern_param(t->run, "meals");
	cl_mutex *left = t->forks[a->id], *right = t->forks[(a->id + 1) % t->n];
	for (int m = 0; m < meals; m++) {
		pause_for(t);   /* think */
		if (manners == WAITER)
			cl_sema_acquire(t->seats, 1);      /* Go: seats <- struct{}{} -- ask the waiter */
		cl_mutex *first = left, *second = right;
		if (manners == LOWER_FIRST && (a->id + 1) % t->n < a->id) {
			/* Go: if right's number is lower, take it first -- one global order */
			first = right;
			second = left;
		}
		cl_lock(first);
		pause_for(t);   /* Go: time.Sleep(latency(think)) -- reaching for the other fork takes a moment */
		cl_lock(second);
		eat(t, a->id);
		cl_unlock(second);
		cl_unlock(first);
		if (manners == WAITER)
			cl_sema_release(t->seats, 1);      /* Go: <-seats */
	}
	cl_wg_done(t->wg);
}

static void philosopher_lower_first(void *arg)
{
	dine(arg, LOWER_FIRST);
}

static void philosopher_waiter(void *arg)
{
	dine(arg, WAITER);
}

/* Variant left-then-right: everyone takes the left fork first. */
static void philosopher_left_then_right(void *arg)
{
	dine(arg, LEFT_THEN_RIGHT); /* MISTAKE(left-then-right): left, then right, for everyone: a cycle of waits */
}

static void dinner(struct pattern_run *run, void (*philosopher)(void *))
{
	struct table *t = pattern_alloc(run, sizeof *t);
	t->run = run;
	t->n = (int)pattern_param(run, "philosophers");
	t->forks = pattern_alloc(run, (size_t)t->n * sizeof *t->forks);
	t->meals = pattern_alloc(run, (size_t)t->n * sizeof *t->meals);
	t->seats = cl_sema_new("seats", t->n - 1);
	t->wg = cl_wg_new("wg");
	for (int i = 0; i < t->n; i++) {
		char name[24];   /* "fork-" and any int */
		snprintf(name, sizeof name, "fork-%d", i);
		t->forks[i] = cl_mutex_new(name);
	}
	cl_wg_add(t->wg, t->n);
	for (int i = 0; i < t->n; i++) {
		struct philosopher_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct philosopher_args){t, i};
		cl_go(philosopher, a, "philosopher-%d", i);
	}
	cl_wg_wait(t->wg);
	int meals = (int)pattern_param(run, "meals");
	for (int i = 0; i < t->n; i++)
		if (cl_rd(t->meals[i]) != meals)
			pattern_fail(run, "all-fed", "philosopher %d ate %d of %d meals", i,
			             cl_rd(t->meals[i]), meals);
}

/* Go: func correct() -- the lower-numbered fork first. */
static void dining_philosophers_correct(struct pattern_run *run)
{
	dinner(run, philosopher_lower_first);
}

/* Go: func leftThenRight() */
static void dining_philosophers_left_then_right(struct pattern_run *run)
{
	dinner(run, philosopher_left_then_right);
}

/* Go: func waiter() -- at most n-1 at the table. */
static void dining_philosophers_waiter(struct pattern_run *run)
{
	dinner(run, philosopher_waiter);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t11 deadlocks: a cycle of waits; lock ordering breaks it",
	"t8 mutexes: lock in one global order",
	"t20 a semaphore as the waiter",
	NULL,
};

static const struct pattern_param params[] = {
	{"philosophers", "5", "philosophers (and forks)", 2, 32, NULL},
	{"meals", "3", "meals each must eat", 1, 1000, NULL},
	{"think", "2", "typical time to think or eat, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "take the lower-numbered fork first: a global order leaves no cycle of waits",
	 "ok", dining_philosophers_correct, "dining_philosophers_correct", 1},
	{"left-then-right", "everyone takes the left fork, then the right: all can hold one and wait "
	 "for the next", "deadlock", dining_philosophers_left_then_right,
	 "dining_philosophers_left_then_right", 3,
	 .lesson = "each philosopher holds his left fork while he waits for his right one; when all "
	           "of them do it at once, each waits for his neighbour in a circle and nobody eats "
	           "again. Take locks in one global order (lowest number first), or let fewer sit."},
	{"waiter", "a waiter seats at most n-1: someone always gets both forks", "ok",
	 dining_philosophers_waiter, "dining_philosophers_waiter", 1},
};

const struct pattern pattern_dining_philosophers = {
	.name = "dining-philosophers",
	.title = "Dining philosophers",
	.level = PATTERN_MIDDLE,
	.summary = "Philosophers sit round a table with one fork between each pair, and each needs "
	           "both of his forks to eat. If every one takes his left fork and then waits for "
	           "the right, they can all end up holding one fork and waiting for the next: a "
	           "cycle of waits, a deadlock. Taking the lower-numbered fork first puts all locks "
	           "in one order, so no cycle can form; a waiter who seats at most n-1 does too.",
	.handshake = "A philosopher thinks, locks his first fork, locks his second, eats, and "
	             "unlocks both. With one global order of locks, whoever holds the highest fork "
	             "he needs can always finish, so every wait ends.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/dining_philosophers.c",
	.go_source = "patterns/go/dining_philosophers.go",
};
