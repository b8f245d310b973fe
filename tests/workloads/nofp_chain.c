// bcct-cflags: -O2 -fomit-frame-pointer -g
/* nofp_chain spin|block SECONDS: a known call chain built WITHOUT frame pointers, for
 * --unwind=dwarf (profile, offcputime):
 *   spin:  main -> level1 -> level2 -> spin, on CPU
 *   block: main -> level1 -> level2 -> block_here, sleeping 10 ms at a time
 * noipa keeps gcc from inlining, cloning (level2.constprop.0) or turning the calls into jumps
 * (each caller uses the result); rbp is an ordinary register here, so a frame-pointer walk
 * cannot find level1 and level2. block_here makes the syscall itself. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile unsigned long sink;
static int blocking;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noipa)) unsigned long spin(double secs)
{
	double end = now() + secs;
	unsigned long acc = 0;

	while (now() < end)
		for (unsigned long i = 0; i < 20000000; i++)
			acc += i ^ sink;
	return acc;
}

__attribute__((noipa)) unsigned long block_here(double secs)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	double end = now() + secs;
	long ret = 0;

	while (now() < end) {
#if defined(__x86_64__)
		asm volatile("syscall" : "=a"(ret) : "0"(SYS_nanosleep), "D"(&ts), "S"(0)
			     : "rcx", "r11", "memory");
#elif defined(__aarch64__)
		register long x0 __asm__("x0") = (long)&ts, x1 __asm__("x1") = 0;
		register long x8 __asm__("x8") = SYS_nanosleep;

		asm volatile("svc 0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
		ret = x0;
#else
		ret = syscall(SYS_nanosleep, &ts, NULL);
#endif
	}
	return ret;
}

__attribute__((noipa)) unsigned long level2(double secs)
{
	unsigned long r = blocking ? block_here(secs) : spin(secs);

	sink += r;
	return r + 2;
}

__attribute__((noipa)) unsigned long level1(double secs)
{
	unsigned long r = level2(secs);

	sink += r;
	return r + 1;
}

int main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 5;

	blocking = argc > 1 && !strcmp(argv[1], "block");
	sink = level1(secs);
	return 0;
}
