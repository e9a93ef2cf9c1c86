/*
 * test.c - 06-cond-queue: the checks.  One producer puts ITEMS
 * distinct items, one more than the queue holds (so it waits for room);
 * two consumers get them, one item and the rest: the second consumer's
 * next get can take an item signalled to the first.  Every item must come
 * out exactly once, and the queue's count must stay within 0..QUEUE_CAP.
 * The program is small so that every schedule with two preemptions fits
 * the checker's cap.
 */
#include "api.h"
#include "coach/coach.h"

#define ITEMS (QUEUE_CAP + 1)

struct shared {
	struct queue q;
	int seen[20];
	cl_waitgroup *wg;
};

struct role {
	struct shared *s;
	int count;            /* items to put or get */
};

static void producer(void *arg)
{
	struct role *r = arg;
	for (int i = 0; i < r->count; i++)
		queue_put(&r->s->q, i);
	cl_wg_done(r->s->wg);
}

static void consumer(void *arg)
{
	struct role *r = arg;
	for (int i = 0; i < r->count; i++) {
		int v = queue_get(&r->s->q);
		int c = r->s->q.count;
		coach_expect(c >= 0 && c <= QUEUE_CAP, "the queue holds between 0 and %d items "
		             "(count is %d)", QUEUE_CAP, c);
		coach_expect(v >= 0 && v < ITEMS, "get returns an item that was put "
		             "(got %d)", v);
		coach_expect(++r->s->seen[v] == 1, "every item comes out exactly once (%d twice)", v);
	}
	cl_wg_done(r->s->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct shared s = {0};
	queue_init(&s.q);
	s.wg = cl_wg_new("roles");
	struct role roles[3] = {{&s, ITEMS}, {&s, 1}, {&s, ITEMS - 1}};
	cl_wg_add(s.wg, 3);
	cl_go(consumer, &roles[1], "consumer-0");
	cl_go(consumer, &roles[2], "consumer-1");
	cl_go(producer, &roles[0], "producer-0");
	cl_wg_wait(s.wg);
	coach_expect(s.q.count == 0, "the queue is empty at the end");
}

const struct coach_exercise coach_exercise = {
	.name = "06-cond-queue",
	.main_fn = check_main,
};
