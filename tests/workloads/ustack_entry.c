// bcct-dynamic-too: build/tests/workloads-dynamic/ustack_entry calls libc.so.6's malloc (c:malloc)
/* ustack_entry GOFILE N: user stacks taken at a function's entry (uprobes fire on its first
 * instruction, before it saves a frame pointer). Waits until GOFILE exists (so the tracer can
 * attach first), then makes N times each of:
 *   main -> bcct_ue_alloc_q9 -> malloc, calloc    (glibc's: calloc does not start with
 *                                                  "push %rbp"; malloc does in libc.a, linked
 *                                                  in, and does not in libc.so.6)
 *   main -> bcct_ue_call_fp_q9 -> bcct_ue_fp_q9   (starts with "push %rbp")
 *   main -> bcct_ue_call_nofp_q9 -> bcct_ue_nofp_q9 (built without a frame pointer: does not)
 * each call sleeping 2 ms (for funcslower's threshold), then creates GOFILE.done and waits until
 * GOFILE is removed (at most 60 s), so that its symbols are still there when the tracer prints.
 * The callers have frame pointers (the default flags); the kernel's frame-pointer walk at the
 * callees' entry finds main but not the caller, unless the kernel adds it (6.12+, and only for
 * functions whose first instruction pushes the frame pointer). */
#include <stdio.h>
#include <stdlib.h>
#include "gofile.h"

static volatile unsigned long sink;

__attribute__((noinline)) void *bcct_ue_alloc_q9(size_t n)
{
	void *p = malloc(n);

	free(calloc(1, n));
	sink += (unsigned long)p;
	return p;
}

/* Calls another function, so that it keeps its frame and starts with "push %rbp". */
__attribute__((noinline)) unsigned long bcct_ue_fp_q9(unsigned long x)
{
	sleep_ms(2);
	return x + sink;
}

/* No frame pointer and no "push %rbp": the kernel's entry fix-up does not apply. The call
 * through a volatile pointer keeps it from being a leaf the compiler could fold. */
static void (*volatile nap)(long) = sleep_ms;
__attribute__((noinline, optimize("omit-frame-pointer"))) unsigned long bcct_ue_nofp_q9(unsigned long x)
{
	nap(2);
	return x * 3 + sink;
}

__attribute__((noinline)) unsigned long bcct_ue_call_fp_q9(unsigned long x)
{
	return bcct_ue_fp_q9(x) + 1;
}

__attribute__((noinline)) unsigned long bcct_ue_call_nofp_q9(unsigned long x)
{
	return bcct_ue_nofp_q9(x) + 1;
}

int main(int argc, char **argv)
{
	long n;

	if (argc != 3 || (n = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: ustack_entry GOFILE N\n");
		return 2;
	}
	gofile_wait(argv[1]);
	for (long i = 0; i < n; i++) {
		free(bcct_ue_alloc_q9(100000 + i));   /* above the tcache/fastbin sizes: a slow path */
		sleep_ms(2);
		sink += bcct_ue_call_fp_q9(i);
		sink += bcct_ue_call_nofp_q9(i);
	}
	gofile_done(argv[1]);
	return 0;
}
