/* malloc_loop N GOFILE: the workload of bench/memleak_overhead. Waits until GOFILE exists (the
 * tracer has attached), then makes N malloc(64)/free pairs and prints the CPU time they took
 * per pair: "ns_per_pair 123.4". CPU time of this process, not wall time: a uprobe's trap and
 * BPF program run in the traced thread's context, so this is what tracing adds to it, whatever
 * else the machine is doing. Static like every bench program: its malloc and free are its own
 * (the tracers attach to this executable). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	void *volatile keep;
	struct stat st;
	long n;
	double t0;

	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: malloc_loop N GOFILE\n");
		return 2;
	}
	while (stat(argv[2], &st))
		nanosleep(&pause, NULL);
	t0 = cpu_ns();
	for (long i = 0; i < n; i++) {
		keep = malloc(64);
		free(keep);
	}
	printf("ns_per_pair %.1f\n", (cpu_ns() - t0) / n);
	return 0;
}
