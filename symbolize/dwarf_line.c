/* A reader of DWARF line tables (.debug_line, DWARF 2 to 5) producing one sorted
 * address -> (file, line) table per ELF file.
 *
 * Loading: every line-number program in .debug_line is run through the DWARF state machine;
 * each sequence (a contiguous address range ending in DW_LNE_end_sequence) becomes a run of
 * rows. Sequences are then sorted by start address and overlaps resolved as binutils does
 * (nested sequences dropped, overlapping ones trimmed at the previous end), so lookups give
 * what `addr2line` prints: among rows at one address the last one wins, is_stmt is ignored.
 * Rows repeating their predecessor's file and line are merged. A lookup is a binary search in
 * a small index (every 32nd address, which stays in cache), then within one block of rows.
 *
 * Paths: DWARF 5 line headers carry their own directory 0 (the compilation directory); for
 * DWARF 2-4 the compilation directory comes from the DW_AT_comp_dir of the compile unit in
 * .debug_info whose DW_AT_stmt_list names the line program (.debug_info is read, and inflated,
 * only when such a program is met). A path is materialised only when a row uses it, once per
 * (line program, file entry), and deduplicated across programs.
 *
 * Safety: every read goes through a bounds-checked cursor; a unit that runs out of bytes is
 * abandoned (its finished sequences kept). Each row consumes at least one opcode byte, every
 * file or directory entry at least one byte of its header, so memory is linear in the input;
 * every loop advances its cursor, so time is too (path building is capped at PATH_CAP bytes). */
#include "symbolize/dwarf_line.h"
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/sys/sys.h"
#include "symbolize/internal.h"

#define END_MARK UINT32_MAX /* row.file of an end-of-sequence row: no line from here on */
#define PATH_CAP 4096       /* longest path built; longer ones are cut */
#define DECOMPRESS_RATIO 2048 /* refuse sections claiming to inflate more than this */

/* DWARF constants used here (dwarf.h is not needed for so few). */
enum {
	DW_LNS_copy = 1, DW_LNS_advance_pc, DW_LNS_advance_line, DW_LNS_set_file,
	DW_LNS_set_column, DW_LNS_negate_stmt, DW_LNS_set_basic_block, DW_LNS_const_add_pc,
	DW_LNS_fixed_advance_pc, DW_LNS_set_prologue_end, DW_LNS_set_epilogue_begin,
	DW_LNS_set_isa,
	DW_LNE_end_sequence = 1, DW_LNE_set_address, DW_LNE_define_file, DW_LNE_set_discriminator,
	DW_LNCT_path = 1, DW_LNCT_directory_index = 2,
	DW_UT_compile = 1, DW_UT_type = 2, DW_UT_partial = 3, DW_UT_skeleton = 4,
	DW_UT_split_compile = 5, DW_UT_split_type = 6,
	DW_AT_stmt_list = 0x10, DW_AT_comp_dir = 0x1b, DW_AT_str_offsets_base = 0x72,
};

enum {
	DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04, DW_FORM_data2 = 0x05,
	DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07, DW_FORM_string = 0x08, DW_FORM_block = 0x09,
	DW_FORM_block1 = 0x0a, DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
	DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10, DW_FORM_ref1 = 0x11,
	DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13, DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15,
	DW_FORM_indirect = 0x16, DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18,
	DW_FORM_flag_present = 0x19, DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b,
	DW_FORM_ref_sup4 = 0x1c, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
	DW_FORM_line_strp = 0x1f, DW_FORM_ref_sig8 = 0x20, DW_FORM_implicit_const = 0x21,
	DW_FORM_loclistx = 0x22, DW_FORM_rnglistx = 0x23, DW_FORM_ref_sup8 = 0x24,
	DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
	DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b, DW_FORM_addrx4 = 0x2c,
	DW_FORM_GNU_addr_index = 0x1f01, DW_FORM_GNU_str_index = 0x1f02,
	DW_FORM_GNU_ref_alt = 0x1f20, DW_FORM_GNU_strp_alt = 0x1f21,
};

struct line_row {
	uint64_t addr;
	uint32_t file; /* index into paths, or END_MARK */
	uint32_t line;
};

#define BLOCK 32 /* rows per entry of the lookup index */

struct sym_lines {
	struct line_row *rows;
	size_t nrows;
	uint64_t *index; /* index[i] = rows[i * BLOCK].addr: a first search that stays in cache */
	size_t nindex;
	char *arena;     /* the paths, NUL-terminated, one after the other */
	uint32_t *paths; /* offsets into arena by file index */
	size_t npaths;
};

/* --- Bounds-checked reading ----------------------------------------------------------------- */

struct section {
	const uint8_t *data;
	size_t size;
};

struct cursor {
	const uint8_t *p, *end;
	bool bad;
	bool big_endian;
};

static struct cursor cursor_at(const struct section *s, uint64_t off, bool big_endian)
{
	struct cursor c = {.p = s->data, .end = s->data, .big_endian = big_endian};
	if (s->data && off <= s->size) {
		c.p = s->data + off;
		c.end = s->data + s->size;
	} else {
		c.bad = true;
	}
	return c;
}

static size_t left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static bool need(struct cursor *c, uint64_t n)
{
	if (c->bad || left(c) < n) {
		c->bad = true;
		c->p = c->end;
		return false;
	}
	return true;
}

