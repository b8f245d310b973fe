/* BPF instructions as text, in the notation of the kernel verifier's log (kernel/bpf/disasm.c),
 * so a listing reads like the verifier's own report. Covers what clang (-mcpu up to v4) and
 * core/probe's code generator emit: ALU and ALU32 (with sign-extending moves and signed
 * division), byte swaps, loads and stores (with sign-extending loads), atomics, 64-bit loads of
 * constants, maps and map values, JMP and JMP32, helper, subprogram and kfunc calls. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "core/disasm.h"

/* The uapi header's list of helpers, as names indexed by id. */
#define HELPER_NAME(name, id, ...) [id] = #name,
static const char *const helper_names[] = { ___BPF_FUNC_MAPPER(HELPER_NAME) };
#undef HELPER_NAME

const char *bcct_helper_name(int id)
{
	if (id <= 0 || id >= (int)(sizeof(helper_names) / sizeof(helper_names[0])))
		return NULL;
	return helper_names[id];
}

static const char *size_name(int code, bool sign)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return sign ? "s8" : "u8";
	case BPF_H: return sign ? "s16" : "u16";
	case BPF_W: return sign ? "s32" : "u32";
	default: return "u64";
	}
}

static const char *alu_name(int op, int off)
{
	switch (op) {
	case BPF_ADD: return "+=";
	case BPF_SUB: return "-=";
	case BPF_MUL: return "*=";
	case BPF_DIV: return off ? "s/=" : "/=";
	case BPF_MOD: return off ? "s%=" : "%=";
	case BPF_OR: return "|=";
	case BPF_AND: return "&=";
	case BPF_XOR: return "^=";
	case BPF_LSH: return "<<=";
	case BPF_RSH: return ">>=";
	case BPF_ARSH: return "s>>=";
	case BPF_MOV: return "=";
	default: return "?=";
	}
}

static const char *jmp_name(int op)
{
	switch (op) {
	case BPF_JEQ: return "==";
	case BPF_JNE: return "!=";
	case BPF_JGT: return ">";
	case BPF_JGE: return ">=";
	case BPF_JLT: return "<";
	case BPF_JLE: return "<=";
	case BPF_JSGT: return "s>";
	case BPF_JSGE: return "s>=";
	case BPF_JSLT: return "s<";
	case BPF_JSLE: return "s<=";
	case BPF_JSET: return "&";
	default: return "?";
	}
}

