/* A whole probe program from a checked spec:
 *
 *   r6 = ctx
 *   pid / tid / uid / cgroup filters (trace -p -L --uid -c, and trace's own pid)
 *   [return probes using $entry/$latency: r8 = entry map value for this thread, or exit]
 *   if (!(predicate)) goto out
 *   r7 = per-CPU scratch value (the record or key is built there: it may exceed the 512-byte
 *        stack, e.g. several 80-byte strings)
 *   trace:   header (time, cpu, pids, uid, comm, stacks) + one field per format argument,
 *            then bpf_ringbuf_output / bpf_perf_event_output; a full buffer counts as lost
 *   argdist: -C the values as a hash key, count += 1; -H log2 slot of the value, slot += 1
 * out:
 *   [delete this thread's entry map value]
 *   return 0
 *
 * The entry program of such a return probe saves the time and the named parameters. */
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "symbolize/usdt.h"
#include "core/probe/insn.h"
#include "core/probe/internal.h"

#define DEFAULT_STRING_SIZE 80     /* BCC's trace -Z / argdist -z default */
#define MAX_STRING_SIZE 4096
#define HIST_SLOTS 64              /* struct bcct_hist */

static unsigned align_up(unsigned v, unsigned a) { return (v + a - 1) & ~(a - 1); }

/* BCC's storage types for trace's conversions (trace.py c_type). */
static void conv_storage(const struct fmt_conv *c, unsigned *size, bool *is_signed)
{
	const char *l = c->length;

	*is_signed = c->conv == 'd' || c->conv == 'i';
	switch (c->conv) {
	case 'c': *size = 1; *is_signed = true; return;
	case 'p': case 'K': case 'U': *size = 8; *is_signed = false; return;
	default: break;
	}
	if (!strcmp(l, "hh")) *size = 1;
	else if (!strcmp(l, "h")) *size = 2;
	else if (!l[0]) *size = 4;
	else *size = 8;
}

/* ---- prologue and epilogue ------------------------------------------------------------------ */
static void gen_task_filters(struct codegen *g, const struct probe_compile_opts *o, int out)
{
	if (o->filter_tgid > 0 || o->filter_pid > 0 || o->exclude_tgid > 0) {
		ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
		if (o->filter_pid > 0) {
			ib_emit(g, MOV32_REG(BPF_REG_1, BPF_REG_0));
			ib_jump(g, BPF_JNE, BPF_REG_1, 0, o->filter_pid, false, out);
		}
		ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
		if (o->filter_tgid > 0)
			ib_jump(g, BPF_JNE, BPF_REG_0, 0, o->filter_tgid, false, out);
		if (o->exclude_tgid > 0)
			ib_jump(g, BPF_JEQ, BPF_REG_0, 0, o->exclude_tgid, false, out);
	}
	if (o->filter_by_uid) {
		ib_emit(g, CALL(BPF_FUNC_get_current_uid_gid));
		ib_emit(g, MOV32_REG(BPF_REG_0, BPF_REG_0));
		ib_emit(g, MOV32_IMM(BPF_REG_1, (int32_t)o->filter_uid));
		ib_jump(g, BPF_JNE, BPF_REG_0, BPF_REG_1, 0, true, out);
	}
	if (o->filter_comm[0]) {
		/* The exact comm (bcct's --comm), compared as two 8-byte words of the NUL-padded
		 * name; the key slots are free this early. */
		uint64_t w[2] = { 0, 0 };

		memcpy(w, o->filter_comm, strnlen(o->filter_comm, sizeof(w) - 1));
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_10));
		ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, STK_KEY));
		ib_emit(g, MOV64_IMM(BPF_REG_2, 16));
		ib_emit(g, CALL(BPF_FUNC_get_current_comm));
		for (int i = 0; i < 2; i++) {
			ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, STK_KEY + 8 * i));
			ib_emit_ld_imm64(g, BPF_REG_2, w[i]);
			ib_jump(g, BPF_JNE, BPF_REG_1, BPF_REG_2, 0, true, out);
		}
	}
	if (o->cgroup_filter) {
		ib_emit_ld_map(g, BPF_REG_1, MAP_CGROUP);
		ib_emit(g, MOV64_IMM(BPF_REG_2, 0));
		ib_emit(g, CALL(BPF_FUNC_current_task_under_cgroup));
		ib_jump(g, BPF_JNE, BPF_REG_0, 0, 1, false, out);
	}
}

