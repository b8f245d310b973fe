/* The type checker: gives every node a C type, resolves names (argN, retval, signature
 * parameters, args->field, $vars, enumerators), finds struct members and their offsets in the
 * kernel's BTF, folds constants, and decides for each memory read whether it is kernel or user
 * memory. What it records on the nodes is all the code generator needs. */
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "symbolize/usdt.h"
#include "core/probe/internal.h"

/* The type of the tracepoint's `args`: fields come from the format file, not from BTF. */
static const struct ctype ct_tp_args = { .kind = CT_RECORD, .btf_id = -1, .name = "args" };

static int err(struct check_ctx *c, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int err(struct check_ctx *c, const struct node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return probe_error_at(c->d, c->src, n->pos, n->end, "%s", msg);
}

static const char *tname(struct check_ctx *c, const struct ctype *t)
{
	char buf[256];

	ct_name(t, buf, sizeof(buf));
	return arena_strdup(c->a, buf);
}

static uint64_t normalize(uint64_t v, const struct ctype *t)
{
	unsigned bits;
	uint64_t mask;

	if (t->kind != CT_INT || t->size >= 8)
		return v;
	if (t->is_bool)
		return v != 0;
	bits = t->size * 8;
	mask = (1ULL << bits) - 1;
	v &= mask;
	if (t->is_signed && ((v >> (bits - 1)) & 1))
		v |= ~mask;
	return v;
}

static void set_const(struct node *n, const struct ctype *t, uint64_t v)
{
	n->type = t;
	n->sem = SEM_CONST;
	n->cval = normalize(v, t);
	n->lvalue = false;
}

static bool is_const(const struct node *n) { return n->sem == SEM_CONST; }

static const struct ctype *promote(const struct ctype *t)
{
	if (t->kind == CT_INT && t->size < 4)
		return &ct_int;
	return t;
}

/* C's usual arithmetic conversions for x86-64 sizes: the wider type wins (a wider signed type
 * holds every value of a narrower unsigned one); at equal width unsigned wins. */
static const struct ctype *common_type(const struct ctype *a, const struct ctype *b)
{
	a = promote(a);
	b = promote(b);
	if (a->size != b->size)
		return a->size > b->size ? a : b;
	if (a->is_signed == b->is_signed)
		return a;
	return a->is_signed ? b : a;
}

/* An array used as a value decays to a pointer to its first element. */
static const struct ctype *value_type(struct check_ctx *c, const struct node *n)
{
	if (n->type->kind == CT_ARRAY)
		return ct_pointer(c->a, n->type->elem, false);
	return n->type;
}

/* A pointer value's target memory space: arrays decay to pointers into their own memory. */
static bool value_ptr_user(const struct node *n)
{
	if (n->type->kind == CT_ARRAY)
		return n->sem == SEM_MEM && n->mem_user;
	return n->ptr_user;
}

static int require_scalar(struct check_ctx *c, const struct node *n, const char *what)
{
	if (n->type->kind == CT_INT || n->type->kind == CT_PTR || n->type->kind == CT_ARRAY)
		return 0;
	if (n->type->kind == CT_RECORD)
		return err(c, n, "%s: '%.*s' is a %s, not a number or pointer; read one of its fields",
			   what, n->end - n->pos, c->src + n->pos, tname(c, n->type));
	return err(c, n, "%s: '%.*s' has type %s", what, n->end - n->pos, c->src + n->pos,
		   tname(c, n->type));
}

static int require_integer(struct check_ctx *c, const struct node *n, const char *op)
{
	if (n->type->kind == CT_INT)
		return 0;
	return err(c, n, "operator %s needs an integer, but '%.*s' has type %s", op,
		   n->end - n->pos, c->src + n->pos, tname(c, n->type));
}

/* ---- names ---------------------------------------------------------------------------------- */
static int param_index(struct check_ctx *c, const char *name)
{
	for (int i = 0; i < c->spec->nparams; i++)
		if (c->spec->params[i].name && !strcmp(c->spec->params[i].name, name))
			return i;
	return -1;
}

/* Argument i (0-based) that the registers carry: the function's, or a syscall wrapper's
 * (__x64_sys_*) syscall arguments; else an error. */
static int args_in_registers(struct check_ctx *c, struct node *n, int i)
{
	int max = c->syscall_wrapper ? 6 : ct_abi.nargs;

	if (i < max)
		return 0;
	return err(c, n, "only the first %d arguments are passed in registers (%s)", max, ct_abi.name);
}

/* A function argument in register slot i (0-based) of pt_regs, or through the wrapper's
 * inner pt_regs for syscall wrappers. */
static int set_arg_reg(struct check_ctx *c, struct node *n, int i, const struct ctype *type)
{
	if (args_in_registers(c, n, i))
		return -1;
	n->sem = c->syscall_wrapper ? SEM_SYSCALL_ARG : SEM_REG;
	n->reg_off = ct_pt_regs_offset(c->syscall_wrapper ? ct_abi.syscall_arg[i] : ct_abi.arg[i]);
	n->type = type;
	n->ptr_user = c->spec->target.user || (type->kind == CT_PTR && type->is_user);
	return 0;
}

static int check_arg_n(struct check_ctx *c, struct node *n, int index)
{
	const struct probe_target *t = &c->spec->target;

	if (t->type == 't')
		return err(c, n, "tracepoints have no %s; use args->field (see the format file of %s:%s)",
			   n->name, t->category, t->function);
	if (t->type == 'u') {
		const struct bcct_usdt_arg *ua;

		if (!c->usdt_args)
			return err(c, n, "the arguments of USDT probe %s are not known (no note was read)", t->function);
		if (index > c->usdt_nargs)
			return err(c, n, "USDT probe %s has %d argument%s", t->function, c->usdt_nargs,
				   c->usdt_nargs == 1 ? "" : "s");
		ua = &c->usdt_args[index - 1];
		n->sem = SEM_USDT_ARG;
		n->usdt_index = index - 1;
		n->type = ct_int_of(ua->size, ua->is_signed);
		n->ptr_user = true;
		return 0;
	}
	/* BCC: argN is PT_REGS_PARMn(ctx), an unsigned long */
	return set_arg_reg(c, n, index - 1, &ct_ulong);
}

static int check_retval(struct check_ctx *c, struct node *n)
{
	if (c->spec->target.type != 'r')
		return err(c, n, "%s is only available in return probes (r:)", n->kind == N_VAR ? "$retval" : "retval");
	n->sem = SEM_REG;
	n->reg_off = ct_pt_regs_offset(ct_abi.ret);
	n->type = &ct_ulong;
	n->ptr_user = c->spec->target.user;
	return 0;
}

static int unknown_name(struct check_ctx *c, struct node *n)
{
	const char *names[32];
	int k = 0;
	char sugg[256];
	const struct probe_target *t = &c->spec->target;

	for (int i = 0; i < c->spec->nparams && k < 16; i++)
		if (c->spec->params[i].name)
			names[k++] = c->spec->params[i].name;
	if (t->type == 't')
		names[k++] = "args";
	else
		for (int i = 0; i < 6; i++)
			names[k++] = arena_printf(c->a, "arg%d", i + 1);
	if (t->type == 'r')
		names[k++] = "retval";
	if (probe_suggest(n->name, names, k, sugg, sizeof(sugg)))
		return err(c, n, "unknown identifier '%s'; did you mean %s?", n->name, sugg);
	if (t->type == 't')
		return err(c, n, "unknown identifier '%s' (tracepoint fields are args->field)", n->name);
	return err(c, n, "unknown identifier '%s' (use arg1..arg6%s, or name parameters in a signature)",
		   n->name, t->type == 'r' ? ", retval" : "");
}

static int check_ident(struct check_ctx *c, struct node *n)
{
	const struct probe_target *t = &c->spec->target;
	const char *name = n->name;
	int i;
	int64_t ev;
	uint64_t kv;
	bool ev_signed;

	if (t->type != 't' && t->type != 'u' && (i = param_index(c, name)) >= 0) {
		if (t->type == 'r')
			return err(c, n, "parameter '%s' is not available in a return probe; use $entry(%s)", name, name);
		return set_arg_reg(c, n, i, c->param_types[i]);
	}
	if (!strcmp(name, "args")) {
		if (t->type != 't')
			return err(c, n, "'args' exists only in tracepoints (t:category:event)");
		n->type = ct_pointer(c->a, &ct_tp_args, false);
		n->sem = SEM_NONE;
		return 0;
	}
	if (!strncmp(name, "arg", 3) && name[3] >= '1' && name[3] <= '9' &&
	    strspn(name + 3, "0123456789") == strlen(name + 3) && strlen(name + 3) <= 2)
		return check_arg_n(c, n, atoi(name + 3));
	if (!strcmp(name, "retval"))
		return check_retval(c, n);
	if (!strcmp(name, "NULL")) {
		set_const(n, ct_pointer(c->a, &ct_void, false), 0);
		return 0;
	}
	if (!strcmp(name, "true") || !strcmp(name, "false")) {
		set_const(n, &ct_int, name[0] == 't');
		return 0;
	}
	if (ct_enum_value(name, &ev, &ev_signed)) {
		set_const(n, ev >= INT32_MIN && ev <= INT32_MAX ? &ct_int : ev_signed ? &ct_long : &ct_ulong, ev);
		return 0;
	}
	if (kconst_value(name, &kv)) {
		set_const(n, kv <= UINT32_MAX ? &ct_uint : &ct_ulong, kv);
		return 0;
	}
	return unknown_name(c, n);
}

static int check_var(struct check_ctx *c, struct node *n)
{
	static const char *const dollar_vars[] = { "$pid", "$tgid", "$uid", "$gid", "$cpu", "$task",
		"$PID", "$retval", "$latency", "$entry" };
	const char *name = n->name;
	char sugg[128];

	n->sem = SEM_HELPER;
	n->type = &ct_uint;
	if (!strcmp(name, "pid")) n->helper = HV_PID;
	else if (!strcmp(name, "tgid")) n->helper = HV_TGID;
	else if (!strcmp(name, "uid")) n->helper = HV_UID;
	else if (!strcmp(name, "gid")) n->helper = HV_GID;
	else if (!strcmp(name, "cpu")) n->helper = HV_CPU;
	else if (!strcmp(name, "PID")) {   /* argdist: the whole bpf_get_current_pid_tgid() */
		n->helper = HV_PID_TGID;
		n->type = &ct_ullong;
	} else if (!strcmp(name, "task")) {
		const struct btf *btf = ct_btf();
		int id = btf ? btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT) : -1;
		struct ctype *opaque;

		n->helper = HV_TASK;
		if (id > 0) {
			n->type = ct_pointer(c->a, ct_from_btf(c->a, id), false);
		} else {
			opaque = arena_alloc(c->a, sizeof(*opaque));
			opaque->kind = CT_RECORD;
			opaque->name = "struct task_struct";
			n->type = ct_pointer(c->a, opaque, false);
		}
	} else if (!strcmp(name, "retval")) {
		n->sem = SEM_NONE;
		return check_retval(c, n);
	} else if (!strcmp(name, "latency")) {
		if (c->spec->target.type != 'r')
			return err(c, n, "$latency is only available in return probes (r:)");
		n->sem = SEM_LATENCY;
		n->type = &ct_ullong;
		c->uses_latency = true;
	} else if (!strcmp(name, "entry")) {
		return err(c, n, "$entry needs a parameter name: $entry(name)");
	} else if (probe_suggest(arena_printf(c->a, "$%s", name), dollar_vars,
				sizeof(dollar_vars) / sizeof(dollar_vars[0]), sugg, sizeof(sugg))) {
		return err(c, n, "unknown variable '$%s'; did you mean %s?", name, sugg);
	} else {
		return err(c, n, "unknown variable '$%s' (known: $pid $tgid $uid $gid $cpu $task $PID "
			   "$retval $latency $entry(name))", name);
	}
	return 0;
}

