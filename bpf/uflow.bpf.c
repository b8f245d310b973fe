/* uflow: method entries and returns of a language runtime as events, with each thread's call
 * depth, as BCC's uflow. The attachment's cookie names the arguments (rt.h); its RT_CK_EXTRA
 * byte is 1 on return probes. A Python without USDT: the eval function's uprobe and uretprobe
 * (pyframe.bpf.h), whose stack of invocations gives each thread's depth. */
#include "bcct.bpf.h"
#include "rt.bpf.h"
#include "pyframe.bpf.h"
#include "uflow.h"

/* -C/-M: only classes/methods starting with these (empty: all). */
const volatile char class_prefix[RT_STR_LEN];
const volatile char method_prefix[RT_STR_LEN];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} depths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uflow_event);
} scratch SEC(".maps");

static __always_inline bool has_prefix(const char *s, const volatile char *prefix)
{
	for (int i = 0; i < RT_STR_LEN; i++) {
		if (!prefix[i])
			return true;
		if (prefix[i] != s[i])
			return false;
	}
	return true;
}

/* Stamps e (depth and method already in it) and sends it. */
static __always_inline void send(void *ctx, struct uflow_event *e, __u64 id)
{
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	bcct_event_output(ctx, e, sizeof(*e));
}

/* The CPU's event, cleared, with the method and depth of f. */
static __always_inline struct uflow_event *eval_event(const struct py_frame *f, __u64 depth)
{
	__u32 key = 0;
	struct uflow_event *e = bpf_map_lookup_elem(&scratch, &key);

	if (e) {
		__builtin_memcpy(&e->m, &f->m, sizeof(e->m));
		e->depth = depth;
	}
	return e;
}

SEC("usdt")
int call_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx), zero = 0, *depth, id = bpf_get_current_pid_tgid();
	bool ret = RT_COOKIE_GET(cookie, RT_CK_EXTRA);
	__u32 key = 0;
	struct uflow_event *e;

	if (!bcct_filter_current())
		return 0;
	e = bpf_map_lookup_elem(&scratch, &key);
	if (!e)
		return 0;
	__builtin_memset(&e->m, 0, sizeof(e->m));
	rt_method_read(ctx, cookie, &e->m);
	if (!has_prefix(e->m.clazz, class_prefix) || !has_prefix(e->m.method, method_prefix))
		return 0;
	depth = bcct_lookup_or_init(&depths, &id, &zero);
	if (!depth)
		depth = &zero;
	if (ret) {
		e->depth = *depth | UFLOW_RETURN;
		if (*depth)
			(*depth)--;
	} else {
		e->depth = *depth + 1;
		(*depth)++;
	}
	send(ctx, e, id);
	return 0;
}

/* Python without USDT: every eval invocation is pushed, so that returns pair with entries; only
 * those -C/-M match are shown and counted in the depth. */
SEC("uprobe.multi")
int eval_entry_uprobe(struct pt_regs *ctx)
{
	struct py_frame *f;
	struct uflow_event *e;
	bool shown;

	if (!bcct_filter_current() || !(f = py_entry(ctx)))
		return 0;
	shown = has_prefix(f->m.clazz, class_prefix) && has_prefix(f->m.method, method_prefix);
	py_push(f, shown);
	if (shown && (e = eval_event(f, f->shown)))
		send(ctx, e, bpf_get_current_pid_tgid());
	return 0;
}

SEC("uretprobe.multi")
int eval_return_uretprobe(struct pt_regs *ctx)
{
	struct py_frame *f;
	struct uflow_event *e;

	if (!bcct_filter_current() || !(f = py_pop()) || !f->shown)
		return 0;
	if ((e = eval_event(f, f->shown | UFLOW_RETURN)))
		send(ctx, e, bpf_get_current_pid_tgid());
	return 0;
}
