/* softirqs_net SECONDS: sends UDP datagrams to itself over loopback for SECONDS. Loopback
 * delivery goes through the receive backlog, so every burst raises the NET_RX softirq. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	double secs = argc > 1 ? atof(argv[1]) : 0, end;
	char buf[64] = "softirqs_net";
	int fd;

	if (secs <= 0) {
		fprintf(stderr, "usage: softirqs_net SECONDS\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len)) {
		perror("softirqs_net: socket");
		return 1;
	}
	for (end = now() + secs; now() < end;) {
		if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
		    recv(fd, buf, sizeof(buf), 0) < 0) {
			perror("softirqs_net: send/recv");
			return 1;
		}
		usleep(1000);   /* one softirq per datagram rather than batches */
	}
	return 0;
}