/* ---- calls ---------------------------------------------------------------------------------- */
static int check_string_operand(struct check_ctx *c, struct node *n, const char *what);

static int check_call(struct check_ctx *c, struct node *n)
{
	static const struct { const char *name; int bits; } swaps[] = {
		{"ntohs", 16}, {"htons", 16}, {"ntohl", 32}, {"htonl", 32}, {"bpf_ntohs", 16},
		{"bpf_htons", 16}, {"bpf_ntohl", 32}, {"bpf_htonl", 32}, {"be16_to_cpu", 16},
		{"be32_to_cpu", 32}, {"be64_to_cpu", 64}, {"cpu_to_be16", 16}, {"cpu_to_be32", 32},
		{"cpu_to_be64", 64},
	};

	if (!strcmp(n->name, "$entry")) {
		struct node *p = n->nargs == 1 ? n->args[0] : NULL;
		int i, k;

		if (!p || p->kind != N_IDENT)
			return err(c, n, "$entry takes one parameter name: $entry(name)");
		if (c->spec->target.type != 'r')
			return err(c, n, "$entry(%s) is only available in return probes (r:)", p->name);
		i = param_index(c, p->name);
		if (i < 0)
			return err(c, p, "$entry(%s): no such param (name it in the signature)", p->name);
		for (k = 0; k < c->nentry && c->entry_params[k] != i; k++)
			;
		if (k == c->nentry) {
			if (c->nentry == (int)(sizeof(c->entry_params) / sizeof(c->entry_params[0])))
				return err(c, n, "too many $entry() values");
			if (args_in_registers(c, p, i))
				return -1;
			c->entry_params[c->nentry++] = i;
		}
		n->sem = SEM_ENTRY;
		n->entry_index = k;
		n->type = c->param_types[i];
		n->ptr_user = c->spec->target.user || (n->type->kind == CT_PTR && n->type->is_user);
		return 0;
	}
	if (!strcmp(n->name, "STRCMP")) {
		/* BCC's inject writes STRCMP(expr, "literal"), trace STRCMP("literal", expr). */
		if (n->nargs == 2 && n->args[0]->kind != N_STRING && n->args[1]->kind == N_STRING) {
			struct node *literal = n->args[1];

			n->args[1] = n->args[0];
			n->args[0] = literal;
		}
		if (n->nargs != 2 || n->args[0]->kind != N_STRING)
			return err(c, n, "STRCMP takes a string literal and an expression: STRCMP(\"text\", expr) "
				   "or STRCMP(expr, \"text\")");
		if (n->args[0]->slen > MAX_STRCMP)
			return err(c, n->args[0], "STRCMP literal too long (at most %d bytes)", MAX_STRCMP);
		if (memchr(n->args[0]->str, '\0', n->args[0]->slen))
			return err(c, n->args[0], "STRCMP literal contains a NUL byte");
		if (type_check_expr(c, n->args[1]) || check_string_operand(c, n->args[1], "STRCMP"))
			return -1;
		n->sem = SEM_STRCMP;
		n->type = &ct_int;
		return 0;
	}
	for (size_t k = 0; k < sizeof(swaps) / sizeof(swaps[0]); k++) {
		struct node *a;

		if (strcmp(n->name, swaps[k].name))
			continue;
		if (n->nargs != 1)
			return err(c, n, "%s takes one argument", n->name);
		a = n->args[0];
		if (type_check_expr(c, a) || require_integer(c, a, n->name))
			return -1;
		n->type = ct_int_of(swaps[k].bits / 8, false);
		if (is_const(a)) {
			uint64_t v = a->cval, r = 0;

			for (int b = 0; b < swaps[k].bits / 8; b++)
				r = (r << 8) | ((v >> (8 * b)) & 0xff);
			set_const(n, n->type, r);
			return 0;
		}
		n->sem = SEM_BSWAP;
		n->swap_bits = swaps[k].bits;
		return 0;
	}
	return err(c, n, "unknown function '%s' (probe expressions can call STRCMP, $entry, ntohs, ntohl, "
		   "htons, htonl)", n->name);
}

