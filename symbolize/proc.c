/* User-space symbolization for one process: its executable mappings from /proc/PID/maps, each
 * backed by an ELF symbol table from a cache shared by all processes, so a library mapped by
 * hundreds of processes is parsed once per run; the [vdso] by its image; anonymous executable
 * memory (JIT code) by the process's perf map. */
#include "symbolize/symbolize.h"
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/sys/sys.h"
#include "symbolize/internal.h"

/* --- Shared cache of parsed files --------------------------------------------------------- */

/* Keyed by device, inode and path: device+inode tell apart different files behind one path
 * (containers, upgrades); the path is part of the key so an entry's path is the one the
 * process shows, and stays valid for bcct_sym.module for the whole run. */
struct elf_file {
	struct elf_file *next; /* hash chain */
	uint64_t dev, ino;
	bool deleted;          /* its path ends in " (deleted)" */
	bool opened;           /* open attempted; elf stays NULL if it failed */
	struct sym_elf *elf;
	char path[];
};

#define FILE_BUCKETS 4096
static struct elf_file *file_buckets[FILE_BUCKETS];
static pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t file_hash(uint64_t dev, uint64_t ino, const char *path)
{
	uint64_t h = 1469598103934665603ULL ^ dev ^ (ino * 0x9e3779b97f4a7c15ULL);
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	return (size_t)(h % FILE_BUCKETS);
}

static struct elf_file *file_intern(uint64_t dev, uint64_t ino, const char *path, bool deleted)
{
	size_t b = file_hash(dev, ino, path);
	pthread_mutex_lock(&file_lock);
	struct elf_file *f = file_buckets[b];
	while (f && (f->dev != dev || f->ino != ino || strcmp(f->path, path)))
		f = f->next;
	if (!f) {
		size_t len = strlen(path);
		f = calloc(1, sizeof(*f) + len + 1);
		if (f) {
			f->dev = dev;
			f->ino = ino;
			f->deleted = deleted;
			memcpy(f->path, path, len + 1);
			f->next = file_buckets[b];
			file_buckets[b] = f;
		}
	}
	pthread_mutex_unlock(&file_lock);
	return f;
}

/* --- One process -------------------------------------------------------------------------- */

struct mapping {
	uint64_t start, end, pgoff;  /* start and end first: a struct sys_range */
	struct elf_file *file; /* NULL for non-file mappings */
	const char *special;   /* module for non-file mappings: VDSO, ANON */
};

static const char VDSO[] = "[vdso]";
static const char ANON[] = "[unknown]"; /* anonymous (JIT), [vsyscall], [anon:name], [heap] */

struct sym_proc {
	pid_t pid;
	pid_t nspid;            /* pid inside its pid namespace: names its perf map */
	struct mapping *maps;
	size_t count;
	time_t loaded_at;       /* monotonic seconds, to rate-limit re-reading maps */
	bool vdso_tried;
	struct sym_elf *vdso;   /* shared, never freed here */
	struct sym_perf_map *perf_map;
};

/* Opens the file behind a mapping as the process sees it: through its root (another mount
 * namespace, e.g. a container), and for deleted or memfd files through map_files, which still
 * reaches the mapped inode. A file of ours by that name is taken only when it is the mapped
 * inode itself (a chrooted process, whose maps show paths from our root; a process gone since
 * that shared our root): anything else by that name need not be its file, and a hostile one may
 * have been put there. */
static struct sym_elf *open_mapped_file(pid_t pid, const struct mapping *m)
{
	const char *path = m->file->path;
	char buf[128];
	bool gone = m->file->deleted;
	char root[32];
	struct sym_elf *e;
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	if (gone || strncmp(path, "/memfd:", 7) == 0) {
		snprintf(buf, sizeof(buf), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)pid,
			 m->start, m->end);
		e = sym_elf_open_at("", buf, path, root, 0, 0);
		if (e || gone)
			return e;
	}
	e = sym_elf_open_at(root, path, path, root, 0, 0);
	if (e)
		return e;
	/* The path is then one of our root: so are the directories its debug files are in. */
	return sym_elf_open_at("", path, path, "", m->file->dev, m->file->ino);
}

static struct sym_elf *mapping_elf(const struct sym_proc *p, const struct mapping *m)
{
	struct elf_file *f = m->file;
	pthread_mutex_lock(&file_lock);
	if (!f->opened) {
		f->elf = open_mapped_file(p->pid, m);
		f->opened = true;
	}
	pthread_mutex_unlock(&file_lock);
	return f->elf;
}

static time_t monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

