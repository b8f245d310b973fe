/* cpuhog SECONDS [CPU]: spin on the CPU (optionally pinned to CPU) for SECONDS. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void bcct_spin(void)
{
	for (int i = 0; i < 100000; i++)
		sink += i;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1;
	struct timespec start, now;

	if (argc > 2) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(atoi(argv[2]), &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		bcct_spin();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 < secs);
	return 0;
}
