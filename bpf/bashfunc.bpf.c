/* bashfunc, bashfunclat (BPF Performance Tools, ch. 12): bash shell function calls, and their
 * latency by function name. The book probes bash's execute_function, a static function whose
 * symbol Debian's stripped bash does not have; what it keeps in .dynsym are the calls around a
 * function's body: push_context(name, is_subshell, tempvars) as the function's variable scope
 * opens and pop_context() as it closes (bash runs pop_context through its unwind frame, on
 * `return` too). The book's bashfunc3 used find_function_def and restore_funcarray_state the
 * same way; push_context names the function as its first argument and is called for nothing
 * else, where find_function_def also serves `declare -f`, `type` and the like. Nesting is kept
 * on a per-thread stack, so an inner function's return does not end the outer one. */
#include "bcct.bpf.h"
#include "bashfunc.h"

#define BASHFUNC_DEPTH 32       /* nested calls followed; deeper ones are not timed */

const volatile bool latency = false;    /* bashfunclat: histograms, no events */

struct frame {
	__u64 ts;
	char name[BASHFUNC_NAME_LEN];
};

struct stack {
	__u32 depth;            /* calls open, may exceed BASHFUNC_DEPTH */
	__u32 pad;
	struct frame frames[BASHFUNC_DEPTH];
};

/* LRU: a thread that exits inside a function (a subshell's `exit`) never pops its stack. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct stack);
} stacks SEC(".maps");

/* Histograms of milliseconds (the book's), by function name. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[BASHFUNC_NAME_LEN]);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack);
} empty_stack SEC(".maps");

SEC("uprobe.multi")
int BPF_UPROBE(push_context_uprobe, const char *name)
{
	__u32 tid = bpf_get_current_pid_tgid(), zero = 0;
	struct bashfunc_event *e;
	struct stack *s;
	__u32 d;

	if (!bcct_filter_current())
		return 0;
	if (!latency) {
		e = bcct_event_reserve(sizeof(*e));
		if (!e)
			return 0;
		e->ts = bpf_ktime_get_ns();
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->pad = 0;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		if (bpf_probe_read_user_str(e->name, sizeof(e->name), name) < 0)
			e->name[0] = 0;
		bcct_event_submit(ctx, e, sizeof(*e));
		return 0;
	}
	s = bpf_map_lookup_elem(&stacks, &tid);
	if (!s) {
		/* A new thread's stack, zeroed from a per-CPU template (too big for the BPF stack). */
		s = bpf_map_lookup_elem(&empty_stack, &zero);
		if (!s)
			return 0;
		bpf_map_update_elem(&stacks, &tid, s, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&stacks, &tid);
		if (!s)
			return 0;
	}
	d = s->depth;
	if (d < BASHFUNC_DEPTH) {
		s->frames[d].ts = bpf_ktime_get_ns();
		if (bpf_probe_read_user_str(s->frames[d].name, sizeof(s->frames[d].name), name) < 0)
			s->frames[d].name[0] = 0;
	}
	s->depth = d + 1;
	return 0;
}

SEC("uprobe.multi")
int BPF_UPROBE(pop_context_uprobe)
{
	__u32 tid = bpf_get_current_pid_tgid();
	struct stack *s = bpf_map_lookup_elem(&stacks, &tid);
	struct frame *f;
	__u32 d;

	/* A scope opened before we attached: nothing to time. */
	if (!s || !s->depth)
		return 0;
	d = --s->depth;
	if (d >= BASHFUNC_DEPTH)
		return 0;
	f = &s->frames[d];
	bcct_hist_add_log2(&hists, f->name, (bpf_ktime_get_ns() - f->ts) / 1000000);
	if (!d)
		bpf_map_delete_elem(&stacks, &tid);
	return 0;
}
