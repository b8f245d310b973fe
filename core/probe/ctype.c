/* C types for the type checker: builtin integers, well-known typedefs, and types taken from the
 * running kernel's BTF (structs, unions, their members, typedefs, enumerators). Record types
 * keep only their BTF id; members are looked up when an expression names one, so converting a
 * pointer to struct task_struct does not walk the whole kernel type graph. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/probe/internal.h"

/* libc structs that user-space probes name (BCC's examples: nanosleep(struct timespec *req))
 * and that the kernel's BTF has only under their UAPI names, with the same 64-bit layout. */
static const char *user_struct_alias(const char *name)
{
	static const char *const aliases[][2] = {
		{ "timespec", "__kernel_timespec" },       /* { long tv_sec; long tv_nsec; } */
		{ "timeval", "__kernel_old_timeval" },     /* { long tv_sec; long tv_usec; } */
	};

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i][0]))
			return aliases[i][1];
	return NULL;
}

#define INT_TYPE(var, sz, sgn, nm) const struct ctype var = { .kind = CT_INT, .size = sz, .is_signed = sgn, .name = nm }
const struct ctype ct_void = { .kind = CT_VOID, .name = "void" };
const struct ctype ct_bool = { .kind = CT_INT, .size = 1, .is_bool = true, .name = "_Bool" };
INT_TYPE(ct_char, 1, true, "char");   /* x86-64: char is signed */
INT_TYPE(ct_schar, 1, true, "signed char");
INT_TYPE(ct_uchar, 1, false, "unsigned char");
INT_TYPE(ct_short, 2, true, "short");
INT_TYPE(ct_ushort, 2, false, "unsigned short");
INT_TYPE(ct_int, 4, true, "int");
INT_TYPE(ct_uint, 4, false, "unsigned int");
INT_TYPE(ct_long, 8, true, "long");
INT_TYPE(ct_ulong, 8, false, "unsigned long");
INT_TYPE(ct_llong, 8, true, "long long");
INT_TYPE(ct_ullong, 8, false, "unsigned long long");

/* Typedefs probe expressions use all the time. Fixed on x86-64, so they work without BTF (and
 * the parser can tell "(u32)x" is a cast). */
static const struct ctype named_types[] = {
#define N(nm, sz, sgn) { .kind = CT_INT, .size = sz, .is_signed = sgn, .name = nm }
	N("u8", 1, false), N("u16", 2, false), N("u32", 4, false), N("u64", 8, false),
	N("s8", 1, true), N("s16", 2, true), N("s32", 4, true), N("s64", 8, true),
	N("__u8", 1, false), N("__u16", 2, false), N("__u32", 4, false), N("__u64", 8, false),
	N("__s8", 1, true), N("__s16", 2, true), N("__s32", 4, true), N("__s64", 8, true),
	N("uint8_t", 1, false), N("uint16_t", 2, false), N("uint32_t", 4, false), N("uint64_t", 8, false),
	N("int8_t", 1, true), N("int16_t", 2, true), N("int32_t", 4, true), N("int64_t", 8, true),
	N("__be16", 2, false), N("__be32", 4, false), N("__be64", 8, false),
	N("__le16", 2, false), N("__le32", 4, false), N("__le64", 8, false),
	N("size_t", 8, false), N("ssize_t", 8, true), N("uintptr_t", 8, false), N("intptr_t", 8, true),
	N("ptrdiff_t", 8, true), N("off_t", 8, true), N("loff_t", 8, true), N("pid_t", 4, true),
	N("uid_t", 4, false), N("gid_t", 4, false),
	{ .kind = CT_INT, .size = 1, .is_bool = true, .name = "bool" }, N("umode_t", 2, false),
	N("dev_t", 4, false), N("ino_t", 8, false), N("gfp_t", 4, false), N("sector_t", 8, false),
	N("time_t", 8, true), N("time64_t", 8, true), N("ktime_t", 8, true), N("clockid_t", 4, true),
	N("fmode_t", 4, false), N("mode_t", 4, false), N("socklen_t", 4, false), N("key_t", 4, true),
#undef N
};

bool ct_is_builtin_name(const char *name)
{
	for (size_t i = 0; i < sizeof(named_types) / sizeof(named_types[0]); i++)
		if (!strcmp(named_types[i].name, name))
			return true;
	return false;
}