/* Something %s (or STRCMP, or an argdist char* key) can read a string from. */
static int check_string_operand(struct check_ctx *c, struct node *n, const char *what)
{
	const struct ctype *t = n->type;

	if (t->kind == CT_PTR || t->kind == CT_ARRAY || (t->kind == CT_INT && t->size == 8))
		return 0;
	return err(c, n, "%s needs a string (char * or char array), but '%.*s' has type %s", what,
		   n->end - n->pos, c->src + n->pos, tname(c, t));
}

/* ---- members -------------------------------------------------------------------------------- */
static int macro_member_names(struct check_ctx *c, const struct ctype *rec, const char ***names, int n);

static int member_error(struct check_ctx *c, struct node *n, const struct ctype *rec)
{
	const char **names = NULL;
	int count, name_pos = n->end - (int)strlen(n->name);
	char sugg[256];
	struct node at = { .pos = name_pos, .end = n->end };

	if (rec == &ct_tp_args) {
		names = arena_alloc(c->a, (c->tp->nfields + 1) * sizeof(*names));
		for (count = 0; count < c->tp->nfields; count++)
			names[count] = c->tp->fields[count].name;
		if (probe_suggest(n->name, names, count, sugg, sizeof(sugg)))
			return err(c, &at, "tracepoint %s:%s has no field '%s'; did you mean %s?",
				   c->tp->category, c->tp->event, n->name, sugg);
		return err(c, &at, "tracepoint %s:%s has no field '%s'", c->tp->category, c->tp->event, n->name);
	}
	count = ct_member_names(c->a, rec, &names);
	count = macro_member_names(c, rec, &names, count);
	if (probe_suggest(n->name, names, count, sugg, sizeof(sugg)))
		return err(c, &at, "%s has no field '%s'; did you mean %s?", rec->name, n->name, sugg);
	return err(c, &at, "%s has no field '%s'", rec->name, n->name);
}