/* Only executable mappings matter for code addresses. */
static bool fill_mapping(void *ctx, const struct sys_mapping *line, void *elem)
{
	struct mapping *m = elem;

	if (!line->exec)
		return false;
	*m = (struct mapping){.start = line->start, .end = line->end, .pgoff = line->offset};
	if (line->path[0] == '/') {
		m->file = file_intern((uint64_t)line->major << 32 | line->minor, line->inode, line->path,
				      line->deleted);
		return m->file != NULL;
	}
	m->special = strcmp(line->path, VDSO) == 0 ? VDSO : ANON;
	return true;
}

static bool load_maps(struct sym_proc *p)
{
	p->loaded_at = monotonic_seconds(); /* also when reading fails: a gone process stays gone */
	return sys_maps_reload(p->pid, sizeof(*p->maps), fill_mapping, NULL, &p->maps, &p->count);
}

/* "NSpid:\t4242\t7": the last one is the pid in the process's own namespace. */
static pid_t read_nspid(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	char *text = sys_read_file(path, SYS_READ_SMALL, NULL);
	pid_t nspid = pid;
	char *line = text ? strstr(text, "\nNSpid:") : NULL;
	if (line) {
		char *end = strchr(line + 1, '\n');
		if (end)
			*end = '\0';
		char *last = strrchr(line, '\t');
		if (!last)
			last = strrchr(line, ' ');
		if (last && atoi(last + 1) > 0)
			nspid = atoi(last + 1);
	}
	free(text);
	return nspid;
}

struct sym_proc *sym_proc_open(pid_t pid)
{
	struct sym_proc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->nspid = read_nspid(pid);
	/* A process already gone gets an empty symbolizer: its frames print as [unknown] (or by a
	 * perf map it left in /tmp) instead of every caller handling NULL. */
	load_maps(p);
	return p;
}

void sym_proc_close(struct sym_proc *p)
{
	if (!p)
		return;
	free(p->maps); /* files and vDSO images stay cached: other processes map them too */
	sym_perf_map_free(p->perf_map);
	free(p);
}

static const struct mapping *find_mapping(const struct sym_proc *p, uint64_t addr)
{
	return sys_range_find(p->maps, p->count, sizeof(*p->maps), addr);  /* sorted by address */
}

/* JIT code named by the process's perf map; out is left alone on a miss. */
static bool perf_map_lookup(struct sym_proc *p, uint64_t addr, struct bcct_sym *out)
{
	if (!p->perf_map && !(p->perf_map = sym_perf_map_new(p->pid, p->nspid)))
		return false;
	struct bcct_sym found;
	if (!sym_perf_map_lookup(p->perf_map, addr, &found))
		return false;
	*out = found;
	return true;
}

static bool elf_lookup(struct sym_elf *elf, uint64_t file_offset, struct bcct_sym *out)
{
	uint64_t vaddr;
	struct bcct_sym found;
	if (!elf || !sym_elf_offset_to_vaddr(elf, file_offset, &vaddr) ||
	    !sym_elf_lookup(elf, vaddr, &found))
		return false;
	out->name = found.name;
	out->offset = found.offset;
	return true;
}

bool sym_user(struct sym_proc *p, uint64_t addr, struct bcct_sym *out)
{
	*out = (struct bcct_sym){0};
	if (!p) /* callers pass sym_cache_get() results straight in */
		return false;
	const struct mapping *m = find_mapping(p, addr);
	/* A miss may be a library dlopen'ed after we read maps: re-read, at most once a second so
	 * a stream of garbage addresses does not turn into a stream of procfs reads. */
	if (!m && monotonic_seconds() != p->loaded_at && load_maps(p))
		m = find_mapping(p, addr);
	if (!m) /* JIT code freed since, or a process gone before we saw its maps */
		return perf_map_lookup(p, addr, out);

	if (m->special == VDSO) {
		out->module = VDSO;
		out->module_offset = addr - m->start;
		if (!p->vdso_tried) {
			p->vdso = sym_vdso_elf(p->pid, m->start, m->end);
			p->vdso_tried = true;
		}
		return elf_lookup(p->vdso, out->module_offset, out);
	}
	if (!m->file) {
		out->module = m->special;
		out->module_offset = addr - m->start;
		return perf_map_lookup(p, addr, out);
	}

	uint64_t file_offset = addr - m->start + m->pgoff;
	out->module = m->file->path;
	out->module_offset = file_offset;
	struct sym_elf *elf = mapping_elf(p, m);
	if (elf) {
		out->build_id = sym_elf_build_id(elf);
		return elf_lookup(elf, file_offset, out);
	}
	/* Not an ELF file: JIT code double-mapped from a memfd or a file in /dev/shm. */
	return perf_map_lookup(p, addr, out);
}
