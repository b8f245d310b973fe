/* sockcalls MODE PORT [6] [BYTES [DELAY_MS]]: socket calls on loopback (127.0.0.1, or ::1 with "6") for the
 * book's socket tool tests, each a marker through PORT:
 *   tcp      listen on PORT, connect to it, accept (with the peer's address), the client sends
 *            BYTES (default 1000) in one write, the server reads them all and answers one
 *            byte (after DELAY_MS, default 0), which the client reads; both close.
 *   udp      a UDP socket connected to PORT (nothing listens), one datagram sent.
 *   refused  a TCP connect to PORT where nothing listens: ECONNREFUSED, the kernel answers the
 *            SYN with a reset.
 *   ping     3 ICMP (ICMPv6) echo requests to loopback on a raw socket, identifier PORT,
 *            sequence 1..3, each answered by the kernel before the next (root).
 *   ecn      3 UDP datagrams to PORT marked ECN "congestion experienced" (TOS/traffic class 3).
 *   udpto    (sockcalls udpto PORT ADDR [COUNT]) COUNT (default 20) 1000-byte UDP datagrams to
 *            the IPv4 address ADDR, port PORT, sent at once (to fill a shaping qdisc).
 *   window   a TCP session whose server reads nothing until the client, writing without
 *            blocking, has filled the server's small receive window (4 KB) and its own larger
 *            send buffer (256 KB): the kernel holds the data queued beyond the window
 *            (tcp_write_xmit sends nothing: tcpnagle's blocked time); 20 ms later the server
 *            reads it all.
 * Exits 1 when a step fails unexpectedly. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static socklen_t loopback(int v6, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		s->sin6_addr = in6addr_loopback;
		return sizeof(*s);
	}
	struct sockaddr_in *s = (struct sockaddr_in *)ss;

	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*s);
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

static int tcp(int v6, int port, size_t bytes, int delay_ms)
{
	struct sockaddr_storage ss, peer;
	socklen_t len = loopback(v6, port, &ss), plen = sizeof(peer);
	int one = 1, l, c, a;
	char *buf = calloc(1, bytes + 1), reply;
	size_t got = 0;

	if (!buf)
		return die("calloc");
	l = socket(ss.ss_family, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&ss, len) || listen(l, 8))
		return die("listen");
	c = socket(ss.ss_family, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&ss, len))
		return die("connect");
	a = accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
	if (a < 0)
		return die("accept4");
	memset(buf, 'x', bytes);
	if (write(c, buf, bytes) != (ssize_t)bytes)
		return die("write");
	while (got < bytes) {
		ssize_t n = read(a, buf, bytes - got);

		if (n <= 0)
			return die("read");
		got += n;
	}
	if (delay_ms)
		usleep(delay_ms * 1000);
	if (write(a, "y", 1) != 1 || read(c, &reply, 1) != 1)
		return die("reply");
	close(c);
	close(a);
	close(l);
	free(buf);
	return 0;
}

static int udp(int v6, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(v6, port, &ss);
	int s = socket(ss.ss_family, SOCK_DGRAM, 0);

	if (connect(s, (struct sockaddr *)&ss, len))
		return die("connect");
	send(s, "z", 1, 0);
	close(s);
	return 0;
}

static int refused(int v6, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(v6, port, &ss);
	int s = socket(ss.ss_family, SOCK_STREAM, 0);

	if (!connect(s, (struct sockaddr *)&ss, len)) {
		fprintf(stderr, "something listens on port %d\n", port);
		return 1;
	}
	close(s);
	return 0;
}

/* The Internet checksum (RFC 1071) of an ICMPv4 message; ICMPv6's is the kernel's. */
static unsigned short inet_csum(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static int ping(int v6, int id)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(v6, 0, &ss);
	int s = socket(ss.ss_family, SOCK_RAW, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	struct timeval tv = { .tv_sec = 2 };

	if (s < 0)
		return die("raw socket");
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int seq = 1; seq <= 3; seq++) {
		unsigned char req[16] = { v6 ? 128 : 8, 0 }, buf[256];  /* echo request */

		req[4] = id >> 8; req[5] = id;
		req[6] = seq >> 8; req[7] = seq;
		if (!v6) {
			unsigned short c = inet_csum(req, sizeof(req));

			memcpy(req + 2, &c, 2);
		}
		if (sendto(s, req, sizeof(req), 0, (struct sockaddr *)&ss, len) != sizeof(req))
			return die("sendto");
		/* our own request comes back too on a raw socket: read until the reply */
		for (;;) {
			ssize_t n = recv(s, buf, sizeof(buf), 0);
			size_t off = v6 ? 0 : (size_t)(buf[0] & 0xf) * 4;   /* IPv4: the IP header first */

			if (n < 0)
				return die("recv");
			if ((size_t)n >= off + 8 && buf[off] == (v6 ? 129 : 0) &&
			    buf[off + 6] == (seq >> 8) && buf[off + 7] == (seq & 0xff))
				break;
		}
	}
	close(s);
	return 0;
}

