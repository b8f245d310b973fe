/* Program headers, function symbols and data symbols of ELF files. See sys.h. */
#include "core/sys/sys.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sys_elf_segment *sys_elf_load_segments(Elf *elf, size_t *n)
{
	struct sys_elf_segment *segs;
	size_t count;

	*n = 0;
	if (elf_getphdrnum(elf, &count) != 0 || !(segs = calloc(count ? count : 1, sizeof(*segs))))
		return NULL;
	for (size_t i = 0; i < count; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		segs[(*n)++] = (struct sys_elf_segment){
			.offset = ph.p_offset, .vaddr = ph.p_vaddr, .filesz = ph.p_filesz,
			.memsz = ph.p_memsz, .exec = (ph.p_flags & PF_X) != 0,
		};
	}
	return segs;
}

bool sys_elf_phdr(Elf *elf, uint32_t type, GElf_Phdr *out)
{
	size_t count;

	if (elf_getphdrnum(elf, &count) != 0)
		return false;
	for (size_t i = 0; i < count; i++)
		if (gelf_getphdr(elf, (int)i, out) && out->p_type == type)
			return true;
	return false;
}

bool sys_elf_vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *offset)
{
	size_t count;

	if (elf_getphdrnum(elf, &count) != 0)
		return false;
	for (size_t i = 0; i < count; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr &&
		    vaddr - ph.p_vaddr < ph.p_memsz) {
			*offset = vaddr - ph.p_vaddr + ph.p_offset;
			return true;
		}
	}
	return false;
}

bool sys_segments_offset_to_vaddr(const struct sys_elf_segment *segs, size_t n, uint64_t offset,
				  uint64_t *vaddr)
{
	for (size_t i = 0; i < n; i++)
		if (offset >= segs[i].offset && offset - segs[i].offset < segs[i].filesz) {
			*vaddr = offset - segs[i].offset + segs[i].vaddr;
			return true;
		}
	return false;
}

Elf_Scn *sys_elf_next_symtab(Elf *elf, Elf_Scn *after, uint32_t type, GElf_Shdr *sh)
{
	Elf_Scn *scn = after;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && (type ? sh->sh_type == type :
					      sh->sh_type == SHT_SYMTAB || sh->sh_type == SHT_DYNSYM))
			return scn;
	return NULL;
}

bool sys_elf_symbols_open(struct sys_elf_symbols *it, Elf *elf, Elf_Scn *scn)
{
	GElf_Shdr sh;
	Elf_Scn *strscn;

	memset(it, 0, sizeof(*it));
	if (!gelf_getshdr(scn, &sh) || sh.sh_entsize == 0 || sh.sh_type == SHT_NOBITS)
		return false;
	it->elf = elf;
	it->syms = elf_getdata(scn, NULL);
	strscn = elf_getscn(elf, sh.sh_link);
	it->strs = strscn ? elf_getdata(strscn, NULL) : NULL;
	if (!it->syms || !it->syms->d_buf || !it->strs || !it->strs->d_buf || !it->strs->d_size)
		return false;
	it->count = it->syms->d_size / sh.sh_entsize;
	it->strtab = it->strs->d_buf;
	it->strtab_len = it->strs->d_size;
	return true;
}

bool sys_elf_next_function(struct sys_elf_symbols *it, struct sys_elf_function *f)
{
	while (it->next < it->count) {
		GElf_Sym s;
		int type;

		if (!gelf_getsym(it->syms, (int)it->next++, &s))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF ||
		    s.st_value == 0 || s.st_name == 0 || s.st_name >= it->strtab_len ||
		    !it->strtab[s.st_name])
			continue;
		/* A name must end inside its table: a corrupt table's last one may not. */
		if (!memchr(it->strtab + s.st_name, '\0', it->strtab_len - s.st_name))
			continue;
		*f = (struct sys_elf_function){
			.name = it->strtab + s.st_name, .name_offset = s.st_name, .value = s.st_value,
			.size = s.st_size, .shndx = s.st_shndx, .local = GELF_ST_BIND(s.st_info) == STB_LOCAL,
		};
		return true;
	}
	return false;
}

bool sys_elf_function_file_offset(Elf *elf, const struct sys_elf_function *f, uint64_t *offset)
{
	Elf_Scn *scn = f->shndx < SHN_LORESERVE ? elf_getscn(elf, f->shndx) : NULL;
	GElf_Shdr text;

	if (!scn || !gelf_getshdr(scn, &text) || !(text.sh_flags & SHF_EXECINSTR) ||
	    text.sh_type == SHT_NOBITS || f->value < text.sh_addr)
		return false;
	*offset = f->value - text.sh_addr + text.sh_offset;
	return true;
}

/* The ELF file at path, opened as sys_open_untrusted (*fd, to close after elf_end): NULL with
 * *err -errno, or -ENOEXEC when it is no ELF file (*fd then still to close when >= 0). */
