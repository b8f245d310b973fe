/* Where a program or library named without a path lives. See sys.h. */
#include "core/sys/sys.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file at path (inside root when root is given) when it is a regular file of plausible size
 * starting with the ELF magic: its descriptor, else -1. A FIFO in $PATH, a device named by
 * ld.so.cache, are never opened for reading. */
static int open_elf(const char *root, const char *path)
{
	unsigned char magic[SELFMAG];
	struct stat st;
	int fd = sys_open_untrusted(root, path, SYS_UNTRUSTED_ELF_MAX, &st);

	if (fd >= 0 && (pread(fd, magic, SELFMAG, 0) != SELFMAG || memcmp(magic, ELFMAG, SELFMAG))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The file found (fd >= 0) with its name in buf. */
static int found(int fd, const char *name, char *buf, size_t len)
{
	if (fd >= 0)
		snprintf(buf, len, "%s", name);
	return fd;
}

static const char *as_given(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

/* Does basename b name library `name` ("c": "libc.so.6", "libc-2.31.so")? */
static bool lib_basename_matches(const char *b, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(b, "lib", 3) || strncmp(b + 3, name, n))
		return false;
	return (b[3 + n] == '.' || b[3 + n] == '-') && strstr(b + 3 + n, ".so");
}

const char *sys_pid_view(pid_t pid, const char *path, char *buf, size_t len)
{
	char link[32], root[PATH_MAX];
	ssize_t n;
	size_t rlen;

	snprintf(link, sizeof(link), "/proc/%d/root", (int)pid);
	n = readlink(link, root, sizeof(root) - 1);
	rlen = n > 0 ? (size_t)n : 0;
	root[rlen] = 0;
	/* A root directory we can reach ("/srv/ctr"): the kernel names its files from our root. */
	if (rlen > 1 && !strncmp(path, root, rlen) && path[rlen] == '/')
		path += rlen;
	if (len) {   /* buf may be path itself */
		size_t n = strnlen(path, len - 1);

		memmove(buf, path, n);
		buf[n] = 0;
	}
	return buf;
}

int sys_open_mapped(pid_t pid, const struct sys_mapping *m, uint64_t max_size, struct stat *st)
{
	char path[SYS_MAPS_LINE_MAX], root[32];
	int fd;

	/* map_files/START-END is the mapped inode itself, whatever its name is or names now. */
	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", (int)pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	fd = sys_open_untrusted(NULL, path, max_size, st);
	if (fd >= 0 || errno == EINVAL || errno == EFBIG || m->path[0] != '/')
		return fd;
	/* Without CAP_SYS_ADMIN: the name, looked up inside pid's root. */
	snprintf(path, sizeof(path), "%.*s", (int)m->file_len, m->path);
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	sys_pid_view(pid, path, path, sizeof(path));
	return sys_open_untrusted(root, path, max_size, st);
}

/* The library (or with executables_too, the program) NAME as pid maps it (BCC's
 * bcc_procutils_which_so_in_process): the mapped inode, named as pid sees it. */
static int lib_in_pid(const char *name, pid_t pid, bool executables_too, char *buf, size_t len)
{
	struct sys_maps it;
	struct sys_mapping m;
	int fd = -1;

	if (!sys_maps_open(&it, pid))
		return -1;
	while (fd < 0 && sys_maps_next(&it, &m)) {
		char path[SYS_MAPS_LINE_MAX];
		const char *base;
		struct stat st;

		if (m.path[0] != '/' || !m.exec)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)m.file_len, m.path);
		base = strrchr(path, '/') + 1;
		if (!lib_basename_matches(base, name) && !(executables_too && !strcmp(base, name)))
			continue;
		fd = sys_open_mapped(pid, &m, SYS_UNTRUSTED_ELF_MAX, &st);
		if (fd >= 0)
			sys_pid_view(pid, path, buf, len);
	}
	sys_maps_close(&it);
	return fd;
}

/* /etc/ld.so.cache, glibc's "glibc-ld.so.cache1.1" format (alone, or after the old
 * "ld.so-1.7.0" table): entries in the order the dynamic linker prefers them. */
