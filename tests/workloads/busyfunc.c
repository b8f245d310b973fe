/* busyfunc spin|block SECONDS: a known call chain for the stack tools.
 *   spin:  main -> bcct_busy_outer -> bcct_busy_inner, on CPU (profile)
 *   block: main -> bcct_block_here, sleeping 10 ms at a time (offcputime)
 * Built with frame pointers. bcct_block_here makes its syscall itself so that the user stack
 * taken in the kernel starts inside it (a libc wrapper without frame pointer would hide it). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Called so that bcct_busy_inner is not a leaf: gcc may drop the frame pointer of leaves. */
__attribute__((noinline)) static void lap_done(void)
{
	asm volatile("" ::: "memory");
}

__attribute__((noinline)) void bcct_busy_inner(void)
{
	for (int i = 0; i < 2000000; i++)
		sink += i;
	lap_done();
}

__attribute__((noinline)) void bcct_busy_outer(double secs)
{
	double end = now() + secs;

	while (now() < end)
		bcct_busy_inner();
}

__attribute__((noinline)) void bcct_block_here(double secs)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	double end = now() + secs;

	while (now() < end) {
#if defined(__x86_64__)
		long ret;

		asm volatile("syscall" : "=a"(ret) : "0"(SYS_nanosleep), "D"(&ts), "S"(0)
			     : "rcx", "r11", "memory");
#elif defined(__aarch64__)
		/* libc's syscall() has no frame record on arm64: the stack would skip this function */
		register long x0 __asm__("x0") = (long)&ts, x1 __asm__("x1") = 0;
		register long x8 __asm__("x8") = SYS_nanosleep;

		asm volatile("svc 0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
#else
		syscall(SYS_nanosleep, &ts, NULL);
#endif
	}
}

int main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 5;

	if (argc > 1 && !strcmp(argv[1], "block"))
		bcct_block_here(secs);
	else
		bcct_busy_outer(secs);
	return 0;
}
