/* Instruction listing in the verifier's notation ("r0 = *(u64 *)(r6 +112)"), with jump
 * targets as absolute indexes, for -v, golden tests and verifier error reports. */
#include <stdio.h>
#include <string.h>
#include "core/probe/insn.h"
#include "core/probe/internal.h"

static const char *const map_names[MAP__COUNT] = {
	[MAP_EVENTS] = "events", [MAP_SCRATCH] = "scratch", [MAP_ENTRY] = "entry",
	[MAP_SINK] = "counts", [MAP_STACKS] = "stacks", [MAP_CGROUP] = "cgroup",
};

static const char *helper_name(int id)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem: return "map_lookup_elem";
	case BPF_FUNC_map_update_elem: return "map_update_elem";
	case BPF_FUNC_map_delete_elem: return "map_delete_elem";
	case BPF_FUNC_ktime_get_ns: return "ktime_get_ns";
	case BPF_FUNC_get_smp_processor_id: return "get_smp_processor_id";
	case BPF_FUNC_get_current_pid_tgid: return "get_current_pid_tgid";
	case BPF_FUNC_get_current_uid_gid: return "get_current_uid_gid";
	case BPF_FUNC_get_current_comm: return "get_current_comm";
	case BPF_FUNC_perf_event_output: return "perf_event_output";
	case BPF_FUNC_get_stackid: return "get_stackid";
	case BPF_FUNC_get_current_task: return "get_current_task";
	case BPF_FUNC_current_task_under_cgroup: return "current_task_under_cgroup";
	case BPF_FUNC_probe_read_user: return "probe_read_user";
	case BPF_FUNC_probe_read_kernel: return "probe_read_kernel";
	case BPF_FUNC_probe_read_user_str: return "probe_read_user_str";
	case BPF_FUNC_probe_read_kernel_str: return "probe_read_kernel_str";
	case BPF_FUNC_ringbuf_output: return "ringbuf_output";
	default: return NULL;
	}
}

static const char *size_name(int code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return "u8";
	case BPF_H: return "u16";
	case BPF_W: return "u32";
	default: return "u64";
	}
}

static const char *alu_name(int op)
{
	switch (op) {
	case BPF_ADD: return "+=";
	case BPF_SUB: return "-=";
	case BPF_MUL: return "*=";
	case BPF_DIV: return "/=";
	case BPF_MOD: return "%=";
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

/* One instruction; jump offsets relative (the dump turns them into indexes). */
void probe_disasm_insn(const struct bpf_insn *in, char *buf, size_t len)
{
	int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	bool x = BPF_SRC(in->code) == BPF_X;

	switch (cls) {
	case BPF_ALU64:
	case BPF_ALU: {
		char r = cls == BPF_ALU64 ? 'r' : 'w';

		if (op == BPF_NEG)
			snprintf(buf, len, "%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
		else if (op == BPF_END)
			snprintf(buf, len, "r%d = be%d r%d", in->dst_reg, in->imm, in->dst_reg);
		else if (x)
			snprintf(buf, len, "%c%d %s %c%d", r, in->dst_reg, alu_name(op), r, in->src_reg);
		else
			snprintf(buf, len, "%c%d %s %d", r, in->dst_reg, alu_name(op), in->imm);
		return;
	}
	case BPF_LDX:
		snprintf(buf, len, "r%d = *(%s *)(r%d %+d)", in->dst_reg, size_name(in->code), in->src_reg, in->off);
		return;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC)
			snprintf(buf, len, "lock *(%s *)(r%d %+d) += r%d", size_name(in->code), in->dst_reg,
				 in->off, in->src_reg);
		else
			snprintf(buf, len, "*(%s *)(r%d %+d) = r%d", size_name(in->code), in->dst_reg, in->off,
				 in->src_reg);
		return;
	case BPF_ST:
		snprintf(buf, len, "*(%s *)(r%d %+d) = %d", size_name(in->code), in->dst_reg, in->off, in->imm);
		return;
	case BPF_LD:
		if (in->code == LD_IMM64_CODE) {
			if (in->src_reg == BPF_PSEUDO_MAP_FD)
				snprintf(buf, len, "r%d = map[%s]", in->dst_reg,
					 in->imm >= 0 && in->imm < MAP__COUNT ? map_names[in->imm] : "?");
			else
				snprintf(buf, len, "r%d = 0x%llx", in->dst_reg,
					 (unsigned long long)(uint32_t)in[0].imm | (unsigned long long)(uint32_t)in[1].imm << 32);
			return;
		}
		break;
	case BPF_JMP:
		if (op == BPF_CALL) {
			const char *name = helper_name(in->imm);

			if (name)
				snprintf(buf, len, "call %s", name);
			else
				snprintf(buf, len, "call #%d", in->imm);
			return;
		}
		if (op == BPF_EXIT) {
			snprintf(buf, len, "exit");
			return;
		}
		if (op == BPF_JA) {
			snprintf(buf, len, "goto %+d", in->off);
			return;
		}
		if (x)
			snprintf(buf, len, "if r%d %s r%d goto %+d", in->dst_reg, jmp_name(op), in->src_reg, in->off);
		else
			snprintf(buf, len, "if r%d %s %d goto %+d", in->dst_reg, jmp_name(op), in->imm, in->off);
		return;
	default:
		break;
	}
	snprintf(buf, len, "(code 0x%02x)", in->code);
}

void probe_disasm_dump(const struct bpf_insn *insns, const struct src_range *where, int n,
		 const char *src, struct sbuf *out)
{
	int last_pos = -2, last_end = -2;

	for (int i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];
		char text[128];
		int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

		probe_disasm_insn(in, text, sizeof(text));
		/* jumps: show the target index instead of the relative offset */
		if (cls == BPF_JMP && op != BPF_CALL && op != BPF_EXIT) {
			char *g = strstr(text, "goto ");

			if (g)
				snprintf(g, sizeof(text) - (g - text), "goto %d", i + 1 + in->off);
		}
		sbuf_printf(out, "%4d: %s", i, text);
		if (src && where && where[i].pos >= 0 &&
		    (where[i].pos != last_pos || where[i].end != last_end)) {
			int pad = 36 - (int)strlen(text);

			sbuf_printf(out, "%*s; %.*s", pad > 1 ? pad : 1, "", where[i].end - where[i].pos,
				    src + where[i].pos);
		}
		if (where) {
			last_pos = where[i].pos;
			last_end = where[i].end;
		}
		sbuf_putc(out, '\n');
		if (in->code == LD_IMM64_CODE)
			i++;   /* the second half of a 64-bit load */
	}
}
