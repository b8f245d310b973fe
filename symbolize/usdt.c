/* USDT probe notes and argument specs; see usdt.h. Note layout (SystemTap's sys/sdt.h): an
 * SHT_NOTE section ".note.stapsdt" of notes named "stapsdt", type 3, whose descriptor holds three
 * addresses (probe pc, .stapsdt.base, semaphore; 4 or 8 bytes each by ELF class) followed by
 * three NUL-terminated strings: provider, name, argument spec. */
#include "symbolize/usdt.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/sys/sys.h"
#include "symbolize/elf_section.h"
#include "symbolize/internal.h"

#define NT_STAPSDT 3

/* ---- notes of one file ------------------------------------------------------------------ */

static uint64_t read_addr(const unsigned char *p, int width)
{
	uint32_t a32;
	uint64_t a64;

	if (width == 4) {
		memcpy(&a32, p, 4);
		return a32;
	}
	memcpy(&a64, p, 8);
	return a64;
}

/* Decodes one note descriptor into p; false when malformed. */
static bool decode_note(const unsigned char *desc, size_t size, int width, struct bcct_usdt_probe *p)
{
	const char *s = (const char *)desc + 3 * width, *end = (const char *)desc + size;
	const char *strs[3];

	if (size < (size_t)3 * width + 3)
		return false;
	p->pc = read_addr(desc, width);
	p->base = read_addr(desc + width, width);
	p->semaphore = read_addr(desc + 2 * width, width);
	for (int i = 0; i < 3; i++) {
		const char *nul = memchr(s, 0, end - s);

		if (!nul)
			return false;
		strs[i] = s;
		s = nul + 1;
	}
	p->provider = strs[0];
	p->name = strs[1];
	p->args = strs[2];
	return true;
}

static int walk_notes(Elf *elf, const char *path, bcct_usdt_fn fn, void *ctx)
{
	int width = gelf_getclass(elf) == ELFCLASS32 ? 4 : 8;
	GElf_Shdr sh, base_sh;
	bool has_base = sym_elf_section(elf, ".stapsdt.base", &base_sh) != NULL;
	Elf_Scn *scn = sym_elf_section(elf, ".note.stapsdt", &sh);
	Elf_Data *data = scn && sh.sh_type == SHT_NOTE ? elf_getdata(scn, NULL) : NULL;
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	if (!data)
		return 0;
	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		struct bcct_usdt_probe p = { .path = path };
		int ret;

		if (nh.n_type != NT_STAPSDT || nh.n_namesz != sizeof("stapsdt") ||
		    memcmp((char *)data->d_buf + name_off, "stapsdt", sizeof("stapsdt")))
			continue;
		if (!decode_note((unsigned char *)data->d_buf + desc_off, nh.n_descsz, width, &p))
			continue;
		/* Prelinked files moved .stapsdt.base after the notes were written: shift by as much. */
		if (has_base && p.base) {
			uint64_t shift = base_sh.sh_addr - p.base;

			p.pc += shift;
			if (p.semaphore)
				p.semaphore += shift;
		}
		if (!sys_elf_vaddr_to_offset(elf, p.pc, &p.pc_offset))
			p.pc_offset = 0;
		ret = fn(ctx, &p);
		if (ret)
			return ret;
	}
	return 0;
}

/* The notes of the ELF file open as fd, named path; fd is closed. */
static int foreach_in_fd(int fd, const char *path, bcct_usdt_fn fn, void *ctx)
{
	Elf *elf;
	int ret;

	if (fd < 0)
		return errno == EINVAL || errno == EFBIG ? -ENOEXEC : -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		ret = -ENOEXEC;
	else
		ret = walk_notes(elf, path, fn, ctx);
	elf_end(elf);
	close(fd);
	return ret;
}

int bcct_usdt_foreach_file(const char *path, const char *open_path, bcct_usdt_fn fn, void *ctx)
{
	struct stat st;

	return foreach_in_fd(sym_open_untrusted("", open_path ? open_path : path, SYS_UNTRUSTED_ELF_MAX, &st),
			     path, fn, ctx);
}

/* ---- files of a process ----------------------------------------------------------------- */

/* Adds a copy of path to the set; false if it was already there (or memory ran out). */
static bool first_time(char ***seen, size_t *n, const char *path)
{
	char **more, *copy;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*seen)[i], path))
			return false;
	more = realloc(*seen, (*n + 1) * sizeof(*more));
	if (!more)
		return false;
	*seen = more;
	if (!(copy = strdup(path)))
		return false;
	more[(*n)++] = copy;
	return true;
}

