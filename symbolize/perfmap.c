/* Names of JIT-compiled code from /tmp/perf-PID.map, the text format JITs write for perf:
 * one "START SIZE name" line per function, START and SIZE in hex (with or without 0x), the
 * name the rest of the line (it may hold spaces: "LazyCompile:~f /app/x.js:3"). Written by
 * Java's perf-map-agent, node --perf-basic-prof, python -X perf, LuaJIT, .NET, ...
 *
 * The file only grows while the process runs (and code may be freed and its addresses reused),
 * so a lookup that misses reads what was appended since (all of it when the file was replaced),
 * the later of two entries for one address wins, and text once read is kept so that names
 * already handed out stay valid. */
#include "symbolize/internal.h"
#include "core/sys/sys.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pm_entry {
	uint64_t start, end;
	const char *name; /* into a chunk */
	size_t seq;       /* line number: later lines win */
};

/* Text read from the file, one chunk per read; never freed before the map, as names point in. */
struct pm_chunk {
	struct pm_chunk *prev;
	char text[];
};

struct sym_perf_map {
	char name[64];           /* the path the process wrote: /tmp/perf-NSPID.map */
	char root[32];           /* /proc/PID/root: the map is read inside it */
	char host_path[64];      /* /tmp/perf-PID.map: ours, read only once that root is gone */
	struct pm_chunk *chunks;
	struct pm_entry *entries; /* sorted by start, one per start address */
	uint64_t *max_end;        /* max_end[i]: largest end among entries[0..i] */
	size_t count, cap;
	size_t lines;             /* lines read so far: the next line's seq */
	bool from_buffer;         /* text given in memory: no file to follow */
	bool have_file;           /* following the file identified by `loaded`... */
	struct stat loaded;
	off_t consumed;           /* ...of which this much (whole lines) is parsed */
	time_t missing_at;        /* monotonic second the file was last found absent, or -1 */
};

struct sym_perf_map *sym_perf_map_new(pid_t pid, pid_t nspid)
{
	struct sym_perf_map *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	if (nspid <= 0)
		nspid = pid;
	snprintf(m->name, sizeof(m->name), "/tmp/perf-%d.map", (int)nspid);
	snprintf(m->root, sizeof(m->root), "/proc/%d/root", (int)pid);
	snprintf(m->host_path, sizeof(m->host_path), "/tmp/perf-%d.map", (int)pid);
	m->missing_at = -1;
	return m;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct pm_entry *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->seq < b->seq) - (a->seq > b->seq); /* later first */
}

static bool parse_hex(char **p, uint64_t *v)
{
	char *s = *p, *end;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
		return false;
	*v = strtoull(s, &end, 16);
	if (*end != ' ' && *end != '\t')
		return false;
	*p = end;
	return true;
}

