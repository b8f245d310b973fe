/* runqslower_hog [-c CPU] [-n PROCS] [-r RUN_US -s SLEEP_US] SECONDS: PROCS processes (default
 * 1, all with this program's name) burn CPU for SECONDS, optionally all pinned to one CPU so they
 * queue behind each other, optionally alternating RUN_US of spinning with SLEEP_US of sleep so
 * they leave the CPU often (on- and off-CPU slices of a known shape). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static void spin_until(unsigned long long t)
{
	while (now_us() < t)
		;
}

static void burn(unsigned long long end, long run_us, long sleep_us)
{
	while (now_us() < end) {
		if (!run_us) {
			spin_until(end);
			break;
		}
		spin_until(now_us() + run_us);
		if (sleep_us)
			usleep(sleep_us);
	}
}

int main(int argc, char **argv)
{
	long cpu = -1, procs = 1, run_us = 0, sleep_us = 0;
	unsigned long long end;
	int c;

	while ((c = getopt(argc, argv, "c:n:r:s:")) != -1) {
		switch (c) {
		case 'c': cpu = atol(optarg); break;
		case 'n': procs = atol(optarg); break;
		case 'r': run_us = atol(optarg); break;
		case 's': sleep_us = atol(optarg); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || procs < 1)
		goto usage;
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			perror("sched_setaffinity");
	}
	end = now_us() + atof(argv[optind]) * 1e6;
	for (long i = 1; i < procs; i++)
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);   /* killing the parent ends them all */
			burn(end, run_us, sleep_us);
			return 0;
		}
	burn(end, run_us, sleep_us);
	while (wait(NULL) > 0)
		;
	return 0;
usage:
	fprintf(stderr, "usage: runqslower_hog [-c CPU] [-n PROCS] [-r RUN_US -s SLEEP_US] "
		"SECONDS\n");
	return 2;
}
