/* Remote DWARF unwinding of captured user stacks with libunwind; see unwind.h. */
#include "symbolize/unwind.h"
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <libunwind.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/sys/sys.h"
#include "symbolize/elf_section.h"
#include "symbolize/internal.h"

/* Not in libunwind's public headers, but exported: the binary search of an .eh_frame_hdr
 * table read through the address space's accessors (perf uses it the same way). */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

/* --- Files --------------------------------------------------------------------------------- */

struct ufile {
	struct ufile *next;
	uint64_t dev, ino;
	bool loaded;
	const unsigned char *data;  /* whole file, read-only mapping; NULL if unreadable */
	size_t size;
	struct sys_elf_segment *segs;
	size_t nsegs;
	bool has_hdr;
	uint64_t hdr_vaddr, hdr_offset; /* .eh_frame_hdr (PT_GNU_EH_FRAME) */
	uint64_t table_off;             /* offset of the search table from the header */
	uint64_t fde_count;
	/* No .eh_frame_hdr (static executables are linked without one): a search table built
	 * here from .eh_frame, served to libunwind at a fake address (table_id). */
	uint32_t *table;          /* pairs (pc, fde) relative to eh_vaddr, sorted by pc */
	uint64_t eh_vaddr;
	int table_id;
	char path[];
};

struct umap {
	uint64_t start, end, pgoff;  /* start and end first: a struct sys_range */
	struct ufile *file;  /* NULL for anonymous mappings */
};

struct uproc {
	struct uproc *next;
	pid_t pid;
	struct umap *maps;
	size_t nmaps;
	time_t loaded_at;
	unw_addr_space_t as;
};

#define BUCKETS 256
#define FAKE_BASE 0xff00000000000000ULL   /* non-canonical: never a user address */
#define FAKE_SHIFT 36
struct sym_unwinder {
	struct ufile *files[BUCKETS];
	struct ufile **tables;    /* files with a built table, by table_id - 1 */
	int ntables;
	struct uproc *procs[BUCKETS];
	unw_accessors_t acc;
};

/* One unwind: what the accessors see. */
struct uctx {
	struct sym_unwinder *u;
	struct uproc *p;
	const uint64_t *regs;
	const unsigned char *stack;
	size_t stack_size;
};

static time_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

/* Reads an .eh_frame_hdr value of encoding enc (absptr/udata/sdata 2, 4, 8 bytes); the
 * pointer-relative part does not matter for the count and the table position. */
static bool enc_size(unsigned enc, size_t *n)
{
	switch (enc & 0x0f) {
	case 0x00: case 0x04: case 0x0c: *n = 8; return true;
	case 0x02: case 0x0a: *n = 2; return true;
	case 0x03: case 0x0b: *n = 4; return true;
	default: return false;
	}
}

static void parse_hdr(struct ufile *f)
{
	const unsigned char *h;
	size_t n1, n2;
	uint64_t count = 0;

	if (f->hdr_offset + 4 > f->size)
		return;
	h = f->data + f->hdr_offset;
	/* version 1; the table must be datarel|sdata4 (0x3b), the only form libunwind searches */
	if (h[0] != 1 || h[3] != 0x3b || !enc_size(h[1], &n1) || !enc_size(h[2], &n2))
		return;
	if (f->hdr_offset + 4 + n1 + n2 > f->size)
		return;
	memcpy(&count, h + 4 + n1, n2);   /* little-endian host and file */
	if (n2 == 2)
		count &= 0xffff;
	else if (n2 == 4)
		count &= 0xffffffffu;
	f->table_off = 4 + n1 + n2;
	f->fde_count = count;
	f->has_hdr = count > 0 && f->hdr_offset + f->table_off + count * 8 <= f->size;
}

