/*
 * test_parlock.c - the par lock (struct rt_lock under rt_par_active):
 * threads that outnumber the cores take one lock many times, and holders
 * now and then give up their core inside it, so waiters go past the spin
 * and sleep on the futex; every increment is counted once and no sleeper
 * is left behind (a lost wake-up hangs the test), both with membarrier
 * (a plain-store release) and with the fenced release.
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
	int mode;             /* rt_par_active on the lockers */
};

static void *locker(void *arg)
{
	struct shared *sh = arg;
	rt_par_active = sh->mode;
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

static void run_lockers(int mode)
{
	struct shared sh = {.per_thread = test_scaled(20000, 500), .mode = mode};
	pthread_t t[LOCKERS];
	for (int i = 0; i < LOCKERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, locker, &sh), 0);
	for (int i = 0; i < LOCKERS; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(sh.counter, sh.per_thread * LOCKERS);
	ck_assert_int_eq(__atomic_load_n(&sh.lock.held, __ATOMIC_RELAXED), 0);
	ck_assert_int_eq(__atomic_load_n(&sh.lock.sleepers, __ATOMIC_RELAXED), 0);
}

START_TEST(contended_lock_counts_every_increment_with_membarrier)
{
	int mode = rt_par_lock_mode();
	if (mode != RT_PAR_BARRIER)
		fprintf(stderr, "parlock: no membarrier here, the fenced release is tested twice\n");
	run_lockers(mode);
}
END_TEST

START_TEST(contended_lock_counts_every_increment_fenced)
{
	run_lockers(RT_PAR_FENCED);
}
END_TEST

Suite *suite_parlock(void)
{
	Suite *s = suite_create("parlock");
	TCase *t = tcase_create("parlock");
	tcase_set_tags(t, TAG_DET);   /* plain threads: no scheduler to pick */
	tcase_set_timeout(t, 60);
	tcase_add_test(t, contended_lock_counts_every_increment_with_membarrier);
	tcase_add_test(t, contended_lock_counts_every_increment_fenced);
	suite_add_tcase(s, t);
	return s;
}