/* r7 = the per-CPU scratch value, or exit. */
static void gen_scratch(struct codegen *g, int out)
{
	ib_emit(g, ST_MEM(BPF_W, BPF_REG_10, STK_KEY, 0));
	ib_emit_map_call(g, BPF_FUNC_map_lookup_elem, MAP_SCRATCH, STK_KEY);
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out);
	ib_emit(g, MOV64_REG(BPF_REG_7, BPF_REG_0));
}

/* -U at a uprobe on a function's first instruction: the words user space needs to put the
 * function's caller back into its user stack (bpf/ustack.h struct bcct_entry_caller, as
 * bcct_entry_caller_read in bpf/ustack.bpf.h): the word at sp (or the link register) and the
 * word at the frame pointer + 8. Zero for other -U probes (the scratch record is reused);
 * without -U nobody reads them. */
static void gen_entry_caller(struct codegen *g, const struct probe_target *t, bool user_stack)
{
	const struct { const char *reg; int add, off; } words[] = {
		{ ct_abi.link ? ct_abi.link : ct_abi.sp, 0, offsetof(struct probe_event_header, caller.ret) },
		{ ct_abi.fp, 8, offsetof(struct probe_event_header, caller.next) },
	};
	bool at_entry = t->type == 'p' && t->user && !t->offset;

	for (size_t i = 0; user_stack && i < sizeof(words) / sizeof(words[0]); i++) {
		if (!at_entry) {
			ib_emit(g, ST_MEM(BPF_DW, BPF_REG_7, words[i].off, 0));
			continue;
		}
		if (i == 0 && ct_abi.link) {    /* the register itself is the return address */
			ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, ct_pt_regs_offset(ct_abi.link)));
			ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_3, words[i].off));
			continue;
		}
		/* the helper zeroes the destination when the read fails */
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, ct_pt_regs_offset(words[i].reg)));
		if (words[i].add)
			ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_3, words[i].add));
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_7));
		ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, words[i].off));
		ib_emit(g, MOV64_IMM(BPF_REG_2, 8));
		ib_emit(g, CALL(BPF_FUNC_probe_read_user));
	}
}

static void gen_header(struct codegen *g, const struct probe_compile_opts *o, const struct probe_target *t)
{
	ib_emit(g, CALL(BPF_FUNC_ktime_get_ns));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_0, offsetof(struct probe_event_header, ts_ns)));
	ib_emit(g, ST_MEM(BPF_W, BPF_REG_7, offsetof(struct probe_event_header, probe_id), (int32_t)o->probe_id));
	ib_emit(g, CALL(BPF_FUNC_get_smp_processor_id));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_7, BPF_REG_0, offsetof(struct probe_event_header, cpu)));
	ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_7, BPF_REG_0, offsetof(struct probe_event_header, pid)));
	ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_7, BPF_REG_0, offsetof(struct probe_event_header, tgid)));
	ib_emit(g, CALL(BPF_FUNC_get_current_uid_gid));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_7, BPF_REG_0, offsetof(struct probe_event_header, uid)));
	ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_7, BPF_REG_0, offsetof(struct probe_event_header, gid)));
	for (int user = 0; user < 2; user++) {
		int off = user ? offsetof(struct probe_event_header, user_stack_id) :
				 offsetof(struct probe_event_header, kernel_stack_id);

		if (user ? o->user_stack : o->kernel_stack) {
			ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_6));
			ib_emit_ld_map(g, BPF_REG_2, MAP_STACKS);
			ib_emit(g, MOV64_IMM(BPF_REG_3, user ? BPF_F_USER_STACK : 0));
			ib_emit(g, CALL(BPF_FUNC_get_stackid));
			ib_emit(g, STX_MEM(BPF_W, BPF_REG_7, BPF_REG_0, off));
		} else {
			ib_emit(g, ST_MEM(BPF_W, BPF_REG_7, off, -1));
		}
	}
	gen_entry_caller(g, t, o->user_stack);
	ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_7));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, offsetof(struct probe_event_header, comm)));
	ib_emit(g, MOV64_IMM(BPF_REG_2, 16));
	ib_emit(g, CALL(BPF_FUNC_get_current_comm));
}

