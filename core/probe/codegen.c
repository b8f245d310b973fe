/* Expressions to BPF instructions.
 *
 * Registers: r6 = the context (pt_regs or the tracepoint record), r7 = the record or map key
 * being built (per-CPU scratch map value), r8 = the $entry map value in return probes, r9 =
 * a value that must survive a helper call (the histogram slot). r0 holds every result; r1-r5
 * are scratch and helper arguments. Values are kept 64 bits wide, sign- or zero-extended from
 * their C type, so converting to a wider type costs nothing and narrowing truncates.
 *
 * An operand that needs helper calls (memory reads, $pid, ...) cannot live in r1-r5 across
 * them, so the left operand of such a binary operation is spilled to a stack slot; operands
 * that are plain loads ("leaves") go straight into r1. Every instruction remembers the node it
 * evaluates, so a verifier rejection can quote the sub-expression. */
#include <stdlib.h>
#include <string.h>
#include "symbolize/usdt.h"
#include "core/probe/insn.h"
#include "core/probe/internal.h"

/* ---- instruction buffer --------------------------------------------------------------------- */
static void *grow(void *p, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 64;
	p = realloc(p, *cap * elem);
	if (!p)
		abort();
	return p;
}

int ib_emit(struct codegen *g, struct bpf_insn insn)
{
	struct insn_buf *ib = g->ib;
	int cap = ib->cap;

	ib->insns = grow(ib->insns, &cap, ib->n + 1, sizeof(*ib->insns));
	cap = ib->cap;
	ib->where = grow(ib->where, &cap, ib->n + 1, sizeof(*ib->where));
	ib->cap = cap;
	ib->insns[ib->n] = insn;
	ib->where[ib->n].pos = g->cur ? g->cur->pos : -1;
	ib->where[ib->n].end = g->cur ? g->cur->end : -1;
	return ib->n++;
}

void ib_emit_ld_imm64(struct codegen *g, int reg, uint64_t v)
{
	ib_emit(g, INSN(LD_IMM64_CODE, reg, 0, 0, (int32_t)(uint32_t)v));
	ib_emit(g, INSN(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

void ib_emit_ld_map(struct codegen *g, int reg, enum map_slot slot)
{
	/* imm is the map slot until probe_load() puts the fd there */
	ib_emit(g, INSN(LD_IMM64_CODE, reg, BPF_PSEUDO_MAP_FD, 0, slot));
	ib_emit(g, INSN(0, 0, 0, 0, 0));
}

/* r1 = the map in slot, r2 = r10 + key_off, then the helper (lookup, delete: r0 its result). */
void ib_emit_map_call(struct codegen *g, int helper, enum map_slot slot, int key_off)
{
	ib_emit_ld_map(g, BPF_REG_1, slot);
	ib_emit(g, MOV64_REG(BPF_REG_2, BPF_REG_10));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_2, key_off));
	ib_emit(g, CALL(helper));
}

/* map_update_elem(the map in slot, r10 + key_off, r10 + value_off, flags). */
void ib_emit_map_update(struct codegen *g, enum map_slot slot, int key_off, int value_off, int flags)
{
	ib_emit_ld_map(g, BPF_REG_1, slot);
	ib_emit(g, MOV64_REG(BPF_REG_2, BPF_REG_10));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_2, key_off));
	ib_emit(g, MOV64_REG(BPF_REG_3, BPF_REG_10));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_3, value_off));
	ib_emit(g, MOV64_IMM(BPF_REG_4, flags));
	ib_emit(g, CALL(BPF_FUNC_map_update_elem));
}

int ib_new_label(struct codegen *g)
{
	struct insn_buf *ib = g->ib;

	ib->label_pos = grow(ib->label_pos, &ib->label_cap, ib->nlabels + 1, sizeof(int));
	ib->label_pos[ib->nlabels] = -1;
	return ib->nlabels++;
}

void ib_place(struct codegen *g, int label)
{
	g->ib->label_pos[label] = g->ib->n;
}

void ib_jump(struct codegen *g, int op, int reg, int src_reg, int32_t imm, bool use_reg, int label)
{
	struct insn_buf *ib = g->ib;
	int at = ib_emit(g, use_reg ? JMP_REG(op, reg, src_reg, 0) : JMP_IMM(op, reg, imm, 0));

	ib->fixups = grow(ib->fixups, &ib->fixup_cap, ib->nfixups + 1, sizeof(*ib->fixups));
	ib->fixups[ib->nfixups].insn = at;
	ib->fixups[ib->nfixups].label = label;
	ib->nfixups++;
}

