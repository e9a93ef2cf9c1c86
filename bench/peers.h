/*
 * peers.h - the C peers `chanlab bench` measures in the same rounds as the
 * runtime: the same work on plain pthreads (a mutex and condition-variable
 * queue, pthread_create and join, a pthread mutex), the floors (a spin
 * ping-pong between two threads, one fresh page touched per task), and the
 * Boost.Fiber program bench/boost_fiber.cpp run as a child where it was
 * built.  A peer that has no form of a row, or is not installed, says so
 * (BENCH_PEER_NONE) and the row shows a dash.
 */
#ifndef CHANLAB_BENCH_PEERS_H
#define CHANLAB_BENCH_PEERS_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/programs.h"

/* What a peer run returned: measured, has no form of this row, or failed. */
enum bench_peer_rc {
	BENCH_PEER_OK = 0,
	BENCH_PEER_FAILED = -1,
	BENCH_PEER_NONE = 1,
};

/* The pthread peer of prog with n operations and threads contending
 * threads (mutex_contended); for BENCH_BLOCKED it is not run (a thread per
 * task is not the same work): BENCH_PEER_NONE. */
enum bench_peer_rc bench_pthread_run(enum bench_prog prog, long n, int threads,
                                     struct bench_sample *out, char *err, size_t errsize);

/* The floor of prog: BENCH_PINGPONG is a spin ping-pong between two
 * threads (one round trip per op); BENCH_BLOCKED touches one fresh page per
 * task at stack_spacing bytes apart, in a child (so its peak RSS is its
 * own).  Other rows have no floor. */
enum bench_peer_rc bench_floor_run(enum bench_prog prog, long n, size_t stack_spacing,
                                   struct bench_sample *out, char *err, size_t errsize);

/* BENCH_BLOCKED's floor with a guard page per task as well (Linux 6.13's
 * MADV_GUARD_INSTALL, batched as the runtime batches it): what the kernel
 * charges for the stacks chanlab makes, so the two floors show how much of
 * chanlab's time the guards are.  BENCH_PEER_NONE, with the reason in err,
 * where the kernel has no such guards; for other rows too. */
enum bench_peer_rc bench_floor_guarded_run(enum bench_prog prog, long n, size_t stack_spacing,
                                           struct bench_sample *out, char *err, size_t errsize);

/* The Boost.Fiber program: found from CHANLAB_BENCH_BOOST, or as
 * bench-boost-fiber beside self_exe or in build/release/ below its folder.
 * Returns true with its path in path, or false with why. */
bool bench_boost_find(const char *self_exe, char *path, size_t size, char *why, size_t whysize);

/* Runs the Boost.Fiber program's form of prog (pingpong, spsc, mpmc4x4,
 * spawn_join, blocked) with n operations; BENCH_PEER_NONE for other rows. */
enum bench_peer_rc bench_boost_run(const char *path, enum bench_prog prog, long n,
                                   struct bench_sample *out, char *err, size_t errsize);

#endif