static void alu(const struct bpf_insn *in, char *buf, size_t len)
{
	int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	char r = cls == BPF_ALU64 ? 'r' : 'w';
	bool x = BPF_SRC(in->code) == BPF_X;

	if (op == BPF_NEG)
		snprintf(buf, len, "%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
	else if (op == BPF_END)
		snprintf(buf, len, "r%d = %s%d r%d", in->dst_reg,
			 cls == BPF_ALU64 ? "bswap" : x ? "be" : "le", in->imm, in->dst_reg);
	else if (op == BPF_MOV && x && in->off)   /* movsx: sign-extend the low off bits */
		snprintf(buf, len, "%c%d = (s%d)%c%d", r, in->dst_reg, in->off, r, in->src_reg);
	else if (x)
		snprintf(buf, len, "%c%d %s %c%d", r, in->dst_reg, alu_name(op, in->off), r, in->src_reg);
	else
		snprintf(buf, len, "%c%d %s %d", r, in->dst_reg, alu_name(op, in->off), in->imm);
}

static void atomic(const struct bpf_insn *in, char *buf, size_t len)
{
	const char *sz = size_name(in->code, false);
	char r = BPF_SIZE(in->code) == BPF_DW ? 'r' : 'w';
	int op = in->imm & ~BPF_FETCH;
	const char *name = op == BPF_ADD ? "add" : op == BPF_OR ? "or" : op == BPF_AND ? "and" :
			   op == BPF_XOR ? "xor" : NULL;

	if (in->imm == BPF_XCHG)
		snprintf(buf, len, "%c%d = atomic_xchg((%s *)(r%d %+d), %c%d)", r, in->src_reg, sz,
			 in->dst_reg, in->off, r, in->src_reg);
	else if (in->imm == BPF_CMPXCHG)
		snprintf(buf, len, "r0 = atomic_cmpxchg((%s *)(r%d %+d), r0, %c%d)", sz, in->dst_reg,
			 in->off, r, in->src_reg);
	else if (name && (in->imm & BPF_FETCH))
		snprintf(buf, len, "%c%d = atomic_fetch_%s((%s *)(r%d %+d), %c%d)", r, in->src_reg, name,
			 sz, in->dst_reg, in->off, r, in->src_reg);
	else if (op == BPF_ADD)   /* the verifier's notation for the old XADD */
		snprintf(buf, len, "lock *(%s *)(r%d %+d) += r%d", sz, in->dst_reg, in->off, in->src_reg);
	else if (name)
		snprintf(buf, len, "lock *(%s *)(r%d %+d) %s= r%d", sz, in->dst_reg, in->off,
			 op == BPF_OR ? "|" : op == BPF_AND ? "&" : "^", in->src_reg);
	else
		snprintf(buf, len, "(atomic 0x%x)", in->imm);
}

static void ld64(const struct bpf_insn *in, char *buf, size_t len, bcct_map_namer names, void *ctx)
{
	const char *map = names && (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE ||
				     in->src_reg == BPF_PSEUDO_MAP_IDX || in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) ?
			  names(in->src_reg, in->imm, ctx) : NULL;

	switch (in->src_reg) {
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		if (map)
			snprintf(buf, len, "r%d = map[%s]", in->dst_reg, map);
		else
			snprintf(buf, len, "r%d = map[id:%d]", in->dst_reg, in->imm);
		return;
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		if (map)
			snprintf(buf, len, "r%d = map[%s] + %d", in->dst_reg, map, in[1].imm);
		else
			snprintf(buf, len, "r%d = map[id:%d] + %d", in->dst_reg, in->imm, in[1].imm);
		return;
	case BPF_PSEUDO_BTF_ID:
		snprintf(buf, len, "r%d = btf_id %d", in->dst_reg, in->imm);
		return;
	case BPF_PSEUDO_FUNC:
		snprintf(buf, len, "r%d = func %+d", in->dst_reg, in->imm);
		return;
	default:
		snprintf(buf, len, "r%d = 0x%llx", in->dst_reg,
			 (unsigned long long)(uint32_t)in[0].imm | (unsigned long long)(uint32_t)in[1].imm << 32);
	}
}

static void jmp(const struct bpf_insn *in, char *buf, size_t len, bcct_map_namer names, void *ctx)
{
	int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	char r = cls == BPF_JMP32 ? 'w' : 'r';

	if (op == BPF_CALL) {
		const char *name = bcct_helper_name(in->imm);

		/* libbpf's marks (POISON_LDIMM64_MAP_BASE, POISON_CALL_KFUNC_BASE) for code that
		 * refers to a map it did not create or a kfunc the kernel lacks: the verifier must
		 * find it unreachable. */
		const char *map = in->src_reg == 0 && in->imm >= 2001000000 && in->imm < 2002000000 && names ?
				  names(BPF_PSEUDO_MAP_IDX, in->imm - 2001000000, ctx) : NULL;

		if (map)
			snprintf(buf, len, "unreachable: map[%s] not created", map);
		else if (in->src_reg == 0 && in->imm >= 2001000000 && in->imm < 2002000000)
			snprintf(buf, len, "unreachable: map #%d not created", in->imm - 2001000000);
		else if (in->src_reg == 0 && in->imm >= 2002000000 && in->imm < 2003000000)
			snprintf(buf, len, "unreachable: kfunc #%d not found", in->imm - 2002000000);
		else if (in->src_reg == BPF_PSEUDO_CALL)
			snprintf(buf, len, "call pc%+d", in->imm);
		else if (in->src_reg == BPF_PSEUDO_KFUNC_CALL)
			snprintf(buf, len, "call kfunc#%d", in->imm);
		else if (name)
			snprintf(buf, len, "call %s", name);
		else
			snprintf(buf, len, "call #%d", in->imm);
	} else if (op == BPF_EXIT) {
		snprintf(buf, len, "exit");
	} else if (op == BPF_JA) {
		snprintf(buf, len, "goto %+d", cls == BPF_JMP32 ? in->imm : in->off);   /* gotol: imm */
	} else if (BPF_SRC(in->code) == BPF_X) {
		snprintf(buf, len, "if %c%d %s %c%d goto %+d", r, in->dst_reg, jmp_name(op), r, in->src_reg,
			 in->off);
	} else {
		snprintf(buf, len, "if %c%d %s %d goto %+d", r, in->dst_reg, jmp_name(op), in->imm, in->off);
	}
}

void bcct_disasm_insn(const struct bpf_insn *in, char *buf, size_t len, bcct_map_namer names, void *ctx)
{
	int mode = BPF_MODE(in->code);

	switch (BPF_CLASS(in->code)) {
	case BPF_ALU64:
	case BPF_ALU:
		alu(in, buf, len);
		return;
	case BPF_LDX:
		if (mode == BPF_MEM || mode == BPF_MEMSX) {
			snprintf(buf, len, "r%d = *(%s *)(r%d %+d)", in->dst_reg,
				 size_name(in->code, mode == BPF_MEMSX), in->src_reg, in->off);
			return;
		}
		break;
	case BPF_STX:
		if (mode == BPF_ATOMIC)
			atomic(in, buf, len);
		else
			snprintf(buf, len, "*(%s *)(r%d %+d) = r%d", size_name(in->code, false), in->dst_reg,
				 in->off, in->src_reg);
		return;
	case BPF_ST:
		snprintf(buf, len, "*(%s *)(r%d %+d) = %d", size_name(in->code, false), in->dst_reg, in->off,
			 in->imm);
		return;
	case BPF_LD:
		if (bcct_insn_is_ld64(in)) {
			ld64(in, buf, len, names, ctx);
			return;
		}
		if (mode == BPF_ABS || mode == BPF_IND) {
			snprintf(buf, len, "r0 = *(%s *)skb[%s%d]", size_name(in->code, false),
				 mode == BPF_IND ? "r + " : "", in->imm);
			return;
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		jmp(in, buf, len, names, ctx);
		return;
	}
	snprintf(buf, len, "(code 0x%02x)", in->code);
}

void bcct_disasm_at(const struct bpf_insn *insns, int i, char *buf, size_t len, bcct_map_namer names,
		    void *ctx)
{
	const struct bpf_insn *in = &insns[i];
	int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	char *rel;

	bcct_disasm_insn(in, buf, len, names, ctx);
	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_EXIT)
		return;
	/* Relative targets become indexes, as a reader follows them. */
	if (op == BPF_CALL && in->src_reg == BPF_PSEUDO_CALL && (rel = strstr(buf, "pc")))
		snprintf(rel, len - (rel - buf), "pc %d", i + 1 + in->imm);
	else if (op != BPF_CALL && (rel = strstr(buf, "goto ")))
		snprintf(rel, len - (rel - buf), "goto %d",
			 i + 1 + (op == BPF_JA && cls == BPF_JMP32 ? in->imm : in->off));
}

void bcct_disasm_print(FILE *out, const struct bpf_insn *insns, size_t n, bcct_map_namer names, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		char text[160];

		bcct_disasm_at(insns, (int)i, text, sizeof(text), names, ctx);
		fprintf(out, "%4zu: %s\n", i, text);
		if (bcct_insn_is_ld64(&insns[i]))
			i++;   /* the second half of the 64-bit load */
	}
}