static bool is_jump(const struct bpf_insn *in)
{
	int op = BPF_OP(in->code);

	return BPF_CLASS(in->code) == BPF_JMP && op != BPF_CALL && op != BPF_EXIT;
}

/* The verifier refuses unreachable instructions, and constant conditions leave some (the other
 * side of "1 ? a : b", the "true" of "x && 0"): drop them and re-aim the jumps. */
static int remove_unreachable(struct insn_buf *ib)
{
	char *seen = calloc(ib->n + 1, 1);
	int *stack = malloc((2 * ib->n + 2) * sizeof(int)), *new_index = malloc((ib->n + 1) * sizeof(int));
	int top = 0, n = 0;

	if (!seen || !stack || !new_index) {
		free(seen);
		free(stack);
		free(new_index);
		return -1;
	}
	stack[top++] = 0;
	while (top) {
		int i = stack[--top];
		const struct bpf_insn *in;

		if (i < 0 || i >= ib->n || seen[i])
			continue;
		seen[i] = 1;
		in = &ib->insns[i];
		if (in->code == LD_IMM64_CODE) {
			if (i + 1 < ib->n)
				seen[i + 1] = 1;
			stack[top++] = i + 2;
		} else if (BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) == BPF_EXIT) {
			continue;
		} else if (is_jump(in)) {
			stack[top++] = i + 1 + in->off;
			if (BPF_OP(in->code) != BPF_JA)
				stack[top++] = i + 1;
		} else {
			stack[top++] = i + 1;
		}
	}
	for (int i = 0; i < ib->n; i++)
		new_index[i] = seen[i] ? n++ : -1;
	new_index[ib->n] = n;
	if (n < ib->n) {
		for (int i = 0, k = 0; i < ib->n; i++) {
			struct bpf_insn in = ib->insns[i];

			if (!seen[i])
				continue;
			if (is_jump(&in))
				in.off = new_index[i + 1 + in.off] - new_index[i] - 1;
			ib->insns[k] = in;
			ib->where[k++] = ib->where[i];
		}
		ib->n = n;
	}
	free(seen);
	free(stack);
	free(new_index);
	return 0;
}

int ib_resolve(struct insn_buf *ib)
{
	for (int i = 0; i < ib->nfixups; i++) {
		int target = ib->label_pos[ib->fixups[i].label], off;

		if (target < 0)
			return -1;
		off = target - ib->fixups[i].insn - 1;
		if (off < INT16_MIN || off > INT16_MAX)
			return -1;
		ib->insns[ib->fixups[i].insn].off = off;
	}
	return remove_unreachable(ib);
}

void ib_free(struct insn_buf *ib)
{
	free(ib->insns);
	free(ib->where);
	free(ib->label_pos);
	free(ib->fixups);
	memset(ib, 0, sizeof(*ib));
}

/* ---- small pieces --------------------------------------------------------------------------- */
static int fail(struct codegen *g, const struct node *n, const char *msg)
{
	return probe_error_at(g->d, g->src, n ? n->pos : 0, n ? n->end : 1, "%s", msg);
}

static bool fits_imm32(uint64_t v)
{
	return (int64_t)v == (int64_t)(int32_t)v;
}

static void emit_const(struct codegen *g, int reg, uint64_t v)
{
	if (fits_imm32(v))
		ib_emit(g, MOV64_IMM(reg, (int32_t)v));
	else if (v <= UINT32_MAX)
		ib_emit(g, MOV32_IMM(reg, (int32_t)(uint32_t)v));   /* 32-bit moves zero-extend */
	else
		ib_emit_ld_imm64(g, reg, v);
}

/* Re-extends the low bytes of reg to 64 bits as type t. */
static void normalize(struct codegen *g, int reg, const struct ctype *t)
{
	if (t->kind != CT_INT || t->size >= 8)
		return;
	if (t->is_bool) {
		ib_emit(g, JMP_IMM(BPF_JEQ, reg, 0, 1));
		ib_emit(g, MOV64_IMM(reg, 1));
		return;
	}
	if (t->is_signed) {
		ib_emit(g, ALU64_IMM(BPF_LSH, reg, 64 - 8 * t->size));
		ib_emit(g, ALU64_IMM(BPF_ARSH, reg, 64 - 8 * t->size));
	} else if (t->size == 4) {
		ib_emit(g, MOV32_REG(reg, reg));
	} else {
		ib_emit(g, ALU64_IMM(BPF_AND, reg, t->size == 2 ? 0xffff : 0xff));
	}
}