static int gen_fields(struct codegen *g, const struct probe_program *p)
{
	const struct probe_spec *s = p->spec;

	for (int i = 0; i < s->nvalues; i++) {
		const struct probe_field *f = &p->fields[i];
		const struct node *e = s->values[i].expr;

		if (f->is_string) {
			if (cg_string_into(g, e, f->offset, f->size))
				return -1;
			continue;
		}
		if (cg_value(g, e))
			return -1;
		g->cur = e;
		ib_emit(g, STX_MEM(bpf_size_code(f->size), BPF_REG_7, BPF_REG_0, f->offset));
		g->cur = NULL;
	}
	return 0;
}

static void gen_output(struct codegen *g, const struct probe_program *p, int out)
{
	if (p->perf_buffer) {
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_6));
		ib_emit_ld_map(g, BPF_REG_2, MAP_EVENTS);
		ib_emit(g, MOV32_IMM(BPF_REG_3, -1));   /* BPF_F_CURRENT_CPU, zero-extended */
		ib_emit(g, MOV64_REG(BPF_REG_4, BPF_REG_7));
		ib_emit(g, MOV64_IMM(BPF_REG_5, p->layout.size));
		ib_emit(g, CALL(BPF_FUNC_perf_event_output));
	} else {
		ib_emit_ld_map(g, BPF_REG_1, MAP_EVENTS);
		ib_emit(g, MOV64_REG(BPF_REG_2, BPF_REG_7));
		ib_emit(g, MOV64_IMM(BPF_REG_3, p->layout.size));
		ib_emit(g, MOV64_IMM(BPF_REG_4, 0));
		ib_emit(g, CALL(BPF_FUNC_ringbuf_output));
	}
	/* a full buffer: count it in the scratch value's last 8 bytes (per CPU, no atomics) */
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out);
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, p->lost_off));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, 1));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, p->lost_off));
}

static void gen_count(struct codegen *g, int out)
{
	int init = ib_new_label(g), add = ib_new_label(g);

	ib_emit_ld_map(g, BPF_REG_1, MAP_SINK);
	ib_emit(g, MOV64_REG(BPF_REG_2, BPF_REG_7));
	ib_emit(g, CALL(BPF_FUNC_map_lookup_elem));
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, init);
	ib_place(g, add);
	ib_emit(g, MOV64_IMM(BPF_REG_1, 1));
	ib_emit(g, ATOMIC_ADD(BPF_DW, BPF_REG_0, BPF_REG_1, 0));
	ib_jump(g, BPF_JA, 0, 0, 0, false, out);
	ib_place(g, init);   /* first time: insert 1; if another CPU won the race, add to its entry */
	ib_emit(g, ST_MEM(BPF_DW, BPF_REG_10, STK_READ, 1));
	ib_emit_ld_map(g, BPF_REG_1, MAP_SINK);
	ib_emit(g, MOV64_REG(BPF_REG_2, BPF_REG_7));
	ib_emit(g, MOV64_REG(BPF_REG_3, BPF_REG_10));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_3, STK_READ));
	ib_emit(g, MOV64_IMM(BPF_REG_4, BPF_NOEXIST));
	ib_emit(g, CALL(BPF_FUNC_map_update_elem));
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out);
	ib_emit_ld_map(g, BPF_REG_1, MAP_SINK);
	ib_emit(g, MOV64_REG(BPF_REG_2, BPF_REG_7));
	ib_emit(g, CALL(BPF_FUNC_map_lookup_elem));
	ib_jump(g, BPF_JNE, BPF_REG_0, 0, 0, false, add);
}

