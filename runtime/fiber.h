/*
 * fiber.h - telling the sanitizers and valgrind that we switch stacks.
 *
 * ASan tracks one stack per thread unless told of each switch
 * (__sanitizer_start_switch_fiber before, __sanitizer_finish_switch_fiber
 * after); TSan needs a fiber per task and a __tsan_switch_to_fiber before
 * each switch.  Without a sanitizer these compile to nothing.
 */
#ifndef CHANLAB_FIBER_H
#define CHANLAB_FIBER_H

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define RT_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RT_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define RT_TSAN 1
#endif

#ifdef RT_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old);
void __asan_unpoison_memory_region(const volatile void *addr, size_t size);
#endif

#ifdef RT_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

#endif