/* --- .eh_frame without .eh_frame_hdr ------------------------------------------------------- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t rd_n(struct rd *r, size_t n)
{
	uint64_t v = 0;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = true;
		r->p = r->end;
		return 0;
	}
	memcpy(&v, r->p, n);
	r->p += n;
	return v;
}

static uint64_t rd_uleb(struct rd *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; r->p < r->end; shift += 7) {
		unsigned char b = *r->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return v;
}

/* A pointer of DW_EH_PE encoding enc at vaddr `at`; pcrel and absolute are what x86_64 uses. */
static bool rd_ptr(struct rd *r, unsigned enc, uint64_t at, uint64_t *out)
{
	uint64_t v;

	if (enc == 0xff)   /* omit */
		return false;
	switch (enc & 0x0f) {
	case 0x00: v = rd_n(r, 8); break;
	case 0x01: v = rd_uleb(r); break;
	case 0x02: v = rd_n(r, 2); break;
	case 0x03: v = rd_n(r, 4); break;
	case 0x04: v = rd_n(r, 8); break;
	case 0x09: v = rd_uleb(r); break;   /* sleb: values here are never negative */
	case 0x0a: v = (uint64_t)(int64_t)(int16_t)rd_n(r, 2); break;
	case 0x0b: v = (uint64_t)(int64_t)(int32_t)rd_n(r, 4); break;
	case 0x0c: v = rd_n(r, 8); break;
	default: r->bad = true; return false;
	}
	switch (enc & 0x70) {
	case 0x00: break;
	case 0x10: v += at; break;
	default: r->bad = true; return false;
	}
	*out = v;
	return !r->bad;
}

/* The FDE pointer encoding of the CIE at c (its id field already read). */
static unsigned cie_fde_enc(struct rd c)
{
	const char *aug;
	unsigned version = (unsigned)rd_n(&c, 1), enc = 0;

	aug = (const char *)c.p;
	while (c.p < c.end && *c.p)
		c.p++;
	if (c.p++ >= c.end)
		return 0xff;
	if (aug[0] == 'e' && aug[1] == 'h')
		rd_n(&c, 8);
	rd_uleb(&c);          /* code alignment */
	rd_uleb(&c);          /* data alignment (sleb) */
	if (version == 1)
		rd_n(&c, 1);
	else
		rd_uleb(&c);
	if (aug[0] != 'z')
		return 0;     /* absolute pointers */
	rd_uleb(&c);
	for (const char *a = aug + 1; *a && !c.bad; a++) {
		uint64_t skip;
		if (*a == 'R')
			return (unsigned)rd_n(&c, 1);
		else if (*a == 'L')
			rd_n(&c, 1);
		else if (*a == 'P') {
			unsigned penc = (unsigned)rd_n(&c, 1);
			rd_ptr(&c, penc & 0x7f, 0, &skip);
		} else if (*a != 'S' && *a != 'B')
			break;
	}
	return enc;
}

struct pair {
	uint32_t pc, fde;
};

static int by_pc(const void *a, const void *b)
{
	int32_t x = (int32_t)((const struct pair *)a)->pc, y = (int32_t)((const struct pair *)b)->pc;
	return (x > y) - (x < y);
}