int bcct_usdt_foreach_pid(pid_t pid, bcct_usdt_fn fn, void *ctx)
{
	char path[SYS_MAPS_LINE_MAX], **seen = NULL;
	struct sys_maps it;
	struct sys_mapping m;
	size_t nseen = 0;
	int ret = 0;

	if (!sys_maps_open(&it, pid))
		return errno ? -errno : -ESRCH;
	while (!ret && sys_maps_next(&it, &m)) {
		struct stat st;

		/* Executable file mappings, each file once, by its name without " (deleted)". */
		if (!m.exec || m.path[0] != '/')
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)m.file_len, m.path);
		if (!first_time(&seen, &nseen, path))
			continue;
		/* The mapped inode itself (a container's file, not ours of that name), named as the
		 * process sees it. */
		ret = foreach_in_fd(sys_open_mapped(pid, &m, SYS_UNTRUSTED_ELF_MAX, &st),
				    sys_pid_view(pid, path, path, sizeof(path)), fn, ctx);
		/* A file gone or unreadable since it was mapped is skipped, not fatal; so is one
		 * replaced by what is not a plausible ELF file, or by a link out of the root. */
		if (ret == -ENOENT || ret == -EACCES || ret == -EPERM || ret == -ENOEXEC ||
		    ret == -ELOOP || ret == -EXDEV || ret == -ESTALE || ret == -ENOTDIR)
			ret = 0;
	}
	sys_maps_close(&it);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return ret;
}

/* ---- argument specs (x86-64 and arm64) -------------------------------------------------- */
/* The two spellings do not overlap: x86-64's registers start with '%', its constants with '$'
 * and its memory operands have parentheses; arm64's are "x3", "sp", "-5" and "[x1, 8]". Both are
 * parsed everywhere; a register of the other architecture then fails where the probe compiler
 * looks it up (ct_pt_regs_offset). */

/* Register spellings to BCC's names and the width the spelling implies. */
static const struct {
	const char *name, *norm;
	int width;
} x86_regs[] = {
	{ "rax", "ax", 8 }, { "eax", "ax", 4 }, { "ax", "ax", 2 }, { "al", "ax", 1 }, { "ah", "ax", 1 },
	{ "rbx", "bx", 8 }, { "ebx", "bx", 4 }, { "bx", "bx", 2 }, { "bl", "bx", 1 }, { "bh", "bx", 1 },
	{ "rcx", "cx", 8 }, { "ecx", "cx", 4 }, { "cx", "cx", 2 }, { "cl", "cx", 1 }, { "ch", "cx", 1 },
	{ "rdx", "dx", 8 }, { "edx", "dx", 4 }, { "dx", "dx", 2 }, { "dl", "dx", 1 }, { "dh", "dx", 1 },
	{ "rsi", "si", 8 }, { "esi", "si", 4 }, { "si", "si", 2 }, { "sil", "si", 1 },
	{ "rdi", "di", 8 }, { "edi", "di", 4 }, { "di", "di", 2 }, { "dil", "di", 1 },
	{ "rbp", "bp", 8 }, { "ebp", "bp", 4 }, { "bp", "bp", 2 }, { "bpl", "bp", 1 },
	{ "rsp", "sp", 8 }, { "esp", "sp", 4 }, { "sp", "sp", 2 }, { "spl", "sp", 1 },
	{ "rip", "ip", 8 }, { "eip", "ip", 4 },
};

/* "%reg" at *s: BCC's name into out, width returned (0 if unknown); *s moves past it. */
static int parse_reg(const char **s, char out[8])
{
	const char *p = *s;
	char name[8];
	size_t n = 0;

	if (*p++ != '%')
		return 0;
	while (isalnum((unsigned char)p[n]) && n < sizeof(name) - 1) {
		name[n] = p[n];
		n++;
	}
	name[n] = 0;
	*s = p + n;
	for (size_t i = 0; i < sizeof(x86_regs) / sizeof(x86_regs[0]); i++) {
		if (!strcmp(name, x86_regs[i].name)) {
			snprintf(out, 8, "%s", x86_regs[i].norm);
			return x86_regs[i].width;
		}
	}
	/* r8..r15 with an optional d/w/b suffix for the narrower views */
	if (name[0] == 'r' && isdigit((unsigned char)name[1])) {
		char *end;
		long num = strtol(name + 1, &end, 10);
		int width = !*end ? 8 : !strcmp(end, "d") ? 4 : !strcmp(end, "w") ? 2 : !strcmp(end, "b") ? 1 : 0;

		if (num >= 8 && num <= 15 && width) {
			snprintf(out, 8, "r%ld", num);
			return width;
		}
	}
	return 0;
}

