/* tcp_pump [BYTES [WRITE_SIZE]]: a loopback TCP throughput test for bench/net_overhead. A child
 * accepts one connection on 127.0.0.1 and reads until EOF into a 64 KB buffer; the parent
 * connects and writes BYTES (default 256 MiB) in WRITE_SIZE-byte writes (default 1024: many
 * sends and receives, each one a call the tracer sees). Prints
 *   bytes B writes W wall_ms T cpu_ms C
 * with the wall time from connect to the reader's EOF and the CPU time (user + system) of both
 * processes. Exit status 1 when a step fails. */
#include <stdlib.h>
#include "pump.h"

static int reader(int lfd, void *arg)
{
	static char buf[65536];
	int fd = accept(lfd, NULL, NULL);
	ssize_t n;

	if (fd < 0)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	return n < 0;
}

int main(int argc, char **argv)
{
	unsigned long long bytes = argc > 1 ? strtoull(argv[1], NULL, 0) : 256ULL << 20;
	size_t size = argc > 2 ? strtoul(argv[2], NULL, 0) : 1024;
	unsigned long long sent = 0, writes = 0;
	struct sockaddr_in a;
	double t0;
	char *buf;
	pid_t pid;
	int fd;

	if (!size || size > (1 << 20) || !(buf = calloc(1, size)))
		return 1;
	if ((pid = pump_start_reader(&a, reader, NULL)) < 0)
		return 1;
	t0 = pump_now_ms();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	while (sent < bytes) {
		size_t chunk = bytes - sent < size ? bytes - sent : size;
		ssize_t n = write(fd, buf, chunk);

		if (n <= 0)
			return 1;
		sent += n;
		writes++;
	}
	close(fd);
	return pump_report(pid, sent, writes, t0);
}
