/* Where a program or library named without a path lives. See sys.h. */
#include "core/sys/sys.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A regular file of plausible size starting with the ELF magic (a FIFO in $PATH, a device named
 * by ld.so.cache, are never opened for reading). */
static bool is_elf(const char *path)
{
	unsigned char magic[SELFMAG];
	struct stat st;
	int fd = sys_open_untrusted(NULL, path, SYS_UNTRUSTED_ELF_MAX, &st);
	bool ok;

	if (fd < 0)
		return false;
	ok = read(fd, magic, SELFMAG) == SELFMAG && !memcmp(magic, ELFMAG, SELFMAG);
	close(fd);
	return ok;
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

/* The library as pid maps it (BCC's bcc_procutils_which_so_in_process): our path when our file
 * there is the same file, else the path through /proc/PID/root (a container's file). */
static bool lib_in_pid(const char *name, pid_t pid, char *buf, size_t len)
{
	struct sys_maps it;
	struct sys_mapping m;
	bool found = false;

	if (!sys_maps_open(&it, pid))
		return false;
	while (!found && sys_maps_next(&it, &m)) {
		char path[SYS_MAPS_LINE_MAX], root[SYS_MAPS_LINE_MAX + 64];
		struct stat here, there;

		if (m.path[0] != '/' || m.deleted)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)m.file_len, m.path);
		if (!lib_basename_matches(strrchr(path, '/') + 1, name))
			continue;
		snprintf(root, sizeof(root), "/proc/%d/root%s", (int)pid, path);
		if (stat(root, &there) || !S_ISREG(there.st_mode))
			continue;
		if (!stat(path, &here) && here.st_dev == there.st_dev && here.st_ino == there.st_ino)
			snprintf(buf, len, "%s", path);
		else
			snprintf(buf, len, "%s", root);
		found = true;
	}
	sys_maps_close(&it);
	return found;
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

static bool lib_in_ldcache(const char *name, char *buf, size_t len)
{
	struct ldcache_new_header h;
	char prefix[256], *data;
	size_t size = 0, at = 0, plen;
	bool found = false;

	data = sys_read_file("/etc/ld.so.cache", 64u << 20, &size);
	if (!data)
		return false;
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
	for (uint32_t i = 0; i < h.nlibs && !found; i++) {
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
		if (!strncmp(key, prefix, plen) && (key[plen] == 0 || key[plen] == '.') &&
		    is_elf(value)) {
			snprintf(buf, len, "%s", value);
			found = true;
		}
	}
out:
	free(data);
	return found;
}

/* The first ELF file in dir named prefix exactly or prefix.VERSION (libc.so.6 for "libc.so";
 * the bare libc.so is a linker script and is skipped by the ELF check). */
static bool in_dir(const char *dir, const char *prefix, char *buf, size_t len)
{
	size_t plen = strlen(prefix);
	struct dirent **names;
	bool found = false;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;

		if (!found && !strncmp(d, prefix, plen) && (d[plen] == 0 || d[plen] == '.')) {
			snprintf(buf, len, "%s/%s", dir, d);
			found = is_elf(buf);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return found;
}

static const char *const lib_dirs[] = {
#if defined(__x86_64__)
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
	"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
#endif
	"/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib",
};

static bool lib_in_dirs(const char *name, char *buf, size_t len)
{
	char prefix[256];

	/* "c" -> libc.so.6, "libc" -> libc.so.6, "libc.so.6" -> itself */
	for (int form = 0; form < 3; form++) {
		if (form == 0)
			snprintf(prefix, sizeof(prefix), "lib%s.so", name);
		else if (form == 1)
			snprintf(prefix, sizeof(prefix), "%s.so", name);
		else
			snprintf(prefix, sizeof(prefix), "%s", name);
		for (size_t d = 0; d < sizeof(lib_dirs) / sizeof(lib_dirs[0]); d++)
			if (in_dir(lib_dirs[d], prefix, buf, len))
				return true;
	}
	return false;
}

const char *sys_find_executable(const char *name, char *buf, size_t len)
{
	const char *env = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;

	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return as_given(name, buf, len);
	copy = strdup(env ? env : "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
	for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/%s", dir, name);
		found = access(buf, X_OK) == 0 && is_elf(buf);
	}
	free(copy);
	return found ? buf : NULL;
}

const char *sys_find_library(const char *name, pid_t pid, bool executables_too, char *buf,
			     size_t len)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return as_given(name, buf, len);
	if ((pid > 0 && lib_in_pid(name, pid, buf, len)) || lib_in_ldcache(name, buf, len) ||
	    (executables_too && sys_find_executable(name, buf, len)) || lib_in_dirs(name, buf, len))
		return buf;
	return NULL;
}
