/*
 * test_bench.c - `chanlab bench` as a script sees it: --json prints one
 * array whose rows carry the right names, units and numeric figures;
 * every row has run at least 5 rounds with its spread, and names each
 * peer (a figure or null) with the best of them, and the host's steal
 * share during it; the table states the load and the host's steal; --help
 * exits 0; a bad --only, --procs or option exits 64 with one line on
 * stderr; the binary makes no libatomic calls.  No timing is asserted:
 * the figures are for people to read.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/clirun.h"
#include "tests/cli/json_mini.h"
#include "tests/testlib.h"

START_TEST(json_rows_have_names_units_and_numbers)
{
	int status;
	char *out = cli_run(&status, "bench --quick --json --only pingpong,spsc 2>/dev/null");
	ck_assert_msg(status == 0, "chanlab bench exited %d", status);
	char err[200];
	struct jm *doc = jm_parse(out, strlen(out), err, sizeof err);
	ck_assert_msg(doc != NULL, "bench --json is not JSON: %s\n%s", err, out);
	ck_assert_int_eq(doc->type, JM_ARRAY);
	ck_assert_uint_eq(doc->n, 2);
	const char *names[] = {"pingpong", "spsc"};
	for (size_t i = 0; i < doc->n; i++) {
		const struct jm *row = doc->items[i];
		ck_assert_int_eq(row->type, JM_OBJECT);
		ck_assert_str_eq(jm_str(row, "name", ""), names[i]);
		ck_assert_str_eq(jm_str(row, "unit", ""), "ns/op");
		const struct jm *v = jm_get(row, "chanlab");
		ck_assert_msg(v && v->type == JM_NUMBER && v->number > 0, "%s: chanlab is not a number",
		              names[i]);
		/* every key of the schema is there; go and ratio are null without --vs-go */
		const char *keys[] = {"go", "ratio", "claim", "parks_per_1k"};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			ck_assert_msg(jm_get(row, keys[k]) != NULL, "%s: no '%s'", names[i], keys[k]);
		ck_assert_int_eq(jm_get(row, "go")->type, JM_NULL);
		ck_assert_int_eq(jm_get(row, "ratio")->type, JM_NULL);
		ck_assert_int_eq(jm_get(row, "claim")->type, JM_NUMBER);
		/* rounds: the median lies within the spread of at least 5 rounds */
		const struct jm *rounds = jm_get(row, "rounds"), *mn = jm_get(row, "min"),
		                *mx = jm_get(row, "max");
		ck_assert_msg(rounds && rounds->type == JM_NUMBER && rounds->number >= 5,
		              "%s: fewer than 5 rounds", names[i]);
		ck_assert_msg(mn && mx && mn->type == JM_NUMBER && mx->type == JM_NUMBER &&
		                      mn->number <= v->number && v->number <= mx->number,
		              "%s: the median is not within min..max", names[i]);
		/* every peer has its key (a number, or null where it is missing) */
		const struct jm *peers = jm_get(row, "peers");
		ck_assert_msg(peers && peers->type == JM_OBJECT, "%s: no peers object", names[i]);
		const char *pk[] = {"go", "go1", "boost_fiber", "pthread", "floor", "floor_guarded"};
		for (size_t k = 0; k < sizeof pk / sizeof pk[0]; k++) {
			const struct jm *p = jm_get(peers, pk[k]);
			ck_assert_msg(p && (p->type == JM_NULL || (p->type == JM_NUMBER && p->number > 0)),
			              "%s: peers.%s is neither null nor a positive number", names[i], pk[k]);
		}
		ck_assert_int_eq(jm_get(peers, "go")->type, JM_NULL);
		ck_assert_int_eq(jm_get(peers, "go1")->type, JM_NULL);
		/* a ratio for exactly the peers with a figure */
		const struct jm *ratios = jm_get(row, "peer_ratios");
		ck_assert_msg(ratios && ratios->type == JM_OBJECT, "%s: no peer_ratios object", names[i]);
		for (size_t k = 0; k < sizeof pk / sizeof pk[0]; k++) {
			const struct jm *p = jm_get(peers, pk[k]), *q = jm_get(ratios, pk[k]);
			ck_assert_msg(q && q->type == (p->type == JM_NUMBER ? JM_NUMBER : JM_NULL),
			              "%s: peer_ratios.%s does not match peers.%s", names[i], pk[k], pk[k]);
			ck_assert(q->type != JM_NUMBER || q->number > 0);
		}
		const struct jm *best = jm_get(row, "best_peer"), *rb = jm_get(row, "ratio_best");
		ck_assert_msg(best && rb, "%s: no best_peer or ratio_best", names[i]);
		if (best->type == JM_STRING) {
			/* the best peer is the smallest of the figures present */
			const struct jm *bv = jm_get(peers, best->string);
			ck_assert_msg(bv && bv->type == JM_NUMBER, "%s: best_peer %s has no figure",
			              names[i], best->string);
			for (size_t k = 0; k < sizeof pk / sizeof pk[0]; k++) {
				const struct jm *p = jm_get(peers, pk[k]);
				ck_assert(p->type != JM_NUMBER || p->number >= bv->number);
			}
			ck_assert_int_eq(rb->type, JM_NUMBER);
		} else {
			ck_assert_int_eq(rb->type, JM_NULL);
		}
		const struct jm *sched = jm_get(row, "sched");
		ck_assert_msg(sched && sched->type == JM_STRING &&
		              (strcmp(sched->string, "det") == 0 || strcmp(sched->string, "par") == 0),
		              "%s: sched is neither det nor par", names[i]);
		/* the host's share of CPU time during the row: a share, or null
		 * where /proc/stat has none */
		const struct jm *steal = jm_get(row, "steal");
		ck_assert_msg(steal && (steal->type == JM_NULL ||
		                        (steal->type == JM_NUMBER && steal->number >= 0 &&
		                         steal->number <= 1)),
		              "%s: steal is neither null nor a share from 0 to 1", names[i]);
	}
	jm_free(doc);
	free(out);
}
END_TEST