static Elf *elf_open_path(const char *path, int *fd, int *err)
{
	struct stat st;
	Elf *elf;

	*fd = sys_open_untrusted(NULL, path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (*fd < 0) {
		*err = -errno;
		return NULL;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		return elf;
	if (elf)
		elf_end(elf);
	*err = -ENOEXEC;
	return NULL;
}

int sys_elf_function_offset(const char *path, const char *name, uint64_t *offset)
{
	int fd, err = -ENOENT;
	bool found_local = false;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf = elf_open_path(path, &fd, &err);

	if (!elf)
		goto out;
	/* .symtab and .dynsym in section order; a global definition wins over a local one of the
	 * same name (a static helper in some other file of the program). */
	while (err && (scn = sys_elf_next_symtab(elf, scn, 0, &sh))) {
		struct sys_elf_symbols it;
		struct sys_elf_function f;
		uint64_t off;

		if (!sys_elf_symbols_open(&it, elf, scn))
			continue;
		while (sys_elf_next_function(&it, &f)) {
			if (strcmp(f.name, name) || !sys_elf_function_file_offset(elf, &f, &off))
				continue;
			if (!f.local) {
				*offset = off;
				err = 0;
				break;
			}
			if (!found_local) {   /* the first local one, unless a global one turns up */
				*offset = off;
				found_local = true;
			}
		}
	}
	if (err && found_local)
		err = 0;
out:
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return err;
}

/* The data symbol (STT_OBJECT) of elf covering virtual address vaddr, from .symtab or .dynsym:
 * its name and vaddr's offset into it. */
static bool elf_object_at(Elf *elf, uint64_t vaddr, const char **name, uint64_t *off)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = sys_elf_next_symtab(elf, scn, 0, &sh))) {
		struct sys_elf_symbols it;
		GElf_Sym s;

		if (!sys_elf_symbols_open(&it, elf, scn))
			continue;
		for (size_t i = 0; i < it.count; i++) {
			if (!gelf_getsym(it.syms, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_OBJECT ||
			    s.st_shndx == SHN_UNDEF || s.st_name == 0 || s.st_name >= it.strtab_len ||
			    vaddr < s.st_value || vaddr - s.st_value >= (s.st_size ? s.st_size : 1) ||
			    !memchr(it.strtab + s.st_name, '\0', it.strtab_len - s.st_name))
				continue;
			*name = it.strtab + s.st_name;
			*off = vaddr - s.st_value;
			return true;
		}
	}
	return false;
}

const char *sys_pid_object_symbol(pid_t pid, uint64_t addr, char *buf, size_t len)
{
	char path[SYS_MAPS_LINE_MAX];
	struct sys_mapping m, base = { 0 };
	struct sys_elf_segment *segs = NULL;
	struct sys_maps it;
	const char *name = NULL;
	uint64_t bias, off = 0;
	size_t nsegs = 0;
	struct stat st;
	Elf *elf = NULL;
	int fd;

	/* The file loaded last below addr: its first mapping (offset 0) gives the load address;
	 * the .bss after its file-backed pages is anonymous memory, so the file is found by
	 * where it starts, not by the mapping holding addr. */
	if (!sys_maps_open(&it, pid))
		return NULL;
	while (sys_maps_next(&it, &m) && m.start <= addr) {
		if (m.offset != 0 || m.path[0] != '/')
			continue;
		base = m;
		snprintf(path, sizeof(path), "%s", m.path);
		base.path = path;
	}
	sys_maps_close(&it);
	if (!base.path)
		return NULL;
	fd = sys_open_mapped(pid, &base, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		segs = sys_elf_load_segments(elf, &nsegs);
	for (size_t i = 0; i < nsegs; i++) {
		if (segs[i].offset != 0)
			continue;
		/* the first mapping starts at the page holding this segment's start */
		bias = base.start - (segs[i].vaddr & ~(uint64_t)(sysconf(_SC_PAGESIZE) - 1));
		for (size_t j = 0; j < nsegs; j++)   /* in a segment's memory, .bss included */
			if (addr - bias >= segs[j].vaddr && addr - bias - segs[j].vaddr < segs[j].memsz) {
				elf_object_at(elf, addr - bias, &name, &off);
				break;
			}
		break;
	}
	if (name) {
		if (off)
			snprintf(buf, len, "%s+0x%llx", name, (unsigned long long)off);
		else
			snprintf(buf, len, "%s", name);
	}
	free(segs);
	if (elf)
		elf_end(elf);
	close(fd);
	return name ? buf : NULL;
}

/* The first defined data symbol `name` of elf's symbol tables, with its section. */
static bool elf_object_named(Elf *elf, const char *name, GElf_Sym *out, Elf_Scn **sec)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = sys_elf_next_symtab(elf, scn, 0, &sh))) {
		struct sys_elf_symbols it;

		if (!sys_elf_symbols_open(&it, elf, scn))
			continue;
		for (size_t i = 0; i < it.count; i++) {
			if (!gelf_getsym(it.syms, (int)i, out) || GELF_ST_TYPE(out->st_info) != STT_OBJECT ||
			    out->st_shndx == SHN_UNDEF || out->st_shndx >= SHN_LORESERVE ||
			    out->st_name == 0 || out->st_name >= it.strtab_len ||
			    !memchr(it.strtab + out->st_name, '\0', it.strtab_len - out->st_name) ||
			    strcmp(it.strtab + out->st_name, name))
				continue;
			*sec = elf_getscn(elf, out->st_shndx);
			return *sec != NULL;
		}
	}
	return false;
}

int sys_elf_read_object(const char *path, const char *name, void *buf, size_t len)
{
	int fd, ret = -ENOENT;
	Elf_Scn *scn;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf *elf = elf_open_path(path, &fd, &ret);

	if (elf && elf_object_named(elf, name, &sym, &scn) && gelf_getshdr(scn, &sh) &&
		   sh.sh_type != SHT_NOBITS && sym.st_value >= sh.sh_addr &&
		   sym.st_value - sh.sh_addr < sh.sh_size) {
		/* the symbol's bytes through its section, bounded by both the symbol and the section */
		uint64_t off = sym.st_value - sh.sh_addr;
		size_t n = len;

		if (sym.st_size && sym.st_size < n)
			n = sym.st_size;
		if (sh.sh_size - off < n)
			n = sh.sh_size - off;
		ret = pread(fd, buf, n, (off_t)(sh.sh_offset + off)) == (ssize_t)n ? (int)n : -EIO;
	}
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return ret;
}
