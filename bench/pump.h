/* What bench/tcp_pump.c and bench/tls_pump.c share: a loopback listener whose reader is a
 * child, and the line both print when the writer is done. Static inline: tls_pump is linked
 * without core (bcct-bench-dynamic). */
#ifndef BCCT_BENCH_PUMP_H
#define BCCT_BENCH_PUMP_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double pump_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static inline double pump_cpu_ms(const struct rusage *r)
{
	return (r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1e3 +
	       (r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1e3;
}

/* Listens on 127.0.0.1 (a port the kernel picks, into *a) and forks a child that runs
 * reader(listening fd, arg) and exits with its result. The child's pid, or -1. */
static inline pid_t pump_start_reader(struct sockaddr_in *a, int (*reader)(int lfd, void *arg),
				      void *arg)
{
	socklen_t alen = sizeof(*a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	*a = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (lfd < 0 || bind(lfd, (struct sockaddr *)a, sizeof(*a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)a, &alen))
		return -1;
	pid = fork();
	if (!pid)
		_exit(reader(lfd, arg));
	close(lfd);
	return pid;
}

/* Waits for the reader, then prints "bytes B writes W wall_ms T cpu_ms C" (wall time since t0,
 * CPU of both processes). 0, or 1 when the reader failed. */
static inline int pump_report(pid_t reader, unsigned long long bytes, unsigned long long writes,
			      double t0)
{
	struct rusage self, kids;
	int status;

	if (waitpid(reader, &status, 0) != reader || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("bytes %llu writes %llu wall_ms %.1f cpu_ms %.1f\n", bytes, writes,
	       pump_now_ms() - t0, pump_cpu_ms(&self) + pump_cpu_ms(&kids));
	return 0;
}
#endif
