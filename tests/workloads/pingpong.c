/* pingpong SECONDS [PING_NAME PONG_NAME]: two threads waking each other through two pipes, for
 * offwaketime and wakeuptime. bcct_ping writes a byte to the first pipe and blocks reading the
 * second; bcct_pong blocks reading the first, sleeps 2 ms, and writes the byte back. Each thread
 * sets its name (prctl) when given one. Built with frame pointers; the marker functions make
 * their syscalls themselves so that user stacks taken in the kernel start inside them (a libc
 * wrapper without frame pointer would hide them). */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static int ab[2], ba[2];
static double end;
static const char *names[2];

static inline __attribute__((always_inline)) long sys3(long nr, long a, long b, long c)
{
#ifdef __x86_64__
	long ret;

	asm volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	/* libc's syscall() is a leaf without a frame record on arm64: a stack taken in the kernel
	 * would go from it straight to the marker function's caller, skipping the marker */
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		      x2 __asm__("x2") = c;

	asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#else
	return syscall(nr, a, b, c);
#endif
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void *bcct_pong(void *arg)
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	char c;

	(void)arg;
	if (names[1])
		prctl(PR_SET_NAME, names[1]);
	while (sys3(SYS_read, ab[0], (long)&c, 1) == 1) {
		nanosleep(&pause, NULL);
		if (sys3(SYS_write, ba[1], (long)&c, 1) != 1)
			break;
	}
	return NULL;
}

__attribute__((noinline)) void bcct_ping(void)
{
	char c = 'x';

	while (now() < end) {
		if (sys3(SYS_write, ab[1], (long)&c, 1) != 1 || sys3(SYS_read, ba[0], (long)&c, 1) != 1)
			break;
	}
}

int main(int argc, char **argv)
{
	pthread_t t;

	end = now() + (argc > 1 ? atof(argv[1]) : 5);
	if (argc > 3) {
		names[0] = argv[2];
		names[1] = argv[3];
	}
	if (pipe(ab) || pipe(ba) || pthread_create(&t, NULL, bcct_pong, NULL))
		return 1;
	if (names[0])
		prctl(PR_SET_NAME, names[0]);
	bcct_ping();
	close(ab[1]);   /* pong's read returns 0 */
	pthread_join(t, NULL);
	return 0;
}