void cg_convert(struct codegen *g, int reg, const struct ctype *from, const struct ctype *to)
{
	if (to->kind != CT_INT)
		return;
	if (to->is_bool) {
		if (!from->is_bool)
			normalize(g, reg, to);
		return;
	}
	if (to->size >= 8)
		return;   /* any 64-bit view of an extended value is the converted value */
	if (from->kind == CT_INT && !from->is_bool) {
		if (to->size > from->size && (!from->is_signed || to->is_signed))
			return;
		if (to->size == from->size && to->is_signed == from->is_signed)
			return;
	} else if (from->kind == CT_INT && from->is_bool) {
		return;   /* 0 or 1 fits anything */
	}
	normalize(g, reg, to);
}

/* The type a node's value has once arrays decay to pointers. */
static const struct ctype *value_type(const struct node *n)
{
	static const struct ctype decayed = { .kind = CT_PTR, .size = 8, .elem = &ct_void };

	return n->type->kind == CT_ARRAY ? &decayed : n->type;
}

static bool spill(struct codegen *g, const struct node *n, int *slot)
{
	if (g->depth >= MAX_SPILLS) {
		fail(g, n, "expression too complex (nested too deeply to evaluate)");
		return false;
	}
	*slot = STK_SPILL0 - 8 * g->depth++;
	if (g->depth > g->max_depth)
		g->max_depth = g->depth;
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, *slot));
	return true;
}

static void unspill(struct codegen *g, int reg, int slot)
{
	ib_emit(g, LDX_MEM(BPF_DW, reg, BPF_REG_10, slot));
	g->depth--;
}

/* Reads size bytes at the address in r0 into r0 (extended as t, or a bit-field's bits). */
static void read_memory(struct codegen *g, const struct ctype *t, bool user, unsigned bit_off,
			unsigned bit_size)
{
	unsigned size = t->size;

	if (bit_size) {
		size = (bit_off + bit_size + 7) / 8;
		ib_emit(g, ST_MEM(BPF_DW, BPF_REG_10, STK_READ, 0));   /* bytes past `size` read as 0 */
	}
	ib_emit(g, MOV64_REG(BPF_REG_3, BPF_REG_0));
	ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_10));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, STK_READ));
	ib_emit(g, MOV64_IMM(BPF_REG_2, size));
	ib_emit(g, CALL(user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel));
	if (bit_size) {
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, STK_READ));
		if (64 - bit_off - bit_size)
			ib_emit(g, ALU64_IMM(BPF_LSH, BPF_REG_0, 64 - bit_off - bit_size));
		ib_emit(g, ALU64_IMM(t->is_signed ? BPF_ARSH : BPF_RSH, BPF_REG_0, 64 - bit_size));
		return;
	}
	ib_emit(g, LDX_MEM(bpf_size_code(size), BPF_REG_0, BPF_REG_10, STK_READ));
	if (t->kind == CT_INT && t->is_signed && size < 8)
		normalize(g, BPF_REG_0, t);
}

/* A tracepoint field: context loads must be aligned to their size. */
static bool ctx_loadable(const struct node *n)
{
	unsigned size = n->type->size;

	return n->type->kind != CT_ARRAY && n->type->kind != CT_RECORD &&
	       (size == 1 || size == 2 || size == 4 || size == 8) && n->ctx_off % size == 0;
}

/* Leaves: values that load without helper calls, so they can go to any register. */
static bool is_leaf(const struct node *n)
{
	return n->sem == SEM_CONST || n->sem == SEM_REG || n->sem == SEM_ENTRY ||
	       (n->sem == SEM_CTX && ctx_loadable(n));
}

static void gen_leaf(struct codegen *g, const struct node *n, int reg)
{
	switch (n->sem) {
	case SEM_CONST:
		emit_const(g, reg, n->cval);
		break;
	case SEM_REG:
		ib_emit(g, LDX_MEM(BPF_DW, reg, BPF_REG_6, n->reg_off));
		cg_convert(g, reg, &ct_ulong, n->type);
		break;
	case SEM_ENTRY:
		ib_emit(g, LDX_MEM(BPF_DW, reg, BPF_REG_8, 8 + 8 * n->entry_index));
		cg_convert(g, reg, &ct_ulong, n->type);
		break;
	case SEM_CTX:
		ib_emit(g, LDX_MEM(bpf_size_code(n->type->size), reg, BPF_REG_6, n->ctx_off));
		if (n->type->kind == CT_INT && n->type->is_signed)
			normalize(g, reg, n->type);
		break;
	default:
		break;
	}
}