/* r9 = log2 slot of r0, bcct's (and BCC's bpf_log2l) convention: 0 -> 1, v -> floor(log2 v)+1,
 * clamped to the last slot. Then slots[r9] += 1 in the histogram map. */
static void gen_hist(struct codegen *g, int out)
{
	static const struct { int shift; int32_t limit; } steps[] = {
		{16, 0xffff}, {8, 0xff}, {4, 0xf}, {2, 0x3},
	};
	int lookup = ib_new_label(g);

	ib_emit(g, MOV64_IMM(BPF_REG_9, 1));
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, lookup);   /* 0 goes to slot 1 */
	ib_emit(g, MOV64_IMM(BPF_REG_9, 0));
	ib_emit(g, MOV32_IMM(BPF_REG_1, -1));            /* 0xffffffff */
	ib_emit(g, JMP_REG(BPF_JLE, BPF_REG_0, BPF_REG_1, 2));
	ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
	ib_emit(g, ALU64_IMM(BPF_OR, BPF_REG_9, 32));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ib_emit(g, JMP_IMM(BPF_JLE, BPF_REG_0, steps[i].limit, 2));
		ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, steps[i].shift));
		ib_emit(g, ALU64_IMM(BPF_OR, BPF_REG_9, steps[i].shift));
	}
	ib_emit(g, ALU64_IMM(BPF_RSH, BPF_REG_0, 1));
	ib_emit(g, ALU64_REG(BPF_OR, BPF_REG_9, BPF_REG_0));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_9, 1));
	ib_place(g, lookup);
	/* the clamp also tells the verifier the slot is in bounds */
	ib_emit(g, JMP_IMM(BPF_JLE, BPF_REG_9, HIST_SLOTS - 1, 1));
	ib_emit(g, MOV64_IMM(BPF_REG_9, HIST_SLOTS - 1));
	ib_emit(g, ST_MEM(BPF_W, BPF_REG_10, STK_KEY, 0));
	ib_emit_map_call(g, BPF_FUNC_map_lookup_elem, MAP_SINK, STK_KEY);
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out);
	ib_emit(g, ALU64_IMM(BPF_LSH, BPF_REG_9, 2));
	ib_emit(g, ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_9));
	ib_emit(g, MOV64_IMM(BPF_REG_1, 1));
	ib_emit(g, ATOMIC_ADD(BPF_W, BPF_REG_0, BPF_REG_1, 0));
}

/* Saves ktime and the $entry parameters of this thread for the return probe. */
static int gen_entry_program(const struct check_ctx *c,
			     const struct probe_compile_opts *o, struct codegen *g)
{
	int out = ib_new_label(g);
	int value = STK_STRBUF - 8 * (1 + c->nentry);

	ib_emit(g, MOV64_REG(BPF_REG_6, BPF_REG_1));
	gen_task_filters(g, o, out);
	ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, STK_ENTRY_KEY));
	ib_emit(g, CALL(BPF_FUNC_ktime_get_ns));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, value));
	for (int k = 0; k < c->nentry; k++) {
		int i = c->entry_params[k];
		int off = ct_pt_regs_offset(c->syscall_wrapper ? ct_abi.syscall_arg[i] : ct_abi.arg[i]);

		if (c->syscall_wrapper) {
			ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, g->di_off));
			ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_3, off));
			ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_10));
			ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, value + 8 + 8 * k));
			ib_emit(g, MOV64_IMM(BPF_REG_2, 8));
			ib_emit(g, CALL(BPF_FUNC_probe_read_kernel));
		} else {
			ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, off));
			ib_emit(g, STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, value + 8 + 8 * k));
		}
	}
	ib_emit_map_update(g, MAP_ENTRY, STK_ENTRY_KEY, value, BPF_ANY);
	ib_place(g, out);
	ib_emit(g, MOV64_IMM(BPF_REG_0, 0));
	ib_emit(g, EXIT());
	return ib_resolve(g->ib);
}