static void skip(struct cursor *c, uint64_t n)
{
	if (need(c, n))
		c->p += n;
}

static uint64_t rd_uint(struct cursor *c, unsigned n) /* n: 1..8 */
{
	if (!need(c, n))
		return 0;
	uint64_t v = 0;
	if (c->big_endian)
		for (unsigned i = 0; i < n; i++)
			v = v << 8 | c->p[i];
	else
		for (unsigned i = n; i-- > 0;)
			v = v << 8 | c->p[i];
	c->p += n;
	return v;
}

static uint64_t rd_uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		if (!need(c, 1))
			return 0;
		uint8_t b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		if (shift < 64)
			shift += 7;
	}
}

static int64_t rd_sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		if (!need(c, 1))
			return 0;
		uint8_t b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (shift < 64)
			shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << shift;
			return (int64_t)v;
		}
	}
}

/* A NUL-terminated string at the cursor, or NULL (and the cursor spent) if unterminated. */
static const char *rd_str(struct cursor *c)
{
	if (c->bad)
		return NULL;
	const uint8_t *nul = memchr(c->p, 0, left(c));
	if (!nul) {
		need(c, left(c) + 1);
		return NULL;
	}
	const char *s = (const char *)c->p;
	c->p = nul + 1;
	return s;
}

