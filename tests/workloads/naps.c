/* naps GOFILE: waits until GOFILE exists (so the tracer can attach first), then sleeps in each
 * way naptime tells apart: nanosleep() for 0.120 s, clock_nanosleep(CLOCK_REALTIME) relative for
 * 0.130 s, clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until 0.500 s from now (printed as
 * what remained at entry), and two it does not show: a zero-length nanosleep() and an absolute
 * CLOCK_REALTIME deadline. The raw syscalls, so that no libc maps one call onto another. */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 }, t;
	struct stat st;

	if (argc != 2) {
		fprintf(stderr, "usage: naps GOFILE\n");
		return 2;
	}
	for (int waited = 0; stat(argv[1], &st) && waited < 6000; waited++)
		nanosleep(&tick, NULL);
	t = (struct timespec){ 0, 120 * 1000 * 1000 };
	syscall(SYS_nanosleep, &t, NULL);
	t = (struct timespec){ 0, 130 * 1000 * 1000 };
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += 500 * 1000 * 1000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
	t = (struct timespec){ 0, 0 };
	syscall(SYS_nanosleep, &t, NULL);
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec = 0;
	t.tv_sec++;
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &t, NULL);
	return 0;
}
