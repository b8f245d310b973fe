/* biosnoop_dio [-r] PATH COUNT [BYTES [FIRST]]: COUNT direct (O_DIRECT) writes, or with -r
 * reads, of BYTES (default 4096) at consecutive offsets of PATH (a file, created if needed for
 * writes, or a block device), from block FIRST (in units of BYTES, default 0). Each one bypasses
 * the page cache, so it becomes one block request submitted by this process. After writes a
 * file is fdatasync'ed (its allocation reaches the disk); a block device is not: that would only
 * add a flush request, without data or a sector, which tools counting requests by size or
 * position would see too.
 * Who issues the request to the driver differs: direct writes to a block device are plugged
 * (blkdev_write_iter), and on 5.10 and 6.1 the plug is flushed at io_schedule to kblockd's
 * worker, which issues them (6.12 and later issue them from this process); direct reads are
 * not plugged, so on a disk without an I/O scheduler this process issues them itself on every
 * kernel. -r is for the tools that name the task current at issue (bitesize, seeksize). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long count, bytes = 4096, first = 0;
	bool reads = argc > 1 && !strcmp(argv[1], "-r");
	struct stat st;
	void *buf;
	int fd;

	if (reads) {
		argc--;
		argv++;
	}
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: biosnoop_dio [-r] PATH COUNT [BYTES [FIRST]]\n");
		return 2;
	}
	count = atol(argv[2]);
	if (argc >= 4)
		bytes = atol(argv[3]);
	if (argc == 5)
		first = atol(argv[4]);
	if (bytes <= 0 || bytes % 512 || posix_memalign(&buf, 4096, bytes)) {
		fprintf(stderr, "biosnoop_dio: BYTES must be a positive multiple of 512\n");
		return 2;
	}
	memset(buf, 0x5a, bytes);
	fd = open(argv[1], (reads ? O_RDONLY : O_WRONLY | O_CREAT) | O_DIRECT, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (long i = 0; i < count; i++) {
		off_t off = (first + i) * bytes;

		ssize_t n = reads ? pread(fd, buf, bytes, off) : pwrite(fd, buf, bytes, off);

		if (n != bytes) {
			if (n < 0)
				perror(reads ? "pread" : "pwrite");
			else
				fprintf(stderr, "biosnoop_dio: %zd of %ld bytes at offset %lld\n", n, bytes,
					(long long)off);
			return 1;
		}
	}
	if (!reads && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		fdatasync(fd);
	close(fd);
	return 0;
}
