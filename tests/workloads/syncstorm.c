/* syncstorm GATE N: once the file GATE exists (so a tracer can attach to this pid first), makes
 * N calls of each of sync, syncfs, fsync, fdatasync, msync and sync_file_range on a file beside
 * GATE; for syncsnoop's test. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096];
	char *map;
	int fd, n;

	if (argc != 3)
		return 2;
	n = atoi(argv[2]);
	for (int i = 0; i < 2000 && access(argv[1], F_OK); i++)
		usleep(10000);
	snprintf(path, sizeof(path), "%s.data", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		return 1;
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	for (int i = 0; i < n; i++) {
		map[0] = i;
		sync();
		syncfs(fd);
		fsync(fd);
		fdatasync(fd);
		msync(map, 4096, MS_SYNC);
		sync_file_range(fd, 0, 4096, SYNC_FILE_RANGE_WRITE);
	}
	return 0;
}
