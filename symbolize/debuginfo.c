/* Where the symbols of a stripped file went: a separate debug file found by .gnu_debuglink
 * (name + CRC32 of the debug file) or by build-id, as gdb and elfutils look for them, and
 * MiniDebugInfo (.gnu_debugdata: an xz-compressed ELF holding a .symtab of the functions
 * .dynsym lacks).
 *
 * Debuglink candidates, for a file mapped as DIR/NAME whose .gnu_debuglink names DEBUG:
 *   DIR/DEBUG, DIR/.debug/DEBUG, ROOT/DIR/DEBUG            (ROOT: the debug root)
 * Build-id candidate, for build-id b0b1b2...:
 *   ROOT/.build-id/b0/b1b2....debug
 * Each is looked up inside the process's root only (/proc/PID/root, a container's files; ours
 * when it shares it), opened so that a FIFO, a device or a huge file there cannot stall the run
 * (sym_open_untrusted); a debuglink candidate counts only if its CRC32 matches the one recorded
 * in the file, a build-id candidate only if its own build-id note matches. */
#include "symbolize/symbolize.h"
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "symbolize/elf_section.h"
#include "core/sys/sys.h"
#include "symbolize/internal.h"

#define DEFAULT_DEBUG_ROOT "/usr/lib/debug"
#define MAX_BUILD_ID SYM_BUILD_ID_MAX
#define MAX_MINIDEBUGINFO (256u << 20) /* decompressed; real ones are a few hundred KiB */

/* --- Debug root --------------------------------------------------------------------------- */

static _Thread_local char *debug_root_set;

void sym_set_debug_root(const char *dir)
{
	free(debug_root_set);
	debug_root_set = dir ? strdup(dir) : NULL;
}

const char *sym_debug_root(void)
{
	if (debug_root_set)
		return debug_root_set;
	const char *env = getenv("BCCT_DEBUG_ROOT");
	return env && env[0] ? env : DEFAULT_DEBUG_ROOT;
}

/* --- Section helpers ---------------------------------------------------------------------- */

static size_t note_build_id(Elf_Data *d, unsigned char *id)
{
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off;
	while (d && d->d_buf && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    memcmp((char *)d->d_buf + name_off, "GNU", 4) == 0 && nh.n_descsz > 0 &&
		    nh.n_descsz <= MAX_BUILD_ID) {
			memcpy(id, (char *)d->d_buf + desc_off, nh.n_descsz);
			return nh.n_descsz;
		}
	}
	return 0;
}

static size_t read_build_id(Elf *elf, unsigned char id[MAX_BUILD_ID])
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		size_t n = note_build_id(elf_getdata(scn, NULL), id);
		if (n)
			return n;
	}
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) != 0)
		return 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		size_t n = note_build_id(elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz,
							      ELF_T_NHDR), id);
		if (n)
			return n;
	}
	return 0;
}

size_t sym_build_id_hex(Elf *elf, char hex[2 * SYM_BUILD_ID_MAX + 1])
{
	unsigned char id[MAX_BUILD_ID];
	size_t n = read_build_id(elf, id);

	hex[0] = 0;
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	return n;
}

/* --- Candidates --------------------------------------------------------------------------- */

struct search {
	dev_t dev;       /* the file itself: never its own debug file */
	ino_t ino;
	const char *root; /* the process's root ("" for ours) */
};

static bool open_candidate(const struct search *s, const char *path, struct sym_debug_file *out,
			   bool (*accept)(int fd, Elf *elf, const void *want), const void *want)
{
	struct stat st;
	int fd = sym_open_untrusted(s->root, path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0)
		return false;
	char full[PATH_MAX + 64];
	snprintf(full, sizeof(full), "%s%s", s->root, path);
	if (st.st_dev == s->dev && st.st_ino == s->ino) {
		close(fd);
		return false;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !accept(fd, elf, want) || !(out->path = strdup(full))) {
		if (elf)
			elf_end(elf);
		close(fd);
		return false;
	}
	out->fd = fd;
	out->elf = elf;
	return true;
}

/* Looks inside the process's root only: a root without the file has no debug file, and ours
 * of the same name would be another program's (or one put there to be found). */
static bool try_path(const struct search *s, struct sym_debug_file *out,
		     bool (*accept)(int fd, Elf *elf, const void *want), const void *want,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static bool try_path(const struct search *s, struct sym_debug_file *out,
		     bool (*accept)(int fd, Elf *elf, const void *want), const void *want,
		     const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return false;
	return open_candidate(s, rel, out, accept, want);
}

/* gdb's gnu_debuglink_crc32 is zlib's CRC-32. */
static bool file_crc32(int fd, uint32_t *crc)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return false;
	uLong c = crc32(0, Z_NULL, 0);
	if (st.st_size > 0) {
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED)
			return false;
		c = crc32_z(c, map, (size_t)st.st_size);
		munmap(map, (size_t)st.st_size);
	}
	*crc = (uint32_t)c;
	return true;
}

static bool accept_crc(int fd, Elf *elf, const void *want)
{
	(void)elf;
	uint32_t crc;
	return file_crc32(fd, &crc) && crc == *(const uint32_t *)want;
}

struct want_id {
	unsigned char id[MAX_BUILD_ID];
	size_t len;
};

