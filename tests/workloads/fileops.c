/* fileops: file I/O with known call counts, for the file tools' tests. Copied under a marker
 * name it gives them a known comm.
 *   fileops read FILE BS [N]        read FILE to its end (at most N reads), BS bytes per read()
 *   fileops write FILE BS N [dsync] write N blocks of BS bytes to FILE (created, truncated;
 *                                   opened O_DSYNC if asked)
 *   fileops copy SRC DST BS [fsync] read SRC and write DST (created), BS bytes per call, then
 *                                   fsync(DST) if asked
 *   fileops mmap FILE N             map FILE (shared, read-only) and unmap it, N times
 *   fileops fault FILE N            map N pages of FILE shared and writable, write a byte to
 *                                   each: N page faults through the file system's fault
 *                                   handler (a shared write fault never maps around)
 *   fileops lookup DIR N            stat() N names DIR/nx0 ... that do not exist
 *   fileops life GATE FILE MS       once GATE exists (a tracer attached to this pid), create
 *                                   FILE, wait MS ms, unlink it
 * Exits 1 when a file cannot be opened. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[1 << 20];

int main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "read")) {
		size_t bs = strtoul(argv[3], NULL, 10);
		long n = argc == 5 ? strtol(argv[4], NULL, 10) : -1;
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0 || bs == 0 || bs > sizeof(buf))
			return 1;
		while (n-- != 0 && read(fd, buf, bs) > 0)
			;
		return 0;
	}
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "write")) {
		size_t bs = strtoul(argv[3], NULL, 10);
		long n = strtol(argv[4], NULL, 10);
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | (argc == 6 ? O_DSYNC : 0), 0644);

		if (fd < 0 || bs == 0 || bs > sizeof(buf))
			return 1;
		while (n-- > 0)
			if (write(fd, buf, bs) != (ssize_t)bs)
				return 1;
		return 0;
	}
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "copy")) {
		size_t bs = strtoul(argv[4], NULL, 10);
		int in = open(argv[2], O_RDONLY), out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		ssize_t n;

		if (in < 0 || out < 0 || bs == 0 || bs > sizeof(buf))
			return 1;
		while ((n = read(in, buf, bs)) > 0)
			if (write(out, buf, n) != n)
				return 1;
		if (argc == 6 && fsync(out))
			return 1;
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "lookup")) {
		long n = strtol(argv[3], NULL, 10);
		struct stat st;
		char path[4096];

		for (long i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/nx%ld", argv[2], i);
			stat(path, &st);
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "mmap")) {
		long n = strtol(argv[3], NULL, 10);
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0)
			return 1;
		while (n-- > 0) {
			void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);

			if (p == MAP_FAILED)
				return 1;
			munmap(p, 4096);
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "fault")) {
		long n = strtol(argv[3], NULL, 10);
		long page = sysconf(_SC_PAGESIZE);
		int fd = open(argv[2], O_RDWR);
		char *p;

		if (fd < 0 || n <= 0)
			return 1;
		p = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		for (long i = 0; i < n; i++)
			p[i * page] = 1;
		return munmap(p, n * page) ? 1 : 0;
	}
	if (argc == 5 && !strcmp(argv[1], "life")) {
		int fd;

		for (int i = 0; i < 2000 && access(argv[2], F_OK); i++)
			usleep(10000);
		fd = open(argv[3], O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return 1;
		close(fd);
		usleep(strtoul(argv[4], NULL, 10) * 1000);
		return unlink(argv[3]) ? 1 : 0;
	}
	fprintf(stderr, "usage: fileops read FILE BS [N] | write FILE BS N [dsync] | "
		"copy SRC DST BS [fsync] | mmap FILE N | fault FILE N | lookup DIR N | life GATE FILE MS\n");
	return 2;
}