/* Adds the entries of whole lines in text (NUL-terminated, modified in place). */
static void parse_lines(struct sym_perf_map *m, char *text)
{
	for (char *line = text, *next; line && *line; line = next, m->lines++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		uint64_t start, size;
		char *p = line;
		if (!parse_hex(&p, &start) || !parse_hex(&p, &size) || size == 0 || start + size < start)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strlen(p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
			p[--len] = '\0';
		if (!len)
			continue;
		if (m->count == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 256;
			struct pm_entry *bigger = realloc(m->entries, cap * sizeof(*bigger));
			if (!bigger)
				return;
			m->entries = bigger;
			m->cap = cap;
		}
		m->entries[m->count++] = (struct pm_entry){start, start + size, p, m->lines};
	}
}

static void index_entries(struct sym_perf_map *m)
{
	if (!m->count)
		return;
	qsort(m->entries, m->count, sizeof(*m->entries), entry_cmp);
	size_t kept = 0; /* one entry per start address: the latest */
	for (size_t i = 0; i < m->count; i++)
		if (!kept || m->entries[kept - 1].start != m->entries[i].start)
			m->entries[kept++] = m->entries[i];
	m->count = kept;
	free(m->max_end);
	m->max_end = malloc(m->count * sizeof(*m->max_end));
	if (!m->max_end) {
		m->count = 0;
		return;
	}
	for (size_t i = 0; i < m->count; i++) {
		uint64_t e = m->entries[i].end;
		m->max_end[i] = i && m->max_end[i - 1] > e ? m->max_end[i - 1] : e;
	}
}

/* Reads path from offset `from` up to its last complete line into a new chunk. Returns the
 * chunk's text, NULL if nothing new; *used gets the bytes consumed. */
static char *read_tail(struct sym_perf_map *m, int fd, off_t from, off_t size, off_t *used)
{
	if (size <= from)
		return NULL;
	size_t want = (size_t)(size - from), got = 0;
	struct pm_chunk *c = malloc(sizeof(*c) + want + 1);
	while (c && got < want) {
		ssize_t n = pread(fd, c->text + got, want - got, from + (off_t)got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (!c)
		return NULL;
	while (got && c->text[got - 1] != '\n') /* a line still being written waits */
		got--;
	if (!got) {
		free(c);
		return NULL;
	}
	c->text[got] = '\0';
	c->prev = m->chunks;
	m->chunks = c;
	*used = (off_t)got;
	return c->text;
}

static time_t monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

/* Reads what is new in the file: the appended lines of the file already followed, or all of a
 * new or rewritten one. Returns true when entries were added. A missing file is looked for
 * again at most once a second. */
static bool refresh(struct sym_perf_map *m)
{
	if (m->from_buffer)
		return false;
	if (m->missing_at >= 0 && monotonic_seconds() == m->missing_at)
		return false;
	/* A process gone since leaves its map in our /tmp (its root went with it); a live one is
	 * read inside its root only. */
	struct stat st;
	int fd = sym_open_untrusted(m->root, m->name, SYS_UNTRUSTED_PERFMAP_MAX, &st);
	if (fd < 0 && sym_root_unreachable(m->root))
		fd = sym_open_untrusted("", m->host_path, SYS_UNTRUSTED_PERFMAP_MAX, &st);
	if (fd < 0) {
		m->missing_at = monotonic_seconds();
		return false;
	}
	m->missing_at = -1;
	bool same = m->have_file && st.st_dev == m->loaded.st_dev && st.st_ino == m->loaded.st_ino &&
		    st.st_size >= m->consumed;
	if (same && st.st_size == m->loaded.st_size && st.st_mtim.tv_sec == m->loaded.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == m->loaded.st_mtim.tv_nsec) {
		close(fd);
		return false;
	}
	if (!same) { /* another file, or rewritten: start over (old chunks stay for names) */
		m->count = 0;
		m->consumed = 0;
	}
	m->loaded = st;
	m->have_file = true;
	off_t used = 0;
	char *text = read_tail(m, fd, m->consumed, st.st_size, &used);
	close(fd);
	if (!text)
		return false;
	m->consumed += used;
	size_t before = m->count;
	parse_lines(m, text);
	index_entries(m);
	return m->count != before || !same;
}

bool sym_perf_map_add_buffer(struct sym_perf_map *m, const char *text, size_t len)
{
	struct pm_chunk *c = malloc(sizeof(*c) + len + 1);
	if (!c)
		return false;
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->prev = m->chunks;
	m->chunks = c;
	parse_lines(m, c->text);
	index_entries(m);
	return true;
}

struct sym_perf_map *sym_perf_map_from_buffer(const char *text, size_t len)
{
	struct sym_perf_map *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "perf-buffer.map");
	m->from_buffer = true;
	m->have_file = true;
	m->missing_at = -1;
	if (!sym_perf_map_add_buffer(m, text, len)) {
		sym_perf_map_free(m);
		return NULL;
	}
	return m;
}

static const struct pm_entry *find(const struct sym_perf_map *m, uint64_t addr)
{
	if (!m->count)
		return NULL;
	size_t lo = 0, hi = m->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->entries[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Entries may overlap (code freed and reused): of those covering addr, the latest. */
	const struct pm_entry *best = NULL;
	for (size_t j = lo; j > 0 && m->max_end[j - 1] > addr; j--) {
		const struct pm_entry *e = &m->entries[j - 1];
		if (addr < e->end && (!best || e->seq > best->seq))
			best = e;
	}
	return best;
}

bool sym_perf_map_lookup(struct sym_perf_map *m, uint64_t addr, struct bcct_sym *out)
{
	if (!m)
		return false;
	if (!m->have_file)
		refresh(m);
	const struct pm_entry *e = find(m, addr);
	if (!e && refresh(m))
		e = find(m, addr);
	if (!e)
		return false;
	out->name = e->name;
	out->offset = addr - e->start;
	out->module = m->name;
	out->module_offset = addr;
	return true;
}

void sym_perf_map_free(struct sym_perf_map *m)
{
	if (!m)
		return;
	for (struct pm_chunk *c = m->chunks, *prev; c; c = prev) {
		prev = c->prev;
		free(c);
	}
	free(m->entries);
	free(m->max_end);
	free(m);
}
