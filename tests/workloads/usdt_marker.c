/* usdt_marker [SECONDS]: a binary with USDT probes for tplist (and later trace/argdist):
 * bcct_test:marker at two call sites with two arguments, and bcct_test:sema, fired only while a
 * tracer holds its semaphore. Fires them every 100 ms for SECONDS (default: once), then exits. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Semaphores the probe notes point at (sys/sdt.h wants one per probe once enabled); a tracer
 * increments them to enable the probe. */
#define _SDT_HAS_SEMAPHORES 1
unsigned short bcct_test_marker_semaphore __attribute__((section(".probes"), used));
unsigned short bcct_test_sema_semaphore __attribute__((section(".probes"), used));
#include <sys/sdt.h>

static long counter;

static void fire_first(long i)
{
	DTRACE_PROBE2(bcct_test, marker, i, &counter);
}

static void fire_second(long i)
{
	DTRACE_PROBE2(bcct_test, marker, i * 2, &counter);
	if (bcct_test_sema_semaphore)
		DTRACE_PROBE1(bcct_test, sema, i);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0;
	struct timespec start, now, tick = { 0, 100 * 1000 * 1000 };

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0;; i++) {
		counter++;
		fire_first(i);
		fire_second(i);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 >= secs)
			break;
		nanosleep(&tick, NULL);
	}
	return 0;
}
