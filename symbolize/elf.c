/* Function symbols of one ELF file, looked up by virtual address in the file's own address
 * space. Reads .symtab, or .dynsym when the file is stripped; copies the string table once so
 * the file can be closed; keeps the PT_LOAD headers to turn file offsets into addresses. */
#include "symbolize/symbolize.h"
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "symbolize/internal.h"

struct elf_sym {
	uint64_t start;
	uint64_t end;  /* exclusive; 0 while unknown (st_size 0) during loading */
	uint32_t name; /* offset into names */
};

struct elf_segment {
	uint64_t offset, vaddr, filesz, memsz;
};

struct sym_elf {
	char *path;
	struct elf_sym *syms;
	size_t count;
	char *names;
	struct elf_segment *segs;
	size_t nsegs;
};

static int elf_sym_cmp(const void *pa, const void *pb, void *names)
{
	const struct elf_sym *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	int pref = sym_name_preference((char *)names + a->name, (char *)names + b->name);
	if (pref)
		return pref;
	return strcmp((char *)names + a->name, (char *)names + b->name);
}

static bool read_segments(Elf *elf, struct sym_elf *e)
{
	size_t n;
	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	e->segs = calloc(n ? n : 1, sizeof(*e->segs));
	if (!e->segs)
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		e->segs[e->nsegs++] = (struct elf_segment){
			.offset = ph.p_offset, .vaddr = ph.p_vaddr,
			.filesz = ph.p_filesz, .memsz = ph.p_memsz,
		};
	}
	return true;
}

static Elf_Scn *find_section(Elf *elf, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

static bool read_symbols(Elf *elf, struct sym_elf *e)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(elf, SHT_SYMTAB, &sh);
	if (!scn)
		scn = find_section(elf, SHT_DYNSYM, &sh);
	if (!scn || sh.sh_entsize == 0)
		return true; /* no symbols: lookups fail, offsets still translate */

	Elf_Data *symdata = elf_getdata(scn, NULL);
	Elf_Scn *strscn = elf_getscn(elf, sh.sh_link);
	Elf_Data *strdata = strscn ? elf_getdata(strscn, NULL) : NULL;
	if (!symdata || !strdata || !strdata->d_buf || strdata->d_size == 0)
		return true;

	/* One copy of the whole string table: one allocation, names never copied one by one. */
	size_t strsize = strdata->d_size;
	e->names = malloc(strsize + 1);
	size_t total = symdata->d_size / sh.sh_entsize;
	e->syms = malloc((total ? total : 1) * sizeof(*e->syms));
	if (!e->names || !e->syms)
		return false;
	memcpy(e->names, strdata->d_buf, strsize);
	e->names[strsize] = '\0';

	for (size_t i = 0; i < total; i++) {
		GElf_Sym s;
		if (!gelf_getsym(symdata, (int)i, &s))
			continue;
		int type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF ||
		    s.st_value == 0 || s.st_name == 0 || s.st_name >= strsize)
			continue;
		e->syms[e->count++] = (struct elf_sym){
			.start = s.st_value,
			.end = s.st_size ? s.st_value + s.st_size : 0,
			.name = s.st_name,
		};
	}
	return true;
}

/* End of the loaded segment holding vaddr: bounds a size-0 symbol that has no successor. */
static uint64_t segment_end(const struct sym_elf *e, uint64_t vaddr)
{
	for (size_t i = 0; i < e->nsegs; i++)
		if (vaddr >= e->segs[i].vaddr && vaddr < e->segs[i].vaddr + e->segs[i].memsz)
			return e->segs[i].vaddr + e->segs[i].memsz;
	return vaddr + 1;
}

/* Sort, collapse aliases into their preferred name, and give size-0 symbols an end: the next
 * symbol's start, so hand-written assembly without .size still resolves. */
static void index_symbols(struct sym_elf *e)
{
	if (e->count == 0)
		return;
	qsort_r(e->syms, e->count, sizeof(*e->syms), elf_sym_cmp, e->names);
	size_t kept = 0;
	for (size_t i = 0; i < e->count; i++) {
		struct elf_sym *prev = kept ? &e->syms[kept - 1] : NULL;
		if (prev && prev->start == e->syms[i].start) {
			if (e->syms[i].end > prev->end)
				prev->end = e->syms[i].end;
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
}

struct sym_elf *sym_elf_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	struct sym_elf *e = calloc(1, sizeof(*e));
	bool ok = elf && e && elf_kind(elf) == ELF_K_ELF && (e->path = strdup(path)) &&
		  read_segments(elf, e) && read_symbols(elf, e);
	if (elf)
		elf_end(elf);
	close(fd);
	if (!ok) {
		sym_elf_close(e);
		return NULL;
	}
	index_symbols(e);
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
	if (lo == 0 || vaddr >= e->syms[lo - 1].end)
		return false;
	const struct elf_sym *s = &e->syms[lo - 1];
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
	for (size_t i = 0; i < e->nsegs; i++) {
		const struct elf_segment *s = &e->segs[i];
		if (offset >= s->offset && offset < s->offset + s->filesz) {
			*vaddr = offset - s->offset + s->vaddr;
			return true;
		}
	}
	return false;
}

void sym_elf_close(struct sym_elf *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->syms);
	free(e->names);
	free(e->segs);
	free(e);
}