/* Kernel headers name some fields through macros ("#define sk_dport __sk_common.skc_dport"),
 * and BCC's examples use them; BTF has no macros, so the common ones are spelled out here. */
static const struct { const char *record, *name, *path; } member_macros[] = {
	{ "struct sock", "sk_*", "__sk_common.skc_*" },
	{ "struct inet_sock", "inet_daddr", "sk.__sk_common.skc_daddr" },
	{ "struct inet_sock", "inet_rcv_saddr", "sk.__sk_common.skc_rcv_saddr" },
	{ "struct inet_sock", "inet_dport", "sk.__sk_common.skc_dport" },
	{ "struct inet_sock", "inet_num", "sk.__sk_common.skc_num" },
};

/* Follows "a.b.c" from record rec, adding the offsets up. */
static bool find_member_path(struct check_ctx *c, const struct ctype *rec, const char *path,
			     struct member_info *out)
{
	unsigned off = 0;
	char part[128];

	while (*path) {
		size_t len = strcspn(path, ".");

		if (len >= sizeof(part) || rec->kind != CT_RECORD)
			return false;
		memcpy(part, path, len);
		part[len] = '\0';
		if (!ct_find_member(c->a, rec, part, out))
			return false;
		off += out->byte_off;
		rec = out->type;
		path += len + (path[len] == '.');
	}
	out->byte_off = off;
	return true;
}

static bool find_member_macro(struct check_ctx *c, const struct ctype *rec, const char *name,
			      struct member_info *out)
{
	for (size_t i = 0; i < sizeof(member_macros) / sizeof(member_macros[0]); i++) {
		const char *pat = member_macros[i].name, *star = strchr(pat, '*');
		char path[160];

		if (!rec->name || strcmp(rec->name, member_macros[i].record))
			continue;
		if (star) {   /* prefix rule: sk_X -> __sk_common.skc_X */
			size_t plen = star - pat;

			if (strncmp(name, pat, plen) || !name[plen])
				continue;
			snprintf(path, sizeof(path), "%.*s%s", (int)strcspn(member_macros[i].path, "*"),
				 member_macros[i].path, name + plen);
		} else if (!strcmp(name, pat)) {
			snprintf(path, sizeof(path), "%s", member_macros[i].path);
		} else {
			continue;
		}
		if (find_member_path(c, rec, path, out))
			return true;
	}
	return false;
}