START_TEST(help_exits_0)
{
	int status;
	char *out = cli_run(&status, "bench --help");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "usage: chanlab bench"));
	ck_assert_ptr_nonnull(strstr(out, "--vs-go"));
	ck_assert_ptr_nonnull(strstr(out, "stack_lockfree"));
	free(out);
}
END_TEST

/* stderr only, one line, and exit 64. */
static void usage_error(const char *args)
{
	int status;
	char *err = cli_run(&status, "bench %s 2>&1 >/dev/null", args);
	ck_assert_msg(status == 64, "chanlab bench %s exited %d", args, status);
	ck_assert_msg(*err && strchr(err, '\n') == err + strlen(err) - 1,
	              "chanlab bench %s: not one line on stderr: '%s'", args, err);
	free(err);
}

START_TEST(usage_errors_exit_64)
{
	usage_error("--only nosuchfigure");
	usage_error("--only pingpong,bogus");
	usage_error("--only");
	usage_error("--procs 0");
	usage_error("--procs many");
	usage_error("--sched fast");
	usage_error("--frobnicate");
	usage_error("--load");
	usage_error("--load -1");
	usage_error("--load 65");
	usage_error("--load two");
	int status;
	char *err = cli_run(&status, "bench --only nosuchfigure 2>&1 >/dev/null");
	ck_assert_ptr_nonnull(strstr(err, "nosuchfigure"));
	free(err);
}
END_TEST

/* --vs-go where the Go counterparts cannot be found (as after an install
 * whose data directory lacks them) says why Go's figures are missing, in the
 * table's header and in each row's JSON note, and still measures chanlab. */
START_TEST(vs_go_without_counterparts_says_why)
{
	int status;
	char *out;
	char cmd[1200];
	snprintf(cmd, sizeof cmd,
	         "CHANLAB_BENCH_GO=/nonexistent/bench/go '%s' bench --quick --vs-go --only atomic_add "
	         "2>/dev/null",
	         test_chanlab_bin());
	out = test_run_capture(cmd, &status);
	ck_assert_msg(status == 0, "bench exited %d", status);
	ck_assert_msg(strstr(out, "Go: no figures (") != NULL, "no reason for Go's missing figures:\n%s",
	              out);
	free(out);
	snprintf(cmd, sizeof cmd,
	         "CHANLAB_BENCH_GO=/nonexistent/bench/go '%s' bench --quick --vs-go --json "
	         "--only atomic_add 2>/dev/null",
	         test_chanlab_bin());
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	char err[200];
	struct jm *doc = jm_parse(out, strlen(out), err, sizeof err);
	ck_assert_msg(doc && doc->type == JM_ARRAY && doc->n == 1, "not one row: %s", out);
	ck_assert_int_eq(jm_get(doc->items[0], "go")->type, JM_NULL);
	ck_assert_ptr_nonnull(strstr(jm_str(doc->items[0], "note", ""), "Go: no figures"));
	jm_free(doc);
	free(out);
}
END_TEST

