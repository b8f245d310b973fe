/* funclat_target GOFILE SLEEP_MS N_SLEEP N_FAST: waits until GOFILE exists (so the tracer can
 * attach first), then calls bcct_fl_sleep_ms(SLEEP_MS) N_SLEEP times and bcct_fl_fast() N_FAST
 * times, and exits. Two functions with known call counts and known latencies for funccount and
 * funclatency (and later stackcount, trace, argdist). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static volatile long counter;

__attribute__((noinline)) void bcct_fl_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	/* Restarted on EINTR so the latency is at least ms. */
	while (nanosleep(&ts, &ts))
		;
}

__attribute__((noinline)) int bcct_fl_fast(void)
{
	asm volatile("" ::: "memory");
	return (int)++counter;
}

static void wait_for(const char *path)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat st;

	while (stat(path, &st))
		nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	long ms, nsleep, nfast;

	if (argc != 5 || (ms = atol(argv[2])) < 0 || (nsleep = atol(argv[3])) < 0 ||
	    (nfast = atol(argv[4])) < 0) {
		fprintf(stderr, "usage: funclat_target GOFILE SLEEP_MS N_SLEEP N_FAST\n");
		return 2;
	}
	wait_for(argv[1]);
	for (long i = 0; i < nsleep; i++)
		bcct_fl_sleep_ms((int)ms);
	for (long i = 0; i < nfast; i++)
		bcct_fl_fast();
	return 0;
}