static int ecn(int v6, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(v6, port, &ss);
	int s = socket(ss.ss_family, SOCK_DGRAM, 0), ce = 3;

	if (v6 ? setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &ce, sizeof(ce))
	       : setsockopt(s, IPPROTO_IP, IP_TOS, &ce, sizeof(ce)))
		return die("setsockopt");
	for (int i = 0; i < 3; i++)
		if (sendto(s, "e", 1, 0, (struct sockaddr *)&ss, len) != 1)
			return die("sendto");
	close(s);
	return 0;
}

static int udpto(int port, const char *addr, int count)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[1000] = { 0 };

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "not an IPv4 address: %s\n", addr);
		return 2;
	}
	for (int i = 0; i < count; i++)
		if (sendto(s, buf, sizeof(buf), 0, (struct sockaddr *)&sin, sizeof(sin)) != sizeof(buf))
			return die("sendto");
	close(s);
	return 0;
}

static int window(int v6, int port)
{
	struct sockaddr_storage ss, peer;
	socklen_t len = loopback(v6, port, &ss), plen = sizeof(peer);
	int one = 1, small = 4096, big = 262144, l, c, a;
	static char buf[65536];
	size_t sent = 0, got = 0;
	ssize_t n;

	l = socket(ss.ss_family, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* before listen: the accepted socket's window is sized from it */
	setsockopt(l, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (bind(l, (struct sockaddr *)&ss, len) || listen(l, 8))
		return die("listen");
	c = socket(ss.ss_family, SOCK_STREAM, 0);
	/* a send buffer larger than the window, so that data waits in it */
	setsockopt(c, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (connect(c, (struct sockaddr *)&ss, len))
		return die("connect");
	a = accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
	if (a < 0 || fcntl(c, F_SETFL, O_NONBLOCK))
		return die("accept4");
	memset(buf, 'w', sizeof(buf));
	/* bounded: both buffers are small, and 16 MB is far beyond them */
	while (sent < (16u << 20) && (n = write(c, buf, sizeof(buf))) > 0)
		sent += n;
	if (sent >= (16u << 20) || errno != EAGAIN)
		return die("filling the window");
	usleep(20000);
	while (got < sent) {
		n = read(a, buf, sizeof(buf));
		if (n <= 0)
			return die("read");
		got += n;
	}
	close(c);
	close(a);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	int port, v6;

	if (argc < 3) {
		fprintf(stderr, "usage: sockcalls tcp|udp|refused|ping|ecn|window PORT [6] [BYTES [DELAY_MS]]\n");
		return 2;
	}
	port = atoi(argv[2]);
	v6 = argc > 3 && !strcmp(argv[3], "6");
	if (!strcmp(argv[1], "tcp"))
		return tcp(v6, port, argc > 4 ? strtoul(argv[4], NULL, 10) : 1000,
			   argc > 5 ? atoi(argv[5]) : 0);
	if (!strcmp(argv[1], "udp"))
		return udp(v6, port);
	if (!strcmp(argv[1], "refused"))
		return refused(v6, port);
	if (!strcmp(argv[1], "ping"))
		return ping(v6, port);
	if (!strcmp(argv[1], "udpto") && argc > 3)
		return udpto(port, argv[3], argc > 4 ? atoi(argv[4]) : 20);
	if (!strcmp(argv[1], "ecn"))
		return ecn(v6, port);
	if (!strcmp(argv[1], "window"))
		return window(v6, port);
	fprintf(stderr, "unknown mode %s\n", argv[1]);
	return 2;
}
