/* io_paths GOFILE N: waits until GOFILE exists (so the tracer can attach first), then makes N
 * write() calls to /dev/null from bcct_io_writer() and N/2 read() calls of /dev/zero from
 * bcct_io_reader(): two code paths ioprofile must tell apart, with known counts. The syscalls
 * are issued inline, so that each function is the innermost user frame (a libc wrapper runs
 * without a frame of its own and hides its caller from a frame-pointer walk; so would a leaf
 * function, which gcc builds without a frame even with -fno-omit-frame-pointer: each call is
 * counted by one that is not inlined, so these two are no leaves). Then it creates
 * GOFILE.done and waits (60 s at most) until GOFILE is gone, so that its stacks can still be
 * symbolized when the tracer prints them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static inline __attribute__((always_inline)) long syscall3(long nr, long a, long b, long c)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		      x2 __asm__("x2") = c;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#else
	return syscall(nr, a, b, c);
#endif
}

static long calls;

__attribute__((noinline)) void io_count(void)
{
	__asm__ volatile("" : : : "memory");
	calls++;
}

__attribute__((noinline)) void bcct_io_writer(int fd, long n)
{
	static const char byte = 'x';

	for (long i = 0; i < n; i++) {
		syscall3(SYS_write, fd, (long)&byte, 1);
		io_count();
	}
}

__attribute__((noinline)) void bcct_io_reader(int fd, long n)
{
	char buf[16];

	for (long i = 0; i < n; i++) {
		syscall3(SYS_read, fd, (long)buf, sizeof(buf));
		io_count();
	}
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct stat st;
	char done[4096];
	long n;
	int out, in;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: io_paths GOFILE N\n");
		return 2;
	}
	for (int waited = 0; stat(argv[1], &st) && waited < 6000; waited++)
		nanosleep(&tick, NULL);
	out = open("/dev/null", O_WRONLY);
	in = open("/dev/zero", O_RDONLY);
	if (out < 0 || in < 0)
		return 1;
	bcct_io_writer(out, n);
	bcct_io_reader(in, n / 2);
	snprintf(done, sizeof(done), "%s.done", argv[1]);
	close(open(done, O_WRONLY | O_CREAT, 0600));
	for (int waited = 0; !stat(argv[1], &st) && waited < 6000; waited++)
		nanosleep(&tick, NULL);
	return 0;
}
