/* /proc/PID/maps, one line at a time through a fixed buffer. See sys.h. */
#include "core/sys/sys.h"
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char DELETED[] = " (deleted)";

bool sys_maps_open_path(struct sys_maps *it, const char *path)
{
	it->len = it->at = 0;
	it->eof = it->skipping = false;
	it->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	return it->fd >= 0;
}

bool sys_maps_open(struct sys_maps *it, pid_t pid)
{
	char path[64];

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/maps");
	return sys_maps_open_path(it, path);
}

void sys_maps_close(struct sys_maps *it)
{
	if (it->fd >= 0)
		close(it->fd);
	it->fd = -1;
}

void *sys_maps_collect(pid_t pid, size_t elem, sys_maps_fill_fn fill, void *ctx, size_t *n)
{
	struct sys_maps it;
	struct sys_mapping m;
	size_t cap = 32;
	char *v;

	*n = 0;
	if (!sys_maps_open(&it, pid))
		return NULL;
	v = malloc(cap * elem);
	while (v && sys_maps_next(&it, &m)) {
		if (*n == cap) {
			char *bigger = realloc(v, (cap *= 2) * elem);

			if (!bigger) {
				free(v);
				v = NULL;
				break;
			}
			v = bigger;
		}
		if (fill(ctx, &m, v + *n * elem))
			(*n)++;
	}
	sys_maps_close(&it);
	return v;
}

bool sys_maps_reload(pid_t pid, size_t elem, sys_maps_fill_fn fill, void *ctx, void *array, size_t *n)
{
	size_t count;
	void *v = sys_maps_collect(pid, elem, fill, ctx, &count);

	/* An exited process not yet reaped (memleak -c prints after its command exits) reads as
	 * no mappings at all: keep what was read while it lived, as for one that is gone. */
	if (!v || (!count && *n)) {
		free(v);
		return false;
	}
	free(*(void **)array);
	*(void **)array = v;
	*n = count;
	return true;
}

const void *sys_range_find(const void *array, size_t n, size_t elem, uint64_t addr)
{
	const char *v = array;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (((const struct sys_range *)(v + mid * elem))->start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr >= ((const struct sys_range *)(v + (lo - 1) * elem))->end)
		return NULL;
	return v + (lo - 1) * elem;
}

/* The next line, NUL-terminated in the buffer; NULL at the end. A line that does not fit the
 * buffer is dropped whole: a traced program controls its paths, not our memory. */
static char *next_line(struct sys_maps *it)
{
	for (;;) {
		char *start = it->buf + it->at;
		char *nl = memchr(start, '\n', it->len - it->at);

		if (nl) {
			*nl = '\0';
			it->at = (size_t)(nl + 1 - it->buf);
			if (!it->skipping)
				return start;
			it->skipping = false;
			continue;
		}
		if (it->eof) {
			if (it->at == it->len || it->skipping)
				return NULL;
			it->buf[it->len] = '\0';   /* a last line without its newline */
			it->at = it->len;
			return start;
		}
		memmove(it->buf, start, it->len - it->at);
		it->len -= it->at;
		it->at = 0;
		if (it->len == SYS_MAPS_LINE_MAX) {
			it->skipping = true;
			it->len = 0;
		}
		ssize_t n = it->fd >= 0 ? read(it->fd, it->buf + it->len, SYS_MAPS_LINE_MAX - it->len) : 0;
		if (n <= 0)
			it->eof = true;
		else
			it->len += (size_t)n;
	}
}

bool sys_maps_parse_line(const char *line, struct sys_mapping *m)
{
	char perms[8];
	int at = 0;
	size_t len, dlen = sizeof(DELETED) - 1;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 "%n", &m->start,
		   &m->end, perms, &m->offset, &m->major, &m->minor, &m->inode, &at) < 7 || !at ||
	    strlen(perms) != 4 || m->end < m->start)
		return false;
	memcpy(m->perms, perms, 5);
	m->exec = perms[2] == 'x';
	m->path = line + at;
	m->path += strspn(m->path, " \t");
	len = strlen(m->path);
	m->deleted = len > dlen && !strcmp(m->path + len - dlen, DELETED);
	m->file_len = m->deleted ? len - dlen : len;
	return true;
}

bool sys_maps_next(struct sys_maps *it, struct sys_mapping *m)
{
	char *line;

	while ((line = next_line(it)))
		if (sys_maps_parse_line(line, m))
			return true;
	return false;
}