/* The rows that say what they measured: mutex_contended carries the share
 * of Lock calls that found the mutex held, pingpong_2p (under par) the
 * share of hand-offs that crossed OS threads, both in [0, 1]; the det rows
 * run under det whatever --sched says; the pthread peer measured the
 * contended mutex.  Shares are not asserted to be high: that is the
 * runtime's figure, not the harness's. */
START_TEST(honest_rows_carry_their_shares)
{
	int status;
	char *out = cli_run(&status, "bench --quick --json --only "
	                             "mutex_contended,pingpong_2p,det_switch,det_spawn_join 2>/dev/null");
	ck_assert_msg(status == 0, "chanlab bench exited %d", status);
	char err[200];
	struct jm *doc = jm_parse(out, strlen(out), err, sizeof err);
	ck_assert_msg(doc && doc->type == JM_ARRAY && doc->n == 4, "%s\n%s", err, out);
	bool par = false;
	for (size_t i = 0; i < doc->n; i++) {
		const struct jm *row = doc->items[i];
		const char *name = jm_str(row, "name", "");
		const char *sched = jm_str(row, "sched", "");
		if (strcmp(name, "mutex_contended") == 0) {
			const struct jm *held = jm_get(row, "held");
			ck_assert_msg(held && held->type == JM_NUMBER && held->number >= 0 &&
			                      held->number <= 1,
			              "mutex_contended: no held share in [0, 1]");
			const struct jm *pt = jm_get(jm_get(row, "peers"), "pthread");
			ck_assert_msg(pt && pt->type == JM_NUMBER && pt->number > 0,
			              "mutex_contended: the pthread peer has no figure");
			par = strcmp(sched, "par") == 0;
		} else if (strcmp(name, "pingpong_2p") == 0) {
			const struct jm *cross = jm_get(row, "cross");
			if (strcmp(sched, "par") == 0 || par)
				ck_assert_msg(cross && cross->type == JM_NUMBER && cross->number >= 0 &&
				                      cross->number <= 1,
				              "pingpong_2p: no cross share in [0, 1]");
		} else {
			ck_assert_msg(strcmp(sched, "det") == 0, "%s ran under %s, not det", name, sched);
			const struct jm *v = jm_get(row, "chanlab");
			ck_assert_msg(v && v->type == JM_NUMBER && v->number > 0, "%s: no figure", name);
		}
	}
	jm_free(doc);
	free(out);
}
END_TEST

/* The "load" of each JSON row: n with --load n for the first table's rows
 * (their busy threads ran beside every implementation), 0 without it and
 * for the second table; the header of the table names the busy threads. */
static int row_load(const char *args, const char *row)
{
	int status;
	char *out = cli_run(&status, "bench --quick --json %s 2>/dev/null", args);
	ck_assert_msg(status == 0, "chanlab bench %s exited %d", args, status);
	char err[200];
	struct jm *doc = jm_parse(out, strlen(out), err, sizeof err);
	ck_assert_msg(doc && doc->type == JM_ARRAY, "bench %s: not a JSON array: %s\n%s", args, err,
	              out);
	int load = -1;
	for (size_t i = 0; i < doc->n; i++) {
		if (strcmp(jm_str(doc->items[i], "name", ""), row) != 0)
			continue;
		const struct jm *v = jm_get(doc->items[i], "load");
		ck_assert_msg(v && v->type == JM_NUMBER, "bench %s: %s has no numeric load", args, row);
		load = (int)v->number;
	}
	ck_assert_msg(load >= 0, "bench %s: no row %s", args, row);
	jm_free(doc);
	free(out);
	return load;
}

