/* test_modes.c - a run's mode belongs to the run: a det run on one thread
 * while a par run is active on another gives the same event stream as
 * alone (its atomics stay scheduling points with events, its locks no-ops). */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"

static void adder(void *arg)
{
	cl_atomic64 *a = arg;
	for (int i = 0; i < 20; i++)
		cl_atomic_add(a, 1);
}

static void det_main(void *arg)
{
	(void)arg;
	cl_atomic64 a = {0};
	for (int i = 0; i < 2; i++)
		cl_go(adder, &a, "adder-%d", i);
	cl_yield();
	while (cl_atomic_load(&a) < 40)
		cl_yield();
}

/* The par run: says it is running, then waits in a system call until the
 * test lets it go. */
struct par_side {
	int started[2], release[2];
	struct cl_result res;
	int rc;
};

static void par_main(void *arg)
{
	struct par_side *p = arg;
	cl_atomic64 a = {0};
	cl_atomic_add(&a, 1);
	char c = 's';
	cl_syscall_enter();
	if (write(p->started[1], &c, 1) != 1 || read(p->release[0], &c, 1) != 1)
		c = 0;
	cl_syscall_exit();
}

static void *par_thread(void *arg)
{
	struct par_side *p = arg;
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = 2;
	p->rc = cl_run(par_main, p, &cfg, &p->res);
	return NULL;
}

START_TEST(a_det_run_beside_a_par_run_is_undisturbed)
{
	char *alone = run_stream(det_main, NULL, 7, CL_STRATEGY_RANDOM);
	ck_assert_ptr_nonnull(strstr(alone, "atomic"));

	struct par_side p;
	memset(&p, 0, sizeof p);
	ck_assert_int_eq(pipe(p.started), 0);
	ck_assert_int_eq(pipe(p.release), 0);
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, par_thread, &p), 0);
	char c;
	ck_assert_int_eq(read(p.started[0], &c, 1), 1);   /* the par run is active now */
	char *beside = run_stream(det_main, NULL, 7, CL_STRATEGY_RANDOM);
	ck_assert_int_eq(write(p.release[1], &c, 1), 1);
	pthread_join(th, NULL);
	ck_assert_int_eq(p.rc, 0);
	ck_assert_int_eq(p.res.outcome, CL_OUTCOME_OK);
	cl_result_free(&p.res);
	ck_assert_str_eq(beside, alone);
	free(alone);
	free(beside);
	for (int i = 0; i < 2; i++) {
		close(p.started[i]);
		close(p.release[i]);
	}
}
END_TEST

Suite *suite_modes(void)
{
	Suite *s = suite_create("modes");
	TCase *t = tcase_create("modes");
	tcase_set_tags(t, TAG_DET);   /* picks both schedulers itself */
	tcase_set_timeout(t, 30);
	tcase_add_test(t, a_det_run_beside_a_par_run_is_undisturbed);
	suite_add_tcase(s, t);
	return s;
}
