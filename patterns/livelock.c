/*
 * livelock.c - two people meet in a corridor, both keeping to the left.
 * Each looks where the other stands, and if they are on the same side,
 * politely steps across to let the other pass.  When both are equally
 * polite and equally quick, they step across together, round after round,
 * for ever: a livelock.  Nobody is blocked (each is always about to move),
 * so no deadlock detector fires; the run simply makes no progress.  Two
 * fixes break the symmetry: wait a random time before looking again
 * (randomised backoff), or let only one of them give way (asymmetric).
 * Read it beside patterns/go/livelock.go.
 *
 * Under det the runtime ends a run that makes no progress (no message, note,
 * task start or exit) for a window of scheduling decisions as limit
 * "livelock".  The loop below neither sends nor notes; the window is set
 * short (cl_livelock_within) so the trace of a livelock stays readable.
 *
 * Checks:
 *   outcome             the broken forms end as limit "livelock".
 *   invariant both-pass both walkers get past each other.
 */
#include "patterns/pattern.h"

enum manners { POLITE, BACKOFF_NO_JITTER, RANDOM_BACKOFF, ASYMMETRIC };

enum { LEFT, RIGHT };

/* What the walkers share: Go's closure variables. */
struct corridor {
	struct pattern_run *run;
	enum manners manners;
	cl_atomic64 side[2];         /* where walker i stands: LEFT or RIGHT */
	int passed[2];               /* written by walker i, read by main after Wait */
	cl_waitgroup *wg;
};

struct walker_args {
	struct corridor *c;
	int id;
};

/* Go: time.Sleep(step) -- looking, or stepping across, takes a moment. */
static cl_time step_of(struct corridor *c)
{
	return pattern_param(c->run, "step") * CL_MS;
}

/* How long a walker waits before it looks again, after its rounds-th step
 * across. */
static cl_time pause_after(struct corridor *c, int rounds)
{
	cl_time step = step_of(c);
	switch (c->manners) {
	case BACKOFF_NO_JITTER: {
		/* Go: backoff := step << min(rounds, 4) */
		int shift = rounds < 4 ? rounds : 4;
		return step << shift; /* MISTAKE(backoff-no-jitter): the same doubling for both: they wait just as long and look again together */
	}
	case RANDOM_BACKOFF:
		/* Go: time.Sleep(time.Duration(rand.Int63n(int64(4 * step)))) -- a jitter each */
		return (cl_time)cl_rand_below((uint64_t)(4 * step));
	case POLITE:
		return step; /* MISTAKE(polite): the same fixed pause for both: they look again together and step across together, for ever */
	case ASYMMETRIC:
		break;
	}
	return step;   /* asymmetric: one walker keeps its side, so a fixed pause is fine */
}

/* Go: func walk(id int) -- look, and step across while the other is on
 * my side; then walk past. */
static void walk(void *arg)
{
	struct walker_args *a = arg;
	struct corridor *c = a->c;
	cl_atomic64 *mine = &c->side[a->id], *theirs = &c->side[1 - a->id];
	int rounds = 0;
	for (;;) {
		int64_t here = cl_atomic_load(mine);
		if (cl_atomic_load(theirs) != here)
			break;                       /* on different sides: pass */
		cl_sleep(step_of(c));            /* Go: time.Sleep(step) -- deciding takes a moment */
		if (c->manners == ASYMMETRIC && a->id == 0) {
			/* Go: if id == 0 { continue } -- walker 0 keeps to its side and
			 * lets the other give way */
			cl_sleep(step_of(c));
			continue;
		}
		cl_atomic_store(mine, 1 - here);   /* Go: side[id].Store(1 - here) -- give way */
		rounds++;
		cl_sleep(pause_after(c, rounds));
	}
	c->passed[a->id] = 1;
	cl_note("walker %d passes after stepping across %d time%s", a->id, rounds,
	        rounds == 1 ? "" : "s");
	cl_wg_done(c->wg);
}