static const struct ctype *named_type(const char *name)
{
	for (size_t i = 0; i < sizeof(named_types) / sizeof(named_types[0]); i++)
		if (!strcmp(named_types[i].name, name))
			return &named_types[i];
	return NULL;
}

const struct ctype *ct_builtin(enum builtin_type bt)
{
	switch (bt) {
	case BT_VOID: return &ct_void;
	case BT_BOOL: return &ct_bool;
	case BT_CHAR: return &ct_char;
	case BT_SCHAR: return &ct_schar;
	case BT_UCHAR: return &ct_uchar;
	case BT_SHORT: return &ct_short;
	case BT_USHORT: return &ct_ushort;
	case BT_INT: return &ct_int;
	case BT_UINT: return &ct_uint;
	case BT_LONG: return &ct_long;
	case BT_ULONG: return &ct_ulong;
	case BT_LLONG: return &ct_llong;
	case BT_ULLONG: return &ct_ullong;
	default: return &ct_int;
	}
}

const struct ctype *ct_int_of(unsigned size, bool is_signed)
{
	switch (size) {
	case 1: return is_signed ? &ct_schar : &ct_uchar;
	case 2: return is_signed ? &ct_short : &ct_ushort;
	case 4: return is_signed ? &ct_int : &ct_uint;
	default: return is_signed ? &ct_long : &ct_ulong;
	}
}

const struct ctype *ct_pointer(struct arena *a, const struct ctype *to, bool user)
{
	struct ctype *t = arena_alloc(a, sizeof(*t));

	t->kind = CT_PTR;
	t->size = 8;
	t->elem = to;
	t->is_user = user;
	return t;
}

const struct ctype *ct_array(struct arena *a, const struct ctype *elem, unsigned n)
{
	struct ctype *t = arena_alloc(a, sizeof(*t));

	t->kind = CT_ARRAY;
	t->elem = elem;
	t->nelem = n;
	t->size = elem->size * n;
	return t;
}


void ct_name(const struct ctype *t, char *buf, size_t len)
{
	char inner[256];

	switch (t->kind) {
	case CT_PTR:
		if (t->elem->kind == CT_FUNC) {
			snprintf(buf, len, "function pointer");
			return;
		}
		ct_name(t->elem, inner, sizeof(inner));
		snprintf(buf, len, "%s%s*", inner, t->elem->kind == CT_PTR ? "" : " ");
		return;
	case CT_ARRAY:
		ct_name(t->elem, inner, sizeof(inner));
		if (t->data_loc)
			snprintf(buf, len, "__data_loc %s[]", inner);
		else
			snprintf(buf, len, "%s[%u]", inner, t->nelem);
		return;
	case CT_FUNC:
		snprintf(buf, len, "function");
		return;
	default:
		snprintf(buf, len, "%s", t->name ? t->name : "?");
	}
}

/* ---- BTF ------------------------------------------------------------------------------------ */
static _Thread_local struct btf *vmlinux_btf, *caller_btf;
static _Thread_local bool vmlinux_tried;

struct btf *probe_btf(struct btf *given)
{
	if (given)
		return given;
	if (!vmlinux_tried) {
		vmlinux_tried = true;
		vmlinux_btf = btf__load_vmlinux_btf();
		if (!vmlinux_btf)
			vmlinux_btf = NULL;   /* libbpf returns NULL or an error pointer by version */
	}
	return vmlinux_btf;
}

void ct_use_btf(struct btf *btf)
{
	caller_btf = btf;
}

const struct btf *ct_btf(void)
{
	return probe_btf(caller_btf);
}

void probe_btf_release(void)
{
	btf__free(vmlinux_btf);
	vmlinux_btf = NULL;
	vmlinux_tried = false;
}

static bool is_modifier(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* Does the chain of modifiers from id carry the "user" type tag (__user with clang-built
 * kernels)? */
static bool has_user_tag(const struct btf *btf, int id)
{
	for (int guard = 0; id > 0 && guard < 32; guard++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t || !is_modifier(t))
			return false;
		if (btf_is_type_tag(t) && !strcmp(btf__name_by_offset(btf, t->name_off), "user"))
			return true;
		id = t->type;
	}
	return false;
}

