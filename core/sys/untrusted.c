/* Opening files a traced process names, without trusting what they are. See sys.h. */
#include "core/sys/sys.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how {
	uint64_t flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef SYS_openat2
#define SYS_openat2 437   /* the same number on every architecture */
#endif

/* An O_PATH descriptor of path inside root: nothing of the file's own open runs. */
static int lookup_in_root(const char *root, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int dirfd, fd, err;

	dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		/* Before 5.6: below the root directory as a plain path. */
		while (*path == '/')
			path++;
		fd = openat(dirfd, *path ? path : ".", O_PATH | O_CLOEXEC);
	}
	err = errno;
	close(dirfd);
	errno = err;
	return fd;
}

int sys_open_untrusted(const char *root, const char *path, uint64_t max_size, struct stat *st)
{
	char self[64];
	struct stat opened;
	int fd, err;
	int pathfd = root && root[0] ? lookup_in_root(root, path) : open(path, O_PATH | O_CLOEXEC);

	if (pathfd < 0)
		return -1;
	if (fstat(pathfd, st) != 0) {
		err = errno;
		close(pathfd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(st->st_mode) || (uint64_t)st->st_size > max_size) {
		close(pathfd);
		errno = S_ISREG(st->st_mode) ? EFBIG : EINVAL;
		return -1;
	}
	/* Reopening the O_PATH descriptor reaches the inode just checked, not whatever the path
	 * names by now. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pathfd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	err = errno;
	close(pathfd);
	if (fd < 0) {
		errno = err;
		return -1;
	}
	if (fstat(fd, &opened) != 0 || opened.st_dev != st->st_dev || opened.st_ino != st->st_ino) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	*st = opened;
	if ((uint64_t)st->st_size > max_size) {   /* grown since it was looked at */
		close(fd);
		errno = EFBIG;
		return -1;
	}
	return fd;
}
