/* tcpconn PORT [KBYTES [6]]: one TCP session on 127.0.0.1:PORT (or [::1]:PORT with "6") inside
 * this process: listen,
 * connect, send KBYTES KiB (default 200) from client to server, client closes first, server
 * reads to EOF and closes. Chunks are written and read in turn, so one thread suffices.
 * tcpconn backlog PORT N [6]: a listener with a backlog of BACKLOG_MAX and N (at most that)
 * connections it never accepts, so each handshake completes with one more waiting in the
 * backlog (0, 1, ..., N-1; tcpsynbl); 200 ms later it exits.
 * tcpconn synretrans PORT [6]: a listener with a backlog of 0 holding one connection it never
 * accepts, so its accept queue is full and the kernel drops the next SYN: a second connect
 * retransmits its SYN on the 1 s initial RTO (tcpretrans, with no packet filter needed); it
 * exits 1.5 s after that connect.
 * Exits 1 when the port cannot be bound. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 16384

static int read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/* The loopback address of the family, port in network order. */
static socklen_t loopback(struct sockaddr_storage *ss, int family, int port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		in6->sin6_addr = in6addr_loopback;
		return sizeof(*in6);
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*in);
}

#define BACKLOG_MAX 8

/* The listener of family on port, or -1 after a message. */
static int listener(int family, int port, int backlog, struct sockaddr_storage *addr,
		    socklen_t *len)
{
	int one = 1, lfd;

	*len = loopback(addr, family, port);
	lfd = socket(family, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)addr, *len) || listen(lfd, backlog)) {
		perror("tcpconn: bind");
		return -1;
	}
	return lfd;
}

static int fill_backlog(int argc, char **argv)
{
	int family = argc > 4 && !strcmp(argv[4], "6") ? AF_INET6 : AF_INET;
	int n = argc > 3 ? atoi(argv[3]) : 0;
	struct sockaddr_storage addr;
	socklen_t len;

	if (n < 1 || n > BACKLOG_MAX) {
		fprintf(stderr, "usage: tcpconn backlog PORT N [6] (N from 1 to %d)\n", BACKLOG_MAX);
		return 2;
	}
	if (listener(family, atoi(argv[2]), BACKLOG_MAX, &addr, &len) < 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (connect(socket(family, SOCK_STREAM, 0), (struct sockaddr *)&addr, len)) {
			perror("tcpconn: connect");
			return 1;
		}
	usleep(200000);
	return 0;
}

static int syn_retransmit(int argc, char **argv)
{
	int family = argc > 3 && !strcmp(argv[3], "6") ? AF_INET6 : AF_INET;
	struct sockaddr_storage addr;
	socklen_t len;
	int second;

	if (listener(family, atoi(argv[2]), 0, &addr, &len) < 0)
		return 1;
	if (connect(socket(family, SOCK_STREAM, 0), (struct sockaddr *)&addr, len)) {
		perror("tcpconn: connect");
		return 1;
	}
	usleep(50000);          /* the first handshake done: the queue is full */
	second = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(second, (struct sockaddr *)&addr, len);   /* EINPROGRESS: the SYN is dropped */
	usleep(1500000);
	return 0;
}

int main(int argc, char **argv)
{
	long kbytes = argc > 2 ? atol(argv[2]) : 200, left;
	int family = argc > 3 && !strcmp(argv[3], "6") ? AF_INET6 : AF_INET;
	struct sockaddr_storage addr;
	static char buf[CHUNK];
	int lfd, cfd, sfd;
	socklen_t len;

	if (argc > 2 && !strcmp(argv[1], "backlog"))
		return fill_backlog(argc, argv);
	if (argc > 2 && !strcmp(argv[1], "synretrans"))
		return syn_retransmit(argc, argv);
	if (argc < 2) {
		fprintf(stderr, "usage: tcpconn PORT [KBYTES [6]] | backlog PORT N [6] | synretrans PORT [6]\n");
		return 2;
	}
	lfd = listener(family, atoi(argv[1]), 1, &addr, &len);
	if (lfd < 0)
		return 1;
	cfd = socket(family, SOCK_STREAM, 0);
	if (connect(cfd, (struct sockaddr *)&addr, len)) {
		perror("tcpconn: connect");
		return 1;
	}
	sfd = accept(lfd, NULL, NULL);
	if (sfd < 0) {
		perror("tcpconn: accept");
		return 1;
	}
	memset(buf, 'x', sizeof(buf));
	for (left = kbytes * 1024; left > 0; left -= CHUNK) {
		size_t n = left < CHUNK ? left : CHUNK;

		if (write(cfd, buf, n) != (ssize_t)n || read_full(sfd, buf, n)) {
			perror("tcpconn: transfer");
			return 1;
		}
	}
	close(cfd);
	while (read(sfd, buf, sizeof(buf)) > 0)
		;
	close(sfd);
	close(lfd);
	/* Let the final ACK and TIME_WAIT transitions happen while we are still around. */
	usleep(100000);
	return 0;
}
