/* tls_pump CERT KEY [BYTES [WRITE_SIZE]]: a TLS loop over loopback TCP for bench/net_overhead,
 * through the system's shared libssl (what sslsniff attaches to). A child accepts one
 * connection on 127.0.0.1 (a port the kernel picks), completes the handshake with CERT and KEY
 * and SSL_reads until the peer closes; the parent connects and SSL_writes BYTES (default
 * 64 MiB) in WRITE_SIZE-byte writes (default 1024: one record and one sslsniff event each).
 * Prints
 *   bytes B writes W wall_ms T cpu_ms C
 * with the wall time from connect to the reader's end and the CPU time (user + system) of both
 * processes. Exit status 1 when a step fails. */
// bcct-bench-dynamic: ssl crypto
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include "pump.h"

struct creds {
	const char *cert, *key;
};

static int reader(int lfd, void *arg)
{
	static char buf[16384];
	const struct creds *c = arg;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	int fd;
	SSL *ssl;

	if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1)
		return 1;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0 || !(ssl = SSL_new(ctx)) || SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1)
		return 1;
	while (SSL_read(ssl, buf, sizeof(buf)) > 0)
		;
	return SSL_get_error(ssl, 0) != SSL_ERROR_ZERO_RETURN &&
	       SSL_get_error(ssl, 0) != SSL_ERROR_SYSCALL;
}

int main(int argc, char **argv)
{
	unsigned long long bytes = argc > 3 ? strtoull(argv[3], NULL, 0) : 64ULL << 20;
	int size = argc > 4 ? atoi(argv[4]) : 1024, fd, one = 1;
	unsigned long long sent = 0, writes = 0;
	struct creds creds;
	struct sockaddr_in a;
	SSL_CTX *ctx;
	double t0;
	char *buf;
	SSL *ssl;
	pid_t pid;

	if (argc < 3 || size <= 0 || size > 16384 || !(buf = calloc(1, size))) {
		fprintf(stderr, "usage: tls_pump CERT KEY [BYTES [WRITE_SIZE <= 16384]]\n");
		return 1;
	}
	creds = (struct creds){ argv[1], argv[2] };
	if ((pid = pump_start_reader(&a, reader, &creds)) < 0)
		return 1;
	t0 = pump_now_ms();
	ctx = SSL_CTX_new(TLS_client_method());
	fd = socket(AF_INET, SOCK_STREAM, 0);
	/* Each small record goes at once: Nagle's wait for an ACK would time the network's
	 * timers, not the calls. */
	if (!ctx || fd < 0 || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    !(ssl = SSL_new(ctx)) || SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1) {
		ERR_print_errors_fp(stderr);
		return 1;
	}
	while (sent < bytes) {
		int chunk = bytes - sent < (unsigned long long)size ? (int)(bytes - sent) : size;
		int n = SSL_write(ssl, buf, chunk);

		if (n <= 0)
			return 1;
		sent += n;
		writes++;
	}
	SSL_shutdown(ssl);
	close(fd);
	return pump_report(pid, sent, writes, t0);
}