/* The names member_macros adds to rec, appended to names[0..n) for suggestions. */
static int macro_member_names(struct check_ctx *c, const struct ctype *rec, const char ***names, int n)
{
	for (size_t i = 0; i < sizeof(member_macros) / sizeof(member_macros[0]); i++) {
		const char *pat = member_macros[i].name, *star = strchr(pat, '*');
		const char **more = NULL, **all;
		int nmore = 0;
		struct member_info mi;
		char path[160];

		if (!rec->name || strcmp(rec->name, member_macros[i].record))
			continue;
		if (star) {   /* "__sk_common.skc_*": the members of __sk_common named skc_... */
			const char *target = member_macros[i].path, *dot = strrchr(target, '.');
			size_t prefix = strcspn(dot ? dot + 1 : target, "*");

			snprintf(path, sizeof(path), "%.*s", dot ? (int)(dot - target) : 0, target);
			if (!dot || !find_member_path(c, rec, path, &mi))
				continue;
			nmore = ct_member_names(c->a, mi.type, &more);
			for (int k = 0; k < nmore; k++)
				more[k] = strncmp(more[k], dot + 1, prefix) ? "" :
					  arena_printf(c->a, "%.*s%s", (int)(star - pat), pat, more[k] + prefix);
		} else {
			more = arena_alloc(c->a, sizeof(*more));
			more[0] = member_macros[i].name;
			nmore = 1;
		}
		all = arena_alloc(c->a, (n + nmore) * sizeof(*all));
		if (n)
			memcpy(all, *names, n * sizeof(*all));
		memcpy(all + n, more, nmore * sizeof(*all));
		*names = all;
		n += nmore;
	}
	return n;
}

static int check_tp_field(struct check_ctx *c, struct node *n)
{
	const struct tp_field *f = NULL;

	for (int i = 0; i < c->tp->nfields; i++)
		if (!strcmp(c->tp->fields[i].name, n->name))
			f = &c->tp->fields[i];
	if (!f)
		return member_error(c, n, &ct_tp_args);
	if (f->offset < 8)
		return err(c, n, "%s is in the common header, which BPF tracepoint programs cannot read; "
			   "use $pid/$tgid", n->name);
	n->type = f->type;
	n->ctx_off = f->offset;
	n->lvalue = true;
	n->sem = f->data_loc ? SEM_DATALOC : SEM_CTX;
	/* syscall arguments that are pointers point into the calling process */
	n->ptr_user = f->type->kind == CT_PTR &&
		      (!strcmp(c->tp->category, "syscalls") || f->type->is_user);
	return 0;
}

static int check_member(struct check_ctx *c, struct node *n)
{
	struct node *a = n->a;
	const struct ctype *rec;
	struct member_info mi;

	if (type_check_expr(c, a))
		return -1;
	if (n->op == T_ARROW) {
		if (a->type->kind != CT_PTR) {
			if (a->type->kind == CT_RECORD)
				return err(c, n, "'%.*s' is a %s, not a pointer; use '.'", a->end - a->pos,
					   c->src + a->pos, tname(c, a->type));
			return err(c, n, "'%.*s' has type %s; cast it to a struct pointer to use '->', e.g. "
				   "((struct sock *)%.*s)->%s", a->end - a->pos, c->src + a->pos,
				   tname(c, a->type), a->end - a->pos, c->src + a->pos, n->name);
		}
		rec = a->type->elem;
	} else {
		if (a->type->kind == CT_PTR && a->type->elem->kind == CT_RECORD)
			return err(c, n, "'%.*s' is a pointer; use '->'", a->end - a->pos, c->src + a->pos);
		if (a->type->kind != CT_RECORD || !a->lvalue)
			return err(c, n, "'.%s' needs a struct or union, but '%.*s' has type %s", n->name,
				   a->end - a->pos, c->src + a->pos, tname(c, a->type));
		rec = a->type;
	}
	if (rec == &ct_tp_args)
		return check_tp_field(c, n);
	if (rec->kind != CT_RECORD)
		return err(c, n, "'%.*s' points to %s, which has no fields", a->end - a->pos, c->src + a->pos,
			   tname(c, rec));
	if (rec->btf_id <= 0)
		return err(c, n, "%s is not in the kernel's BTF, so its fields are unknown", rec->name);
	if (!ct_find_member(c->a, rec, n->name, &mi) && !find_member_macro(c, rec, n->name, &mi))
		return member_error(c, n, rec);
	n->type = mi.type;
	n->member_off = mi.byte_off;
	n->bit_off = mi.bit_off;
	n->bit_size = mi.bit_size;
	n->sem = SEM_MEM;
	n->lvalue = true;
	n->mem_user = n->op == T_ARROW ? a->ptr_user : a->mem_user;
	n->ptr_user = n->mem_user || (mi.type->kind == CT_PTR && mi.type->is_user);
	if (mi.type->kind == CT_VOID)
		return err(c, n, "field '%s' has type %s, which cannot be read", n->name, mi.type->name);
	return 0;
}

