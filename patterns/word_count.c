/*
 * word_count.c - the interview puzzle: count words across files
 * concurrently.  One reader per file (fan-out) counts its file into its own
 * map, then merges that map into the total under a mutex (fan-in); main
 * waits for every reader on a wait group and reads the total.  The files
 * are modelled in memory.  Read it beside patterns/go/word_count.go.
 *
 * Checks:
 *   invariant all-counted  the total has every word of every file.
 */
#include "patterns/pattern.h"

#define WC_WORDS 4

static const char *const vocabulary[WC_WORDS] = {"go", "chan", "select", "mutex"};

/* The files: texts of words from the vocabulary, by index. */
static const int file_words[][6] = {
	{0, 1, 0, 2, 3, 0},
	{1, 1, 2, 0, 3, 3},
	{2, 0, 1, 1, 0, 2},
	{3, 2, 0, 1, 2, 1},
};
#define WC_FILES ((int)(sizeof file_words / sizeof file_words[0]))
#define WC_PER_FILE ((int)(sizeof file_words[0] / sizeof file_words[0][0]))

/* Go: var mu sync.Mutex; total := map[string]int{} */
struct count {
	struct pattern_run *run;
	cl_mutex *mu;
	cl_shared(int) total[WC_WORDS];   /* under mu */
	cl_waitgroup *wg;
};

struct reader_args {
	struct count *c;
	int file;
};

/* Go: data := readFile(name) -- reading takes a while. */
static void read_file(struct count *c, int file)
{
	cl_note("%s reads file %d", cl_task_name(), file);
	cl_sleep(pattern_latency(pattern_param(c->run, "work") * CL_MS));
}

static void count_and_merge(struct count *c, int file);

/* Go: go func(name string) { defer wg.Done(); local := count(readFile(name)); mu.Lock(); merge; mu.Unlock() }(name) */
static void reader(void *arg)
{
	struct reader_args *a = arg;
	struct count *c = a->c;
	read_file(c, a->file);
	count_and_merge(c, a->file);
	cl_wg_done(c->wg);
}

/* Variant shared-map: every reader increments the one total directly, with no lock. */
static void reader_shared_map(void *arg)
{
	struct reader_args *a = arg;
	struct count *c = a->c;
	read_file(c, a->file);
	for (int k = 0; k < WC_PER_FILE; k++) {
		int w = file_words[a->file][k];
		cl_wr(c->total[w], cl_rd(c->total[w]) + 1); /* MISTAKE(shared-map): total[word]++ on the shared map with no lock */
	}
	cl_wg_done(c->wg);
}

/* Go: local := count(data); mu.Lock(); for w, n := range local { total[w] += n }; mu.Unlock() */
static void count_and_merge(struct count *c, int file)
{
	int local[WC_WORDS] = {0};     /* this reader's own map: nobody else touches it */
	for (int k = 0; k < WC_PER_FILE; k++)
		local[file_words[file][k]]++;
	cl_lock(c->mu);
	for (int w = 0; w < WC_WORDS; w++)
		cl_wr(c->total[w], cl_rd(c->total[w]) + local[w]);
	cl_unlock(c->mu);
}

/* Variant add-inside: the reader opens its file and only then adds itself. */
static void reader_add_inside(void *arg)
{
	struct reader_args *a = arg;
	read_file(a->c, a->file);
	cl_wg_add(a->c->wg, 1); /* MISTAKE(add-inside): wg.Add inside the goroutine: Wait may already have returned */
	count_and_merge(a->c, a->file);
	cl_wg_done(a->c->wg);
}

static void count_all(struct pattern_run *run, void (*fn)(void *), bool add_before_go)
{
	struct count *c = pattern_alloc(run, sizeof *c);
	c->run = run;
	c->mu = cl_mutex_new("mu");
	c->wg = cl_wg_new("wg");
	for (int f = 0; f < WC_FILES; f++) {
		struct reader_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct reader_args){c, f};
		/* Go: wg.Add(1); go reader(name) */
		if (add_before_go)
			cl_wg_add(c->wg, 1);
		cl_go(fn, a, "reader-%d", f);
	}
	cl_wg_wait(c->wg);
	/* Go: for word, n := range total { ... } -- after Wait, under mu */
	cl_lock(c->mu);
	for (int w = 0; w < WC_WORDS; w++) {
		int want = 0;
		for (int f = 0; f < WC_FILES; f++)
			for (int k = 0; k < WC_PER_FILE; k++)
				want += file_words[f][k] == w;
		int got = cl_rd(c->total[w]);
		cl_note("main: %s %d", vocabulary[w], got);
		if (got != want) {
			pattern_fail(run, "all-counted", "\"%s\" counted %d times, the files have %d",
			             vocabulary[w], got, want);
			break;
		}
	}
	cl_unlock(c->mu);
}

/* Go: func correct() */
static void word_count_correct(struct pattern_run *run)
{
	count_all(run, reader, true);
}

/* Go: func sharedMap() */
static void word_count_shared_map(struct pattern_run *run)
{
	count_all(run, reader_shared_map, true);
}

/* Go: func addInside() */
static void word_count_add_inside(struct pattern_run *run)
{
	count_all(run, reader_add_inside, false);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t39 a concurrent word count across files",
	"t14 fan-out and fan-in",
	"t32 a map used from several goroutines needs a lock",
	"t9 WaitGroup: Add before the go statement",
	NULL,
};

static const struct pattern_param params[] = {
	{"work", "5", "typical time to read one file, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "each reader counts into its own map and merges it under the lock; Add before go",
	 "ok", word_count_correct, "word_count_correct", 1},
	{"shared-map", "every reader increments one shared map with no lock: a data race",
	 "race", word_count_shared_map, "word_count_shared_map", 1,
	 .lesson = "all the readers write the same map with no lock; in Go that is a data race (and "
	           "concurrent map writes may crash the program), and increments are lost. Count "
	           "into a map of your own and merge it under a mutex, or send it on a channel."},
	{"add-inside", "wg.Add inside the reader: main's Wait can return before a reader has added "
	 "itself", "invariant:all-counted", word_count_add_inside, "word_count_add_inside", 1,
	 .lesson = "the reader calls wg.Add(1) only once it has its file, so main's Wait sees the "
	           "counter at zero and returns before the readers have counted: their counts are "
	           "missing. Call wg.Add before the go statement."},
};

const struct pattern pattern_word_count = {
	.name = "word-count",
	.title = "Concurrent word count",
	.level = PATTERN_JUNIOR,
	.summary = "Count the words of several files concurrently. One reader per file (fan-out) "
	           "counts its file into a map of its own, then merges it into the total under a "
	           "mutex (fan-in); main waits for every reader on a wait group and then reads the "
	           "total. The files are texts held in memory; reading one takes a while.",
	.handshake = "main calls wg.Add(1) before each go statement. A reader counts privately, "
	             "locks the mutex, merges, unlocks and calls wg.Done. main's wg.Wait returns "
	             "after the last Done, so the total it then reads has every file in it.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/word_count.c",
	.go_source = "patterns/go/word_count.go",
};
