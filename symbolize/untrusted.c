/* Files a traced process names, opened through core/sys with a -v note on refusal. */
#include "symbolize/internal.h"
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/sys/sys.h"

/* core/log's, weak: the fuzz targets (tests/fuzz/run) link symbolize and core/sys without core,
 * whose log pulls in libbpf; there the notes are simply not printed. Only bcct_info's address
 * is tested: that of an absent weak thread-local is no null pointer, and core/log defines both. */
extern _Thread_local int bcct_verbose __attribute__((weak));
extern void bcct_info(const char *fmt, ...) __attribute__((weak, format(printf, 1, 2)));

static const char *file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFDIR: return "a directory";
	case S_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

int sym_open_untrusted(const char *root, const char *path, uint64_t max_size, struct stat *st)
{
	int fd = sys_open_untrusted(root, path, max_size, st);
	int err = errno;

	if (fd < 0 && &bcct_info && bcct_verbose) {
		const char *r = root ? root : "";

		if (err == EINVAL)
			bcct_info("skipping %s%s: %s", r, path, file_type(st->st_mode));
		else if (err == EFBIG)
			bcct_info("skipping %s%s: %lld bytes, more than %llu", r, path,
				  (long long)st->st_size, (unsigned long long)max_size);
		else if (err == ELOOP || err == EXDEV || err == ESTALE)
			bcct_info("skipping %s%s: %s", r, path, err == ESTALE ? "replaced while opened" :
				  "a symlink loop or a link out of its root");
	}
	errno = err;
	return fd;
}

bool sym_root_unreachable(const char *root)
{
	return !root || !root[0] || access(root, X_OK) != 0;
}
