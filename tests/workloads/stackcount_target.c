/* stackcount_target GOFILE N M: waits until GOFILE exists (so the tracer can attach first), then
 * makes known call chains:
 *   N times  main -> bcct_sc_outer -> bcct_sc_inner -> bcct_sc_target
 *   M times  main -> bcct_sc_other -> bcct_sc_target
 *   N times  main -> bcct_sc_open_outer -> bcct_sc_open_inner -> openat("/dev/null")
 * then creates GOFILE.done and waits until GOFILE is removed (at most 60 s), so that the process,
 * and with it its symbols, is still there when the tracer prints. For stackcount. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "gofile.h"

static volatile long counter;

__attribute__((noinline)) int bcct_sc_leaf(int x)
{
	asm volatile("" ::: "memory");
	counter += x;
	return (int)counter;
}

/* Not a leaf, so that it starts with "push %rbp": kernels that recognise a uprobe at a function's
 * entry (6.12+) then add the caller the frame-pointer walk would miss (bcct_sc_inner). */
__attribute__((noinline)) int bcct_sc_target(int x)
{
	return bcct_sc_leaf(x) + 1;
}

__attribute__((noinline)) int bcct_sc_inner(int x)
{
	return bcct_sc_target(x) + 1;
}

__attribute__((noinline)) int bcct_sc_outer(int x)
{
	return bcct_sc_inner(x) + 1;
}

__attribute__((noinline)) int bcct_sc_other(int x)
{
	return bcct_sc_target(x) + 2;
}

/* openat(2) made here rather than in libc, whose functions have no frame pointer: the user
 * stack taken at sys_enter_openat then starts in this function and walks up through main. */
static inline __attribute__((always_inline)) long raw_openat(const char *path)
{
#if defined(__x86_64__)
	long ret;

	asm volatile("syscall" : "=a"(ret) : "0"(257L), "D"(-100L), "S"(path), "d"(0L)
		     : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 asm("x8") = 56, x0 asm("x0") = -100, x1 asm("x1") = (long)path,
		      x2 asm("x2") = 0;

	asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#else
	return open(path, O_RDONLY);
#endif
}

__attribute__((noinline)) int bcct_sc_open_inner(void)
{
	int fd = (int)raw_openat("/dev/null");

	if (fd >= 0)
		close(fd);
	return fd;
}

__attribute__((noinline)) int bcct_sc_open_outer(void)
{
	return bcct_sc_open_inner() + 1;
}

int main(int argc, char **argv)
{
	long n, m;

	if (argc != 4 || (n = atol(argv[2])) < 0 || (m = atol(argv[3])) < 0) {
		fprintf(stderr, "usage: stackcount_target GOFILE N M\n");
		return 2;
	}
	gofile_wait(argv[1]);
	for (long i = 0; i < n; i++)
		bcct_sc_outer((int)i);
	for (long i = 0; i < m; i++)
		bcct_sc_other((int)i);
	for (long i = 0; i < n; i++)
		bcct_sc_open_outer();
	gofile_done(argv[1]);
	return 0;
}
