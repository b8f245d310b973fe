/* Symbols of the vDSO, the small shared object the kernel maps into every process
 * (clock_gettime, gettimeofday, getcpu, time; __vdso_* and __kernel_* on other arches). It has
 * no file: its image is read from the process's memory (/proc/PID/mem), or, when that is not
 * possible (the process is gone, or ptrace access is denied), taken from our own process
 * (getauxval(AT_SYSINFO_EHDR)): one kernel maps the same vDSO into every process of one ABI,
 * and a vDSO of another ABI (32-bit, x32) has another size. Images are parsed once per distinct
 * content for the whole run. */
#include "core/sys/sys.h"
#include "symbolize/internal.h"
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#define MAX_VDSO (1u << 20) /* a vDSO is a few pages */

struct vdso_image {
	struct vdso_image *next;
	size_t len;
	struct sym_elf *elf;
	unsigned char bytes[];
};

static struct vdso_image *images;
static pthread_mutex_t vdso_lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
	const unsigned char *image;
	size_t len;
} own;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;

/* Our own vDSO: start from the auxiliary vector, extent from our maps. */
static void find_own_vdso(void)
{
	uint64_t base = getauxval(AT_SYSINFO_EHDR);
	if (!base)
		return;
	struct sys_maps it;
	struct sys_mapping m;
	if (!sys_maps_open(&it, 0))
		return;
	while (sys_maps_next(&it, &m))
		if (m.start == base && m.end > m.start && m.end - m.start <= MAX_VDSO) {
			own.image = (const unsigned char *)(uintptr_t)m.start;
			own.len = m.end - m.start;
			break;
		}
	sys_maps_close(&it);
}

static bool read_mem(pid_t pid, uint64_t start, size_t len, unsigned char *buf)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(start + got));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == len;
}

struct sym_elf *sym_vdso_elf(pid_t pid, uint64_t start, uint64_t end)
{
	if (end <= start || end - start > MAX_VDSO)
		return NULL;
	size_t len = end - start;
	pthread_once(&own_once, find_own_vdso);
	const unsigned char *image = NULL;
	unsigned char *copy = NULL;
	if (pid == getpid() && own.image && (uintptr_t)own.image == start && own.len == len) {
		image = own.image;
	} else {
		copy = malloc(len);
		if (copy && read_mem(pid, start, len, copy))
			image = copy;
		else if (own.image && own.len == len)
			image = own.image;
	}
	if (!image) {
		free(copy);
		return NULL;
	}

	pthread_mutex_lock(&vdso_lock);
	struct vdso_image *v = images;
	while (v && (v->len != len || memcmp(v->bytes, image, len) != 0))
		v = v->next;
	if (!v && (v = malloc(sizeof(*v) + len))) {
		v->len = len;
		memcpy(v->bytes, image, len);
		v->elf = sym_elf_open_memory(v->bytes, len, "[vdso]");
		v->next = images;
		images = v;
	}
	pthread_mutex_unlock(&vdso_lock);
	free(copy);
	return v ? v->elf : NULL;
}
