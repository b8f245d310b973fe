/* Function symbols of one ELF file, looked up by virtual address in the file's own address
 * space. Names come from several sources, merged into one sorted table (best first):
 *   1. the file's own .symtab;
 *   2. when it has none, a separate debug file: by .gnu_debuglink (CRC-checked), else by build-id
 *      under the debug root (see debuginfo.c);
 *   3. when neither gave a .symtab, MiniDebugInfo: the xz-compressed ELF in .gnu_debugdata whose
 *      .symtab holds the local functions .dynsym lacks (Fedora, CentOS, RHEL);
 *   4. .dynsym, always (cheap, and it fills whatever the others lack).
 * String tables are copied into one arena once, so no file stays open; the PT_LOAD headers of
 * the file itself turn file offsets into addresses. */
#include "symbolize/symbolize.h"
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "core/sys/sys.h"
#include "symbolize/internal.h"

struct elf_sym {
	uint64_t start;
	uint64_t end;  /* exclusive; 0 while unknown (st_size 0) during loading */
	uint32_t name; /* offset into names */
	bool local;    /* STB_LOCAL: static functions, and internal aliases such as glibc's __GI_* */
};

struct sym_elf {
	char *path;
	char *debug_file;  /* separate debug file whose .symtab was used, or NULL */
	unsigned sources;  /* SYM_SRC_* that contributed symbols */
	char build_id[2 * SYM_BUILD_ID_MAX + 1];   /* hex, "" when the file has none */
	struct elf_sym *syms;
	size_t count, cap;
	char *names;       /* arena: the string tables of every source, back to back */
	size_t names_len;
	struct sys_elf_segment *segs;
	size_t nsegs;
};

static int elf_sym_cmp(const void *pa, const void *pb, void *names)
{
	const struct elf_sym *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	/* An exported name over a local alias at the same address, as perf chooses: a full debug
	 * .symtab of libc has __GI___assert_fail beside __assert_fail. */
	if (a->local != b->local)
		return a->local ? 1 : -1;
	int pref = sym_name_preference((char *)names + a->name, (char *)names + b->name);
	if (pref)
		return pref;
	return strcmp((char *)names + a->name, (char *)names + b->name);
}

static bool read_segments(Elf *elf, struct sym_elf *e)
{
	e->segs = sys_elf_load_segments(elf, &e->nsegs);
	return e->segs != NULL;
}

/* Appends the function symbols of elf's table of `type` (SHT_SYMTAB or SHT_DYNSYM). Returns the
 * number added (0 when there is no such table), or -1 when memory ran out. */
static long add_table(struct sym_elf *e, Elf *elf, Elf64_Word type)
{
	GElf_Shdr sh;
	struct sys_elf_symbols it;
	struct sys_elf_function f;
	Elf_Scn *scn = sys_elf_next_symtab(elf, NULL, type, &sh);
	if (!scn || !sys_elf_symbols_open(&it, elf, scn))
		return 0;
	size_t strsize = it.strtab_len;
	if (e->names_len + strsize + 1 >= UINT32_MAX)
		return 0; /* names are 32-bit offsets: a 4 GiB string table is not a real one */

	size_t total = it.count;
	if (e->count + total > e->cap) {
		size_t cap = e->count + total;
		struct elf_sym *bigger = realloc(e->syms, (cap ? cap : 1) * sizeof(*bigger));
		if (!bigger)
			return -1;
		e->syms = bigger;
		e->cap = cap;
	}
	/* One copy of the whole string table: one allocation, names never copied one by one. */
	char *names = realloc(e->names, e->names_len + strsize + 1);
	if (!names)
		return -1;
	e->names = names;
	size_t base = e->names_len;
	memcpy(names + base, it.strtab, strsize);
	names[base + strsize] = '\0';
	e->names_len += strsize + 1;

	size_t before = e->count;
	while (sys_elf_next_function(&it, &f))
		e->syms[e->count++] = (struct elf_sym){
			.start = f.value,
			.end = f.size ? f.value + f.size : 0,
			.name = (uint32_t)(base + f.name_offset),
			.local = f.local,
		};
	if (e->count == before) { /* nothing useful: give the arena space back */
		e->names_len = base;
		return 0;
	}
	return (long)(e->count - before);
}