/* ---- helpers and special values ------------------------------------------------------------- */
static void gen_helper_var(struct codegen *g, int which)
{
	switch (which) {
	case HV_PID:
		ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
		ib_emit(g, MOV32_REG(BPF_REG_0, BPF_REG_0));
		break;
	case HV_TGID:
		ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
		ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
		break;
	case HV_UID:
		ib_emit(g, CALL(BPF_FUNC_get_current_uid_gid));
		ib_emit(g, MOV32_REG(BPF_REG_0, BPF_REG_0));
		break;
	case HV_GID:
		ib_emit(g, CALL(BPF_FUNC_get_current_uid_gid));
		ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
		break;
	case HV_CPU:
		ib_emit(g, CALL(BPF_FUNC_get_smp_processor_id));
		break;
	case HV_TASK:
		ib_emit(g, CALL(BPF_FUNC_get_current_task));
		break;
	case HV_PID_TGID:
		ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
		break;
	}
}

/* Syscall wrappers (__x64_sys_*, __arm64_sys_*) take a struct pt_regs * (the user registers) as
 * their first argument. */
static void gen_syscall_arg(struct codegen *g, const struct node *n)
{
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, g->di_off));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_3, n->reg_off));
	ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_10));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, STK_READ));
	ib_emit(g, MOV64_IMM(BPF_REG_2, 8));
	ib_emit(g, CALL(BPF_FUNC_probe_read_kernel));
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, STK_READ));
	cg_convert(g, BPF_REG_0, &ct_ulong, n->type);
}

static int gen_usdt_arg(struct codegen *g, const struct node *n)
{
	const struct bcct_usdt_arg *a = &g->usdt_args[n->usdt_index];
	int off;

	switch (a->kind) {
	case USDT_ARG_CONST:
		emit_const(g, BPF_REG_0, (uint64_t)a->val);
		break;
	case USDT_ARG_REG:
	case USDT_ARG_REG_DEREF:
		off = ct_pt_regs_offset(a->reg);
		if (off < 0)
			return fail(g, n, "USDT argument uses a register this compiler does not know");
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, off));
		if (a->kind == USDT_ARG_REG)
			break;
		if (a->index_reg[0]) {
			int ioff = ct_pt_regs_offset(a->index_reg);

			if (ioff < 0)
				return fail(g, n, "USDT argument uses a register this compiler does not know");
			ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_6, ioff));
			if (a->scale > 1)
				ib_emit(g, ALU64_IMM(BPF_MUL, BPF_REG_1, a->scale));
			ib_emit(g, ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1));
		}
		if (a->val)
			ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_0, (int32_t)a->val));
		read_memory(g, n->type, true, 0, 0);
		return 0;
	default:
		return fail(g, n, "USDT arguments relative to a symbol (%rip) are not supported");
	}
	normalize(g, BPF_REG_0, n->type);
	return 0;
}

/* ---- strings -------------------------------------------------------------------------------- */
/* Source address of the string n designates into r3, its memory space and the most bytes worth
 * reading (arrays: their length, so a full array without NUL stops at its end). */
static int gen_string_source(struct codegen *g, const struct node *n, bool *user, unsigned *limit)
{
	*limit = 0;
	if (n->type->kind == CT_ARRAY && n->lvalue) {
		if (cg_address(g, n))
			return -1;
		*user = n->sem == SEM_MEM && n->mem_user;
		if (!n->type->data_loc && n->type->nelem)
			*limit = n->type->size + 1;
	} else {
		if (cg_value(g, n))
			return -1;
		*user = n->ptr_user;
	}
	ib_emit(g, MOV64_REG(BPF_REG_3, BPF_REG_0));
	return 0;
}

static int gen_string_read(struct codegen *g, const struct node *n, int base_reg, int off, unsigned size)
{
	bool user;
	unsigned limit;

	if (gen_string_source(g, n, &user, &limit))
		return -1;
	if (limit && limit < size)
		size = limit;
	ib_emit(g, MOV64_REG(BPF_REG_1, base_reg));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, off));
	ib_emit(g, MOV64_IMM(BPF_REG_2, size));
	ib_emit(g, CALL(user ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str));
	return 0;
}

int cg_string_into(struct codegen *g, const struct node *n, int off, int size)
{
	const struct node *saved = g->cur;
	int r;

	g->cur = n;
	r = gen_string_read(g, n, BPF_REG_7, off, size);
	g->cur = saved;
	return r;
}