static int check_index(struct check_ctx *c, struct node *n)
{
	struct node *a = n->a, *b = n->b;
	const struct ctype *elem;

	if (type_check_expr(c, a) || type_check_expr(c, b) || require_integer(c, b, "[]"))
		return -1;
	if (a->type->kind != CT_ARRAY && a->type->kind != CT_PTR)
		return err(c, a, "'%.*s' has type %s and cannot be indexed", a->end - a->pos, c->src + a->pos,
			   tname(c, a->type));
	elem = a->type->elem;
	if (elem->kind == CT_VOID || elem->kind == CT_FUNC || (elem->kind == CT_RECORD && !elem->size))
		return err(c, a, "cannot index a pointer to %s", tname(c, elem));
	n->type = elem;
	n->lvalue = true;
	if (a->type->kind == CT_ARRAY && !a->type->data_loc && is_const(b) && a->type->nelem &&
	    b->cval >= a->type->nelem)
		return err(c, b, "index %lld is past the end of %s", (long long)b->cval, tname(c, a->type));
	if (a->sem == SEM_CTX && a->type->kind == CT_ARRAY && is_const(b)) {
		n->sem = SEM_CTX;   /* a constant element of a tracepoint array: a plain context load */
		n->ctx_off = a->ctx_off + b->cval * elem->size;
		return 0;
	}
	n->sem = SEM_MEM;
	n->mem_user = a->type->kind == CT_PTR ? a->ptr_user : (a->sem == SEM_MEM && a->mem_user);
	n->ptr_user = n->mem_user || (elem->kind == CT_PTR && elem->is_user);
	return 0;
}

/* ---- operators ------------------------------------------------------------------------------ */
static uint64_t fold_binary(enum tok op, const struct ctype *t, uint64_t x, uint64_t y, bool *ok)
{
	bool s = t->is_signed;
	int64_t sx = x, sy = y;

	*ok = true;
	switch (op) {
	case T_PLUS: return x + y;
	case T_MINUS: return x - y;
	case T_STAR: return x * y;
	case T_SLASH:
		if (!y || (s && sx == INT64_MIN && sy == -1))
			return *ok = false, 0;
		return s ? (uint64_t)(sx / sy) : x / y;
	case T_PERCENT:
		if (!y || (s && sx == INT64_MIN && sy == -1))
			return *ok = false, 0;
		return s ? (uint64_t)(sx % sy) : x % y;
	case T_AMP: return x & y;
	case T_PIPE: return x | y;
	case T_CARET: return x ^ y;
	case T_SHL: return y >= 64 ? 0 : x << y;
	case T_SHR: return y >= 64 ? (s && sx < 0 ? ~0ULL : 0) : s ? (uint64_t)(sx >> y) : x >> y;
	case T_LT: return s ? sx < sy : x < y;
	case T_LE: return s ? sx <= sy : x <= y;
	case T_GT: return s ? sx > sy : x > y;
	case T_GE: return s ? sx >= sy : x >= y;
	case T_EQ: return x == y;
	case T_NE: return x != y;
	case T_ANDAND: return x && y;
	case T_OROR: return x || y;
	default: return *ok = false, 0;
	}
}

static bool is_comparison(enum tok op)
{
	return op == T_LT || op == T_LE || op == T_GT || op == T_GE || op == T_EQ || op == T_NE;
}