static bool accept_build_id(int fd, Elf *elf, const void *want)
{
	(void)fd;
	const struct want_id *w = want;
	unsigned char id[MAX_BUILD_ID];
	size_t n = read_build_id(elf, id);
	return n == w->len && memcmp(id, w->id, n) == 0;
}

/* .gnu_debuglink: NUL-terminated file name, padding to 4 bytes, CRC32 in the file's byte order. */
static bool find_by_debuglink(Elf *elf, const struct search *s, const char *logical_path,
			      struct sym_debug_file *out)
{
	GElf_Shdr sh;
	Elf_Scn *scn = sym_elf_section(elf, ".gnu_debuglink", &sh);
	Elf_Data *d = scn ? elf_rawdata(scn, NULL) : NULL;
	if (!d || !d->d_buf || d->d_size < 8)
		return false;
	const char *name = d->d_buf;
	size_t name_len = strnlen(name, d->d_size);
	size_t crc_at = (name_len + 1 + 3) & ~(size_t)3;
	if (name_len == 0 || crc_at + 4 > d->d_size || strchr(name, '/'))
		return false;
	const unsigned char *b = (const unsigned char *)d->d_buf + crc_at;
	const char *ident = elf_getident(elf, NULL);
	uint32_t crc = ident && ident[EI_DATA] == ELFDATA2MSB
			       ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
			       : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];

	/* The directory the process sees the file in ("" for "/bin": paths are built as dir/name). */
	char dir[PATH_MAX];
	const char *slash = strrchr(logical_path, '/');
	size_t dir_len = slash ? (size_t)(slash - logical_path) : 0;
	if (!slash || logical_path[0] != '/' || dir_len >= sizeof(dir))
		return false;
	memcpy(dir, logical_path, dir_len);
	dir[dir_len] = '\0';
	const char *root = sym_debug_root();
	return try_path(s, out, accept_crc, &crc, "%s/%s", dir, name) ||
	       try_path(s, out, accept_crc, &crc, "%s/.debug/%s", dir, name) ||
	       try_path(s, out, accept_crc, &crc, "%s%s/%s", root, dir, name);
}

static bool find_by_build_id(Elf *elf, const struct search *s, struct sym_debug_file *out)
{
	struct want_id w;
	w.len = read_build_id(elf, w.id);
	if (w.len < 2)
		return false;
	char hex[2 * MAX_BUILD_ID + 1];
	sym_build_id_hex(elf, hex);
	return try_path(s, out, accept_build_id, &w, "%s/.build-id/%.2s/%s.debug", sym_debug_root(),
			hex, hex + 2);
}

bool sym_debug_file_find(Elf *elf, int fd, const char *logical_path, const char *root,
			 struct sym_debug_file *out)
{
	*out = (struct sym_debug_file){.fd = -1};
	struct stat st;
	if (fstat(fd, &st) != 0)
		return false;
	struct search s = {.dev = st.st_dev, .ino = st.st_ino, .root = root ? root : ""};

	/* "/usr/lib/x.so (deleted)" still names the directory the file was mapped from. */
	if (logical_path && find_by_debuglink(elf, &s, logical_path, out)) {
		out->source = SYM_SRC_DEBUGLINK;
		return true;
	}
	if (find_by_build_id(elf, &s, out)) {
		out->source = SYM_SRC_BUILD_ID;
		return true;
	}
	return false;
}

void sym_debug_file_close(struct sym_debug_file *d)
{
	if (d->elf)
		elf_end(d->elf);
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	*d = (struct sym_debug_file){.fd = -1};
}

/* --- MiniDebugInfo ------------------------------------------------------------------------ */

char *sym_minidebuginfo(Elf *elf, size_t *len_out)
{
	GElf_Shdr sh;
	Elf_Scn *scn = sym_elf_section(elf, ".gnu_debugdata", &sh);
	Elf_Data *d = scn ? elf_rawdata(scn, NULL) : NULL;
	if (!d || !d->d_buf || d->d_size == 0)
		return NULL;

	lzma_stream strm = LZMA_STREAM_INIT;
	if (lzma_stream_decoder(&strm, UINT64_MAX, 0) != LZMA_OK)
		return NULL;
	strm.next_in = d->d_buf;
	strm.avail_in = d->d_size;
	size_t cap = d->d_size < MAX_MINIDEBUGINFO / 8 ? d->d_size * 4 + 4096 : MAX_MINIDEBUGINFO / 2;
	size_t used = 0;
	char *out = malloc(cap);
	while (out) {
		strm.next_out = (uint8_t *)out + used;
		strm.avail_out = cap - used;
		lzma_ret ret = lzma_code(&strm, LZMA_FINISH);
		used = cap - strm.avail_out;
		if (ret == LZMA_STREAM_END)
			break;
		if ((ret != LZMA_OK && ret != LZMA_BUF_ERROR) || (ret == LZMA_BUF_ERROR && strm.avail_out) ||
		    cap >= MAX_MINIDEBUGINFO) {
			free(out);
			out = NULL;
			break;
		}
		if (strm.avail_out == 0) {
			char *bigger = realloc(out, cap * 2);
			if (!bigger) {
				free(out);
				out = NULL;
				break;
			}
			out = bigger;
			cap *= 2;
		}
	}
	lzma_end(&strm);
	if (out)
		*len_out = used;
	return out;
}
