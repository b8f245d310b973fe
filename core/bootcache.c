/* The per-boot cache (core/bootcache.h).
 *
 * Where: /run/bcct/k<identity>/<key>. /run is a tmpfs emptied at boot, and the identity is a
 * hash of everything a cached result depends on besides its own key: the boot id (the kernel,
 * its BTF and its BPF features cannot change without a reboot), the kernel release and build
 * string, the size of /sys/kernel/btf/vmlinux, and the caller's effective capabilities (a probe
 * run with fewer privileges can answer differently). A new boot or another kernel therefore
 * looks in another directory and never sees old results.
 *
 * Trust: both directories must be owned by the effective user, with no access for group or
 * others, and are opened without following symlinks; an entry must be a regular file of that
 * owner that nobody else can write. Each entry repeats the identity and its key and carries its
 * payload's length and hash, all checked before use. Entries are written to a temporary name
 * and renamed, so a reader sees a whole entry or none. Anything unexpected means no cache. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include "core/bootcache.h"
#include "core/sys/sys.h"
#include "core/log.h"

#define CACHE_ROOT "/run/bcct"
#define MAX_ENTRY (64u << 20)

static const char magic[8] = "BCCTC001";

struct entry_header {
	char magic[8];
	uint64_t identity;
	uint64_t payload_len;
	uint64_t payload_hash;
	uint32_t key_len;
	uint32_t pad;
	/* then the key (key_len bytes), then the payload */
};

static inline uint64_t rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

uint64_t bcct_hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ull), w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h ^= rotl(w * 0x87c37b91114253d5ull, 31) * 0x4cf5ad432745937full;
		h = rotl(h, 27) * 5 + 0x52dce729;
	}
	w = 0;
	memcpy(&w, p + i, len - i);
	h ^= rotl(w * 0x87c37b91114253d5ull, 31) * 0x4cf5ad432745937full;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ h >> 33;
}

static bool private_dir(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	       !(st.st_mode & 077);
}

static _Thread_local uint64_t identity;

static uint64_t kernel_identity(void)
{
	struct __user_cap_header_struct ch = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct caps[2] = {};
	size_t n = 0;
	char *id = sys_read_file("/proc/sys/kernel/random/boot_id", 64, &n);
	struct utsname u;
	struct stat st = { 0 };
	uint64_t h;

	if (!id || n < 32 || uname(&u)) {
		free(id);
		return 0;   /* no boot id: nothing tells this boot apart from the next */
	}
	stat("/sys/kernel/btf/vmlinux", &st);
	syscall(SYS_capget, &ch, caps);
	h = bcct_hash64(id, n, 1);
	free(id);
	h = bcct_hash64(u.release, strlen(u.release), h);
	h = bcct_hash64(u.version, strlen(u.version), h);
	h = bcct_hash64(&st.st_size, sizeof(st.st_size), h);
	return bcct_hash64(caps, sizeof(caps), h);
}

/* The cache directory of this boot and kernel, opened once; -1 when caching is off. */
static int cache_dir(void)
{
	static _Thread_local int dir = -2;
	const char *off = getenv("BCCT_NO_CACHE");
	char name[32];
	int top;

	if (dir != -2)
		return dir;
	dir = -1;
	if ((off && *off && strcmp(off, "0")) || !(identity = kernel_identity()))
		return -1;
	if (mkdir(CACHE_ROOT, 0700) && errno != EEXIST)
		return -1;
	top = open(CACHE_ROOT, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (!private_dir(top)) {
		if (top >= 0)
			bcct_info("not caching: " CACHE_ROOT " is not a directory only this user can access");
		goto out;
	}
	snprintf(name, sizeof(name), "k%016llx", (unsigned long long)identity);
	if (mkdirat(top, name, 0700) && errno != EEXIST)
		goto out;
	dir = openat(top, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (!private_dir(dir)) {
		if (dir >= 0)
			close(dir);
		dir = -1;
	}
out:
	if (top >= 0)
		close(top);
	return dir;
}

static bool valid_key(const char *key)
{
	size_t n = strlen(key);

	if (!n || n > 120 || key[0] == '.')
		return false;
	return strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

void *bcct_cache_get(const char *key, size_t *len)
{
	struct entry_header h;
	struct stat st;
	size_t klen = strlen(key), got = 0;
	unsigned char *buf = NULL;
	void *payload = NULL;
	int dir = valid_key(key) ? cache_dir() : -1, fd;

	if (dir < 0)
		return NULL;
	fd = openat(dir, key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) ||
	    (size_t)st.st_size < sizeof(h) + klen || (size_t)st.st_size > MAX_ENTRY ||
	    !(buf = malloc(st.st_size)))
		goto out;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			goto out;
		got += n;
	}
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, magic, sizeof(magic)) || h.identity != identity || h.key_len != klen ||
	    memcmp(buf + sizeof(h), key, klen) || h.payload_len != got - sizeof(h) - klen ||
	    h.payload_hash != bcct_hash64(buf + sizeof(h) + klen, h.payload_len, identity))
		goto out;
	payload = malloc(h.payload_len ? h.payload_len : 1);
	if (payload) {
		memcpy(payload, buf + sizeof(h) + klen, h.payload_len);
		*len = h.payload_len;
	}
out:
	free(buf);
	close(fd);
	return payload;
}

void bcct_cache_put(const char *key, const void *data, size_t len)
{
	struct entry_header h = { .identity = 0 };
	size_t klen = strlen(key);
	char tmp[160];
	bool ok;
	int dir = valid_key(key) ? cache_dir() : -1, fd;

	if (dir < 0 || len > MAX_ENTRY)
		return;
	memcpy(h.magic, magic, sizeof(magic));
	h.identity = identity;
	h.payload_len = len;
	h.payload_hash = bcct_hash64(data, len, identity);
	h.key_len = klen;
	snprintf(tmp, sizeof(tmp), ".%s.%d", key, (int)gettid());   /* bcct serve: threads */
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ok = write(fd, &h, sizeof(h)) == sizeof(h) && write(fd, key, klen) == (ssize_t)klen &&
	     write(fd, data, len) == (ssize_t)len;
	ok = !close(fd) && ok;
	if (!ok || renameat(dir, tmp, dir, key))
		unlinkat(dir, tmp, 0);
}