/* A NUL-terminated string at offset off of a string section, or NULL. */
static const char *sec_str(const struct section *s, uint64_t off)
{
	if (!s->data || off >= s->size || !memchr(s->data + off, 0, s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

/* Reads a 32-bit or 64-bit DWARF unit length; returns a cursor over the unit's contents and
 * advances c past the unit. *offset_size gets 4 or 8. */
static bool rd_unit(struct cursor *c, struct cursor *unit, unsigned *offset_size)
{
	uint64_t len = rd_uint(c, 4);
	*offset_size = 4;
	if (len == 0xffffffff) {
		len = rd_uint(c, 8);
		*offset_size = 8;
	} else if (len >= 0xfffffff0) {
		return false; /* reserved values */
	}
	if (c->bad || len > left(c))
		return false;
	*unit = (struct cursor){.p = c->p, .end = c->p + len, .big_endian = c->big_endian};
	c->p += len;
	return true;
}

/* --- The sections ---------------------------------------------------------------------------- */

enum { S_LINE, S_LINE_STR, S_STR, S_INFO, S_ABBREV, S_STR_OFFSETS, S_COUNT };
static const char *const section_names[S_COUNT] = {
	[S_LINE] = "line", [S_LINE_STR] = "line_str", [S_STR] = "str",
	[S_INFO] = "info", [S_ABBREV] = "abbrev", [S_STR_OFFSETS] = "str_offsets",
};

struct dwarf {
	Elf_Scn *scn[S_COUNT]; /* found by name; read (and decompressed) on first use */
	bool gnu[S_COUNT];     /* .zdebug_*: GNU-style compression */
	bool tried[S_COUNT];
	struct section sec[S_COUNT];
	bool big_endian;
	bool drop_zero; /* executables and shared objects: sequences at address 0 are discarded
			   code (linker --gc-sections leaves their line programs behind) */
};

/* Decompressed size announced by a compressed section, checked against its stored size so a
 * forged header cannot make libelf allocate gigabytes for a few bytes of input. */
static bool plausible_inflation(Elf_Scn *scn, bool gnu)
{
	Elf_Data *raw = elf_rawdata(scn, NULL);
	if (!raw || !raw->d_buf)
		return false;
	uint64_t want;
	if (gnu) { /* "ZLIB" then the size, 8 bytes big-endian */
		if (raw->d_size < 12 || memcmp(raw->d_buf, "ZLIB", 4) != 0)
			return false;
		want = 0;
		for (int i = 4; i < 12; i++)
			want = want << 8 | ((const uint8_t *)raw->d_buf)[i];
	} else {
		GElf_Chdr ch;
		if (!gelf_getchdr(scn, &ch))
			return false;
		want = ch.ch_size;
	}
	return want / DECOMPRESS_RATIO <= raw->d_size;
}

static void find_sections(Elf *elf, struct dwarf *d)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		bool gnu = strncmp(name, ".zdebug_", 8) == 0;
		if (!gnu && strncmp(name, ".debug_", 7) != 0)
			continue;
		const char *base = name + (gnu ? 8 : 7);
		for (int i = 0; i < S_COUNT; i++) {
			if (strcmp(base, section_names[i]) == 0 && !d->scn[i]) {
				d->scn[i] = scn;
				d->gnu[i] = gnu && !(sh.sh_flags & SHF_COMPRESSED);
			}
		}
	}
}

/* A debug section's bytes, decompressed if need be; read once. Sections only some files need
 * (.debug_info for DWARF 2-4 compilation directories) cost nothing when unused: in a large
 * compressed debug file, inflating .debug_info would dominate the whole load. */
static const struct section *section(struct dwarf *d, int i)
{
	if (d->tried[i])
		return &d->sec[i];
	d->tried[i] = true;
	Elf_Scn *scn = d->scn[i];
	GElf_Shdr sh;
	if (!scn || !gelf_getshdr(scn, &sh))
		return &d->sec[i];
	if (sh.sh_flags & SHF_COMPRESSED) {
		if (!plausible_inflation(scn, false) || elf_compress(scn, 0, 0) < 0)
			return &d->sec[i];
	} else if (d->gnu[i]) {
		if (!plausible_inflation(scn, true) || elf_compress_gnu(scn, 0, 0) < 0)
			return &d->sec[i];
	}
	Elf_Data *data = elf_getdata(scn, NULL);
	if (data && data->d_buf && data->d_size > 0)
		d->sec[i] = (struct section){.data = data->d_buf, .size = data->d_size};
	return &d->sec[i];
}

/* --- Attribute values (line header entries and the compile unit DIE) ----------------------- */

struct form_ctx {
	struct dwarf *d;
	unsigned offset_size, addr_size, version;
};

struct form_val {
	uint64_t u;      /* numbers, offsets, string indexes */
	const char *str; /* strings, resolved when the form says where they are */
	bool strx;       /* u is an index into .debug_str_offsets (resolved by the caller) */
};

/* Reads (or skips) one value. False when the form is unknown: the rest of the entry or DIE can
 * then not be decoded. */
static bool rd_form(struct cursor *c, uint64_t form, int64_t implicit, const struct form_ctx *f,
		    struct form_val *v, int depth)
{
	*v = (struct form_val){0};
	struct dwarf *d = f->d;
	switch (form) {
	case DW_FORM_addr: v->u = rd_uint(c, f->addr_size); break;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
	case DW_FORM_addrx1:
		v->u = rd_uint(c, 1); break;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
		v->u = rd_uint(c, 2); break;
	case DW_FORM_strx3: case DW_FORM_addrx3: v->u = rd_uint(c, 3); break;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4:
	case DW_FORM_addrx4:
		v->u = rd_uint(c, 4); break;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
		v->u = rd_uint(c, 8); break;
	case DW_FORM_data16: skip(c, 16); break;
	case DW_FORM_sdata: v->u = (uint64_t)rd_sleb(c); break;
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx:
	case DW_FORM_loclistx: case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		v->u = rd_uleb(c); break;
	case DW_FORM_string: v->str = rd_str(c); break;
	case DW_FORM_strp: v->u = rd_uint(c, f->offset_size); v->str = sec_str(section(d, S_STR), v->u); break;
	case DW_FORM_line_strp:
		v->u = rd_uint(c, f->offset_size);
		v->str = sec_str(section(d, S_LINE_STR), v->u);
		break;
	case DW_FORM_ref_addr:
		v->u = rd_uint(c, f->version <= 2 ? f->addr_size : f->offset_size); break;
	case DW_FORM_sec_offset: case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		v->u = rd_uint(c, f->offset_size); break;
	case DW_FORM_block1: skip(c, rd_uint(c, 1)); break;
	case DW_FORM_block2: skip(c, rd_uint(c, 2)); break;
	case DW_FORM_block4: skip(c, rd_uint(c, 4)); break;
	case DW_FORM_block: case DW_FORM_exprloc: skip(c, rd_uleb(c)); break;
	case DW_FORM_flag_present: v->u = 1; break;
	case DW_FORM_implicit_const: v->u = (uint64_t)implicit; break;
	case DW_FORM_indirect:
		if (depth > 0)
			return false;
		return rd_form(c, rd_uleb(c), implicit, f, v, depth + 1);
	default:
		return false;
	}
	v->strx = form == DW_FORM_strx || form == DW_FORM_strx1 || form == DW_FORM_strx2 ||
		  form == DW_FORM_strx3 || form == DW_FORM_strx4;
	return !c->bad;
}

/* --- Compilation directories from .debug_info ---------------------------------------------- */

struct cu_dir {
	uint64_t stmt_list;
	const char *comp_dir;
};

static int cu_dir_cmp(const void *pa, const void *pb)
{
	const struct cu_dir *a = pa, *b = pb;
	return (a->stmt_list > b->stmt_list) - (a->stmt_list < b->stmt_list);
}

/* Finds abbreviation code in the table at off; returns a cursor on its attribute specs. */
static bool find_abbrev(struct dwarf *d, uint64_t off, uint64_t code, struct cursor *out)
{
	struct cursor a = cursor_at(section(d, S_ABBREV), off, d->big_endian);
	while (!a.bad) {
		uint64_t c = rd_uleb(&a);
		if (c == 0 || a.bad)
			return false;
		rd_uleb(&a);     /* tag */
		rd_uint(&a, 1); /* children */
		if (c == code) {
			*out = a;
			return !a.bad;
		}
		for (;;) {
			uint64_t attr = rd_uleb(&a), form = rd_uleb(&a);
			if (a.bad || (attr == 0 && form == 0))
				break;
			if (form == DW_FORM_implicit_const)
				rd_sleb(&a);
		}
	}
	return false;
}

/* One entry per compile unit that has a DW_AT_stmt_list, sorted by it. */
static struct cu_dir *read_comp_dirs(struct dwarf *d, size_t *count)
{
	*count = 0;
	if (!section(d, S_INFO)->data || !section(d, S_ABBREV)->data)
		return NULL;
	size_t cap = 0;
	struct cu_dir *dirs = NULL;
	struct cursor c = cursor_at(section(d, S_INFO), 0, d->big_endian);
	/* Compile units of one object usually share an abbreviation table: remember the last hit. */
	uint64_t last_off = UINT64_MAX, last_code = 0;
	struct cursor last_abbrev = {0};
	while (!c.bad && left(&c) > 0) {
		struct cursor u;
		unsigned osz;
		if (!rd_unit(&c, &u, &osz))
			break;
		struct form_ctx f = {.d = d, .offset_size = osz};
		f.version = (unsigned)rd_uint(&u, 2);
		uint64_t abbrev_off;
		if (f.version == 5) {
			unsigned type = (unsigned)rd_uint(&u, 1);
			f.addr_size = (unsigned)rd_uint(&u, 1);
			abbrev_off = rd_uint(&u, osz);
			if (type == DW_UT_skeleton || type == DW_UT_split_compile)
				rd_uint(&u, 8);
			if (type != DW_UT_compile && type != DW_UT_partial && type != DW_UT_skeleton)
				continue;
		} else if (f.version >= 2 && f.version <= 4) {
			abbrev_off = rd_uint(&u, osz);
			f.addr_size = (unsigned)rd_uint(&u, 1);
		} else {
			continue;
		}
		if (f.addr_size < 1 || f.addr_size > 8)
			continue;
		struct cursor a;
		uint64_t code = rd_uleb(&u);
		if (u.bad || code == 0)
			continue;
		if (abbrev_off == last_off && code == last_code) {
			a = last_abbrev;
		} else {
			if (!find_abbrev(d, abbrev_off, code, &a))
				continue;
			last_off = abbrev_off, last_code = code, last_abbrev = a;
		}
		bool has_stmt = false;
		uint64_t stmt = 0, str_base = 8;
		struct form_val dir = {0};
		while (!a.bad && !u.bad) {
			uint64_t attr = rd_uleb(&a), form = rd_uleb(&a);
			int64_t implicit = form == DW_FORM_implicit_const ? rd_sleb(&a) : 0;
			if (a.bad || (attr == 0 && form == 0))
				break;
			struct form_val v;
			if (!rd_form(&u, form, implicit, &f, &v, 0))
				break;
			if (attr == DW_AT_stmt_list) {
				stmt = v.u;
				has_stmt = true;
			} else if (attr == DW_AT_comp_dir) {
				dir = v;
			} else if (attr == DW_AT_str_offsets_base) {
				str_base = v.u;
			}
		}
		if (!has_stmt)
			continue;
		if (dir.strx && !dir.str && section(d, S_STR_OFFSETS)->data) {
			struct cursor so = cursor_at(section(d, S_STR_OFFSETS), str_base, d->big_endian);
			if (dir.u < UINT64_MAX / osz)
				skip(&so, dir.u * osz);
			uint64_t off = rd_uint(&so, osz);
			if (!so.bad)
				dir.str = sec_str(section(d, S_STR), off);
		}
		if (*count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct cu_dir *bigger = realloc(dirs, ncap * sizeof(*dirs));
			if (!bigger)
				break;
			dirs = bigger;
			cap = ncap;
		}
		dirs[(*count)++] = (struct cu_dir){.stmt_list = stmt, .comp_dir = dir.str};
	}
	if (*count > 1)
		qsort(dirs, *count, sizeof(*dirs), cu_dir_cmp);
	return dirs;
}

static const char *comp_dir_for(const struct cu_dir *dirs, size_t n, uint64_t stmt_list)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dirs[mid].stmt_list < stmt_list)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && dirs[lo].stmt_list == stmt_list ? dirs[lo].comp_dir : NULL;
}

