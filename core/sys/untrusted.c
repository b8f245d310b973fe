/* Opening files a traced process names, without trusting what they are. See sys.h. */
#include "core/sys/sys.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Kernels before 5.6 have no RESOLVE_IN_ROOT: the same lookup by hand, one component at a time,
 * each opened O_PATH | O_NOFOLLOW below the directory before it. A symbolic link's target is read
 * and walked in its place (an absolute one from the root again), ".." pops a directory we hold
 * (never the kernel's "..": at the root it stays there, and a directory moved out of the root
 * since cannot lead up through it), and magic links (/proc/PID/fd/N) are not followed.
 * SYS_WALK_LINKS_MAX links as the kernel's 40; SYS_WALK_DEPTH_MAX directories deep. */
#define SYS_WALK_LINKS_MAX 40
#define SYS_WALK_DEPTH_MAX 256
int sys_walk_in_root(int root_fd, const char *path)
{
	int dirs[SYS_WALK_DEPTH_MAX], depth = 0, links = 0, fd = -1, err = 0;
	/* What is left to walk: the path, with each link's target spliced in front of its rest. */
	char *todo = malloc(2 * PATH_MAX), *target = malloc(PATH_MAX), *rest = todo;
	size_t todo_len = strlen(path);

	dirs[0] = fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
	if (!todo || !target || dirs[0] < 0 || todo_len >= 2 * PATH_MAX) {
		err = !todo || !target ? ENOMEM : dirs[0] < 0 ? errno : ENAMETOOLONG;
		goto out;
	}
	memcpy(todo, path, todo_len + 1);
	for (;;) {
		char name[NAME_MAX + 1];
		size_t n;
		struct stat st;
		ssize_t tlen;

		while (*rest == '/')
			rest++;
		n = strcspn(rest, "/");
		if (n == 0) {           /* the end: the directory reached is the file */
			fd = fcntl(dirs[depth], F_DUPFD_CLOEXEC, 0);
			err = fd < 0 ? errno : 0;
			break;
		}
		if (n > NAME_MAX) {
			err = ENAMETOOLONG;
			break;
		}
		memcpy(name, rest, n);
		name[n] = 0;
		rest += n;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (depth > 0)
				close(dirs[depth--]);
			continue;
		}
		fd = openat(dirs[depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st)) {
			err = errno;
			if (fd >= 0)
				close(fd);
			fd = -1;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			size_t rest_len = strlen(rest);

			tlen = readlinkat(fd, "", target, PATH_MAX);
			close(fd);
			fd = -1;
			if (++links > SYS_WALK_LINKS_MAX || tlen <= 0 || tlen >= PATH_MAX ||
			    (size_t)tlen + rest_len >= 2 * PATH_MAX) {
				err = tlen <= 0 ? ENOENT : links > SYS_WALK_LINKS_MAX ? ELOOP : ENAMETOOLONG;
				break;
			}
			memmove(todo + tlen, rest, rest_len + 1);
			memcpy(todo, target, (size_t)tlen);
			rest = todo;
			if (*rest == '/')
				while (depth > 0)
					close(dirs[depth--]);
			continue;
		}
		if (!*rest) {           /* the last component, not a link: the file */
			err = 0;
			break;
		}
		if (!S_ISDIR(st.st_mode) || depth + 1 >= SYS_WALK_DEPTH_MAX) {
			close(fd);
			fd = -1;
			err = S_ISDIR(st.st_mode) ? ENAMETOOLONG : ENOTDIR;
			break;
		}
		dirs[++depth] = fd;
		fd = -1;
	}
out:
	while (depth >= 0 && dirs[depth] >= 0)
		close(dirs[depth--]);
	free(todo);
	free(target);
	errno = err;
	return err ? -1 : fd;
}

/* BCCT_DISABLE=openat2 (one of a comma-separated list, as core/features reads it): the walk by
 * hand on kernels that have openat2, for tests. */
static bool openat2_disabled(void)
{
	const char *list = getenv("BCCT_DISABLE"), *p = list ? strstr(list, "openat2") : NULL;

	return p && (p == list || p[-1] == ',') && (p[7] == ',' || !p[7]);
}

/* An O_PATH descriptor of path inside root: nothing of the file's own open runs. */
int sys_lookup_in_root(const char *root, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int dirfd, fd, err;

	dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	if (openat2_disabled())
		fd = sys_walk_in_root(dirfd, path);
	else if ((fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how))) < 0 && errno == ENOSYS)
		fd = sys_walk_in_root(dirfd, path);   /* before 5.6 */
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
	int pathfd = root && root[0] ? sys_lookup_in_root(root, path) : open(path, O_PATH | O_CLOEXEC);

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
