/* Call chains: BCC's inject programs, generated as BPF instructions with the predicates compiled
 * by the probe language.
 *
 * A chain is frames 0..n-1: frame 0 the outermost caller, frame n-1 the base function (the one
 * whose return is overridden). Each thread inside the chain has a state in the `chain` hash
 * (key: thread id):
 *
 *   struct { u64 curr_call;   calls of the chain's functions this thread is inside
 *            u64 conds_met;   frames 0..conds_met-1 are active with their predicates true
 *            u64 stack[n]; }  curr_call when frame i became active
 *
 * As BCC's inject generates it, for every function of the chain but the base:
 *   kprobe:    [frame 0's function: with probability P create the state (if absent)]
 *              no state: return; if conds_met is one of this function's frames and that
 *              frame's predicate holds: stack[conds_met++] = curr_call; then curr_call++
 *   kretprobe: no state: return; curr_call--; if conds_met is 1..n and stack[conds_met - 1]
 *              is curr_call: conds_met--, else if conds_met is 0 or above n: return;
 *              [frame 0's function: delete the state]
 * and for the base function:
 *   kprobe:    conds_met == n - 1 (n == 1: no state needed) and its predicate holds and fewer
 *              than -c hits so far: hits++, bpf_override_return(ctx, value) (or only count)
 *
 * One difference: BCC applies -P only in frame 0's kprobe, so a chain of the base alone fails
 * every call whatever -P says; here its base kprobe draws the random number itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "core/log.h"
#include "core/probe/insn.h"
#include "core/probe/internal.h"

#define CHAIN_THREADS 10240      /* threads inside a chain at once (BCC's BPF_HASH size) */
#define ST_CURR 0                /* offsets in the per-thread state */
#define ST_CONDS 8
#define ST_STACK 16

struct chain_prog {
	struct probe_program *p;
	const char *function;        /* the kernel function (the program's attach point) */
	bool retprobe;
	const char *role;            /* "entry", "return", "base" */
};

struct probe_chain {
	int length;
	struct probe_chain_opts o;
	struct chain_prog *progs;
	int nprogs;
	int chain_fd, hits_fd;
};

static struct probe_program *new_program(const char *function, const char *src)
{
	struct probe_program *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	for (int i = 0; i < MAP__COUNT; i++)
		p->map_fds[i] = -1;
	p->prog_fd = p->entry_fd = -1;
	p->prog_type = BPF_PROG_TYPE_KPROBE;
	p->name = arena_strdup(&p->arena, function);
	p->src = arena_strdup(&p->arena, src);
	return p;
}

/* STK_KEY = this thread's id; r0 = its state, or jump to out. */
static void gen_state_lookup(struct codegen *g, int out)
{
	ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, STK_KEY));
	ib_emit_map_call(g, BPF_FUNC_map_lookup_elem, MAP_CHAIN, STK_KEY);
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out);
}

/* BCC's `bpf_get_prandom_u32() > (1 << 32) * P`: jump to out (no check when P is 1). */
static void gen_probability(struct codegen *g, double probability, int out)
{
	if (probability >= 1)
		return;
	ib_emit(g, CALL(BPF_FUNC_get_prandom_u32));
	ib_emit_ld_imm64(g, BPF_REG_1, (uint64_t)(4294967296.0 * probability));
	ib_jump(g, BPF_JGT, BPF_REG_0, BPF_REG_1, 0, true, out);
}

/* Frame 0's kprobe: a zeroed state for this thread unless it has one (BCC's m.insert). The
 * zeroed value sits below the key; predicates, which use that stack, come later. */
static void gen_state_create(struct codegen *g, int length, double probability, int out)
{
	int words = 2 + length, value = STK_KEY - 8 * words;

	gen_probability(g, probability, out);
	for (int i = 0; i < words; i++)
		ib_emit(g, ST_MEM(BPF_DW, BPF_REG_10, value + 8 * i, 0));
	ib_emit(g, CALL(BPF_FUNC_get_current_pid_tgid));
	ib_emit(g, STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, STK_KEY));
	ib_emit_map_update(g, MAP_CHAIN, STK_KEY, value, BPF_NOEXIST);
}