/* Builds f->table from the .eh_frame section at [off, off + size) of the file, vaddr. */
static void build_table(struct sym_unwinder *u, struct ufile *f, uint64_t off, uint64_t size,
			uint64_t vaddr)
{
	const unsigned char *sec = f->data + off;
	struct pair *pairs = NULL;
	size_t n = 0, cap = 0;
	struct rd r = { sec, sec + size };

	if (off + size > f->size)
		return;
	while (r.p + 4 <= r.end && !r.bad) {
		const unsigned char *rec = r.p;
		uint64_t len = rd_n(&r, 4), at_pc, pc;
		bool ext = len == 0xffffffffu;
		const unsigned char *body, *next;
		uint32_t id;

		if (len == 0)
			break;
		if (ext)
			len = rd_n(&r, 8);
		body = r.p;
		if (r.bad || len > (uint64_t)(r.end - body))
			break;
		next = body + len;
		id = (uint32_t)rd_n(&r, ext ? 8 : 4);
		if (id != 0 && (uint64_t)(body - sec) >= id) {   /* an FDE; id: back to its CIE */
			const unsigned char *cie = body - id;
			struct rd c = { cie, r.end };
			uint64_t clen = rd_n(&c, 4);
			unsigned enc;

			if (clen == 0xffffffffu)
				rd_n(&c, 8);
			rd_n(&c, clen == 0xffffffffu ? 8 : 4);    /* CIE id */
			enc = cie_fde_enc(c);
			at_pc = vaddr + (uint64_t)(r.p - sec);
			struct rd pr = { r.p, next };
			if (enc != 0xff && rd_ptr(&pr, enc, at_pc, &pc) && pc) {
				int64_t rel_pc = (int64_t)(pc - vaddr), rel_fde = (int64_t)(rec - sec);
				if (rel_pc == (int32_t)rel_pc) {
					if (n == cap) {
						struct pair *bigger = realloc(pairs, (cap = cap ? cap * 2 : 256) * sizeof(*pairs));
						if (!bigger)
							break;
						pairs = bigger;
					}
					pairs[n++] = (struct pair){ (uint32_t)rel_pc, (uint32_t)rel_fde };
				}
			}
		}
		r.p = next;
	}
	if (!n) {
		free(pairs);
		return;
	}
	qsort(pairs, n, sizeof(*pairs), by_pc);
	struct ufile **bigger = realloc(u->tables, (u->ntables + 1) * sizeof(*bigger));
	if (!bigger) {
		free(pairs);
		return;
	}
	u->tables = bigger;
	u->tables[u->ntables++] = f;
	f->table_id = u->ntables;
	f->table = (uint32_t *)pairs;
	f->fde_count = n;
	f->eh_vaddr = vaddr;
}

static void load_file(struct sym_unwinder *u, struct ufile *f, pid_t pid, const struct umap *m)
{
	char buf[128], root[32];
	struct stat st;
	int fd;

	/* The mapped inode itself through map_files, else the path inside the process's root; ours
	 * only when that root is gone. */
	snprintf(buf, sizeof(buf), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)pid, m->start, m->end);
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	fd = sym_open_untrusted("", buf, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0)
		fd = sym_open_untrusted(root, f->path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0 && sym_root_unreachable(root))
		fd = sym_open_untrusted("", f->path, SYS_UNTRUSTED_ELF_MAX, &st);
	if (fd < 0)
		return;
	if (st.st_size > 0) {
		void *p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			f->data = p;
			f->size = st.st_size;
		}
	}
	if (f->data) {
		elf_version(EV_CURRENT);
		Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		GElf_Phdr ph;
		if (elf && elf_kind(elf) == ELF_K_ELF && (f->segs = sys_elf_load_segments(elf, &f->nsegs))) {
			if (sys_elf_phdr(elf, PT_GNU_EH_FRAME, &ph)) {
				f->hdr_vaddr = ph.p_vaddr;
				f->hdr_offset = ph.p_offset;
				parse_hdr(f);
			}
			GElf_Shdr sh;
			if (!f->has_hdr && sym_elf_section(elf, ".eh_frame", &sh))
				build_table(u, f, sh.sh_offset, sh.sh_size, sh.sh_addr);
		}
		if (elf)
			elf_end(elf);
	}
	close(fd);
}

static struct ufile *file_get(struct sym_unwinder *u, uint64_t dev, uint64_t ino, const char *path)
{
	size_t b = (size_t)((dev * 31 + ino) * 0x9e3779b97f4a7c15ULL >> 56) % BUCKETS;
	struct ufile *f;

	for (f = u->files[b]; f; f = f->next)
		if (f->dev == dev && f->ino == ino && !strcmp(f->path, path))
			return f;
	f = calloc(1, sizeof(*f) + strlen(path) + 1);
	if (!f)
		return NULL;
	f->dev = dev;
	f->ino = ino;
	strcpy(f->path, path);
	f->next = u->files[b];
	u->files[b] = f;
	return f;
}

/* --- Processes ----------------------------------------------------------------------------- */

