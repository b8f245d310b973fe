/* File:line of user addresses; see srcline.h. Cache: path -> (PT_LOAD segments, line table). */
#include "symbolize/srcline.h"
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symbolize/dwarf_line.h"
#include "core/sys/sys.h"
#include "symbolize/internal.h"

struct lines_file {
	struct lines_file *next;
	struct sym_lines *lines;   /* NULL: no line information */
	struct sys_elf_segment *segs;
	size_t nsegs;
	char path[];
};

#define BUCKETS 1024
static struct lines_file *buckets[BUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h % BUCKETS;
}

static void load(struct lines_file *f, pid_t pid)
{
	char root[32];
	struct stat st;
	int fd;

	/* Inside the process's root; ours only when its root is gone with it (lines are printed
	 * after the run, when a short-lived process has exited), not when its root lacks the file. */
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	fd = sym_open_untrusted(root, f->path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0 && sym_root_unreachable(root)) {
		root[0] = '\0';
		fd = sym_open_untrusted("", f->path, SYS_UNTRUSTED_ELF_MAX, &st);
	}
	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF) {
		f->segs = sys_elf_load_segments(elf, &f->nsegs);
		f->lines = sym_lines_open_elf(elf);
		if (!f->lines) {
			struct sym_debug_file dbg;
			if (sym_debug_file_find(elf, fd, f->path, root, &dbg)) {
				f->lines = sym_lines_open_elf(dbg.elf);
				sym_debug_file_close(&dbg);
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
}

static struct lines_file *get(pid_t pid, const char *path)
{
	size_t b = hash(path);
	struct lines_file *f;

	pthread_mutex_lock(&lock);
	for (f = buckets[b]; f && strcmp(f->path, path); f = f->next)
		;
	if (!f && (f = calloc(1, sizeof(*f) + strlen(path) + 1))) {
		strcpy(f->path, path);
		load(f, pid);
		f->next = buckets[b];
		buckets[b] = f;
	}
	pthread_mutex_unlock(&lock);
	return f;
}

bool sym_srcline(pid_t pid, const char *module, uint64_t file_offset, const char **file,
		 unsigned *line)
{
	struct lines_file *f;
	uint64_t vaddr = file_offset;

	if (!module || module[0] != '/')
		return false;   /* [vdso], anonymous memory, perf maps */
	f = get(pid, module);
	if (!f || !f->lines)
		return false;
	sys_segments_offset_to_vaddr(f->segs, f->nsegs, file_offset, &vaddr);   /* else as is */
	return sym_lines_lookup(f->lines, vaddr, file, line) && *line;
}
