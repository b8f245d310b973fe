/* bind_target PORT: three binds bindsnoop reports: a TCP socket with SO_REUSEADDR on
 * 127.0.0.1:PORT, a UDP socket on [::1]:PORT+1 (skipped where there is no IPv6), and a second
 * TCP socket on 127.0.0.1:PORT while the first holds it (EADDRINUSE: bindsnoop -E). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 0, one = 1, a, b, c;
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6, .sin6_port = htons(port + 1) };

	if (port <= 0 || port > 65534)
		return 2;
	inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
	inet_pton(AF_INET6, "::1", &v6.sin6_addr);
	a = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(a, (struct sockaddr *)&v4, sizeof(v4)) || listen(a, 1))
		return 1;
	b = socket(AF_INET6, SOCK_DGRAM, 0);
	if (b >= 0)
		bind(b, (struct sockaddr *)&v6, sizeof(v6));
	c = socket(AF_INET, SOCK_STREAM, 0);
	bind(c, (struct sockaddr *)&v4, sizeof(v4));   /* fails: a listens there */
	return 0;
}