static int check_binary(struct check_ctx *c, struct node *n)
{
	struct node *a = n->a, *b = n->b;
	const struct ctype *ta, *tb, *result;
	bool ok;

	if (type_check_expr(c, a) || type_check_expr(c, b))
		return -1;
	if (require_scalar(c, a, "operand") || require_scalar(c, b, "operand"))
		return -1;
	ta = value_type(c, a);
	tb = value_type(c, b);
	if (n->op == T_ANDAND || n->op == T_OROR) {
		n->type = &ct_int;
		if (is_const(a) && is_const(b))
			set_const(n, &ct_int, fold_binary(n->op, &ct_int, a->cval != 0, b->cval != 0, &ok));
		else if (is_const(a) && (n->op == T_ANDAND ? !a->cval : a->cval))
			set_const(n, &ct_int, n->op == T_OROR);   /* short-circuited: b never runs */
		return 0;
	}
	if (is_comparison(n->op)) {
		/* compared in the common type; pointers as unsigned 64-bit */
		const struct ctype *cmp = ta->kind == CT_INT && tb->kind == CT_INT ? common_type(ta, tb) : &ct_ulong;

		n->type = &ct_int;
		n->op_type = cmp;
		if (is_const(a) && is_const(b))
			set_const(n, &ct_int, fold_binary(n->op, cmp, normalize(a->cval, cmp), normalize(b->cval, cmp), &ok));
		return 0;
	}
	if (n->op == T_PLUS || n->op == T_MINUS) {
		bool pa = ta->kind == CT_PTR, pb = tb->kind == CT_PTR;

		if (pa && pb) {
			if (n->op == T_PLUS)
				return err(c, n, "cannot add two pointers");
			if (ta->elem->size != tb->elem->size)
				return err(c, n, "subtracting pointers to different types (%s and %s)", tname(c, ta), tname(c, tb));
			n->type = &ct_long;
			return 0;
		}
		if (pa || pb) {
			const struct ctype *pt = pa ? ta : tb;

			if (pb && n->op == T_MINUS)
				return err(c, n, "cannot subtract a pointer from an integer");
			if (pt->elem->kind == CT_FUNC || (pt->elem->kind == CT_RECORD && !pt->elem->size))
				return err(c, n, "arithmetic on a pointer to %s (size unknown)", tname(c, pt->elem));
			n->type = pt;
			n->ptr_user = pa ? value_ptr_user(a) : value_ptr_user(b);
			return 0;
		}
	}
	if (require_integer(c, a, "arithmetic") || require_integer(c, b, "arithmetic"))
		return -1;
	if (n->op == T_SHL || n->op == T_SHR) {
		result = promote(ta);
		if (is_const(b) && (b->cval >= result->size * 8 || (b->type->is_signed && (int64_t)b->cval < 0)))
			return err(c, b, "shift count %lld is out of range for %s", (long long)b->cval, tname(c, result));
		n->op_type = result;   /* the count is used as it is */
	} else {
		result = common_type(ta, tb);
		n->op_type = result;
	}
	n->type = result;
	if ((n->op == T_SLASH || n->op == T_PERCENT) && is_const(b) && normalize(b->cval, result) == 0)
		return err(c, b, "division by zero");
	if (is_const(a) && is_const(b)) {
		uint64_t v = fold_binary(n->op, result, normalize(a->cval, result),
					 n->op == T_SHL || n->op == T_SHR ? b->cval : normalize(b->cval, result), &ok);

		if (ok)
			set_const(n, result, v);
	}
	return 0;
}

static int check_unary(struct check_ctx *c, struct node *n)
{
	struct node *a = n->a;
	const struct ctype *t;

	if (type_check_expr(c, a))
		return -1;
	switch (n->op) {
	case T_MINUS: case T_PLUS: case T_TILDE:
		if (require_integer(c, a, n->op == T_MINUS ? "-" : n->op == T_PLUS ? "+" : "~"))
			return -1;
		n->type = promote(a->type);
		if (is_const(a))
			set_const(n, n->type, n->op == T_MINUS ? -a->cval : n->op == T_TILDE ? ~a->cval : a->cval);
		return 0;
	case T_BANG:
		if (require_scalar(c, a, "operand of '!'"))
			return -1;
		n->type = &ct_int;
		if (is_const(a))
			set_const(n, &ct_int, !a->cval);
		return 0;
	case T_STAR:
		t = value_type(c, a);
		if (t->kind != CT_PTR)
			return err(c, n, "cannot dereference '%.*s' of type %s; cast it to a pointer first",
				   a->end - a->pos, c->src + a->pos, tname(c, a->type));
		if (t->elem->kind == CT_VOID || t->elem->kind == CT_FUNC)
			return err(c, n, "cannot dereference a pointer to %s; cast it to a typed pointer", tname(c, t->elem));
		n->type = t->elem;
		n->sem = SEM_MEM;
		n->lvalue = true;
		n->mem_user = value_ptr_user(a);
		n->ptr_user = n->mem_user || (t->elem->kind == CT_PTR && t->elem->is_user);
		return 0;
	case T_AMP:
		if (!a->lvalue || (a->sem != SEM_MEM && a->sem != SEM_CTX))
			return err(c, n, "cannot take the address of '%.*s'", a->end - a->pos, c->src + a->pos);
		if (a->bit_size)
			return err(c, n, "cannot take the address of a bit-field");
		n->type = ct_pointer(c->a, a->type, false);
		n->ptr_user = a->sem == SEM_MEM && a->mem_user;
		return 0;
	default:
		return err(c, n, "unknown unary operator");
	}
}

static int check_cond(struct check_ctx *c, struct node *n)
{
	const struct ctype *tb, *tc;

	if (type_check_expr(c, n->a) || type_check_expr(c, n->b) || type_check_expr(c, n->c))
		return -1;
	if (require_scalar(c, n->a, "condition") || require_scalar(c, n->b, "value") ||
	    require_scalar(c, n->c, "value"))
		return -1;
	tb = value_type(c, n->b);
	tc = value_type(c, n->c);
	if (tb->kind == CT_INT && tc->kind == CT_INT)
		n->type = common_type(tb, tc);
	else
		n->type = tb->kind == CT_PTR ? tb : tc;
	n->ptr_user = value_ptr_user(n->b) || value_ptr_user(n->c);
	if (is_const(n->a)) {
		struct node *chosen = n->a->cval ? n->b : n->c;

		if (is_const(chosen))
			set_const(n, n->type, chosen->cval);
	}
	return 0;
}