/* "off(%base[,%index[,scale]])" or "sym[+-off](%rip)". */
static bool parse_deref(const char *s, struct bcct_usdt_arg *a)
{
	char *end;

	a->scale = 1;
	if (isalpha((unsigned char)*s) || *s == '_') {
		size_t n = 0;

		while (s[n] && s[n] != '(' && s[n] != '+' && s[n] != '-' && n < sizeof(a->ident) - 1) {
			a->ident[n] = s[n];
			n++;
		}
		a->ident[n] = 0;
		s += n;
		a->kind = USDT_ARG_SYM_DEREF;
	} else {
		a->kind = USDT_ARG_REG_DEREF;
	}
	if (*s == '+' || *s == '-' || isdigit((unsigned char)*s)) {
		a->val = strtoll(s, &end, 0);
		s = end;
	}
	if (*s++ != '(' || !parse_reg(&s, a->reg))
		return false;
	if (*s == ',') {
		s++;
		if (!parse_reg(&s, a->index_reg))
			return false;
		if (*s == ',') {
			a->scale = strtol(s + 1, &end, 10);
			s = end;
		}
	}
	return *s == ')' && s[1] == 0;
}

/* An arm64 register, "x0".."x30" (or its 32-bit view "w0".."w30") or "sp", at *s: its name as
 * struct ct_abi spells it into out, its width returned (0 if none); *s moves past it. */
static int parse_reg_arm64(const char **s, char out[8])
{
	const char *p = *s;
	char *end;
	long num;

	if (p[0] == 's' && p[1] == 'p' && !isalnum((unsigned char)p[2])) {
		snprintf(out, 8, "sp");
		*s = p + 2;
		return 8;
	}
	if ((p[0] != 'x' && p[0] != 'w') || !isdigit((unsigned char)p[1]))
		return 0;
	num = strtol(p + 1, &end, 10);
	if (num > 30 || isalnum((unsigned char)*end))
		return 0;
	snprintf(out, 8, "x%u", (unsigned char)num);   /* 0..30 */
	*s = end;
	return p[0] == 'x' ? 8 : 4;
}

/* arm64's "reg", "imm" and "[reg]" / "[reg, off]" operands (GCC's and clang's spellings). */
static bool parse_one_arm64(const char *op, struct bcct_usdt_arg *a)
{
	char *end;
	int width;

	if (*op == '[') {
		op++;
		a->kind = USDT_ARG_REG_DEREF;
		if (!a->size)
			a->size = 8;
		if (!parse_reg_arm64(&op, a->reg))
			return false;
		if (*op == ',') {
			op++;
			while (*op == ' ')
				op++;
			if (*op == '#')
				op++;
			a->val = strtoll(op, &end, 0);
			if (end == op)
				return false;
			op = end;
		}
		return *op == ']' && !op[1];
	}
	if (isdigit((unsigned char)*op) || *op == '-') {
		a->kind = USDT_ARG_CONST;
		a->val = strtoll(op, &end, 0);
		if (!a->size)
			a->size = 8;
		return end != op && !*end;
	}
	a->kind = USDT_ARG_REG;
	width = parse_reg_arm64(&op, a->reg);
	if (!a->size)
		a->size = width;
	return width && !*op;
}

static bool parse_one(const char *tok, struct bcct_usdt_arg *a)
{
	const char *at = strchr(tok, '@'), *op = at ? at + 1 : tok;
	char *end;
	int width;

	memset(a, 0, sizeof(*a));
	a->scale = 1;
	if (at) {
		long size = strtol(tok, &end, 10);

		if (end != at || size == 0)
			return false;
		a->is_signed = size < 0;
		a->size = labs(size);
	}
	if (*op != '$' && *op != '%' && !strchr(op, '('))
		return parse_one_arm64(op, a);
	if (*op == '$') {
		a->kind = USDT_ARG_CONST;
		a->val = strtoll(op + 1, &end, 0);
		if (!a->size)
			a->size = 8;
		return end != op + 1 && !*end;
	}
	if (*op == '%') {
		a->kind = USDT_ARG_REG;
		width = parse_reg(&op, a->reg);
		if (!a->size)
			a->size = width;
		return width && !*op;
	}
	if (!a->size)
		a->size = 8;
	if (!parse_deref(op, a))
		return false;
	/* Only %rip may anchor a symbol: anything else is an absolute address we cannot read. */
	return a->kind != USDT_ARG_SYM_DEREF || !strcmp(a->reg, "ip");
}

int bcct_usdt_parse_args(const char *spec, struct bcct_usdt_arg *out, int max)
{
	char *copy = strdup(spec ? spec : ""), *p = copy;
	int n = 0;

	if (!copy)
		return -1;
	/* Arguments are separated by blanks, except inside arm64's brackets ("8@[sp, 16]"). */
	for (;;) {
		char *tok;
		int depth = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok = p;
		for (; *p && (depth || (*p != ' ' && *p != '\t')); p++)
			depth += *p == '[' ? 1 : *p == ']' && depth ? -1 : 0;
		if (*p)
			*p++ = 0;
		if (n >= max || !parse_one(tok, &out[n])) {
			n = -1;
			break;
		}
		n++;
	}
	free(copy);
	return n;
}