/* STRCMP("lit", s): reads up to strlen(lit) + 1 bytes of s, so "litX" differs from "lit",
 * then compares eight bytes at a time. r0 = 1 when equal. */
static int gen_strcmp(struct codegen *g, const struct node *n)
{
	const struct node *lit = n->args[0];
	unsigned want = lit->slen + 1;            /* the literal and its NUL */
	unsigned bufsize = (want + 1 + 7) & ~7u;  /* one more byte: a longer string shows */
	int buf = STK_STRBUF - (int)bufsize, differ = ib_new_label(g), done = ib_new_label(g);

	if (gen_string_read(g, n->args[1], BPF_REG_10, buf, want + 1))
		return -1;
	for (unsigned at = 0; at < want; at += 8) {
		unsigned chunk = want - at < 8 ? want - at : 8;
		uint64_t expect = 0;

		for (unsigned k = 0; k < chunk; k++)
			expect |= (uint64_t)(unsigned char)(at + k < lit->slen ? lit->str[at + k] : 0) << (8 * k);
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, buf + at));
		if (chunk < 8)   /* little-endian: the bytes past the literal are the high ones */
			ib_emit(g, ALU64_IMM(BPF_LSH, BPF_REG_1, 64 - 8 * chunk));
		ib_emit_ld_imm64(g, BPF_REG_2, chunk < 8 ? expect << (64 - 8 * chunk) : expect);
		ib_jump(g, BPF_JNE, BPF_REG_1, BPF_REG_2, 0, true, differ);
	}
	ib_emit(g, MOV64_IMM(BPF_REG_0, 1));
	ib_jump(g, BPF_JA, 0, 0, 0, false, done);
	ib_place(g, differ);
	ib_emit(g, MOV64_IMM(BPF_REG_0, 0));
	ib_place(g, done);
	return 0;
}

/* ---- operands ------------------------------------------------------------------------------- */
/* Left operand to r0 (converted to ta), right operand to r1 or an immediate (converted to tb). */
static int gen_operands(struct codegen *g, const struct node *a, const struct node *b,
			const struct ctype *ta, const struct ctype *tb, bool *use_imm, int32_t *imm)
{
	*use_imm = false;
	if (b->sem == SEM_CONST) {
		uint64_t v = b->cval;

		if (tb && tb->kind == CT_INT && tb->size < 8) {   /* the constant in b's converted type */
			unsigned bits = tb->size * 8;

			v &= (1ULL << bits) - 1;
			if (tb->is_signed && ((v >> (bits - 1)) & 1))
				v |= ~((1ULL << bits) - 1);
		}
		if (fits_imm32(v)) {
			if (cg_value(g, a))
				return -1;
			if (ta)
				cg_convert(g, BPF_REG_0, value_type(a), ta);
			*use_imm = true;
			*imm = (int32_t)v;
			return 0;
		}
	}
	if (cg_value(g, a))
		return -1;
	if (ta)
		cg_convert(g, BPF_REG_0, value_type(a), ta);
	if (is_leaf(b)) {
		const struct node *saved = g->cur;

		g->cur = b;
		gen_leaf(g, b, BPF_REG_1);
		if (tb)
			cg_convert(g, BPF_REG_1, value_type(b), tb);
		g->cur = saved;
		return 0;
	} else {
		int slot;

		if (!spill(g, a, &slot) || cg_value(g, b))
			return -1;
		if (tb)
			cg_convert(g, BPF_REG_0, value_type(b), tb);
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_0));
		unspill(g, BPF_REG_0, slot);
	}
	return 0;
}

static void materialize_r1(struct codegen *g, bool use_imm, int32_t imm)
{
	if (use_imm)
		ib_emit(g, MOV64_IMM(BPF_REG_1, imm));
}

/* r0 = r0 / r1 or r0 % r1, signed, in 64 bits: BPF before v4 only divides unsigned. */
static void gen_signed_divmod(struct codegen *g, bool mod)
{
	ib_emit(g, MOV64_IMM(BPF_REG_2, 0));                    /* negate the result? */
	ib_emit(g, JMP_IMM(BPF_JSGE, BPF_REG_0, 0, 2));
	ib_emit(g, NEG64(BPF_REG_0));
	ib_emit(g, ALU64_IMM(BPF_XOR, BPF_REG_2, 1));
	ib_emit(g, JMP_IMM(BPF_JSGE, BPF_REG_1, 0, mod ? 1 : 2));
	ib_emit(g, NEG64(BPF_REG_1));
	if (!mod)                                               /* a remainder takes a's sign */
		ib_emit(g, ALU64_IMM(BPF_XOR, BPF_REG_2, 1));
	ib_emit(g, ALU64_REG(mod ? BPF_MOD : BPF_DIV, BPF_REG_0, BPF_REG_1));
	ib_emit(g, JMP_IMM(BPF_JEQ, BPF_REG_2, 0, 1));
	ib_emit(g, NEG64(BPF_REG_0));
}