/* --- The table under construction ------------------------------------------------------------ */

struct seq {
	size_t first, n; /* rows[first .. first+n), the last being the end marker */
	uint64_t low, high;
	size_t ord;
};

/* Path strings, deduplicated through an open-addressing hash of arena offsets. */
struct paths {
	char *arena;
	size_t len, cap;
	uint32_t *off; /* by path index */
	size_t n, ncap;
	uint32_t *hash; /* path index + 1, 0 = empty */
	size_t hcap;    /* power of two */
};

struct builder {
	struct dwarf d;
	struct cu_dir *dirs; /* read on the first DWARF 2-4 line program */
	size_t ndirs;
	bool dirs_read;
	struct line_row *rows;
	size_t nrows, rcap;
	struct seq *seqs;
	size_t nseqs, scap;
	struct paths p;
	bool oom;
};

static bool grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return false;
		ncap *= 2;
	}
	void *bigger = realloc(*buf, ncap * elem);
	if (!bigger)
		return false;
	*buf = bigger;
	*cap = ncap;
	return true;
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
	return h;
}

/* Interns the string s (length n, no NUL needed) and returns its index, or END_MARK. */
static uint32_t path_intern(struct builder *b, const char *s, size_t n)
{
	struct paths *p = &b->p;
	if (p->n >= UINT32_MAX - 1 || p->len + n + 1 >= UINT32_MAX) {
		b->oom = true;
		return END_MARK;
	}
	if ((p->n + 1) * 2 > p->hcap) { /* keep the load under one half */
		size_t ncap = p->hcap ? p->hcap * 2 : 256;
		uint32_t *h = calloc(ncap, sizeof(*h));
		if (!h) {
			b->oom = true;
			return END_MARK;
		}
		for (size_t i = 0; i < p->n; i++) {
			const char *q = p->arena + p->off[i];
			size_t j = fnv1a(q, strlen(q)) & (ncap - 1);
			while (h[j])
				j = (j + 1) & (ncap - 1);
			h[j] = (uint32_t)i + 1;
		}
		free(p->hash);
		p->hash = h;
		p->hcap = ncap;
	}
	size_t j = fnv1a(s, n) & (p->hcap - 1);
	for (; p->hash[j]; j = (j + 1) & (p->hcap - 1)) {
		const char *q = p->arena + p->off[p->hash[j] - 1];
		if (strncmp(q, s, n) == 0 && q[n] == '\0')
			return p->hash[j] - 1;
	}
	if (!grow((void **)&p->arena, &p->cap, p->len + n + 1, 1) ||
	    !grow((void **)&p->off, &p->ncap, p->n + 1, sizeof(*p->off))) {
		b->oom = true;
		return END_MARK;
	}
	memcpy(p->arena + p->len, s, n);
	p->arena[p->len + n] = '\0';
	p->off[p->n] = (uint32_t)p->len;
	p->len += n + 1;
	p->hash[j] = (uint32_t)p->n + 1;
	return (uint32_t)p->n++;
}