#define LDCACHE_NEW_MAGIC "glibc-ld.so.cache1.1"
#define LDCACHE_OLD_MAGIC "ld.so-1.7.0"
struct ldcache_new_header {
	char magic[20];
	uint32_t nlibs, len_strings;
	uint8_t flags, pad[3];
	uint32_t extension_offset, unused[3];
};
struct ldcache_new_entry {
	int32_t flags;
	uint32_t key, value, osversion;
	uint64_t hwcap;
};
#if defined(__x86_64__)
#define LDCACHE_ARCH 0x0300   /* FLAG_X8664_LIB64 */
#elif defined(__aarch64__)
#define LDCACHE_ARCH 0x0a00   /* FLAG_AARCH64_LIB64 */
#else
#define LDCACHE_ARCH (-1)
#endif

/* In root's own /etc/ld.so.cache when root is given (a container's libraries are its own). */
static int lib_in_ldcache(const char *root, const char *name, char *buf, size_t len)
{
	struct ldcache_new_header h;
	char prefix[256], self[32], *data;
	size_t size = 0, at = 0, plen;
	struct stat st;
	int fd = -1, cache = sys_open_untrusted(root, "/etc/ld.so.cache", 64u << 20, &st);

	if (cache < 0)
		return -1;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", cache);
	data = sys_read_file(self, 64u << 20, &size);
	close(cache);
	if (!data)
		return -1;
	if (size >= 16 && !memcmp(data, LDCACHE_OLD_MAGIC, strlen(LDCACHE_OLD_MAGIC))) {
		uint32_t nold;

		memcpy(&nold, data + 12, 4);
		at = (16 + (size_t)nold * 12 + 7) & ~(size_t)7;
	}
	snprintf(prefix, sizeof(prefix), "lib%s.so", name);
	plen = strlen(prefix);
	if (at > size || size - at < sizeof(h) || memcmp(data + at, LDCACHE_NEW_MAGIC, strlen(LDCACHE_NEW_MAGIC)))
		goto out;
	memcpy(&h, data + at, sizeof(h));
	for (uint32_t i = 0; i < h.nlibs && fd < 0; i++) {
		size_t eoff = at + sizeof(h) + (size_t)i * sizeof(struct ldcache_new_entry);
		struct ldcache_new_entry e;
		const char *key, *value;

		if (eoff + sizeof(e) > size)
			break;
		memcpy(&e, data + eoff, sizeof(e));
		if (at + e.key >= size || at + e.value >= size)
			continue;
		if ((e.flags & 0xff) != 3 || (LDCACHE_ARCH != -1 && (e.flags & 0xff00) != LDCACHE_ARCH))
			continue;   /* FLAG_ELF_LIBC6 of this architecture only */
		key = data + at + e.key;
		value = data + at + e.value;
		if (!memchr(key, 0, size - at - e.key) || !memchr(value, 0, size - at - e.value))
			continue;
		if (!strncmp(key, prefix, plen) && (key[plen] == 0 || key[plen] == '.'))
			fd = found(open_elf(root, value), value, buf, len);
	}
out:
	free(data);
	return fd;
}

/* The first ELF file, in name order, in dir named prefix exactly or prefix.VERSION (libc.so.6
 * for "libc.so"; the bare libc.so is a linker script and is skipped by the ELF check). A
 * container's directory is the container's to fill: at most IN_DIR_MAX_ENTRIES entries are read,
 * and only the names that match are kept (the best so far), so a directory of millions of names
 * costs neither the memory nor the time of reading and sorting them all. */