static int alu_op(enum tok op)
{
	switch (op) {
	case T_PLUS: return BPF_ADD;
	case T_MINUS: return BPF_SUB;
	case T_STAR: return BPF_MUL;
	case T_AMP: return BPF_AND;
	case T_PIPE: return BPF_OR;
	case T_CARET: return BPF_XOR;
	case T_SHL: return BPF_LSH;
	default: return -1;
	}
}

static int elem_size(const struct ctype *ptr)
{
	const struct ctype *e = ptr->kind == CT_ARRAY || ptr->kind == CT_PTR ? ptr->elem : NULL;

	return e && e->size ? (int)e->size : 1;   /* void *: bytes, as GNU C */
}

static int gen_pointer_arith(struct codegen *g, const struct node *n)
{
	const struct node *a = n->a, *b = n->b;
	bool pa = value_type(a)->kind == CT_PTR, pb = value_type(b)->kind == CT_PTR;
	int op = n->op == T_PLUS ? BPF_ADD : BPF_SUB;

	if (pa && pb) {   /* difference in elements */
		int size = elem_size(a->type);
		bool use_imm;
		int32_t imm;

		if (gen_operands(g, a, b, NULL, NULL, &use_imm, &imm))
			return -1;
		ib_emit(g, ALU64_REG(BPF_SUB, BPF_REG_0, BPF_REG_1));
		if (size > 1) {
			ib_emit(g, MOV64_IMM(BPF_REG_1, size));
			gen_signed_divmod(g, false);
		}
		return 0;
	}
	{
		const struct node *p = pa ? a : b, *i = pa ? b : a;
		int size = elem_size(p->type);
		int slot;

		if (i->sem == SEM_CONST && fits_imm32(i->cval * size)) {
			if (cg_value(g, p))
				return -1;
			ib_emit(g, ALU64_IMM(op, BPF_REG_0, (int32_t)(i->cval * size)));
			return 0;
		}
		if (cg_value(g, p) || !spill(g, p, &slot) || cg_value(g, i))
			return -1;
		if (size > 1)
			ib_emit(g, ALU64_IMM(BPF_MUL, BPF_REG_0, size));
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_0));
		unspill(g, BPF_REG_0, slot);
		ib_emit(g, ALU64_REG(op, BPF_REG_0, BPF_REG_1));
	}
	return 0;
}

static int gen_arith(struct codegen *g, const struct node *n)
{
	const struct ctype *t = n->op_type;
	bool shift = n->op == T_SHL || n->op == T_SHR, use_imm;
	int32_t imm;
	int op;

	if (!t)
		return gen_pointer_arith(g, n);
	if (gen_operands(g, n->a, n->b, t, shift ? NULL : t, &use_imm, &imm))
		return -1;
	switch (n->op) {
	case T_SLASH:
	case T_PERCENT:
		if (t->is_signed) {
			materialize_r1(g, use_imm, imm);
			gen_signed_divmod(g, n->op == T_PERCENT);
		} else {
			op = n->op == T_SLASH ? BPF_DIV : BPF_MOD;
			ib_emit(g, use_imm ? ALU64_IMM(op, BPF_REG_0, imm) : ALU64_REG(op, BPF_REG_0, BPF_REG_1));
		}
		break;
	case T_SHR:
		op = t->is_signed ? BPF_ARSH : BPF_RSH;
		ib_emit(g, use_imm ? ALU64_IMM(op, BPF_REG_0, imm) : ALU64_REG(op, BPF_REG_0, BPF_REG_1));
		break;
	default:
		op = alu_op(n->op);
		if (op < 0)
			return fail(g, n, "internal error: unknown operator");
		ib_emit(g, use_imm ? ALU64_IMM(op, BPF_REG_0, imm) : ALU64_REG(op, BPF_REG_0, BPF_REG_1));
	}
	normalize(g, BPF_REG_0, n->type);
	return 0;
}