static const struct ctype *ct_btf_depth(struct arena *a, const struct btf *btf, int id, int depth)
{
	const char *typedef_name = NULL;
	const struct btf_type *t;
	struct ctype *c;

	if (depth > 16)
		return &ct_void;
	for (int guard = 0; id > 0 && guard < 32; guard++) {
		t = btf__type_by_id(btf, id);
		if (!t || !is_modifier(t))
			break;
		if (btf_is_typedef(t) && !typedef_name)
			typedef_name = btf__name_by_offset(btf, t->name_off);
		id = t->type;
	}
	if (id <= 0)
		return &ct_void;
	t = btf__type_by_id(btf, id);
	if (!t)
		return &ct_void;
	c = arena_alloc(a, sizeof(*c));
	switch (btf_kind(t)) {
	case BTF_KIND_INT: {
		unsigned enc = btf_int_encoding(t);

		c->kind = CT_INT;
		c->size = t->size;
		c->is_signed = enc & BTF_INT_SIGNED;
		c->is_bool = enc & BTF_INT_BOOL;
		c->name = typedef_name ? typedef_name : btf__name_by_offset(btf, t->name_off);
		if (c->size > 8) {   /* __int128: no 128-bit arithmetic here */
			c->kind = CT_RECORD;
			c->btf_id = 0;
		}
		return c;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		const char *tag = btf__name_by_offset(btf, t->name_off);

		c->kind = CT_INT;
		c->size = t->size;
		c->is_signed = btf_kflag(t);
		c->name = typedef_name ? typedef_name : tag && tag[0] ? arena_printf(a, "enum %s", tag) : "enum";
		return c;
	}
	case BTF_KIND_PTR:
		return ct_pointer(a, ct_btf_depth(a, btf, t->type, depth + 1), has_user_tag(btf, t->type));
	case BTF_KIND_ARRAY: {
		const struct btf_array *arr = btf_array(t);

		return ct_array(a, ct_btf_depth(a, btf, arr->type, depth + 1), arr->nelems);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_FWD: {
		const char *tag = btf__name_by_offset(btf, t->name_off);
		bool is_union = btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t));

		c->kind = CT_RECORD;
		c->is_union = is_union;
		c->btf_id = id;
		c->size = btf_is_fwd(t) ? 0 : t->size;
		if (btf_is_fwd(t)) {
			/* a forward declaration: the definition is elsewhere in the same BTF */
			int def = btf__find_by_name_kind(btf, tag, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT);

			c->btf_id = def > 0 ? def : 0;
			if (def > 0)
				c->size = btf__type_by_id(btf, def)->size;
		}
		c->name = typedef_name ? typedef_name :
			  arena_printf(a, "%s %s", is_union ? "union" : "struct", tag && tag[0] ? tag : "(anonymous)");
		return c;
	}
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_FUNC:
		c->kind = CT_FUNC;
		c->name = "function";
		return c;
	default:   /* FLOAT and anything newer: not readable as an integer */
		c->kind = CT_VOID;
		c->name = btf_is_float(t) ? btf__name_by_offset(btf, t->name_off) : "unsupported type";
		return c;
	}
}

const struct ctype *ct_from_btf(struct arena *a, int id)
{
	const struct btf *btf = ct_btf();

	return btf ? ct_btf_depth(a, btf, id, 0) : &ct_void;
}

const struct ctype *ct_from_typename(struct arena *a, const char *src, const struct typename *tn,
				    struct probe_diag *d)
{
	const struct ctype *base = NULL;
	const struct btf *btf = NULL;
	int id;

	/* only names that are not builtins need the kernel's types */
	if (tn->base != TN_BUILTIN && !(tn->base == TN_TYPEDEF && named_type(tn->name)))
		btf = ct_btf();