/* The .symtab of the file's debug information: a separate debug file, else MiniDebugInfo. */
static bool add_debug_symbols(struct sym_elf *e, Elf *elf, int fd, const char *logical_path,
			      const char *root)
{
	struct sym_debug_file dbg;
	if (sym_debug_file_find(elf, fd, logical_path, root, &dbg)) {
		long n = add_table(e, dbg.elf, SHT_SYMTAB);
		if (n > 0) {
			e->sources |= dbg.source;
			e->debug_file = dbg.path;
			dbg.path = NULL;
		}
		sym_debug_file_close(&dbg);
		if (n < 0)
			return false;
		if (n > 0)
			return true;
	}
	size_t len;
	char *image = sym_minidebuginfo(elf, &len);
	if (!image)
		return true;
	long n = 0;
	Elf *mini = elf_memory(image, len);
	if (mini && elf_kind(mini) == ELF_K_ELF)
		n = add_table(e, mini, SHT_SYMTAB);
	if (mini)
		elf_end(mini);
	free(image);
	if (n > 0)
		e->sources |= SYM_SRC_MINIDEBUGINFO;
	return n >= 0;
}

static bool read_symbols(struct sym_elf *e, Elf *elf, int fd, const char *logical_path,
			 const char *root)
{
	long n = add_table(e, elf, SHT_SYMTAB);
	if (n < 0)
		return false;
	if (n > 0)
		e->sources |= SYM_SRC_SYMTAB;
	else if (fd >= 0 && !add_debug_symbols(e, elf, fd, logical_path, root))
		return false;
	n = add_table(e, elf, SHT_DYNSYM);
	if (n > 0)
		e->sources |= SYM_SRC_DYNSYM;
	return n >= 0;
}

/* End of the loaded segment holding vaddr: bounds a size-0 symbol that has no successor. */
static uint64_t segment_end(const struct sym_elf *e, uint64_t vaddr)
{
	for (size_t i = 0; i < e->nsegs; i++)
		if (vaddr >= e->segs[i].vaddr && vaddr < e->segs[i].vaddr + e->segs[i].memsz)
			return e->segs[i].vaddr + e->segs[i].memsz;
	return vaddr + 1;
}

/* Sorts syms by start address: a stable LSD radix sort, a byte a pass, skipping the bytes every
 * start shares (the high ones). Large binaries have 20,000-45,000 functions, which qsort_r with
 * elf_sym_cmp took 5-7 ms of CPU to sort (libLLVM, cc1): half of their parse, and most of a
 * stack tool's time after Ctrl-C. False when memory ran out (syms then unsorted). */
static bool sort_by_start(struct elf_sym *syms, size_t n)
{
	struct elf_sym *tmp = malloc(n * sizeof(*tmp)), *from = syms, *to = tmp;
	uint64_t all_or = 0, all_and = ~(uint64_t)0;

	if (!tmp)
		return false;
	for (size_t i = 0; i < n; i++) {
		all_or |= syms[i].start;
		all_and &= syms[i].start;
	}
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };

		if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
			continue;   /* every start has the same byte here */
		for (size_t i = 0; i < n; i++)
			count[((from[i].start >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].start >> shift) & 0xff]++] = from[i];
		struct elf_sym *swap = from;
		from = to;
		to = swap;
	}
	if (from != syms)
		memcpy(syms, from, n * sizeof(*syms));
	free(tmp);
	return true;
}

/* Sort, collapse aliases (and the same symbol seen in several sources) into the preferred
 * name (the least by elf_sym_cmp among those at one address), and give size-0 symbols an end:
 * the next symbol's start, so hand-written assembly without .size still resolves. */
static void index_symbols(struct sym_elf *e)
{
	if (e->count == 0)
		return;
	if (!sort_by_start(e->syms, e->count))
		qsort_r(e->syms, e->count, sizeof(*e->syms), elf_sym_cmp, e->names);
	size_t kept = 0;
	for (size_t i = 0; i < e->count; i++) {
		struct elf_sym *prev = kept ? &e->syms[kept - 1] : NULL;
		if (prev && prev->start == e->syms[i].start) {
			uint64_t end = e->syms[i].end > prev->end ? e->syms[i].end : prev->end;

			if (elf_sym_cmp(&e->syms[i], prev, e->names) < 0)
				*prev = e->syms[i];
			prev->end = end;
			continue;
		}
		e->syms[kept++] = e->syms[i];
	}
	e->count = kept;
	for (size_t i = 0; i < e->count; i++) {
		if (e->syms[i].end)
			continue;
		e->syms[i].end = i + 1 < e->count ? e->syms[i + 1].start : segment_end(e, e->syms[i].start);
	}
	struct elf_sym *fitted = realloc(e->syms, e->count * sizeof(*e->syms));
	if (fitted) {
		e->syms = fitted;
		e->cap = e->count;
	}
}