#define IN_DIR_MAX_ENTRIES 100000
static int in_dir(const char *root, const char *dir, const char *prefix, char *buf, size_t len)
{
	size_t plen = strlen(prefix);
	char self[32], path[PATH_MAX], best[NAME_MAX + 1] = "";
	int fd = -1, dirfd, pathfd;
	struct dirent *e;
	DIR *d;

	if (root) {   /* the directory inside root, reopened for reading through its O_PATH descriptor */
		if ((pathfd = sys_lookup_in_root(root, dir)) < 0)
			return -1;
		snprintf(self, sizeof(self), "/proc/self/fd/%d", pathfd);
		dirfd = open(self, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(pathfd);
	} else {
		dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (dirfd < 0 || !(d = fdopendir(dirfd))) {
		if (dirfd >= 0)
			close(dirfd);
		return -1;
	}
	for (long n = 0; n < IN_DIR_MAX_ENTRIES && (e = readdir(d)); n++) {
		const char *name = e->d_name;
		int candidate;

		if (strncmp(name, prefix, plen) || (name[plen] != 0 && name[plen] != '.') ||
		    (best[0] && strcmp(name, best) >= 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if ((candidate = open_elf(root, path)) < 0)
			continue;
		if (fd >= 0)
			close(fd);
		fd = found(candidate, path, buf, len);
		snprintf(best, sizeof(best), "%s", name);
	}
	closedir(d);
	return fd;
}

static const char *const lib_dirs[] = {
#if defined(__x86_64__)
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
	"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
#endif
	"/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib",
};

static int lib_in_dirs(const char *root, const char *name, char *buf, size_t len)
{
	char prefix[256];
	int fd;

	/* "c" -> libc.so.6, "libc" -> libc.so.6, "libc.so.6" -> itself */
	for (int form = 0; form < 3; form++) {
		if (form == 0)
			snprintf(prefix, sizeof(prefix), "lib%s.so", name);
		else if (form == 1)
			snprintf(prefix, sizeof(prefix), "%s.so", name);
		else
			snprintf(prefix, sizeof(prefix), "%s", name);
		for (size_t d = 0; d < sizeof(lib_dirs) / sizeof(lib_dirs[0]); d++)
			if ((fd = in_dir(root, lib_dirs[d], prefix, buf, len)) >= 0)
				return fd;
	}
	return -1;
}

/* An executable ELF file NAME in a directory of $PATH (inside root when given). */
static int exe_in_path(const char *root, const char *name, char *buf, size_t len)
{
	const char *env = getenv("PATH");
	char *copy, *dir, *save = NULL, path[PATH_MAX];
	int fd = -1;

	copy = strdup(env ? env : "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
	for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && fd < 0; dir = strtok_r(NULL, ":", &save)) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if ((fd = open_elf(root, path)) >= 0 && (fstat(fd, &st) || !(st.st_mode & 0111))) {
			close(fd);
			fd = -1;
		}
	}
	free(copy);
	return found(fd, path, buf, len);
}

/* BCC's BPF.find_library, then find_exe, then the usual directories: inside root when given,
 * after the files pid maps when pid > 0. */
static int find_library(const char *root, pid_t pid, const char *name, bool executables_too,
			char *buf, size_t len)
{
	int fd = -1;

	if (pid > 0)
		fd = lib_in_pid(name, pid, executables_too, buf, len);
	if (fd < 0)
		fd = lib_in_ldcache(root, name, buf, len);
	if (fd < 0 && executables_too)
		fd = exe_in_path(root, name, buf, len);
	if (fd < 0)
		fd = lib_in_dirs(root, name, buf, len);
	return fd;
}

/* What a host lookup found is only named: the descriptor goes. */
static const char *named(int fd, char *buf)
{
	if (fd < 0)
		return NULL;
	close(fd);
	return buf;
}

const char *sys_find_executable(const char *name, char *buf, size_t len)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return as_given(name, buf, len);
	return named(exe_in_path(NULL, name, buf, len), buf);
}

const char *sys_find_library(const char *name, bool executables_too, char *buf, size_t len)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return as_given(name, buf, len);
	return named(find_library(NULL, 0, name, executables_too, buf, len), buf);
}

int sys_pid_find_library(pid_t pid, const char *name, bool executables_too, char *buf, size_t len)
{
	char root[32];
	struct stat st;

	if (!name || !*name) {
		errno = ENOENT;
		return -1;
	}
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	/* A path the user typed relative to where they are is ours; an absolute one is the
	 * process's, looked up inside its root. */
	if (strchr(name, '/'))
		return found(sys_open_untrusted(name[0] == '/' ? root : NULL, name,
						SYS_UNTRUSTED_ELF_MAX, &st), name, buf, len);
	return find_library(root, pid, name, executables_too, buf, len);
}

int sys_library_open(struct sys_library *lib, pid_t pid, const char *name, bool executables_too)
{
	char proc[32];

	lib->fd = -1;
	snprintf(proc, sizeof(proc), "/proc/%d", (int)pid);
	if (pid > 0 && access(proc, F_OK) == 0) {
		lib->fd = sys_pid_find_library(pid, name, executables_too, lib->shown, sizeof(lib->shown));
		if (lib->fd < 0)
			return -ENOENT;
		snprintf(lib->attach, sizeof(lib->attach), "/proc/self/fd/%d", lib->fd);
		return 0;
	}
	if (!sys_find_library(name, executables_too, lib->shown, sizeof(lib->shown)))
		return -ENOENT;
	snprintf(lib->attach, sizeof(lib->attach), "%s", lib->shown);
	return 0;
}

void sys_library_close(struct sys_library *lib)
{
	if (lib->fd >= 0)
		close(lib->fd);
	lib->fd = -1;
}
