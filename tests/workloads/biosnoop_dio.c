/* biosnoop_dio PATH COUNT [BYTES]: COUNT direct (O_DIRECT) writes of BYTES (default 4096) at
 * consecutive offsets of PATH (a file, created if needed, or a block device), then fdatasync.
 * Each write bypasses the page cache, so it becomes one block request issued by this process. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long count, bytes = 4096;
	void *buf;
	int fd;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: biosnoop_dio PATH COUNT [BYTES]\n");
		return 2;
	}
	count = atol(argv[2]);
	if (argc == 4)
		bytes = atol(argv[3]);
	if (bytes <= 0 || bytes % 512 || posix_memalign(&buf, 4096, bytes)) {
		fprintf(stderr, "biosnoop_dio: BYTES must be a positive multiple of 512\n");
		return 2;
	}
	memset(buf, 0x5a, bytes);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_DIRECT, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (long i = 0; i < count; i++)
		if (pwrite(fd, buf, bytes, i * bytes) != bytes) {
			perror("pwrite");
			return 1;
		}
	fdatasync(fd);
	close(fd);
	return 0;
}