static bool fill_umap(void *ctx, const struct sys_mapping *m, void *elem)
{
	struct sym_unwinder *u = ctx;

	*(struct umap *)elem = (struct umap){m->start, m->end, m->offset, NULL};
	if (m->path[0] == '/' && m->inode)
		((struct umap *)elem)->file = file_get(u, (uint64_t)m->major << 32 | m->minor, m->inode, m->path);
	return true;
}

static bool load_maps(struct sym_unwinder *u, struct uproc *p)
{
	p->loaded_at = now_s();
	return sys_maps_reload(p->pid, sizeof(*p->maps), fill_umap, u, &p->maps, &p->nmaps);
}

static const struct umap *find_map(struct sym_unwinder *u, struct uproc *p, uint64_t addr)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct umap *m = sys_range_find(p->maps, p->nmaps, sizeof(*p->maps), addr);

		if (m)
			return m;
		/* a library mapped since: re-read, at most once a second */
		if (pass || now_s() == p->loaded_at || !load_maps(u, p))
			break;
	}
	return NULL;
}

static struct ufile *map_file(struct uctx *c, const struct umap *m)
{
	struct ufile *f = m->file;

	if (f && !f->loaded) {
		f->loaded = true;
		load_file(c->u, f, c->p->pid, m);
	}
	return f && f->data ? f : NULL;
}

/* --- libunwind accessors ------------------------------------------------------------------- */

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct uctx *c = arg;
	const struct umap *m = find_map(c->u, c->p, ip);
	struct ufile *f = m ? map_file(c, m) : NULL;
	const struct sys_elf_segment *seg = NULL;
	unw_dyn_info_t di;
	uint64_t bias;

	if (!f || (!f->has_hdr && !f->table))
		return -UNW_ENOINFO;
	/* the load bias, from the segment this mapping maps */
	for (size_t i = 0; i < f->nsegs; i++) {
		const struct sys_elf_segment *s = &f->segs[i];
		if (m->pgoff + 4095 >= s->offset && m->pgoff < s->offset + s->filesz &&
		    (!seg || s->exec))
			seg = s;
	}
	if (!seg)
		return -UNW_ENOINFO;
	bias = m->start - m->pgoff + seg->offset - seg->vaddr;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = m->start;
	di.end_ip = m->end;
	if (f->has_hdr) {
		di.u.rti.segbase = bias + f->hdr_vaddr;
		di.u.rti.table_data = bias + f->hdr_vaddr + f->table_off;
	} else {
		di.u.rti.segbase = bias + f->eh_vaddr;
		di.u.rti.table_data = FAKE_BASE + ((uint64_t)f->table_id << FAKE_SHIFT);
	}
	di.u.rti.table_len = f->fde_count * 8 / sizeof(unw_word_t);
	return UNW_OBJ(dwarf_search_unwind_table)(as, ip, &di, pi, need_unwind_info, arg);
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dilap, void *arg)
{
	return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp, int write, void *arg)
{
	struct uctx *c = arg;
	uint64_t sp = c->regs[SYM_REG_SP];
	const struct umap *m;
	struct ufile *f;
	uint64_t off;

	if (write)
		return -UNW_EINVAL;
	if (addr >= sp && addr - sp + sizeof(*valp) <= c->stack_size) {
		memcpy(valp, c->stack + (addr - sp), sizeof(*valp));
		return 0;
	}
	if (addr >= FAKE_BASE) {   /* a search table built from .eh_frame */
		uint64_t id = (addr - FAKE_BASE) >> FAKE_SHIFT, at = addr & ((1ULL << FAKE_SHIFT) - 1);
		if (id < 1 || id > (uint64_t)c->u->ntables)
			return -UNW_EINVAL;
		f = c->u->tables[id - 1];
		if (at + sizeof(*valp) > f->fde_count * 8) {
			/* an aligned word straddling the end: pad with zeroes */
			if (at >= f->fde_count * 8)
				return -UNW_EINVAL;
			*valp = 0;
			memcpy(valp, (const char *)f->table + at, f->fde_count * 8 - at);
			return 0;
		}
		memcpy(valp, (const char *)f->table + at, sizeof(*valp));
		return 0;
	}
	m = find_map(c->u, c->p, addr);
	f = m ? map_file(c, m) : NULL;
	if (!f)
		return -UNW_EINVAL;
	off = addr - m->start + m->pgoff;
	if (off + sizeof(*valp) > f->size)
		return -UNW_EINVAL;
	memcpy(valp, f->data + off, sizeof(*valp));
	return 0;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *valp, int write, void *arg)
{
	struct uctx *c = arg;

	if (write || reg < 0 || reg >= SYM_UNWIND_NREGS)
		return -UNW_EBADREG;
	*valp = c->regs[reg];
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
	return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *cu, void *arg)
{
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *offp, void *arg)
{
	return -UNW_EINVAL;
}