static void gen_exit0(struct codegen *g, int out)
{
	ib_place(g, out);
	ib_emit(g, MOV64_IMM(BPF_REG_0, 0));
	ib_emit(g, EXIT());
}

/* The kprobe of a function that is not the base: frames[k] are its frames (places[k]). */
static int gen_entry(struct codegen *g, const struct probe_chain *c, struct node **preds,
		     const int *places, int nplaces)
{
	int out = ib_new_label(g), done = ib_new_label(g);

	ib_emit(g, MOV64_REG(BPF_REG_6, BPF_REG_1));
	if (places[0] == 0)
		gen_state_create(g, c->length, c->o.probability, out);
	gen_state_lookup(g, out);
	ib_emit(g, MOV64_REG(BPF_REG_7, BPF_REG_0));
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, ST_CONDS));
	ib_jump(g, BPF_JGE, BPF_REG_1, 0, c->length, false, out);
	for (int k = 0; k < nplaces; k++) {
		int next = ib_new_label(g);

		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, ST_CONDS));
		ib_jump(g, BPF_JNE, BPF_REG_1, 0, places[k], false, next);
		if (cg_branch(g, preds[k], false, next))
			return -1;
		g->cur = NULL;
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, ST_CURR));
		ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, ST_STACK + 8 * places[k]));
		ib_emit(g, MOV64_IMM(BPF_REG_1, places[k] + 1));
		ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, ST_CONDS));
		ib_jump(g, BPF_JA, 0, 0, 0, false, done);
		ib_place(g, next);
	}
	ib_place(g, done);
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, ST_CURR));
	ib_emit(g, ALU64_IMM(BPF_ADD, BPF_REG_1, 1));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, ST_CURR));
	gen_exit0(g, out);
	return ib_resolve(g->ib);
}

/* Its kretprobe: pop the frame this call made active; frame 0's function ends the state. */
static int gen_return(struct codegen *g, const struct probe_chain *c, bool top)
{
	int out = ib_new_label(g), end = ib_new_label(g);

	gen_state_lookup(g, out);
	ib_emit(g, MOV64_REG(BPF_REG_7, BPF_REG_0));
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, ST_CURR));
	ib_emit(g, ALU64_IMM(BPF_SUB, BPF_REG_1, 1));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, ST_CURR));
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_7, ST_CONDS));
	/* BCC returns here, before frame 0's clean-up */
	ib_jump(g, BPF_JLT, BPF_REG_2, 0, 1, false, out);
	ib_jump(g, BPF_JGT, BPF_REG_2, 0, c->length, false, out);
	/* stack[conds_met - 1]; the bounds above keep the index inside the value */
	ib_emit(g, MOV64_REG(BPF_REG_3, BPF_REG_2));
	ib_emit(g, ALU64_IMM(BPF_SUB, BPF_REG_3, 1));
	ib_emit(g, ALU64_IMM(BPF_LSH, BPF_REG_3, 3));
	ib_emit(g, ALU64_REG(BPF_ADD, BPF_REG_3, BPF_REG_7));
	ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_3, ST_STACK));
	ib_jump(g, BPF_JNE, BPF_REG_3, BPF_REG_1, 0, true, end);
	ib_emit(g, ALU64_IMM(BPF_SUB, BPF_REG_2, 1));
	ib_emit(g, STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_2, ST_CONDS));
	ib_place(g, end);
	if (top) {
		ib_emit_map_call(g, BPF_FUNC_map_delete_elem, MAP_CHAIN, STK_KEY);
	}
	gen_exit0(g, out);
	return ib_resolve(g->ib);
}