static void corridor(struct pattern_run *run, enum manners manners)
{
	/* Forty rounds or so without anyone passing is a livelock: every
	 * correct form passes within a few. */
	cl_livelock_within((uint64_t)pattern_param(run, "patience"));
	struct corridor *c = pattern_alloc(run, sizeof *c);
	c->run = run;
	c->manners = manners;
	c->wg = cl_wg_new("wg");
	cl_atomic_name_array(c->side, 2, "side");
	cl_atomic_store(&c->side[0], LEFT);   /* both keep to the left */
	cl_atomic_store(&c->side[1], LEFT);
	cl_wg_add(c->wg, 2);
	for (int i = 0; i < 2; i++) {
		struct walker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct walker_args){c, i};
		cl_go(walk, a, "walker-%d", i);
	}
	cl_wg_wait(c->wg);
	for (int i = 0; i < 2; i++)
		if (!c->passed[i])
			pattern_fail(run, "both-pass", "walker %d never got past", i);
}

/* Go: func correct() -- wait a random time before looking again. */
static void livelock_correct(struct pattern_run *run)
{
	corridor(run, RANDOM_BACKOFF);
}

/* Go: func polite() */
static void livelock_polite(struct pattern_run *run)
{
	corridor(run, POLITE);
}

/* Go: func backoffNoJitter() */
static void livelock_backoff_no_jitter(struct pattern_run *run)
{
	corridor(run, BACKOFF_NO_JITTER);
}

/* Go: func asymmetric() -- only walker 1 gives way. */
static void livelock_asymmetric(struct pattern_run *run)
{
	corridor(run, ASYMMETRIC);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t45 livelock: busy, reacting to each other, and no progress",
	"t11 deadlocks, and how a livelock differs: nobody is blocked",
	NULL,
};

static const struct pattern_param params[] = {
	{"step", "1", "time to look or step across, in ms", 1, 1000, NULL},
	{"patience", "400", "scheduling decisions without progress that make a livelock", 50, 1000000,
	 NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "after giving way, wait a random time before looking again: the symmetry breaks",
	 "ok", livelock_correct, "livelock_correct", 1},
	{"polite", "both step across the moment they see each other: in lockstep for ever",
	 "limit:livelock", livelock_polite, "livelock_polite", 1,
	 .lesson = "both walkers see each other at the same moment and both politely step across, "
	           "so they face each other again, round after round. Nobody is blocked, so no "
	           "deadlock is reported; nothing progresses. Break the symmetry: wait a random time "
	           "before trying again, or let only one of them give way."},
	{"backoff-no-jitter", "exponential backoff without jitter: both double their wait alike and "
	 "meet again", "limit:livelock", livelock_backoff_no_jitter, "livelock_backoff_no_jitter", 1,
	 .lesson = "backing off longer each round does not help when both back off by exactly the "
	           "same amount: they look again at the same moment and step across together. Add "
	           "jitter, a random part of each wait, so their retries drift apart."},
	{"asymmetric", "only one walker gives way; the other keeps to its side", "ok",
	 livelock_asymmetric, "livelock_asymmetric", 1},
};

const struct pattern pattern_livelock = {
	.name = "livelock",
	.title = "Livelock in a corridor",
	.level = PATTERN_MIDDLE,
	.summary = "Two walkers meet in a corridor, both on the left. Each looks where the other "
	           "stands and, on the same side, politely steps across. Equally polite and equally "
	           "quick, they step across together for ever: a livelock. Both are busy and nobody "
	           "is blocked, so Go reports nothing; chanlab's det scheduler ends a run that makes "
	           "no progress as limit \"livelock\". A random wait before looking again, or "
	           "letting only one give way, breaks the symmetry.",
	.handshake = "A walker looks at both sides; if they differ it walks past. Otherwise it "
	             "takes a moment, steps across, and waits before looking again. With a random "
	             "wait the two look at different moments, and the later one sees the other "
	             "already across.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/livelock.c",
	.go_source = "patterns/go/livelock.go",
};