static int gen_main_program(struct probe_program *p, const struct check_ctx *c,
			    const struct probe_compile_opts *o, struct codegen *g)
{
	const struct probe_spec *s = p->spec;
	bool entry = c->nentry || c->uses_latency;
	int out = ib_new_label(g), out_nokey = ib_new_label(g);

	ib_emit(g, MOV64_REG(BPF_REG_6, BPF_REG_1));
	gen_task_filters(g, o, out_nokey);
	if (entry) {
		ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
		ib_emit(g, STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, STK_ENTRY_KEY));
		ib_emit_map_call(g, BPF_FUNC_map_lookup_elem, MAP_ENTRY, STK_ENTRY_KEY);
		ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out_nokey);   /* missed the entry */
		ib_emit(g, MOV64_REG(BPF_REG_8, BPF_REG_0));
	}
	if (s->filter && cg_branch(g, s->filter, false, out))
		return -1;
	switch (p->sink) {
	case PROBE_SINK_EVENT:
		gen_scratch(g, out);
		gen_header(g, o, &s->target);
		if (gen_fields(g, p))
			return -1;
		gen_output(g, p, out);
		break;
	case PROBE_SINK_COUNT:
		gen_scratch(g, out);
		for (unsigned off = 0; off < p->layout.size; off += 8)   /* keys must not carry old bytes */
			ib_emit(g, ST_MEM(BPF_DW, BPF_REG_7, off, 0));
		if (gen_fields(g, p))
			return -1;
		gen_count(g, out);
		break;
	case PROBE_SINK_HIST: {
		const struct node *e = s->values[0].expr;

		if (cg_value(g, e))
			return -1;
		cg_convert(g, BPF_REG_0, e->type->kind == CT_ARRAY ? &ct_ulong : e->type, p->fields[0].is_signed ?
			    ct_int_of(p->fields[0].size, true) : ct_int_of(p->fields[0].size, false));
		gen_hist(g, out);
		break;
	}
	}
	ib_place(g, out);
	if (entry) {
		ib_emit_map_call(g, BPF_FUNC_map_delete_elem, MAP_ENTRY, STK_ENTRY_KEY);
	}
	ib_place(g, out_nokey);
	ib_emit(g, MOV64_IMM(BPF_REG_0, 0));
	ib_emit(g, EXIT());
	if (ib_resolve(g->ib))
		return probe_error_at(g->d, g->src, 0, 1, "program too large (a jump does not fit)");
	return 0;
}