/* The base function's kprobe. */
static int gen_base(struct codegen *g, const struct probe_chain *c, const struct node *pred)
{
	int out = ib_new_label(g);

	ib_emit(g, MOV64_REG(BPF_REG_6, BPF_REG_1));
	if (c->length == 1) {
		gen_probability(g, c->o.probability, out);
	} else {
		gen_state_lookup(g, out);
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, ST_CONDS));
		ib_jump(g, BPF_JNE, BPF_REG_1, 0, c->length - 1, false, out);
	}
	if (cg_branch(g, pred, false, out))
		return -1;
	g->cur = NULL;
	ib_emit(g, ST_MEM(BPF_W, BPF_REG_10, STK_KEY, 0));
	ib_emit_map_call(g, BPF_FUNC_map_lookup_elem, MAP_SINK, STK_KEY);
	ib_jump(g, BPF_JEQ, BPF_REG_0, 0, 0, false, out);
	if (c->o.max_hits >= 0) {
		ib_emit(g, LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 0));
		ib_emit_ld_imm64(g, BPF_REG_2, (uint64_t)c->o.max_hits);
		ib_jump(g, BPF_JGE, BPF_REG_1, BPF_REG_2, 0, true, out);
	}
	ib_emit(g, MOV64_IMM(BPF_REG_1, 1));
	ib_emit(g, ATOMIC_ADD(BPF_DW, BPF_REG_0, BPF_REG_1, 0));
	if (c->o.action == PROBE_CHAIN_OVERRIDE) {
		ib_emit(g, MOV64_REG(BPF_REG_1, BPF_REG_6));
		ib_emit_ld_imm64(g, BPF_REG_2, (uint64_t)c->o.override_value);
		ib_emit(g, CALL(BPF_FUNC_override_return));
	}
	gen_exit0(g, out);
	return ib_resolve(g->ib);
}

static struct chain_prog *add_prog(struct probe_chain *c, const char *function, const char *src,
				   bool retprobe, const char *role)
{
	struct chain_prog *cp = &c->progs[c->nprogs];

	cp->p = new_program(function, src);
	if (!cp->p)
		return NULL;
	c->nprogs++;
	cp->function = cp->p->name;
	cp->retprobe = retprobe;
	cp->role = role;
	return cp;
}

/* The programs of one function of the chain: the frames in `places` name it. */
static int compile_function(struct probe_chain *c, const struct probe_chain_frame *frames,
			    const int *places, int nplaces, struct probe_diag *d)
{
	bool base = places[nplaces - 1] == c->length - 1;
	struct sbuf text = {0};
	struct probe_spec *s;
	struct node **preds;
	int npreds, err = -1;
	struct check_ctx cc = {0};

	/* "func(signature) (pred) (pred)": one text, so listings and errors quote what was typed */
	sbuf_printf(&text, "%s", frames[places[0]].function);
	for (int k = 0; k < nplaces; k++)
		sbuf_printf(&text, " %s", frames[places[k]].predicate);
	s = probe_parse_frame(text.s, &preds, &npreds, d);
	if (!s)
		goto out;
	cc.a = &s->arena;
	cc.spec = s;
	cc.src = s->text;
	cc.d = d;
	if (check_params(&cc))
		goto out;
	for (int k = 0; k < npreds; k++)
		if (type_check_condition(&cc, preds[k]))
			goto out;
	for (int ret = 0; ret < (base ? 1 : 2); ret++) {
		struct chain_prog *cp = add_prog(c, s->target.function, s->text, ret,
						 base ? "base" : ret ? "return" : "entry");
		struct codegen g = { .d = d, .src = s->text, .di_off = ct_pt_regs_offset(ct_abi.arg[0]) };

		if (!cp) {
			probe_error_at(d, NULL, 0, 0, "out of memory");
			goto out;
		}
		g.ib = &cp->p->main;
		if (base ? gen_base(&g, c, preds[nplaces - 1]) :
		    ret ? gen_return(&g, c, places[0] == 0) : gen_entry(&g, c, preds, places, nplaces)) {
			probe_error_at(d, s->text, 0, 1, "program too large (a jump does not fit)");
			goto out;
		}
	}
	err = 0;
out:
	probe_spec_free(s);
	free(text.s);
	return err;
}