static int check_cast(struct check_ctx *c, struct node *n)
{
	const struct ctype *to = ct_from_typename(c->a, c->src, n->tn, c->d);

	if (!to || type_check_expr(c, n->a))
		return -1;
	if (to->kind == CT_RECORD || to->kind == CT_ARRAY || to->kind == CT_FUNC)
		return err(c, n, "cannot cast to %s (only to integer and pointer types)", tname(c, to));
	if (to->kind == CT_VOID)
		return err(c, n, "a cast to void has no value");
	if (require_scalar(c, n->a, "cast"))
		return -1;
	n->type = to;
	n->ptr_user = value_ptr_user(n->a) || (to->kind == CT_PTR && to->is_user);
	if (is_const(n->a))
		set_const(n, to, n->a->cval);
	return 0;
}

static int check_int_literal(struct node *n)
{
	uint64_t v = n->ival;
	const struct ctype *t;

	if (n->is_char)
		t = &ct_int;
	else if (n->u_suffix)
		t = !n->l_suffix && v <= UINT32_MAX ? &ct_uint : &ct_ulong;
	else if (n->l_suffix)
		t = v <= INT64_MAX ? &ct_long : &ct_ulong;
	else if (v <= INT32_MAX)
		t = &ct_int;
	else if (!n->decimal && v <= UINT32_MAX)
		t = &ct_uint;
	else
		t = v <= INT64_MAX ? &ct_long : &ct_ulong;
	set_const(n, t, n->is_char ? (uint64_t)(int64_t)(signed char)v : v);
	return 0;
}

int type_check_expr(struct check_ctx *c, struct node *n)
{
	switch (n->kind) {
	case N_INT:
		return check_int_literal(n);
	case N_STRING:
		return err(c, n, "a string literal can only be STRCMP's first argument: STRCMP(\"text\", expr)");
	case N_IDENT:
		return check_ident(c, n);
	case N_VAR:
		return check_var(c, n);
	case N_UNARY:
		return check_unary(c, n);
	case N_BINARY:
		if ((n->op == T_EQ || n->op == T_NE) && (n->a->kind == N_STRING || n->b->kind == N_STRING))
			return err(c, n, "strings cannot be compared with %s; use STRCMP(\"text\", expr)",
				   n->op == T_EQ ? "==" : "!=");
		return check_binary(c, n);
	case N_COND:
		return check_cond(c, n);
	case N_CAST:
		return check_cast(c, n);
	case N_MEMBER:
		return check_member(c, n);
	case N_INDEX:
		return check_index(c, n);
	case N_CALL:
		return check_call(c, n);
	case N_SIZEOF: {
		const struct ctype *t;

		if (n->tn) {
			t = ct_from_typename(c->a, c->src, n->tn, c->d);
			if (!t)
				return -1;
		} else {
			if (type_check_expr(c, n->a))
				return -1;
			t = n->a->type;
		}
		if (t->kind == CT_VOID || t->kind == CT_FUNC || (t->kind == CT_ARRAY && t->data_loc) ||
		    (t->kind == CT_RECORD && !t->size))
			return err(c, n, "sizeof applied to %s, whose size is unknown", tname(c, t));
		set_const(n, &ct_ulong, t->size);
		return 0;
	}
	case N_USER:
		if (type_check_expr(c, n->a) || require_scalar(c, n->a, "@user"))
			return -1;
		n->type = value_type(c, n->a);
		n->ptr_user = true;
		if (is_const(n->a))
			set_const(n, n->type, n->a->cval);
		n->ptr_user = true;
		return 0;
	}
	return err(c, n, "unsupported expression");
}

int type_check_value(struct check_ctx *c, struct node *n, bool as_string, const char *what)
{
	if (type_check_expr(c, n))
		return -1;
	if (as_string)
		return check_string_operand(c, n, what);
	/* An array's value would be its address: never what was meant, and for a tracepoint
	 * field a pointer into the context that the verifier refuses to do arithmetic on. */
	if (n->type->kind == CT_ARRAY) {
		bool chars = n->type->elem && n->type->elem->kind == CT_INT && n->type->elem->size == 1;
		const char *hint = !chars ? "use one element, e.g. [0]" :
				   c->spec->tool == PROBE_TOOL_TRACE ? "print it with %s" :
				   "declare the value char* to count it as a string";

		return err(c, n, "%s: '%.*s' is %s, an array; %s", what, n->end - n->pos,
			   c->src + n->pos, tname(c, n->type), hint);
	}
	return require_scalar(c, n, what);
}

int type_check_condition(struct check_ctx *c, struct node *n)
{
	if (type_check_expr(c, n))
		return -1;
	return require_scalar(c, n, "the filter must be a number or pointer");
}
