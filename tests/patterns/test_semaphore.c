/*
 * test_semaphore.c - the semaphore limiting concurrency (semaphore): the
 * channel and weighted forms keep "ok" under 10,000 random and 2,000 PCT
 * schedules; each broken form shows its declared outcome within 10,000, at
 * its default seed, and on a share of seeds 1..200 (counts scaled by
 * CHANLAB_TEST_SCALE); the weighted semaphore serves requests in FIFO
 * order, a large waiter ahead of a small one.
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

/* semaphore:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("semaphore", "correct", NULL);
}
END_TEST

/* semaphore:forgotten-release deadlocks once every slot is taken. */
START_TEST(forgotten_release)
{
	check_broken("semaphore", "forgotten-release", NULL);
	check_share("semaphore", "forgotten-release", NULL, 100);
}
END_TEST

/* semaphore:acquire-late lets more than limit tasks work at once. */
START_TEST(acquire_late)
{
	check_broken("semaphore", "acquire-late", NULL);
	check_share("semaphore", "acquire-late", NULL, 90);
}
END_TEST

/* semaphore:weighted keeps its promise. */
START_TEST(weighted)
{
	check_correct("semaphore", "weighted", NULL);
}
END_TEST

/* semaphore:weighted-batch: jobs of weight 2 and batches of weight limit,
 * each acquired whole, keep the promise (and the units metric). */
START_TEST(weighted_batch)
{
	check_correct("semaphore", "weighted-batch", NULL);
}
END_TEST

/* semaphore:nested-acquire deadlocks behind a waiting batch. */
START_TEST(nested_acquire)
{
	check_broken("semaphore", "nested-acquire", NULL);
	check_share("semaphore", "nested-acquire", NULL, 90);
}
END_TEST

/* The FIFO order nested-acquire teaches, on the runtime's semaphore: with
 * one unit of three held and a request for three waiting, a request for
 * one waits too, though a unit is free; it gets in after the big one. */
struct fifo {
	cl_sema *sem;
	int order[3], n;
};

static void fifo_big(void *arg)
{
	struct fifo *f = arg;
	cl_sema_acquire(f->sem, 3);
	f->order[f->n++] = 3;
	cl_sema_release(f->sem, 3);
}

static void fifo_small(void *arg)
{
	struct fifo *f = arg;
	cl_sema_acquire(f->sem, 1);
	f->order[f->n++] = 1;
	cl_sema_release(f->sem, 1);
}

static void fifo_main(void *arg)
{
	struct fifo *f = arg;
	f->sem = cl_sema_new("sem", 3);
	cl_sema_acquire(f->sem, 1);
	cl_go(fifo_big, f, "big");
	cl_sleep(CL_MS);                           /* big is waiting for 3 */
	cl_go(fifo_small, f, "small");
	cl_sleep(CL_MS);                           /* small is waiting behind it */
	f->order[f->n++] = 0;                      /* neither got in yet */
	ck_assert(!cl_sema_try_acquire(f->sem, 1));   /* nor does a try, with 2 units free */
	cl_sema_release(f->sem, 1);
	cl_sleep(CL_MS);
}

START_TEST(weighted_acquire_is_fifo)
{
	struct fifo f = {0};
	struct cl_config config;
	cl_config_init(&config);
	struct cl_result res;
	ck_assert_int_eq(cl_run(fifo_main, &f, &config, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(f.n, 3);
	ck_assert_int_eq(f.order[0], 0);
	ck_assert_int_eq(f.order[1], 3);
	ck_assert_int_eq(f.order[2], 1);
	cl_result_free(&res);
}
END_TEST

Suite *suite_semaphore(void)
{
	Suite *s = suite_create("semaphore");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, forgotten_release);
	tcase_add_test(tc, acquire_late);
	tcase_add_test(tc, weighted);
	tcase_add_test(tc, weighted_batch);
	tcase_add_test(tc, nested_acquire);
	tcase_add_test(tc, weighted_acquire_is_fifo);
	suite_add_tcase(s, tc);
	return s;
}