struct probe_chain *probe_chain_compile(const struct probe_chain_frame *frames, int n,
					const struct probe_chain_opts *o, struct probe_diag *d)
{
	struct probe_chain *c = calloc(1, sizeof(*c));
	int *places = calloc(n ? n : 1, sizeof(*places));
	bool *done = calloc(n ? n : 1, sizeof(*done));

	if (!c || !places || !done || !(c->progs = calloc(2 * (n ? n : 1), sizeof(*c->progs)))) {
		probe_error_at(d, NULL, 0, 0, "out of memory");
		goto fail;
	}
	c->length = n;
	c->o = *o;
	c->chain_fd = c->hits_fd = -1;
	if (n < 1 || n > PROBE_CHAIN_MAX) {
		probe_error_at(d, NULL, 0, 0, "a chain has 1 to %d frames, not %d", PROBE_CHAIN_MAX, n);
		goto fail;
	}
	ct_use_btf(NULL);
	/* One pair of programs per function, its frames in chain order (BCC's dict of frames). */
	for (int i = 0; i < n; i++) {
		int np = 0;

		if (done[i])
			continue;
		for (int k = i; k < n; k++)
			if (!done[k] && !strcmp(frames[k].function, frames[i].function)) {
				done[k] = true;
				places[np++] = k;
			}
		if (compile_function(c, frames, places, np, d))
			goto fail;
	}
	free(places);
	free(done);
	return c;
fail:
	free(places);
	free(done);
	probe_chain_free(c);
	return NULL;
}

void probe_chain_dump(const struct probe_chain *c, FILE *out)
{
	for (int i = 0; i < c->nprogs; i++) {
		const struct chain_prog *cp = &c->progs[i];

		fprintf(out, "; %s %s (%s): %s, %d instructions\n", cp->retprobe ? "kretprobe" : "kprobe",
			cp->function, cp->role, cp->p->src, cp->p->main.n);
		probe_program_dump_one(cp->p, false, out);
		fprintf(out, "\n");
	}
	fflush(out);
}

int probe_chain_load(struct probe_chain *c, struct probe_diag *d)
{
	c->chain_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "chain", 4, 8 * (2 + c->length), CHAIN_THREADS, NULL);
	if (c->chain_fd < 0)
		return probe_error_at(d, NULL, 0, 0, "cannot create the chain map: %s", strerror(errno)), -errno;
	c->hits_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "hits", 4, 8, 1, NULL);
	if (c->hits_fd < 0)
		return probe_error_at(d, NULL, 0, 0, "cannot create the hits map: %s", strerror(errno)), -errno;
	for (int i = 0; i < c->nprogs; i++) {
		struct probe_program *p = c->progs[i].p;

		p->map_fds[MAP_CHAIN] = c->chain_fd;
		p->map_fds[MAP_SINK] = c->hits_fd;
		p->prog_fd = probe_load_insns(p, &p->main, false, NULL, d);
		if (p->prog_fd < 0)
			return p->prog_fd;
	}
	return 0;
}

int probe_chain_attach(struct probe_chain *c, int (*keep)(int link_fd), struct probe_diag *d)
{
	/* The base last: nothing fails before the frames leading to it are watched. */
	for (int i = 0; i < 2 * c->nprogs; i++) {
		const struct chain_prog *cp = &c->progs[i % c->nprogs];
		int link;

		if ((i < c->nprogs) == !strcmp(cp->role, "base"))
			continue;
		link = probe_attach_kprobe(cp->p->prog_fd, cp->retprobe, cp->function, 0);

		if (link < 0)
			return probe_error_at(d, NULL, 0, 0, "cannot attach a %s to %s: %s",
					      cp->retprobe ? "kretprobe" : "kprobe", cp->function,
					      strerror(-link)), link;
		if (keep(link) < 0)
			return -EBADF;
		bcct_info("probe %s%s: %s", cp->function, cp->retprobe ? "_return" : "",
			  cp->retprobe ? "kretprobe" : "kprobe");
	}
	return 0;
}

uint64_t probe_chain_hits(const struct probe_chain *c)
{
	uint32_t key = 0;
	uint64_t hits = 0;

	if (c->hits_fd >= 0)
		bpf_map_lookup_elem(c->hits_fd, &key, &hits);
	return hits;
}

void probe_chain_free(struct probe_chain *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nprogs; i++)
		probe_program_free(c->progs[i].p);
	free(c->progs);
	if (c->chain_fd >= 0)
		close(c->chain_fd);
	if (c->hits_fd >= 0)
		close(c->hits_fd);
	free(c);
}
