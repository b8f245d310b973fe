/* Python calls without USDT (ucalls, uflow): a uprobe on the interpreter's eval function
 * (_PyEval_EvalFrameDefault) names the frame it was given, a uretprobe on the same function
 * ends it. Since CPython 3.11 a Python function called from Python runs inside the caller's
 * eval invocation, so these see only the frames entered from C (the first call of a thread,
 * calls through map(), sorted(), callbacks, class instantiation, generator resumptions), each
 * with its names read through the layout user space gives (rt.h). A return carries no frame:
 * each thread keeps its eval invocations as a stack, pushed at entry and popped at return (C
 * calls nest, so the innermost is the one returning). */
#ifndef BCCT_PYFRAME_BPF_H
#define BCCT_PYFRAME_BPF_H
#include "rt.h"

const volatile struct rt_py_layout py_layout;

/* A thread's eval invocations: how many are on its stack, how many of them shown (uflow's
 * -C/-M matched them; its depth column counts those, as on the USDT path). */
struct py_thread {
	__u32 depth, shown;
};

struct py_frame_key {
	__u32 tid, depth;
};

struct py_frame {
	struct rt_method m;
	__u64 ts;
	__u32 shown;            /* the thread's shown depth with this frame, 0: not shown */
	__u32 pad;
};

/* LRU: a thread killed inside the interpreter never pops its frames. Sized by user space
 * (rt_eval_size_maps). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct py_thread);
} py_threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct py_frame_key);
	__type(value, struct py_frame);
} py_frames SEC(".maps");

/* One frame being handled (too large for the BPF stack beside the caller's). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct py_frame);
} py_scratch SEC(".maps");

/* A str object's text, at most RT_STR_LEN - 1 bytes, into buf (zeroed): a compact ASCII
 * string's own characters, another compact string's cached UTF-8 when it has one; nothing
 * for the rest (legacy strings, which code objects do not hold). */
static __always_inline void py_str_read(const void *str, char *buf)
{
	__u32 state = 0;
	const void *utf8 = NULL;

	if (!str || bpf_probe_read_user(&state, sizeof(state), str + py_layout.str_state) ||
	    !(state & (1u << py_layout.str_compact_bit)))
		return;
	if (state & (1u << py_layout.str_ascii_bit)) {
		bpf_probe_read_user_str(buf, RT_STR_LEN, str + py_layout.ascii_data);
		return;
	}
	if (!bpf_probe_read_user(&utf8, sizeof(utf8), str + py_layout.compact_utf8) && utf8)
		bpf_probe_read_user_str(buf, RT_STR_LEN, utf8);
}

/* At the eval function's entry: its frame's file (as "class", as the USDT probes give it) and
 * function name and the time, in the CPU's scratch frame; NULL when the frame is unreadable. */
static __always_inline struct py_frame *py_entry(struct pt_regs *ctx)
{
	const void *frame = (const void *)PT_REGS_PARM2(ctx), *code = NULL, *str;
	__u32 zero = 0;
	struct py_frame *f = bpf_map_lookup_elem(&py_scratch, &zero);

	if (!f || !frame || bpf_probe_read_user(&code, sizeof(code), frame + py_layout.frame_code) ||
	    !code)
		return NULL;
	__builtin_memset(f, 0, sizeof(*f));
	str = NULL;
	if (!bpf_probe_read_user(&str, sizeof(str), code + py_layout.code_filename))
		py_str_read(str, f->m.clazz);
	str = NULL;
	if (!bpf_probe_read_user(&str, sizeof(str), code + py_layout.code_name))
		py_str_read(str, f->m.method);
	f->ts = bpf_ktime_get_ns();
	return f;
}

/* The kernel's MAX_URETPROBE_DEPTH: a task's uretprobes nested deeper never fire (the kernel
 * says "omit uretprobe due to nestedness limit"), so frames deeper than this are not kept, or
 * the returns that do fire would pop them instead of their own. */
#define PY_URETPROBE_DEPTH 64

/* Keeps f as the thread's innermost invocation; shown: it counts in the shown depth, which
 * f->shown then holds. False when it is too deep to be kept (its return will not be seen):
 * f->shown then says one below the deepest kept (deeper ones cannot be told apart, as their
 * ends are not seen). */
static __always_inline bool py_push(struct py_frame *f, bool shown)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct py_thread zero = {}, *t = bcct_lookup_or_init(&py_threads, &tid, &zero);
	struct py_frame_key k;

	if (!t)
		return false;
	if (t->depth >= PY_URETPROBE_DEPTH) {
		f->shown = shown ? t->shown + 1 : 0;
		return false;
	}
	t->depth++;
	if (shown)
		t->shown++;
	f->shown = shown ? t->shown : 0;
	k = (struct py_frame_key){ tid, t->depth };
	bpf_map_update_elem(&py_frames, &k, f, BPF_ANY);
	return true;
}

/* At the eval function's return: the thread's innermost invocation, taken off its stack into
 * the CPU's scratch frame; NULL when it has none (the call began before we attached). */
static __always_inline struct py_frame *py_pop(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct py_thread *t = bpf_map_lookup_elem(&py_threads, &tid);
	struct py_frame *kept, *f = bpf_map_lookup_elem(&py_scratch, &zero);
	struct py_frame_key k;

	if (!t || !t->depth || !f)
		return NULL;
	k = (struct py_frame_key){ tid, t->depth };
	t->depth--;
	kept = bpf_map_lookup_elem(&py_frames, &k);
	if (!kept)
		return NULL;
	__builtin_memcpy(f, kept, sizeof(*f));
	bpf_map_delete_elem(&py_frames, &k);
	if (f->shown && t->shown)
		t->shown--;
	return f;
}
#endif
