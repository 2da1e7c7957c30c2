/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel interfaces the registry's files in
 * kernel/ use.  Every linux/ and asm/ header of this harness includes this file.
 *
 * Memory classes map onto the process image: "core kernel text" is the
 * executable's text, "core kernel data" its .data and .bss, "rodata" what
 * lies between; heap, stack and everything else is not core memory.
 * WARN_ONCE() warns every time, so that tests can count the warnings.
 */
#ifndef _KT_SHIM_H
#define _KT_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <assert.h>
#include <sys/cdefs.h>		/* __always_inline */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Annotations that mean nothing here (notrace, __no_stack_protector,
 * __init, EXPORT_SYMBOL_GPL, EXPORT_SYMBOL_IF_KUNIT, NOKPROBE_SYMBOL) are
 * defined away, and noinline defined, on the compiler's command line by
 * the Makefile.
 */
typedef uint8_t u8;
typedef uint64_t u64;
#define U64_MAX			UINT64_MAX
/* The kernel's do_div(): divides @n in place, returns the remainder. */
static inline uint32_t kt_do_div(u64 *n, uint32_t base)
{
	uint32_t rem = *n % base;

	*n /= base;
	return rem;
}

#define do_div(n, base)		kt_do_div(&(n), (base))
#define BIT(nr)			(1UL << (nr))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define THIS_MODULE		((struct module *)0)

/*
 * The kernel's memory model, in C11 atomics: relaxed accesses for the
 * *_ONCE() accessors, release and acquire fences for the barriers.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* store with release ordering, as the kernel's */
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* load with acquire ordering, as the kernel's */
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
/* orders earlier stores before later stores */
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
/* orders earlier loads before later loads */
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)

struct kt_atomic {
	int counter;
};

#define atomic_t		struct kt_atomic

static inline void atomic_inc(atomic_t *v)
{
	__atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline int atomic_inc_return(atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

/* A mutex that knows whether it is held, for lockdep_assert_held(). */
struct mutex {
	pthread_mutex_t m;
	int held;
};

#define __MUTEX_INITIALIZER(...)	{ PTHREAD_MUTEX_INITIALIZER, 0 }

static inline void mutex_init(struct mutex *l)
{
	pthread_mutex_init(&l->m, NULL);
	l->held = 0;
}

static inline void mutex_lock(struct mutex *l)
{
	pthread_mutex_lock(&l->m);
	l->held = 1;
}

static inline void mutex_unlock(struct mutex *l)
{
	l->held = 0;
	pthread_mutex_unlock(&l->m);
}

#define lockdep_assert_held(l)	assert((l)->held)
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
/* The harness defines the CONFIG_ options it wants as 1 (Makefile). */
#define IS_ENABLED(CONFIG_opt)	((CONFIG_opt) + 0)

/*
 * No RCU readers here: the walks run on threads that the tests join.
 * Counted, so that a test can see that removal waits for walkers.
 */
extern int kt_grace_periods;
static inline void synchronize_rcu(void)
{
	__atomic_fetch_add(&kt_grace_periods, 1, __ATOMIC_RELAXED);
}

/*
 * The RCU pointer accessors: __rcu is only sparse's, an update is
 * published with release ordering, and a reader's load is an acquire
 * (C11 has no address-dependency ordering to rely on).  An updater's
 * rcu_dereference_protected() asserts its condition, as lockdep would.
 */
#define __rcu
/* publishes with release ordering, as the kernel's */
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_dereference_raw(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_dereference_protected(p, c)	({ assert(c); (p); })
#define lockdep_is_held(l)		((l)->held)

#define might_sleep()		do { } while (0)
#define preempt_disable()	do { } while (0)
#define preempt_enable()	do { } while (0)
#define in_nmi()		0

/* Logging: counted, kept, and printed when KT_VERBOSE is set. */
extern int kt_warnings;
extern char kt_last_log[256];
void kt_printk(const char *level, const char *fmt, ...);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_info(fmt, ...)	kt_printk("info", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	kt_printk("warn", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	kt_printk("err", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	kt_printk("debug", pr_fmt(fmt), ##__VA_ARGS__)

#define WARN(cond, fmt, ...) ({						\
	bool __c = !!(cond);						\
	if (__c) {							\
		__atomic_fetch_add(&kt_warnings, 1, __ATOMIC_RELAXED);	\
		kt_printk("WARN", fmt, ##__VA_ARGS__);			\
	}								\
	__c;								\
})
#define WARN_ONCE(cond, fmt, ...)	WARN(cond, fmt, ##__VA_ARGS__)

/* The CPU the calling thread stands for. */
extern __thread unsigned int kt_cpu;
#define raw_smp_processor_id()	kt_cpu
#define smp_processor_id()	kt_cpu

/* Memory classes, see the top of this file. */
extern char __executable_start[], etext[], __data_start[], end[];

static inline bool kt_in(unsigned long a, const void *lo, const void *hi)
{
	return a >= (unsigned long)lo && a < (unsigned long)hi;
}

static inline bool is_kernel_core_data(unsigned long addr)
{
	return kt_in(addr, __data_start, end);
}

static inline bool is_kernel_rodata(unsigned long addr)
{
	return kt_in(addr, etext, __data_start);
}

static inline int core_kernel_text(unsigned long addr)
{
	return kt_in(addr, __executable_start, etext);
}

static inline bool is_kernel_inittext(unsigned long addr)
{
	return false;
}

static inline bool init_section_contains(void *virt, size_t size)
{
	return false;
}

static inline bool is_vmalloc_addr(const void *p)
{
	return false;
}

int object_is_on_stack(const void *p);

#define dereference_function_descriptor(p)	((void *)(p))

/* No modules in the harness. */
struct module;
#define module_name(...)			"kernel"
static inline bool is_module_address(unsigned long addr)
{
	return false;
}

static inline struct module *__module_text_address(unsigned long addr)
{
	return NULL;
}

static inline bool try_module_get(struct module *mod)
{
	return true;
}

#endif /* _KT_SHIM_H */