/* --- API ----------------------------------------------------------------------------------- */

struct sym_unwinder *sym_unwinder_new(void)
{
	struct sym_unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->acc = (unw_accessors_t){
		.find_proc_info = find_proc_info,
		.put_unwind_info = put_unwind_info,
		.get_dyn_info_list_addr = get_dyn_info_list_addr,
		.access_mem = access_mem,
		.access_reg = access_reg,
		.access_fpreg = access_fpreg,
		.resume = resume,
		.get_proc_name = get_proc_name,
	};
	return u;
}

void sym_unwinder_free(struct sym_unwinder *u)
{
	if (!u)
		return;
	for (int b = 0; b < BUCKETS; b++) {
		for (struct uproc *p = u->procs[b], *n; p; p = n) {
			n = p->next;
			if (p->as)
				unw_destroy_addr_space(p->as);
			free(p->maps);
			free(p);
		}
		for (struct ufile *f = u->files[b], *n; f; f = n) {
			n = f->next;
			if (f->data)
				munmap((void *)f->data, f->size);
			free(f->segs);
			free(f->table);
			free(f);
		}
	}
	free(u->tables);
	free(u);
}

static struct uproc *proc_get(struct sym_unwinder *u, pid_t pid)
{
	size_t b = (size_t)pid % BUCKETS;
	struct uproc *p;

	for (p = u->procs[b]; p; p = p->next)
		if (p->pid == pid)
			return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->as = unw_create_addr_space(&u->acc, 0);
	if (!p->as) {
		free(p);
		return NULL;
	}
	/* per process: the cache is keyed by ip, which means something else in another process */
	unw_set_caching_policy(p->as, UNW_CACHE_GLOBAL);
	load_maps(u, p);
	p->next = u->procs[b];
	u->procs[b] = p;
	return p;
}

int sym_unwind(struct sym_unwinder *u, pid_t pid, const uint64_t regs[SYM_UNWIND_NREGS],
	       const void *stack, size_t stack_size, uint64_t *ips, int max)
{
	struct uctx c = { .u = u, .regs = regs, .stack = stack, .stack_size = stack_size };
	unw_cursor_t cur;
	int n = 0;

	if (!u || max <= 0 || !regs[SYM_REG_IP])
		return 0;
	ips[n++] = regs[SYM_REG_IP];
	c.p = proc_get(u, pid);
	if (!c.p || unw_init_remote(&cur, c.p->as, &c) < 0)
		return n;
	while (n < max && unw_step(&cur) > 0) {
		unw_word_t ip;

		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || !ip)
			break;
		ips[n++] = ip;
	}
	return n;
}

int sym_entry_caller_fix(uint64_t *ips, int n, int cap, uint64_t ret, uint64_t next)
{
	bool kernel_added = n >= 2 && ips[1] == ret && (n >= 3 ? ips[2] == next : next != ret);

	if (!ret || n < 1 || cap < 2 || kernel_added)
		return n;
	if (n == cap)
		n--;
	memmove(ips + 2, ips + 1, (n - 1) * sizeof(*ips));
	ips[1] = ret;
	return n + 1;
}
