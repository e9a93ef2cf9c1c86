/*
 * shared.h - plain memory that several tasks read and write, declared to
 * the runtime so the det scheduler can interleave every access and the race
 * detector (race.c, cl_config.race) can check each one against Go's
 * happens-before order.  Included by chanlab.h.
 *
 *	Go                              chanlab
 *	var counter int                 cl_shared(int) counter;
 *	x := counter                    int x = cl_rd(counter);
 *	counter = x + 1                 cl_wr(counter, x + 1);
 *	counter++                       cl_wr(counter, cl_rd(counter) + 1);   (two accesses)
 *
 * cl_rd and cl_wr take the variable itself (an lvalue: a global, a struct
 * field, an array element, *p), not its address; a race report names it by
 * the text written there ("counter", "p->hits[i]") and gives the file:line.
 * The type must be an integer, a bool or a pointer of at most 8 bytes.
 *
 * Under det every access is a scheduling point, with or without detection:
 * another task may run between the read and the write of counter++, so a
 * lost update really happens, and one seed gives the same events whether
 * detection is on or off.  Under par an access is a relaxed atomic load or
 * store: a racy program is wrong in Go's terms but not undefined in C's,
 * and TSan stays quiet (par never detects races).
 *
 * Memory given to cl_rd/cl_wr must stay put for the run: a global, memory
 * from pattern_alloc, an object a task keeps, or a task's stack (forgotten
 * when that task exits).
 */
#ifndef CHANLAB_SHARED_H
#define CHANLAB_SHARED_H

/* Declares shared plain memory: reads as Go's `var name T`.  Aligned to its
 * size so an access is one load or store. */
#define cl_shared(T) _Alignas(sizeof(T)) T

/* The scheduling point and the check before an access (race.c).  write is
 * 0 for a read, 1 for a write. */
void cl_shared_at(const char *file, int line, const char *name, const void *addr, int write);

#define CL_SHARED_CHECK_(x)                                                               \
	_Static_assert(sizeof(x) <= 8, "cl_rd/cl_wr: only integers, bools and pointers")

#define cl_rd(x)                                                                          \
	(__extension__({                                                                  \
		CL_SHARED_CHECK_(x);                                                      \
		cl_shared_at(__FILE__, __LINE__, #x, &(x), 0);                            \
		__atomic_load_n(&(x), __ATOMIC_RELAXED);                                  \
	}))

#define cl_wr(x, value)                                                                   \
	do {                                                                              \
		CL_SHARED_CHECK_(x);                                                      \
		__typeof__(x) cl_wr_value_ = (value);                                     \
		cl_shared_at(__FILE__, __LINE__, #x, &(x), 1);                            \
		__atomic_store_n(&(x), cl_wr_value_, __ATOMIC_RELAXED);                   \
	} while (0)

#endif