START_TEST(load_is_parsed_and_reported)
{
	ck_assert_int_eq(row_load("--load 2 --only atomic_add,quiz_load_1000_ms", "atomic_add"), 2);
	ck_assert_int_eq(row_load("--load 2 --only atomic_add,quiz_load_1000_ms", "quiz_load_1000_ms"),
	                 0);
	ck_assert_int_eq(row_load("--only atomic_add", "atomic_add"), 0);
	int status;
	char *out = cli_run(&status, "bench --quick --load 1 --only atomic_add 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "--load 1: 1 busy thread") != NULL, "no --load line in:\n%s", out);
	/* beside the guest's load, the host's (Linux has had the steal column
	 * since 2.6.11) */
	ck_assert_msg(strstr(out, "\nhost steal: ") != NULL, "no host steal line in:\n%s", out);
	free(out);
	out = cli_run(&status, "bench --help");
	ck_assert_ptr_nonnull(strstr(out, "--load N"));
	free(out);
}
END_TEST

/* The blocked rows measure two floors: one fresh page per task, and the
 * same with a guard page per task as the runtime's stacks have.  The
 * guarded one is a figure (with its ratio) where the kernel has
 * MADV_GUARD_INSTALL, else null with a note that says so; both hold one
 * page per task. */
START_TEST(blocked_rows_have_both_floors)
{
	int status;
	char *out = cli_run(&status, "bench --quick --json --only blocked_100k_s 2>/dev/null");
	ck_assert_int_eq(status, 0);
	char err[200];
	struct jm *doc = jm_parse(out, strlen(out), err, sizeof err);
	ck_assert_msg(doc && doc->type == JM_ARRAY && doc->n == 1, "not one JSON row: %s\n%s", err,
	              out);
	const struct jm *row = doc->items[0];
	const struct jm *peers = jm_get(row, "peers"), *ratios = jm_get(row, "peer_ratios");
	ck_assert_ptr_nonnull(peers);
	ck_assert_ptr_nonnull(ratios);
	ck_assert_int_eq(jm_get(peers, "floor")->type, JM_NUMBER);
	ck_assert_int_eq(jm_get(ratios, "floor")->type, JM_NUMBER);
	const struct jm *guarded = jm_get(peers, "floor_guarded");
	ck_assert_ptr_nonnull(guarded);
	const char *note = jm_str(row, "note", "");
	if (guarded->type == JM_NUMBER) {
		ck_assert(guarded->number > 0);
		ck_assert_int_eq(jm_get(ratios, "floor_guarded")->type, JM_NUMBER);
		ck_assert_msg(strstr(note, "floor_guarded 4.0") != NULL,
		              "the guarded floor does not hold one page per task: %s", note);
	} else {
		ck_assert_int_eq(guarded->type, JM_NULL);
		ck_assert_msg(strstr(note, "floor_guarded: this kernel has no MADV_GUARD_INSTALL"),
		              "no guarded floor and no note why: %s", note);
	}
	jm_free(doc);
	free(out);
}
END_TEST

/* The stack rows compare cl_atomic_cas with ck's inline CAS: the runtime's
 * atomics must be the bare instructions, never calls into libatomic. */
START_TEST(atomics_are_not_libatomic_calls)
{
	int status;
	char *have = test_run_capture("command -v nm >/dev/null 2>&1 && echo yes", &status);
	bool has_nm = have && strncmp(have, "yes", 3) == 0;
	free(have);
	if (!has_nm) {
		fprintf(stderr, "bench: nm not found, libatomic check skipped\n");
		return;
	}
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "nm -u '%s' | grep -c '__atomic_' || true", test_chanlab_bin());
	char *out = test_run_capture(cmd, &status);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(atoi(out) == 0, "chanlab calls libatomic (%s undefined __atomic_ symbols)", out);
	free(out);
}
END_TEST

Suite *suite_bench(void)
{
	Suite *s = suite_create("bench");
	TCase *tc = tcase_create("bench");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, json_rows_have_names_units_and_numbers);
	tcase_add_test(tc, help_exits_0);
	tcase_add_test(tc, usage_errors_exit_64);
	tcase_add_test(tc, atomics_are_not_libatomic_calls);
	tcase_add_test(tc, vs_go_without_counterparts_says_why);
	tcase_add_test(tc, honest_rows_carry_their_shares);
	tcase_add_test(tc, load_is_parsed_and_reported);
	tcase_add_test(tc, blocked_rows_have_both_floors);
	suite_add_tcase(s, tc);
	return s;
}