	switch (tn->base) {
	case TN_BUILTIN:
		base = ct_builtin(tn->builtin);
		break;
	case TN_TYPEDEF:
		base = named_type(tn->name);
		if (!base && btf && (id = btf__find_by_name_kind(btf, tn->name, BTF_KIND_TYPEDEF)) > 0)
			base = ct_btf_depth(a, btf, id, 0);
		if (!base)
			return probe_error_at(d, src, tn->pos, tn->end, "unknown type name '%s'%s", tn->name,
				       btf ? "" : " (no kernel BTF to look it up)"), NULL;
		break;
	case TN_ENUM:
		if (btf && (id = btf__find_by_name_kind(btf, tn->name, BTF_KIND_ENUM)) > 0)
			base = ct_btf_depth(a, btf, id, 0);
		else if (btf && (id = btf__find_by_name_kind(btf, tn->name, BTF_KIND_ENUM64)) > 0)
			base = ct_btf_depth(a, btf, id, 0);
		else
			base = &ct_int;
		break;
	case TN_STRUCT:
	case TN_UNION: {
		bool is_union = tn->base == TN_UNION;

		id = btf ? btf__find_by_name_kind(btf, tn->name, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT) : -1;
		if (id <= 0 && btf && !is_union && user_struct_alias(tn->name))
			id = btf__find_by_name_kind(btf, user_struct_alias(tn->name), BTF_KIND_STRUCT);
		if (id > 0) {
			base = ct_btf_depth(a, btf, id, 0);
		} else {
			struct ctype *c;

			if (!tn->pointers)
				return probe_error_at(d, src, tn->pos, tn->end, "%s %s is not in the kernel's BTF%s",
					       is_union ? "union" : "struct", tn->name,
					       btf ? "" : " (no kernel BTF)"), NULL;
			/* a pointer to an unknown struct is fine until a member is read through it */
			c = arena_alloc(a, sizeof(*c));
			c->kind = CT_RECORD;
			c->is_union = is_union;
			c->name = arena_printf(a, "%s %s", is_union ? "union" : "struct", tn->name);
			base = c;
		}
		break;
	}
	}
	for (int i = 0; i < tn->pointers; i++)
		base = ct_pointer(a, base, i == 0 && tn->user);
	return base;
}

/* Resolves modifiers to the underlying type. */
static const struct btf_type *skip_mods(const struct btf *btf, int *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	for (int guard = 0; t && is_modifier(t) && guard < 32; guard++) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static bool find_member_rec(struct arena *a, const struct btf *btf, int id, const char *name,
			    unsigned base_bits, struct member_info *out, int depth)
{
	const struct btf_type *t = skip_mods(btf, &id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > 8)
		return false;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		unsigned bits = base_bits + btf_member_bit_offset(t, i);
		unsigned bitfield = btf_member_bitfield_size(t, i);

		if (mname && mname[0]) {
			if (strcmp(mname, name))
				continue;
			out->type = ct_btf_depth(a, btf, m->type, 0);
			if (bitfield) {
				out->byte_off = bits / 8;
				out->bit_off = bits % 8;
				out->bit_size = bitfield;
			} else {
				out->byte_off = bits / 8;
				out->bit_off = out->bit_size = 0;
			}
			return true;
		}
		/* anonymous struct/union: its members belong to the enclosing one */
		if (find_member_rec(a, btf, m->type, name, bits, out, depth + 1))
			return true;
	}
	return false;
}

bool ct_find_member(struct arena *a, const struct ctype *t, const char *name,
		    struct member_info *out)
{
	const struct btf *btf = t->kind == CT_RECORD && t->btf_id > 0 ? ct_btf() : NULL;

	if (!btf || t->kind != CT_RECORD || t->btf_id <= 0)
		return false;
	return find_member_rec(a, btf, t->btf_id, name, 0, out, 0);
}

static void collect_names(const struct btf *btf, int id, const char ***names, int *n, int *cap,
			  struct arena *a, int depth)
{
	const struct btf_type *t = skip_mods(btf, &id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > 8)
		return;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);

		if (!mname || !mname[0]) {
			collect_names(btf, m->type, names, n, cap, a, depth + 1);
			continue;
		}
		if (*n == *cap) {
			const char **bigger = arena_alloc(a, (*cap = *cap ? *cap * 2 : 32) * sizeof(char *));

			if (*n)
				memcpy(bigger, *names, *n * sizeof(char *));
			*names = bigger;
		}
		(*names)[(*n)++] = mname;
	}
}

int ct_member_names(struct arena *a, const struct ctype *t, const char ***out)
{
	const struct btf *btf = t->kind == CT_RECORD && t->btf_id > 0 ? ct_btf() : NULL;
	int n = 0, cap = 0;

	*out = NULL;
	if (btf && t->kind == CT_RECORD && t->btf_id > 0)
		collect_names(btf, t->btf_id, out, &n, &cap, a, 0);
	return n;
}

