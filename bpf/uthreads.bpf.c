/* uthreads: thread starts (and a runtime's thread start/stop probes) as events, as BCC's
 * uthreads. BCC's pthread events come from libpthread's USDT probe pthread_start, which glibc
 * builds without systemtap lack: here pthread_create's entry (a uprobe) notes the start routine
 * and the clone it makes (sched_process_fork, in the creating thread) gives the new thread's id. */
#include "bcct.bpf.h"
#include "rt.bpf.h"
#include "uthreads.h"

/* pthread_create in progress: the creating thread's start routine */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} creating SEC(".maps");

SEC("uprobe.multi")
int BPF_KPROBE(pthread_create_uprobe, void *thread, const void *attr, void *start_routine)
{
	__u32 tid = bpf_get_current_pid_tgid();
	__u64 start = (__u64)start_routine;

	if (!bcct_filter_current())
		return 0;
	bpf_map_update_elem(&creating, &tid, &start, BPF_ANY);
	return 0;
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(pthread_create_uretprobe)
{
	__u32 tid = bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&creating, &tid);
	return 0;
}

static __always_inline struct uthreads_event *event_new(unsigned int type)
{
	struct uthreads_event *e = bcct_event_reserve(sizeof(*e));

	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->type = type;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	return e;
}

static __always_inline int forked(void *ctx, struct task_struct *child)
{
	__u32 tid = bpf_get_current_pid_tgid();
	__u64 *start = bpf_map_lookup_elem(&creating, &tid);
	struct uthreads_event *e;

	if (!start || !(e = event_new(UTHREADS_PTHREAD)))
		return 0;
	e->runtime_id = *start;
	e->native_id = BPF_CORE_READ(child, pid);
	bcct_event_submit(ctx, e, sizeof(*e));
	bpf_map_delete_elem(&creating, &tid);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(sched_fork_raw, struct task_struct *parent, struct task_struct *child)
{ return forked(ctx, child); }
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork_btf, struct task_struct *parent, struct task_struct *child)
{ return forked(ctx, child); }

SEC("usdt")
int thread_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx);
	struct uthreads_event *e;

	if (!bcct_filter_current() ||
	    !(e = event_new(RT_COOKIE_GET(cookie, UTHREADS_CK_STOP) ? UTHREADS_STOP : UTHREADS_START)))
		return 0;
	e->runtime_id = rt_arg(ctx, RT_COOKIE_GET(cookie, UTHREADS_CK_ID));
	e->native_id = rt_arg(ctx, RT_COOKIE_GET(cookie, UTHREADS_CK_NATIVE));
	rt_str(ctx, cookie, UTHREADS_CK_NAME, e->name);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}
