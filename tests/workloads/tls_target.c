/* tls_target LINE: stands in for an OpenSSL library where there is none (the VM guests) and to
 * drive both forms of its calls: its own SSL_write and SSL_read (the count is the result) and
 * SSL_write_ex and SSL_read_ex (the count goes where the last argument points, the result is
 * 1). main writes LINE through SSL_write, reads "read-LINE" through SSL_read, then writes
 * "ex-LINE" and reads "exread-LINE" through the _ex forms. sslsniff --extra-lib
 * openssl:PATH_OF_THIS_BINARY sees the four. (noipa: the calls stay, their results used or
 * not.) */
#include <stdio.h>
#include <string.h>

static const char *line;

__attribute__((noipa, used)) int SSL_write(void *ssl, const void *buf, int num)
{
	(void)ssl, (void)buf;
	return num;
}

__attribute__((noipa, used)) int SSL_read(void *ssl, void *buf, int num)
{
	(void)ssl;
	return snprintf(buf, num, "read-%s", line);
}

__attribute__((noipa, used)) int SSL_write_ex(void *ssl, const void *buf, size_t num, size_t *written)
{
	(void)ssl, (void)buf;
	*written = num;
	return 1;
}

__attribute__((noipa, used)) int SSL_read_ex(void *ssl, void *buf, size_t num, size_t *readbytes)
{
	(void)ssl;
	*readbytes = snprintf(buf, num, "exread-%s", line);
	return 1;
}

int main(int argc, char **argv)
{
	char out[256], in[256];
	size_t n;

	if (argc < 2)
		return 2;
	line = argv[1];
	SSL_write(NULL, line, strlen(line));
	SSL_read(NULL, in, sizeof(in));
	snprintf(out, sizeof(out), "ex-%s", line);
	SSL_write_ex(NULL, out, strlen(out), &n);
	SSL_read_ex(NULL, in, sizeof(in), &n);
	return 0;
}