/* ---- layout --------------------------------------------------------------------------------- */
static int layout_fields(struct probe_program *p, struct check_ctx *c, int string_size)
{
	const struct probe_spec *s = p->spec;
	unsigned off = p->sink == PROBE_SINK_EVENT ? sizeof(struct probe_event_header) : 0;

	p->fields = arena_alloc(&p->arena, (s->nvalues ? s->nvalues : 1) * sizeof(*p->fields));
	for (int i = 0; i < s->nvalues; i++) {
		const struct value_spec *v = &s->values[i];
		struct probe_field *f = &p->fields[i];

		f->expr = arena_strndup(&p->arena, s->text + v->expr->pos, v->expr->end - v->expr->pos);
		if (s->default_expr)
			f->expr = v->expr->kind == N_VAR ? "retval" : "";
		if (s->tool == PROBE_TOOL_TRACE) {
			f->conv = v->conv.conv;
			snprintf(f->spec, sizeof(f->spec), "%s", v->conv.spec);
			if (v->is_string) {
				f->is_string = true;
				f->size = string_size;
			} else {
				conv_storage(&v->conv, &f->size, &f->is_signed);
			}
		} else {
			const struct ctype *t = ct_from_typename(c->a, s->text, v->tn, c->d);

			if (!t)
				return -1;
			if (v->is_string) {
				f->is_string = true;
				f->size = string_size;
				f->conv = 's';
			} else if (t->kind == CT_INT || t->kind == CT_PTR) {
				f->size = t->size;
				f->is_signed = t->kind == CT_INT && t->is_signed;
				f->conv = f->is_signed ? 'd' : 'u';
			} else {
				return probe_error_at(c->d, s->text, v->tn->pos, v->tn->end,
					       "argdist values must be integers, pointers or char*, not %s", t->name);
			}
		}
		off = f->is_string ? off : align_up(off, f->size);
		f->offset = off;
		off += f->size;
	}
	p->layout.header_size = p->sink == PROBE_SINK_EVENT ? sizeof(struct probe_event_header) : 0;
	p->layout.size = align_up(off ? off : 8, 8);
	p->layout.nfields = s->nvalues;
	p->layout.fields = p->fields;
	p->lost_off = p->layout.size;
	p->scratch_size = p->layout.size + 8;
	return 0;
}

/* ---- compile -------------------------------------------------------------------------------- */
static int load_tracepoint(struct probe_program *p, struct check_ctx *c, const struct probe_compile_opts *o)
{
	const struct probe_target *t = &p->spec->target;
	char *text = o->tp_format ? NULL : tp_format_read(t->category, t->function);
	const char *fmt = o->tp_format ? o->tp_format : text;
	int len = strlen(p->spec->text);

	if (!fmt)
		return probe_error_at(c->d, p->spec->text, 0, len, "tracepoint %s:%s not found (no %s/%s in tracefs events)",
			       t->category, t->function, t->category, t->function);
	c->tp = tp_format_parse(c->a, fmt, t->category, t->function);
	free(text);
	if (!c->tp)
		return probe_error_at(c->d, p->spec->text, 0, len, "cannot read the format of tracepoint %s:%s",
			       t->category, t->function);
	return 0;
}

int check_params(struct check_ctx *c)
{
	const struct probe_spec *s = c->spec;

	c->syscall_wrapper = s->target.type == 'p' && !s->target.user &&
			     !strncmp(s->target.function, ct_abi.syscall_wrapper, strlen(ct_abi.syscall_wrapper));
	c->param_types = arena_alloc(c->a, (s->nparams ? s->nparams : 1) * sizeof(*c->param_types));
	for (int i = 0; i < s->nparams; i++) {
		const struct ctype *t = ct_from_typename(c->a, s->text, s->params[i].tn, c->d);

		if (!t)
			return -1;
		if (t->kind != CT_INT && t->kind != CT_PTR)
			return probe_error_at(c->d, s->text, s->params[i].pos, s->params[i].end,
				       "parameter of type %s: only integers and pointers are passed in registers",
				       t->name ? t->name : "?");
		c->param_types[i] = t;
	}
	return 0;
}

static int check_spec(struct probe_program *p, struct check_ctx *c)
{
	const struct probe_spec *s = p->spec;

	if (check_params(c))
		return -1;
	if (s->filter && type_check_condition(c, s->filter))
		return -1;
	for (int i = 0; i < s->nvalues; i++) {
		const struct value_spec *v = &s->values[i];
		const char *what = s->tool == PROBE_TOOL_TRACE ? (v->is_string ? "%s" : "a format argument") :
				   (v->is_string ? "a char* value" : "a value");

		if (type_check_value(c, v->expr, v->is_string, what))
			return -1;
	}
	return 0;
}

struct probe_program *probe_compile(const struct probe_spec *s, const struct probe_compile_opts *opts,
				    struct probe_diag *d)
{
	static const struct probe_compile_opts defaults;
	const struct probe_compile_opts *o = opts ? opts : &defaults;
	struct probe_program *p = calloc(1, sizeof(*p));
	struct check_ctx c = {0};
	struct codegen g = {0};
	int string_size = o->string_size > 0 ? o->string_size : DEFAULT_STRING_SIZE;