bool ct_enum_value(const char *name, int64_t *value, bool *is_signed)
{
	const struct btf *btf = ct_btf();
	int n;

	if (!btf)
		return false;
	n = btf__type_cnt(btf);
	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (int i = 0; i < btf_vlen(t); i++, e++)
				if (!strcmp(btf__name_by_offset(btf, e->name_off), name)) {
					*is_signed = btf_kflag(t);
					*value = btf_kflag(t) ? (int64_t)(int32_t)e->val : (int64_t)(uint32_t)e->val;
					return true;
				}
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);

			for (int i = 0; i < btf_vlen(t); i++, e++)
				if (!strcmp(btf__name_by_offset(btf, e->name_off), name)) {
					*is_signed = btf_kflag(t);
					*value = (int64_t)btf_enum64_value(e);
					return true;
				}
		}
	}
	return false;
}

#if defined(__aarch64__)
const struct ct_abi ct_abi = {
	.name = "arm64", .nargs = 8,
	.arg = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" },
	.syscall_arg = { "x0", "x1", "x2", "x3", "x4", "x5" },
	.syscall_wrapper = "__arm64_sys_",
	.ret = "x0", .sp = "sp", .fp = "x29", .link = "x30",
};
/* arch/arm64/include/asm/ptrace.h: regs[31] (named here as the ISA does), sp, pc, pstate, in
 * an anonymous union BTF cannot name them through. */
static const struct { const char *name; int off; } pt_regs_layout[] = {
	{"x0", 0}, {"x1", 8}, {"x2", 16}, {"x3", 24}, {"x4", 32}, {"x5", 40}, {"x6", 48},
	{"x7", 56}, {"x8", 64}, {"x9", 72}, {"x10", 80}, {"x11", 88}, {"x12", 96}, {"x13", 104},
	{"x14", 112}, {"x15", 120}, {"x16", 128}, {"x17", 136}, {"x18", 144}, {"x19", 152},
	{"x20", 160}, {"x21", 168}, {"x22", 176}, {"x23", 184}, {"x24", 192}, {"x25", 200},
	{"x26", 208}, {"x27", 216}, {"x28", 224}, {"x29", 232}, {"x30", 240}, {"sp", 248},
	{"pc", 256}, {"pstate", 264},
};
#else
const struct ct_abi ct_abi = {
	.name = "x86-64", .nargs = 6,
	.arg = { "di", "si", "dx", "cx", "r8", "r9" },
	.syscall_arg = { "di", "si", "dx", "r10", "r8", "r9" },   /* the syscall ABI: r10, not cx */
	.syscall_wrapper = "__x64_sys_",
	.ret = "ax", .sp = "sp", .fp = "bp", .link = NULL,
};
/* arch/x86/include/asm/ptrace.h, x86-64 */
static const struct { const char *name; int off; } pt_regs_layout[] = {
	{"r15", 0}, {"r14", 8}, {"r13", 16}, {"r12", 24}, {"bp", 32}, {"bx", 40},
	{"r11", 48}, {"r10", 56}, {"r9", 64}, {"r8", 72}, {"ax", 80}, {"cx", 88},
	{"dx", 96}, {"si", 104}, {"di", 112}, {"orig_ax", 120}, {"ip", 128}, {"cs", 136},
	{"flags", 144}, {"sp", 152}, {"ss", 160},
};
#endif

int ct_pt_regs_offset(const char *reg)
{
	/* BTF only when something else loaded it: not worth 80 ms for an ABI constant */
	const struct btf *btf = caller_btf ? caller_btf : vmlinux_btf;
	int id = btf ? btf__find_by_name_kind(btf, "pt_regs", BTF_KIND_STRUCT) : -1;

	if (id > 0) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_member *m = btf_members(t);

		for (int i = 0; i < btf_vlen(t); i++, m++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off), reg))
				return btf_member_bit_offset(t, i) / 8;
	}
	for (size_t i = 0; i < sizeof(pt_regs_layout) / sizeof(pt_regs_layout[0]); i++)
		if (!strcmp(pt_regs_layout[i].name, reg))
			return pt_regs_layout[i].off;
	return -1;
}
