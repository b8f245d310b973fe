/* syscall_storm: N processes, each pinned to a CPU, make one syscall in a loop for S seconds;
 * prints the total number of calls made. The workload of bench/storm (open+close of one path:
 * produced = the opens made, to compare with what each tracer delivered) and
 * bench/syscall_overhead (calls per second alone and under a tracer).
 *
 * usage: syscall_storm open PATH|getppid NPROCS SECONDS
 * Output: "calls N", "seconds S.SSS" (wall time of the loop) and "cpu S.SSS" (user + system
 * CPU time of the processes: on a shared machine, CPU per call is steadier than calls per
 * second), one per line. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One child's loop until the deadline; checks the clock every 256 calls (vDSO, no syscall). */
static unsigned long long storm(const char *path, double deadline)
{
	unsigned long long n = 0;

	while (now() < deadline) {
		for (int i = 0; i < 256; i++) {
			if (path) {
				int fd = open(path, O_RDONLY);

				if (fd >= 0)
					close(fd);
			} else {
				syscall(SYS_getppid);
			}
		}
		n += 256;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int at = 2, nprocs;
	long ncpu;
	double seconds, start, deadline;
	unsigned long long *counts, total = 0;
	struct rusage ru;

	if (argc >= 2 && !strcmp(argv[1], "open") && argc == 5) {
		path = argv[2];
		at = 3;
	} else if (!(argc == 4 && !strcmp(argv[1], "getppid"))) {
		fprintf(stderr, "usage: syscall_storm open PATH|getppid NPROCS SECONDS\n");
		return 2;
	}
	nprocs = atoi(argv[at]);
	seconds = atof(argv[at + 1]);
	if (nprocs < 1 || nprocs > 256 || seconds <= 0) {
		fprintf(stderr, "syscall_storm: NPROCS 1..256 and SECONDS > 0\n");
		return 2;
	}
	counts = mmap(NULL, nprocs * sizeof(*counts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		return 1;
	/* Asked once, before the storm: sysconf opens /sys/devices/system/cpu/online, an open that a
	 * child would make while the others storm, and that a tracer could lose (an open more than
	 * the count, tests/live/opensnoop_storm.sh). */
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	start = now();
	deadline = start + seconds;
	for (int i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(i % ncpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			counts[i] = storm(path, deadline);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	for (int i = 0; i < nprocs; i++)
		total += counts[i];
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("calls %llu\nseconds %.3f\ncpu %.3f\n", total, now() - start,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return 0;
}