	if (!p) {
		probe_error_at(d, NULL, 0, 0, "out of memory");
		return NULL;
	}
	for (int i = 0; i < MAP__COUNT; i++)
		p->map_fds[i] = -1;
	p->prog_fd = p->entry_fd = -1;
	p->spec = s;
	p->src = arena_strdup(&p->arena, s->text);
	p->prog_type = s->target.type == 't' ? BPF_PROG_TYPE_TRACEPOINT : BPF_PROG_TYPE_KPROBE;
	p->user = s->target.user;
	p->perf_buffer = o->perf_buffer;
	p->sink = s->tool == PROBE_TOOL_TRACE ? PROBE_SINK_EVENT :
		  s->histogram ? PROBE_SINK_HIST : PROBE_SINK_COUNT;
	if (s->format)
		p->format = arena_strdup(&p->arena, s->format);
	if (string_size > MAX_STRING_SIZE) {
		probe_error_at(d, NULL, 0, 0, "string size %d is too large (at most %d)", string_size, MAX_STRING_SIZE);
		goto fail;
	}

	c.a = &p->arena;
	ct_use_btf(o->btf);   /* loaded only if a name needs it */
	c.spec = s;
	c.src = s->text;
	c.d = d;
	c.usdt_args = o->usdt_args;
	c.usdt_nargs = o->usdt_nargs;
	if (s->target.type == 't' && load_tracepoint(p, &c, o))
		goto fail;
	if (check_spec(p, &c) || layout_fields(p, &c, string_size))
		goto fail;
	if (p->sink == PROBE_SINK_EVENT && p->scratch_size > 32768) {
		probe_error_at(d, s->text, 0, strlen(s->text), "event record too large (%u bytes)", p->scratch_size);
		goto fail;
	}
	p->nentry = c.nentry;
	p->uses_latency = c.uses_latency;
	p->name = arena_strdup(&p->arena, s->target.function);
	p->default_expr = s->default_expr;

	g.d = d;
	g.src = s->text;
	g.usdt_args = o->usdt_args;
	g.di_off = ct_pt_regs_offset(ct_abi.arg[0]);
	g.ib = &p->main;
	if (gen_main_program(p, &c, o, &g))
		goto fail;
	if (c.nentry || c.uses_latency) {
		g.ib = &p->entry;
		g.cur = NULL;
		if (gen_entry_program(&c, o, &g))
			goto fail;
	}
	p->spec = NULL;
	return p;
fail:
	probe_program_free(p);
	return NULL;
}

const struct probe_layout *probe_program_layout(const struct probe_program *p) { return &p->layout; }
enum probe_sink probe_program_sink(const struct probe_program *p) { return p->sink; }
int probe_program_type(const struct probe_program *p) { return p->prog_type; }

size_t probe_program_insns(const struct probe_program *p, bool entry, const struct bpf_insn **out)
{
	const struct insn_buf *ib = entry ? &p->entry : &p->main;

	*out = ib->insns;
	return ib->n;
}

void probe_program_dump_one(const struct probe_program *p, bool entry, FILE *out)
{
	const struct insn_buf *ib = entry ? &p->entry : &p->main;
	struct sbuf b = {0};

	probe_disasm_dump(ib->insns, ib->where, ib->n, p->src, &b);
	fputs(b.s ? b.s : "", out);
	free(b.s);
}

void probe_program_dump(const struct probe_program *p, FILE *out)
{
	for (int e = 0; e < 2; e++) {
		if (!(e ? p->entry.n : p->main.n))
			continue;
		if (p->entry.n)
			fprintf(out, "%s program:\n", e ? "entry" : "return");
		probe_program_dump_one(p, e, out);
	}
}