/* ---- conditions ----------------------------------------------------------------------------- */
static int jump_op(enum tok op, bool is_signed, bool when)
{
	if (!when) {   /* jump when false: the opposite comparison */
		switch (op) {
		case T_LT: op = T_GE; break;
		case T_LE: op = T_GT; break;
		case T_GT: op = T_LE; break;
		case T_GE: op = T_LT; break;
		case T_EQ: op = T_NE; break;
		default: op = T_EQ; break;
		}
	}
	switch (op) {
	case T_LT: return is_signed ? BPF_JSLT : BPF_JLT;
	case T_LE: return is_signed ? BPF_JSLE : BPF_JLE;
	case T_GT: return is_signed ? BPF_JSGT : BPF_JGT;
	case T_GE: return is_signed ? BPF_JSGE : BPF_JGE;
	case T_EQ: return BPF_JEQ;
	default: return BPF_JNE;
	}
}

int cg_branch(struct codegen *g, const struct node *n, bool when, int label)
{
	const struct node *saved = g->cur;
	int r = 0;

	g->cur = n;
	if (n->sem == SEM_CONST) {
		if ((n->cval != 0) == when)
			ib_jump(g, BPF_JA, 0, 0, 0, false, label);
	} else if (n->kind == N_BINARY && (n->op == T_ANDAND || n->op == T_OROR)) {
		/* a && b jumps on false when either is false; on true only when both are */
		bool and = n->op == T_ANDAND;

		if (when != and) {
			r = cg_branch(g, n->a, when, label);
			if (!r)
				r = cg_branch(g, n->b, when, label);
		} else {
			int skip = ib_new_label(g);

			r = cg_branch(g, n->a, !when, skip);
			if (!r)
				r = cg_branch(g, n->b, when, label);
			ib_place(g, skip);
		}
	} else if (n->kind == N_UNARY && n->op == T_BANG) {
		r = cg_branch(g, n->a, !when, label);
	} else if (n->kind == N_BINARY && n->op_type &&
		   (n->op == T_LT || n->op == T_LE || n->op == T_GT || n->op == T_GE ||
		    n->op == T_EQ || n->op == T_NE)) {
		bool use_imm;
		int32_t imm;

		r = gen_operands(g, n->a, n->b, n->op_type, n->op_type, &use_imm, &imm);
		if (!r)
			ib_jump(g, jump_op(n->op, n->op_type->is_signed, when), BPF_REG_0, BPF_REG_1, imm,
				!use_imm, label);
	} else {
		r = cg_value(g, n);
		if (!r)
			ib_jump(g, when ? BPF_JNE : BPF_JEQ, BPF_REG_0, 0, 0, false, label);
	}
	g->cur = saved;
	return r;
}

/* 0 or 1 into r0 from a condition. */
static int gen_truth(struct codegen *g, const struct node *n)
{
	int is_false = ib_new_label(g), done = ib_new_label(g);

	if (cg_branch(g, n, false, is_false))
		return -1;
	ib_emit(g, MOV64_IMM(BPF_REG_0, 1));
	ib_jump(g, BPF_JA, 0, 0, 0, false, done);
	ib_place(g, is_false);
	ib_emit(g, MOV64_IMM(BPF_REG_0, 0));
	ib_place(g, done);
	return 0;
}

/* ---- addresses and values ------------------------------------------------------------------- */
int cg_address(struct codegen *g, const struct node *n)
{
	const struct node *saved = g->cur;
	int r = 0;

	g->cur = n;
	switch (n->sem) {
	case SEM_CTX:
		ib_emit(g, MOV64_REG(BPF_REG_0, BPF_REG_6));
		if (n->ctx_off)
			ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_0, n->ctx_off));
		break;
	case SEM_DATALOC:
		/* __data_loc: low 16 bits are the offset from the record's start, high 16 the size */
		ib_emit(g, LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_6, n->ctx_off));
		ib_emit(g, ALU64_IMM(BPF_AND, BPF_REG_0, 0xffff));
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_6));
		ib_emit(g, ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_0));
		ib_emit(g, MOV64_REG(BPF_REG_0, BPF_REG_1));
		break;
	case SEM_MEM:
		if (n->kind == N_MEMBER) {
			r = n->op == T_ARROW ? cg_value(g, n->a) : cg_address(g, n->a);
			if (!r && n->member_off)
				ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_0, n->member_off));
		} else if (n->kind == N_UNARY) {
			r = cg_value(g, n->a);
		} else if (n->kind == N_INDEX) {
			int size = n->type->size ? n->type->size : 1, slot;

			if (n->b->sem == SEM_CONST && fits_imm32(n->b->cval * size)) {
				r = cg_value(g, n->a);
				if (!r && n->b->cval)
					ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_0, (int32_t)(n->b->cval * size)));
			} else if (!(r = cg_value(g, n->a))) {
				if (!spill(g, n, &slot) || cg_value(g, n->b)) {
					r = -1;
				} else {
					if (size > 1)
						ib_emit(g, ALU64_IMM(BPF_MUL, BPF_REG_0, size));
					ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_0));
					unspill(g, BPF_REG_0, slot);
					ib_emit(g, ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1));
				}
			}
		} else {
			r = fail(g, n, "internal error: no address");
		}
		break;
	default:
		r = fail(g, n, "internal error: not a memory location");
	}
	g->cur = saved;
	return r;
}

