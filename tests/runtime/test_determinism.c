/* test_determinism.c - one seed, one schedule: byte-identical event streams
 * in one process and across processes; different seeds really differ. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* Twenty tasks passing values through shared channels, with sleeps, a
 * select and a mutex: plenty of scheduling points. */
struct busy {
	cl_chan *in, *out;
	cl_mutex *mu;
	cl_waitgroup *wg;
	long total;
};

static void busy_worker(void *arg)
{
	struct busy *b = arg;
	int v;
	while (cl_recv(b->in, &v)) {
		cl_sleep((cl_time)cl_rand_below(3) * CL_US);
		cl_lock(b->mu);
		b->total += v;
		cl_unlock(b->mu);
		struct cl_case cs[2] = {CL_SEND_CASE(b->out, &v), CL_RECV_CASE(cl_after(CL_MS), NULL)};
		cl_select(cs, 2);
	}
	cl_wg_done(b->wg);
}

static void busy_drain(void *arg)
{
	struct busy *b = arg;
	while (cl_recv(b->out, NULL)) {
	}
}

static void busy_main(void *arg)
{
	(void)arg;
	struct busy b = {0};
	b.in = cl_make("in", int, 2);
	b.out = cl_make("out", int, 0);
	b.mu = cl_mutex_new("mu");
	b.wg = cl_wg_new("wg");
	cl_wg_add(b.wg, 18);
	for (int i = 0; i < 18; i++)
		cl_go(busy_worker, &b, "worker-%d", i);
	cl_go(busy_drain, &b, "drain");
	for (int i = 0; i < 40; i++)
		cl_send(b.in, &i);
	cl_close(b.in);
	cl_wg_wait(b.wg);
	cl_close(b.out);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

START_TEST(same_seed_gives_the_same_stream_in_one_process)
{
	for (int strategy = 0; strategy < 2; strategy++) {
		char *a = run_stream(busy_main, NULL, 77, (enum cl_strategy)strategy);
		char *b = run_stream(busy_main, NULL, 77, (enum cl_strategy)strategy);
		ck_assert_uint_gt(strlen(a), 1000);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(same_seed_gives_the_same_stream_across_processes)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		char *s = run_stream(busy_main, NULL, 2024, CL_STRATEGY_PCT);
		size_t len = strlen(s), off = 0;
		while (off < len) {
			ssize_t w = write(fds[1], s + off, len - off);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		free(s);
		_exit(0);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	char *child = NULL;
	size_t cap = 0, len = 0;
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
		if (len + got + 1 > cap) {
			cap = (len + got + 1) * 2;
			child = realloc(child, cap);
		}
		memcpy(child + len, chunk, got);
		len += got;
	}
	fclose(in);
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_ptr_nonnull(child);
	child[len] = '\0';
	char *mine = run_stream(busy_main, NULL, 2024, CL_STRATEGY_PCT);
	ck_assert_str_eq(mine, child);
	free(mine);
	free(child);
}
END_TEST

/* The same stream from every compiler and sanitizer build: each build's
 * stream is compared with one file (CHANLAB_REGEN=1 rewrites it). */
START_TEST(every_build_gives_the_golden_stream)
{
	const char *path = "tests/golden/runtime-busy-seed7.txt";
	char *mine = run_stream(busy_main, NULL, 7, CL_STRATEGY_RANDOM);
	const char *regen = getenv("CHANLAB_REGEN");
	if (regen && strcmp(regen, "1") == 0) {
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(mine, f);
		fclose(f);
	}
	char *golden = test_read_file(path, NULL);
	ck_assert_msg(golden != NULL, "missing %s (CHANLAB_REGEN=1 writes it)", path);
	ck_assert_str_eq(mine, golden);
	free(mine);
	free(golden);
}
END_TEST

static int distinct(uint64_t *h, int n)
{
	/* Insertion sort then count runs: n is 1000. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && h[j - 1] > h[j]; j--) {
			uint64_t t = h[j];
			h[j] = h[j - 1];
			h[j - 1] = t;
		}
	int d = n > 0;
	for (int i = 1; i < n; i++)
		d += h[i] != h[i - 1];
	return d;
}

START_TEST(a_thousand_seeds_give_at_least_nine_hundred_streams)
{
	int n = (int)test_scaled(1000, 50);
	for (int strategy = 0; strategy < 2; strategy++) {
		uint64_t *h = malloc((size_t)n * sizeof *h);
		for (int seed = 0; seed < n; seed++) {
			char *s = run_stream(busy_main, NULL, (uint64_t)seed + 1, (enum cl_strategy)strategy);
			h[seed] = fnv1a(s);
			free(s);
		}
		int d = distinct(h, n);
		ck_assert_msg(d * 10 >= n * 9, "strategy %d: %d distinct streams of %d", strategy, d, n);
		free(h);
	}
}
END_TEST

/* ---- a classic: the concurrent prime sieve agrees with a sequential one ---------- */

struct sieve_stage {
	cl_chan *in;
	cl_chan *out;
	int prime;
};

static void generate(void *arg)
{
	cl_chan *out = arg;
	for (int i = 2;; i++)
		cl_send(out, &i);
}

static void filter(void *arg)
{
	struct sieve_stage *st = arg;
	int v;
	for (;;) {
		cl_recv(st->in, &v);
		if (v % st->prime != 0)
			cl_send(st->out, &v);
	}
}

static int sieve_primes[100];
static void sieve_main(void *arg)
{
	int n = *(int *)arg;
	static struct sieve_stage stages[100];
	cl_chan *ch = cl_make("gen", int, 0);
	cl_go(generate, ch, "generate");
	for (int i = 0; i < n; i++) {
		int prime;
		cl_recv(ch, &prime);
		sieve_primes[i] = prime;
		cl_chan *next = cl_make("filter", int, 0);
		stages[i] = (struct sieve_stage){ch, next, prime};
		cl_go(filter, &stages[i], "filter-%d", prime);
		ch = next;
	}
}

START_TEST(the_prime_sieve_agrees_with_a_sequential_one)
{
	int n = 100;
	int want[100], found = 0;
	for (int k = 2; found < n; k++) {
		bool prime = true;
		for (int d = 2; d * d <= k; d++)
			if (k % d == 0)
				prime = false;
		if (prime)
			want[found++] = k;
	}
	for (uint64_t seed = 1; seed <= 5; seed++) {
		memset(sieve_primes, 0, sizeof sieve_primes);
		struct cl_result r = run_prog(sieve_main, &n, seed, CL_STRATEGY_RANDOM, NULL);
		/* main returns with the filters blocked: Go's sieve leaks them too. */
		ck_assert(r.outcome == CL_OUTCOME_LEAK || r.outcome == CL_OUTCOME_OK);
		for (int i = 0; i < n; i++)
			ck_assert_int_eq(sieve_primes[i], want[i]);
		cl_result_free(&r);
	}
}
END_TEST

Suite *suite_determinism(void)
{
	Suite *s = suite_create("determinism");
	TCase *t = tcase_create("determinism");
	tcase_set_tags(t, TAG_DET);
	tcase_set_timeout(t, 300);
	tcase_add_test(t, same_seed_gives_the_same_stream_in_one_process);
	tcase_add_test(t, same_seed_gives_the_same_stream_across_processes);
	tcase_add_test(t, every_build_gives_the_golden_stream);
	tcase_add_test(t, a_thousand_seeds_give_at_least_nine_hundred_streams);
	suite_add_tcase(s, t);
	t = tcase_create("sieve");
	tcase_set_tags(t, TAG_ANY);
	tcase_add_test(t, the_prime_sieve_agrees_with_a_sequential_one);
	suite_add_tcase(s, t);
	return s;
}