/* --- One line-number program ----------------------------------------------------------------- */

struct file_entry {
	const char *name;
	uint64_t dir;
	uint32_t path; /* interned path, END_MARK until first used */
};

struct unit {
	unsigned version;
	const char *comp_dir;
	const char **dirs;
	size_t ndirs, dcap;
	struct file_entry *files;
	size_t nfiles, fcap;
};

static void append(char *buf, size_t *len, const char *s)
{
	size_t n = strnlen(s, PATH_CAP - 1 - *len);
	memcpy(buf + *len, s, n);
	*len += n;
}

/* addr2line's rule: absolute names stand alone; a relative one goes below its directory,
 * which, when relative itself, goes below the compilation directory. */
static uint32_t file_path(struct builder *b, struct unit *u, uint64_t index)
{
	static const char unknown[] = "??";
	if (index >= u->nfiles || !u->files[index].name)
		return path_intern(b, unknown, sizeof(unknown) - 1);
	struct file_entry *fe = &u->files[index];
	if (fe->path != END_MARK)
		return fe->path;
	char buf[PATH_CAP];
	size_t len = 0;
	const char *name = fe->name;
	if (name[0] != '/') {
		const char *dir = fe->dir < u->ndirs ? u->dirs[fe->dir] : NULL;
		const char *top = dir && dir[0] == '/' ? NULL : u->comp_dir;
		if (top && top[0]) {
			append(buf, &len, top);
			append(buf, &len, "/");
		}
		if (dir && dir[0]) {
			append(buf, &len, dir);
			append(buf, &len, "/");
		}
	}
	append(buf, &len, name);
	fe->path = path_intern(b, buf, len);
	return fe->path;
}

static bool add_dir(struct unit *u, const char *dir)
{
	if (!grow((void **)&u->dirs, &u->dcap, u->ndirs + 1, sizeof(*u->dirs)))
		return false;
	u->dirs[u->ndirs++] = dir;
	return true;
}

static bool add_file(struct unit *u, const char *name, uint64_t dir)
{
	if (!grow((void **)&u->files, &u->fcap, u->nfiles + 1, sizeof(*u->files)))
		return false;
	u->files[u->nfiles++] = (struct file_entry){.name = name, .dir = dir, .path = END_MARK};
	return true;
}

/* DWARF 5 directory or file table: a list of (content type, form) pairs, then the entries. */
static bool read_v5_entries(struct cursor *h, const struct form_ctx *f, struct unit *u, bool files)
{
	unsigned nformats = (unsigned)rd_uint(h, 1);
	uint64_t formats[2 * 255];
	for (unsigned i = 0; i < nformats; i++) {
		formats[2 * i] = rd_uleb(h);
		formats[2 * i + 1] = rd_uleb(h);
	}
	uint64_t count = rd_uleb(h);
	if (h->bad || (count > 0 && nformats == 0) || count > left(h))
		return false; /* each entry takes at least one byte */
	for (uint64_t i = 0; i < count; i++) {
		const char *path = NULL;
		uint64_t dir = 0;
		for (unsigned k = 0; k < nformats; k++) {
			struct form_val v;
			if (!rd_form(h, formats[2 * k + 1], 0, f, &v, 0))
				return false;
			if (formats[2 * k] == DW_LNCT_path)
				path = v.str; /* strx forms stay unresolved: no base is known here */
			else if (formats[2 * k] == DW_LNCT_directory_index)
				dir = v.u;
		}
		if (files ? !add_file(u, path, dir) : !add_dir(u, path))
			return false;
	}
	return true;
}