static int cg_value_inner(struct codegen *g, const struct node *n)
{
	if (n->sem == SEM_CONST || is_leaf(n)) {
		gen_leaf(g, n, BPF_REG_0);
		return 0;
	}
	if (n->lvalue && n->type->kind == CT_ARRAY)
		return cg_address(g, n);   /* arrays decay to their address */
	switch (n->sem) {
	case SEM_CTX:   /* unaligned or odd-sized: read it like memory */
		if (cg_address(g, n))
			return -1;
		read_memory(g, n->type, false, 0, 0);
		return 0;
	case SEM_MEM:
		if (n->type->kind == CT_RECORD)
			return fail(g, n, "a struct cannot be used as a value");
		if (cg_address(g, n))
			return -1;
		read_memory(g, n->type, n->mem_user, n->bit_off, n->bit_size);
		return 0;
	case SEM_SYSCALL_ARG:
		gen_syscall_arg(g, n);
		return 0;
	case SEM_USDT_ARG:
		return gen_usdt_arg(g, n);
	case SEM_HELPER:
		gen_helper_var(g, n->helper);
		return 0;
	case SEM_LATENCY:
		ib_emit(g, CALL(BPF_FUNC_ktime_get_ns));
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_8, 0));
		ib_emit(g, ALU64_REG(BPF_SUB, BPF_REG_0, BPF_REG_1));
		return 0;
	case SEM_STRCMP:
		return gen_strcmp(g, n);
	case SEM_BSWAP:
		if (cg_value(g, n->args[0]))
			return -1;
		cg_convert(g, BPF_REG_0, value_type(n->args[0]), n->type);
		ib_emit(g, TO_BE(BPF_REG_0, n->swap_bits));
		return 0;
	default:
		break;
	}
	switch (n->kind) {
	case N_IDENT:   /* `args` itself: the tracepoint record */
		ib_emit(g, MOV64_REG(BPF_REG_0, BPF_REG_6));
		return 0;
	case N_UNARY:
		switch (n->op) {
		case T_AMP:
			return cg_address(g, n->a);
		case T_BANG:
			return gen_truth(g, n);
		default:
			if (cg_value(g, n->a))
				return -1;
			cg_convert(g, BPF_REG_0, value_type(n->a), n->type);
			if (n->op == T_MINUS)
				ib_emit(g, NEG64(BPF_REG_0));
			else if (n->op == T_TILDE)
				ib_emit(g, ALU64_IMM(BPF_XOR, BPF_REG_0, -1));
			normalize(g, BPF_REG_0, n->type);
			return 0;
		}
	case N_BINARY:
		if (n->op == T_ANDAND || n->op == T_OROR ||
		    (n->op == T_LT || n->op == T_LE || n->op == T_GT || n->op == T_GE || n->op == T_EQ || n->op == T_NE))
			return gen_truth(g, n);
		return gen_arith(g, n);
	case N_COND: {
		int other = ib_new_label(g), done = ib_new_label(g);

		if (cg_branch(g, n->a, false, other) || cg_value(g, n->b))
			return -1;
		cg_convert(g, BPF_REG_0, value_type(n->b), n->type);
		ib_jump(g, BPF_JA, 0, 0, 0, false, done);
		ib_place(g, other);
		if (cg_value(g, n->c))
			return -1;
		cg_convert(g, BPF_REG_0, value_type(n->c), n->type);
		ib_place(g, done);
		return 0;
	}
	case N_CAST:
		if (cg_value(g, n->a))
			return -1;
		cg_convert(g, BPF_REG_0, value_type(n->a), n->type);
		return 0;
	case N_USER:
		return cg_value(g, n->a);
	default:
		return fail(g, n, "internal error: cannot evaluate this expression");
	}
}

int cg_value(struct codegen *g, const struct node *n)
{
	const struct node *saved = g->cur;
	int r;

	g->cur = n;
	r = cg_value_inner(g, n);
	g->cur = saved;
	return r;
}
