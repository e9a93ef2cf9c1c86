// boost_fiber.cpp - the Boost.Fiber peer of `chanlab bench`: the same work
// as the runtime's rows (bench/programs.c) with fibers on one thread and
// Boost's channels, so each row can be compared with a mature C++ fiber
// library in the same rounds.  Built by `make bench` only where
// libboost-fiber-dev is installed.
//
// Usage: bench-boost-fiber pingpong|spsc|mpmc4x4|spawn_join|blocked N
// Prints one line: "NS OPS KIB_PER_TASK RSS_MIB" (the measured wall time in
// ns, the operations done, and for blocked the peak RSS growth: per task
// with the page tables, VmHWM + VmPTE, and in all).
#include <boost/fiber/all.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace fibers = boost::fibers;
using clock_type = std::chrono::steady_clock;

static double ns_since(clock_type::time_point t0)
{
	return std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
}

// 16 KiB stacks from malloc: a million fibers with Boost's default stacks
// would each take an mmap and run into the kernel's map limit.
static fibers::fixedsize_stack small_stack()
{
	return fibers::fixedsize_stack(16 * 1024);
}

// The blocked rows' stacks: the smallest that works, 12 KiB from malloc
// (fixedsize_stack).  Boost's default is 128 KiB; protected_fixedsize_stack
// takes an mmap per fiber, beyond the kernel's 65,530 maps long before a
// million.  A blocked fiber uses about 6 KiB of its stack, its record
// included, and the first one to block about 9 KiB (measured on canary-
// filled stacks, Boost 1.74): under a guard page 12 KiB runs 1,000 blocked
// fibers and 8 KiB faults.
static fibers::fixedsize_stack blocked_stack()
{
	return fibers::fixedsize_stack(12 * 1024);
}

// A round trip of one item: buffered channels of the smallest capacity
// Boost allows (a power of two >= 2) behave as unbuffered ones here, and
// are Boost's fast channel (its unbuffered_channel is 5x slower).
static double pingpong(long n)
{
	fibers::buffered_channel<long> ping(2), pong(2);
	auto t0 = clock_type::now();
	fibers::fiber echo(std::allocator_arg, small_stack(), [&] {
		long v;
		while (ping.pop(v) == fibers::channel_op_status::success)
			pong.push(v);
	});
	for (long i = 0; i < n; i++) {
		long v;
		ping.push(i);
		pong.pop(v);
	}
	ping.close();
	echo.join();
	return ns_since(t0);
}

static double queue(long n, int producers, std::size_t cap)
{
	fibers::buffered_channel<long> ch(cap);
	long per = n / producers;
	auto t0 = clock_type::now();
	std::vector<fibers::fiber> consumers, senders;
	for (int c = 0; c < producers; c++)
		consumers.emplace_back(std::allocator_arg, small_stack(), [&] {
			long v;
			while (ch.pop(v) == fibers::channel_op_status::success) {
			}
		});
	for (int p = 0; p < producers; p++)
		senders.emplace_back(std::allocator_arg, small_stack(), [&] {
			for (long i = 0; i < per; i++)
				ch.push(i);
		});
	for (auto &f : senders)
		f.join();
	ch.close();
	for (auto &f : consumers)
		f.join();
	return ns_since(t0);
}

static double spawn_join(long n)
{
	auto t0 = clock_type::now();
	for (long i = 0; i < n; i++) {
		fibers::fiber f(std::allocator_arg, small_stack(), [] {});
		f.join();
	}
	return ns_since(t0);
}

static long max_rss_kib()
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

// The page tables (VmPTE in /proc/self/status), KiB; 0 if unknown: memory
// per task counts them beside the peak RSS, as chanlab's and Go's rows do.
static long vm_pte_kib()
{
	std::FILE *f = std::fopen("/proc/self/status", "r");
	long kib = 0;
	char line[128];
	while (f && std::fgets(line, sizeof line, f))
		if (std::sscanf(line, "VmPTE: %ld kB", &kib) == 1)
			break;
	if (f)
		std::fclose(f);
	return kib;
}

// n fibers blocked on one gate, then released and joined.
static double blocked(long n, double *kib, double *mib)
{
	long before = max_rss_kib();
	auto t0 = clock_type::now();
	fibers::buffered_channel<long> gate(2);
	std::vector<fibers::fiber> all;
	all.reserve((std::size_t)n);
	for (long i = 0; i < n; i++)
		all.emplace_back(std::allocator_arg, blocked_stack(), [&] {
			long v;
			gate.pop(v);   /* blocks until the gate closes */
		});
	boost::this_fiber::yield();
	long pte = vm_pte_kib();   /* every fiber started and blocked */
	gate.close();
	for (auto &f : all)
		f.join();
	double ns = ns_since(t0);
	long grown = max_rss_kib() - before;
	*kib = n ? (double)(grown + pte) / (double)n : 0;
	*mib = (double)grown / 1024.0;
	return ns;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: bench-boost-fiber pingpong|spsc|mpmc4x4|spawn_join|blocked N\n");
		return 64;
	}
	long n = std::strtol(argv[2], nullptr, 10);
	if (n <= 0) {
		std::fprintf(stderr, "bench-boost-fiber: bad N '%s'\n", argv[2]);
		return 64;
	}
	double ns = 0, kib = 0, mib = 0;
	long ops = n;
	const char *what = argv[1];
	if (std::strcmp(what, "pingpong") == 0)
		ns = pingpong(n);
	else if (std::strcmp(what, "spsc") == 0)
		ns = queue(n, 1, 128);
	else if (std::strcmp(what, "mpmc4x4") == 0) {
		ns = queue(n, 4, 64);
		ops = n / 4 * 4;
	} else if (std::strcmp(what, "spawn_join") == 0)
		ns = spawn_join(n);
	else if (std::strcmp(what, "blocked") == 0)
		ns = blocked(n, &kib, &mib);
	else {
		std::fprintf(stderr, "bench-boost-fiber: unknown program '%s'\n", what);
		return 64;
	}
	std::printf("%.0f %ld %.3f %.3f\n", ns, ops, kib, mib);
	return 0;
}