static bool read_header_tables(struct cursor *h, const struct form_ctx *f, struct unit *u)
{
	if (u->version >= 5)
		return read_v5_entries(h, f, u, false) && read_v5_entries(h, f, u, true);
	/* DWARF 2-4: directory 0 and file 0 are implicit (the compilation directory, none). */
	if (!add_dir(u, u->comp_dir) || !add_file(u, NULL, 0))
		return false;
	for (;;) {
		const char *dir = rd_str(h);
		if (!dir || !dir[0])
			break;
		if (!add_dir(u, dir))
			return false;
	}
	for (;;) {
		const char *name = rd_str(h);
		if (!name || !name[0])
			break;
		uint64_t dir = rd_uleb(h);
		rd_uleb(h); /* mtime */
		rd_uleb(h); /* length */
		if (h->bad || !add_file(u, name, dir))
			return false;
	}
	return !h->bad;
}

static bool push_row(struct builder *b, uint64_t addr, uint32_t file, uint64_t line)
{
	if (!grow((void **)&b->rows, &b->rcap, b->nrows + 1, sizeof(*b->rows))) {
		b->oom = true;
		return false;
	}
	b->rows[b->nrows++] = (struct line_row){.addr = addr, .file = file, .line = (uint32_t)line};
	return true;
}

struct indexed_row {
	struct line_row row;
	size_t idx;
};

