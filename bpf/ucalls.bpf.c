/* ucalls: method calls of a language runtime (USDT entry/return probes, arguments named by each
 * attachment's cookie; for a Python without USDT, the eval function's uprobes of
 * pyframe.bpf.h) and, with -S, syscalls, counted in the kernel as BCC's ucalls. */
#include "bcct.bpf.h"
#include "rt.bpf.h"
#include "pyframe.bpf.h"
#include "ucalls.h"

const volatile bool latency;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct rt_method);
	__type(value, struct ucalls_info);
} calls SEC(".maps");

/* -L: a call's entry time by thread and method (BCC's: recursion into the same method keeps the
 * innermost entry). */
struct call_entry {
	__u64 pid_tgid;
	struct rt_method m;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct call_entry);
	__type(value, __u64);
} entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct ucalls_info);
} syscalls SEC(".maps");

struct sys_start {
	__u64 ts;
	__u64 id;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct sys_start);
} sys_starts SEC(".maps");

static __always_inline void add(void *map, const void *key, __u64 ns)
{
	struct ucalls_info zero = {}, *info = bcct_lookup_or_init(map, key, &zero);

	if (!info)
		return;
	__sync_fetch_and_add(&info->calls, 1);
	if (ns)
		__sync_fetch_and_add(&info->total_ns, ns);
}

SEC("usdt")
int call_entry_usdt(struct pt_regs *ctx)
{
	struct call_entry e = {};
	__u64 ts = bpf_ktime_get_ns();

	if (!bcct_filter_current())
		return 0;
	e.pid_tgid = bpf_get_current_pid_tgid();
	rt_method_read(ctx, bpf_usdt_cookie(ctx), &e.m);
	bpf_map_update_elem(&entries, &e, &ts, BPF_ANY);
	return 0;
}

/* Calls are counted at their return: every call returns once, and CPython 3.11 fires
 * function__return on each call but function__entry almost never (cpython gh-98894). */
SEC("usdt")
int call_return_usdt(struct pt_regs *ctx)
{
	struct call_entry e = {};
	__u64 *start;

	if (!bcct_filter_current())
		return 0;
	rt_method_read(ctx, bpf_usdt_cookie(ctx), &e.m);
	if (!latency) {
		add(&calls, &e.m, 0);
		return 0;
	}
	e.pid_tgid = bpf_get_current_pid_tgid();
	start = bpf_map_lookup_elem(&entries, &e);
	if (!start)
		return 0;       /* entry missed (started before us) */
	add(&calls, &e.m, bpf_ktime_get_ns() - *start);
	bpf_map_delete_elem(&entries, &e);
	return 0;
}

/* Python without USDT: each eval invocation entered from C is a call, counted at its entry
 * (where its frame is) unless -L times it to its return (those nested deeper than the kernel's
 * uretprobe limit are then neither timed nor counted: their returns are not seen). */
SEC("uprobe.multi")
int eval_entry_uprobe(struct pt_regs *ctx)
{
	struct py_frame *f;

	if (!bcct_filter_current() || !(f = py_entry(ctx)))
		return 0;
	if (latency)
		py_push(f, true);
	else
		add(&calls, &f->m, 0);
	return 0;
}

SEC("uretprobe.multi")
int eval_return_uretprobe(struct pt_regs *ctx)
{
	struct py_frame *f;

	if (!bcct_filter_current() || !(f = py_pop()))
		return 0;
	add(&calls, &f->m, bpf_ktime_get_ns() - f->ts);
	return 0;
}

static __always_inline int sys_enter(long id)
{
	struct sys_start s = { bpf_ktime_get_ns(), id };
	__u32 tid = bpf_get_current_pid_tgid();

	if (!bcct_filter_current())
		return 0;
	if (!latency) {
		__u32 key = id;

		add(&syscalls, &key, 0);
		return 0;
	}
	bpf_map_update_elem(&sys_starts, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int sys_exit(void)
{
	__u32 tid = bpf_get_current_pid_tgid(), key;
	struct sys_start *s = bpf_map_lookup_elem(&sys_starts, &tid);

	if (!s)
		return 0;
	key = s->id;
	add(&syscalls, &key, bpf_ktime_get_ns() - s->ts);
	bpf_map_delete_elem(&sys_starts, &tid);
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id) { return sys_enter(id); }
SEC("tracepoint/raw_syscalls/sys_enter")
int sys_enter_tp(struct bcct_sys_enter *ctx) { return sys_enter(ctx->id); }
SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret) { return sys_exit(); }
SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_tp(struct bcct_sys_exit *ctx) { return sys_exit(); }
