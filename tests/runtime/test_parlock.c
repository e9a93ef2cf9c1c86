/*
 * test_parlock.c - the par lock (struct rt_lock under rt_par_active):
 * threads that outnumber the cores take one lock many times, and holders
 * now and then give up their core inside it, so waiters spin past their
 * backoff into sched_yield; every increment is counted once and the lock
 * ends free.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "runtime/rt.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

#define LOCKERS 4

struct shared {
	struct rt_lock lock;
	long counter;
	long per_thread;
};

static void *locker(void *arg)
{
	struct shared *sh = arg;
	rt_par_active = 1;
	for (long i = 0; i < sh->per_thread; i++) {
		rt_lock_acquire(&sh->lock);
		sh->counter++;
		if (i % 64 == 0) {
			/* The holder loses its core while it holds the lock. */
			struct timespec ts = {0, 20000};
			nanosleep(&ts, NULL);
		} else if (i % 16 == 0) {
			sched_yield();
		}
		rt_lock_release(&sh->lock);
	}
	rt_par_active = 0;
	return NULL;
}

START_TEST(contended_lock_counts_every_increment)
{
	struct shared sh = {.per_thread = test_scaled(20000, 500)};
	pthread_t t[LOCKERS];
	for (int i = 0; i < LOCKERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, locker, &sh), 0);
	for (int i = 0; i < LOCKERS; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(sh.counter, sh.per_thread * LOCKERS);
	ck_assert_int_eq(__atomic_load_n(&sh.lock.held, __ATOMIC_RELAXED), 0);
}
END_TEST

Suite *suite_parlock(void)
{
	Suite *s = suite_create("parlock");
	TCase *t = tcase_create("parlock");
	tcase_set_tags(t, TAG_DET);   /* plain threads: no scheduler to pick */
	tcase_set_timeout(t, 60);
	tcase_add_test(t, contended_lock_counts_every_increment);
	suite_add_tcase(s, t);
	return s;
}