/* Parses an open ELF: fd >= 0 for a file (debug files are then searched), -1 for memory. */
static struct sym_elf *parse(Elf *elf, int fd, const char *name, const char *logical_path,
			     const char *root)
{
	struct sym_elf *e = calloc(1, sizeof(*e));
	bool ok = elf && e && elf_kind(elf) == ELF_K_ELF && (e->path = strdup(name)) &&
		  read_segments(elf, e) && read_symbols(e, elf, fd, logical_path, root);
	if (!ok) {
		sym_elf_close(e);
		return NULL;
	}
	index_symbols(e);
	sym_build_id_hex(elf, e->build_id);
	return e;
}

struct sym_elf *sym_elf_open_at(const char *open_root, const char *path, const char *logical_path,
				const char *root, uint64_t want_dev, uint64_t want_ino)
{
	struct stat st;
	char name[4096 + 64];
	int fd = sym_open_untrusted(open_root, path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0)
		return NULL;
	if (want_ino && (st.st_ino != want_ino ||
			 ((uint64_t)major(st.st_dev) << 32 | minor(st.st_dev)) != want_dev)) {
		close(fd);   /* a file of the same name, not the one mapped */
		return NULL;
	}
	snprintf(name, sizeof(name), "%s%s", open_root ? open_root : "", path);
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	struct sym_elf *e = parse(elf, fd, name, logical_path ? logical_path : path, root ? root : "");
	if (elf)
		elf_end(elf);
	close(fd);
	return e;
}

struct sym_elf *sym_elf_open(const char *path)
{
	return sym_elf_open_at("", path, path, "", 0, 0);
}

struct sym_elf *sym_elf_open_memory(const void *image, size_t len, const char *name)
{
	/* libelf may convert in place: give it a private copy, dropped once names are copied. */
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return NULL;
	memcpy(copy, image, len);
	elf_version(EV_CURRENT);
	Elf *elf = elf_memory(copy, len);
	struct sym_elf *e = parse(elf, -1, name, name, "");
	if (elf)
		elf_end(elf);
	free(copy);
	return e;
}

bool sym_elf_lookup(struct sym_elf *e, uint64_t vaddr, struct bcct_sym *out)
{
	*out = (struct bcct_sym){.module = e->path, .module_offset = vaddr};
	size_t lo = 0, hi = e->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->syms[mid].start <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	const struct elf_sym *s = &e->syms[lo - 1];
	if (vaddr >= s->end) {
		/* Past the nearest symbol: inside one that encloses it (a sized label or a cold part
		 * inside a larger function, as hand-written assembly has them)? */
		for (size_t j = lo - 1, steps = 0; j > 0 && steps < 16; j--, steps++)
			if (vaddr < e->syms[j - 1].end) {
				s = &e->syms[j - 1];
				break;
			}
	}
	/* One past a function's last byte, in the padding before the next one: no instruction
	 * lives there, so it is a return address pushed by a call that ends its caller, a call to
	 * a function that never returns (abort, exit, a loop the compiler proved endless; rustc
	 * and clang leave nothing after such a call). The caller is the function. */
	if (vaddr > s->end || (vaddr == s->end && s->end == s->start))
		return false;
	out->name = e->names + s->name;
	out->offset = vaddr - s->start;
	return true;
}

bool sym_elf_offset_to_vaddr(const struct sym_elf *e, uint64_t offset, uint64_t *vaddr)
{
	if (e->nsegs == 0) { /* not a loadable file (e.g. relocatable): offsets are addresses */
		*vaddr = offset;
		return true;
	}
	return sys_segments_offset_to_vaddr(e->segs, e->nsegs, offset, vaddr);
}

unsigned sym_elf_sources(const struct sym_elf *e)
{
	return e ? e->sources : 0;
}

const char *sym_elf_debug_file(const struct sym_elf *e)
{
	return e ? e->debug_file : NULL;
}

const char *sym_elf_build_id(const struct sym_elf *e)
{
	return e && e->build_id[0] ? e->build_id : NULL;
}

void sym_elf_close(struct sym_elf *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->debug_file);
	free(e->syms);
	free(e->names);
	free(e->segs);
	free(e);
}