static int indexed_row_cmp(const void *pa, const void *pb)
{
	const struct indexed_row *a = pa, *b = pb;
	if (a->row.addr != b->row.addr)
		return a->row.addr < b->row.addr ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Closes the sequence rows[first..nrows): the last row is the end marker. Rows out of address
 * order (against the standard, but some producers do it) are sorted stably; among rows at one
 * address the last one emitted stays, as in binutils. */
static void end_sequence(struct builder *b, size_t first, bool sorted)
{
	size_t n = b->nrows - first;
	struct line_row *r = b->rows + first;
	if (n < 2) { /* an end marker alone covers nothing */
		b->nrows = first;
		return;
	}
	uint64_t high = r[n - 1].addr;
	size_t body = n - 1;
	if (!sorted) {
		struct indexed_row *tmp = malloc(body * sizeof(*tmp));
		if (!tmp) {
			b->nrows = first;
			b->oom = true;
			return;
		}
		for (size_t i = 0; i < body; i++)
			tmp[i] = (struct indexed_row){.row = r[i], .idx = i};
		qsort(tmp, body, sizeof(*tmp), indexed_row_cmp);
		for (size_t i = 0; i < body; i++)
			r[i] = tmp[i].row;
		free(tmp);
	}
/* Keep the last of equal addresses, drop rows at or past the end marker. */
	size_t out = 0;
	for (size_t i = 0; i < body; i++) {
		if (r[i].addr >= high)
			continue;
		if (out > 0 && r[out - 1].addr == r[i].addr)
			out--;
		r[out++] = r[i];
	}
	if (out == 0 || (b->d.drop_zero && r[0].addr == 0)) {
		b->nrows = first;
		return;
	}
	r[out++] = (struct line_row){.addr = high, .file = END_MARK};
	b->nrows = first + out;
	if (!grow((void **)&b->seqs, &b->scap, b->nseqs + 1, sizeof(*b->seqs))) {
		b->nrows = first;
		b->oom = true;
		return;
	}
	b->seqs[b->nseqs] = (struct seq){.first = first, .n = out, .low = r[0].addr, .high = high,
					 .ord = b->nseqs};
	b->nseqs++;
}

static void run_program(struct builder *b, struct unit *u, struct cursor *c, unsigned addr_size,
			unsigned min_inst, unsigned max_ops, int line_base, unsigned line_range,
			unsigned opcode_base, const uint8_t *std_lens)
{
	uint64_t addr = 0, line = 1, file = 1, op_index = 0;
	uint32_t path = END_MARK; /* interned path of file, END_MARK until needed */
	size_t first = b->nrows;
	bool sorted = true;

#define EMIT()                                                                                 \
	do {                                                                                   \
		if (path == END_MARK)                                                          \
			path = file_path(b, u, file);                                          \
		if (path == END_MARK)                                                          \
			goto done;                                                             \
		if (b->nrows > first && b->rows[b->nrows - 1].addr > addr)                     \
			sorted = false;                                                        \
		if (!push_row(b, addr, path, line))                                            \
			goto done;                                                             \
	} while (0)

	/* Advance by operation count: VLIW machines (max_ops > 1) step op_index first. */
#define ADVANCE(ops)                                                                           \
	do {                                                                                   \
		uint64_t adv_ = (ops);                                                         \
		if (max_ops == 1) {                                                            \
			addr += min_inst * adv_;                                               \
		} else {                                                                       \
			addr += min_inst * ((op_index + adv_) / max_ops);                      \
			op_index = (op_index + adv_) % max_ops;                                \
		}                                                                              \
	} while (0)

	/* Special opcodes, the bulk of every program, decoded once per unit instead of two
	 * divisions per row. */
	uint8_t op_adv[256];
	int16_t line_adv[256];
	for (unsigned op = opcode_base; op < 256; op++) {
		op_adv[op] = (uint8_t)((op - opcode_base) / line_range);
		line_adv[op] = (int16_t)(line_base + (int)((op - opcode_base) % line_range));
	}

	while (!c->bad && c->p < c->end) {
		unsigned op = *c->p++;
		if (op >= opcode_base) {
			ADVANCE(op_adv[op]);
			line += (uint64_t)(int64_t)line_adv[op];
			EMIT();
			continue;
		}
		switch (op) {
		case 0: {
			uint64_t len = rd_uleb(c);
			if (c->bad || len == 0 || len > left(c))
				goto done;
			struct cursor e = {.p = c->p, .end = c->p + len, .big_endian = c->big_endian};
			c->p += len;
			unsigned sub = (unsigned)rd_uint(&e, 1);
			if (sub == DW_LNE_end_sequence) {
				if (!push_row(b, addr, END_MARK, 0))
					goto done;
				end_sequence(b, first, sorted);
				first = b->nrows;
				sorted = true;
				addr = 0, line = 1, file = 1, op_index = 0;
				path = END_MARK;
			} else if (sub == DW_LNE_set_address) {
				unsigned n = (unsigned)(len - 1);
				if (n >= 1 && n <= 8)
					addr = rd_uint(&e, n);
				else if (addr_size)
					addr = rd_uint(&e, addr_size);
				op_index = 0;
			} else if (sub == DW_LNE_define_file && u->version < 5) {
				const char *name = rd_str(&e);
				uint64_t dir = rd_uleb(&e);
				if (name && !e.bad && !add_file(u, name, dir)) {
					b->oom = true;
					goto done;
				}
			}
			/* DW_LNE_set_discriminator and vendor extensions: skipped by length. */
			break;
		}
		case DW_LNS_copy: EMIT(); break;
		case DW_LNS_advance_pc: ADVANCE(rd_uleb(c)); break;
		case DW_LNS_advance_line: line += (uint64_t)rd_sleb(c); break;
		case DW_LNS_set_file:
			file = rd_uleb(c);
			path = END_MARK;
			break;
		case DW_LNS_const_add_pc: ADVANCE((255 - opcode_base) / line_range); break;
		case DW_LNS_fixed_advance_pc:
			addr += rd_uint(c, 2);
			op_index = 0;
			break;
		case DW_LNS_set_column: case DW_LNS_set_isa:
		case DW_LNS_negate_stmt: case DW_LNS_set_basic_block:
		case DW_LNS_set_prologue_end: case DW_LNS_set_epilogue_begin:
		default:
			/* Operands as the header declares them (it may redefine standard ones). */
			for (unsigned i = 0; i < std_lens[op - 1]; i++)
				rd_uleb(c);
			break;
		}
	}
done:
	/* A sequence without its end marker is dropped. */
	b->nrows = first;
#undef EMIT
#undef ADVANCE
}

static void read_line_unit(struct builder *b, struct cursor *c, unsigned osz, uint64_t unit_off,
			   struct unit *u)
{
	struct form_ctx f = {.d = &b->d, .offset_size = osz};
	f.version = u->version = (unsigned)rd_uint(c, 2);
	if (u->version < 2 || u->version > 5)
		return;
	if (u->version >= 5) {
		f.addr_size = (unsigned)rd_uint(c, 1);
		rd_uint(c, 1); /* segment selector size */
		if (f.addr_size > 8)
			f.addr_size = 0;
	}
	uint64_t header_len = rd_uint(c, osz);
	if (c->bad || header_len > left(c))
		return;
	struct cursor h = {.p = c->p, .end = c->p + header_len, .big_endian = c->big_endian};
	struct cursor prog = {.p = c->p + header_len, .end = c->end, .big_endian = c->big_endian};

	unsigned min_inst = (unsigned)rd_uint(&h, 1);
	unsigned max_ops = u->version >= 4 ? (unsigned)rd_uint(&h, 1) : 1;
	rd_uint(&h, 1); /* default_is_stmt: lines are looked up regardless, as addr2line does */
	int line_base = (int8_t)rd_uint(&h, 1);
	unsigned line_range = (unsigned)rd_uint(&h, 1);
	unsigned opcode_base = (unsigned)rd_uint(&h, 1);
	const uint8_t *std_lens = h.p;
	if (opcode_base > 0)
		skip(&h, opcode_base - 1);
	if (h.bad || line_range == 0 || opcode_base == 0)
		return;
	if (max_ops == 0)
		max_ops = 1;

	if (u->version < 5 && !b->dirs_read) {
		b->dirs = read_comp_dirs(&b->d, &b->ndirs);
		b->dirs_read = true;
	}
	/* DWARF 5 line headers carry the compilation directory as directory 0. */
	u->comp_dir = u->version < 5 ? comp_dir_for(b->dirs, b->ndirs, unit_off) : NULL;
	u->ndirs = u->nfiles = 0;
	if (!read_header_tables(&h, &f, u))
		return;
	if (u->version >= 5 && !u->comp_dir && u->ndirs > 0)
		u->comp_dir = u->dirs[0];
	run_program(b, u, &prog, f.addr_size, min_inst, max_ops, line_base, line_range, opcode_base,
		    std_lens);
}

static int seq_cmp(const void *pa, const void *pb)
{
	const struct seq *a = pa, *b = pb;
	if (a->low != b->low)
		return a->low < b->low ? -1 : 1;
	if (a->high != b->high)
		return a->high > b->high ? -1 : 1; /* the larger range first */
	return (a->ord > b->ord) - (a->ord < b->ord);
}

/* Sequences in address order, nested ones dropped, overlapping ones trimmed at the previous
 * end (binutils' rule), into one array; rows repeating their predecessor are merged. */
static struct line_row *flatten(struct builder *b, size_t *count)
{
	*count = 0;
	if (b->nseqs == 0)
		return NULL;
	qsort(b->seqs, b->nseqs, sizeof(*b->seqs), seq_cmp);
	struct line_row *out = malloc(b->nrows * sizeof(*out));
	if (!out)
		return NULL;
	size_t n = 0;
	uint64_t last_high = 0;
	for (size_t i = 0; i < b->nseqs; i++) {
		const struct seq *s = &b->seqs[i];
		const struct line_row *r = b->rows + s->first;
		size_t k = 0;
		if (i > 0 && s->low < last_high) {
			if (s->high <= last_high)
				continue; /* nested */
			while (k + 1 < s->n && r[k + 1].addr <= last_high)
				k++;
		}
		for (; k < s->n; k++) {
			struct line_row row = r[k];
			if (i > 0 && row.addr < last_high)
				row.addr = last_high; /* the trimmed start */
			if (n > 0 && out[n - 1].file == END_MARK && out[n - 1].addr == row.addr)
				n--; /* this sequence starts where the previous one ended */
			if (n > 0 && row.file != END_MARK && out[n - 1].file == row.file &&
			    out[n - 1].line == row.line)
				continue;
			out[n++] = row;
		}
		last_high = s->high;
	}
	*count = n;
	return out;
}

static void builder_free(struct builder *b)
{
	free(b->dirs);
	free(b->rows);
	free(b->seqs);
	free(b->p.arena);
	free(b->p.off);
	free(b->p.hash);
}

struct sym_lines *sym_lines_open_elf(struct Elf *elf)
{
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		return NULL;
	struct builder b = {0};
	const char *ident = elf_getident(elf, NULL);
	GElf_Ehdr eh;
	if (!ident || !gelf_getehdr(elf, &eh))
		return NULL;
	b.d.big_endian = ident[EI_DATA] == ELFDATA2MSB;
	b.d.drop_zero = eh.e_type == ET_EXEC || eh.e_type == ET_DYN;
	find_sections(elf, &b.d);
	if (!section(&b.d, S_LINE)->data)
		return NULL;

	struct unit u = {0};
	struct cursor c = cursor_at(&b.d.sec[S_LINE], 0, b.d.big_endian);
	while (!c.bad && left(&c) > 0 && !b.oom) {
		uint64_t off = (uint64_t)(c.p - b.d.sec[S_LINE].data);
		struct cursor unit;
		unsigned osz;
		if (!rd_unit(&c, &unit, &osz))
			break;
		read_line_unit(&b, &unit, osz, off, &u);
	}
	free(u.dirs);
	free(u.files);

	struct sym_lines *l = calloc(1, sizeof(*l));
	if (l)
		l->rows = flatten(&b, &l->nrows);
	if (!l || !l->rows || l->nrows == 0) {
		free(l ? l->rows : NULL);
		free(l);
		builder_free(&b);
		return NULL;
	}
	/* Hand the path arena over; give back the slack of the row array. */
	struct line_row *fitted = realloc(l->rows, l->nrows * sizeof(*l->rows));
	if (fitted)
		l->rows = fitted;
	l->nindex = (l->nrows + BLOCK - 1) / BLOCK;
	l->index = malloc(l->nindex * sizeof(*l->index));
	for (size_t i = 0; l->index && i < l->nindex; i++)
		l->index[i] = l->rows[i * BLOCK].addr;
	l->arena = b.p.arena;
	l->paths = b.p.off;
	l->npaths = b.p.n;
	b.p.arena = NULL;
	b.p.off = NULL;
	builder_free(&b);
	return l;
}

struct sym_lines *sym_lines_open(const char *path)
{
	struct stat st;
	int fd = sym_open_untrusted("", path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	struct sym_lines *l = elf ? sym_lines_open_elf(elf) : NULL;
	if (elf)
		elf_end(elf);
	close(fd);
	return l;
}

bool sym_lines_lookup(const struct sym_lines *l, uint64_t vaddr, const char **file, unsigned *line)
{
	if (!l)
		return false;
	size_t lo = 0, hi = l->nrows;
	if (l->index) { /* narrow to one block through the small index first */
		size_t ilo = 0, ihi = l->nindex;
		while (ilo < ihi) {
			size_t mid = ilo + (ihi - ilo) / 2;
			if (l->index[mid] <= vaddr)
				ilo = mid + 1;
			else
				ihi = mid;
		}
		if (ilo == 0)
			return false;
		lo = (ilo - 1) * BLOCK;
		hi = lo + BLOCK < l->nrows ? lo + BLOCK : l->nrows;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->rows[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || l->rows[lo - 1].file == END_MARK || l->rows[lo - 1].file >= l->npaths)
		return false;
	const struct line_row *r = &l->rows[lo - 1];
	*file = l->arena + l->paths[r->file];
	*line = r->line;
	return true;
}

size_t sym_lines_count(const struct sym_lines *l)
{
	return l ? l->nrows : 0;
}

void sym_lines_close(struct sym_lines *l)
{
	if (!l)
		return;
	free(l->rows);
	free(l->index);
	free(l->arena);
	free(l->paths);
	free(l);
}
