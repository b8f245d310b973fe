/* ugc: garbage collections of a language runtime (USDT begin/end probe pairs) with their
 * duration and what the end probe says, as BCC's ugc. */
#include "bcct.bpf.h"
#include "rt.bpf.h"
#include "ugc.h"

const volatile __u64 min_ns;    /* -M */

/* A collection: thread, probe pair, and the pointer argument naming what is collected (java's
 * pool name: hotspot fires one begin/end pair per pool, nested; 0 where there is none). */
struct gc_key {
	__u64 pid_tgid;
	__u64 index;
	__u64 instance;
};

struct gc_start {
	__u64 ts;
	__u64 field[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct gc_key);
	__type(value, struct gc_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ugc_event);
} scratch SEC(".maps");

SEC("usdt")
int gc_begin_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx);
	struct gc_key k = { bpf_get_current_pid_tgid(), RT_COOKIE_GET(cookie, UGC_CK_INDEX),
			    rt_arg(ctx, RT_COOKIE_GET(cookie, UGC_CK_STR2)) };
	struct gc_start s = { bpf_ktime_get_ns() };

	if (!bcct_filter_current())
		return 0;
	s.field[0] = rt_arg(ctx, RT_COOKIE_GET(cookie, UGC_CK_NUM1));
	s.field[1] = rt_arg(ctx, RT_COOKIE_GET(cookie, UGC_CK_NUM2));
	bpf_map_update_elem(&starts, &k, &s, BPF_ANY);
	return 0;
}

SEC("usdt")
int gc_end_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx), now = bpf_ktime_get_ns();
	struct gc_key k = { bpf_get_current_pid_tgid(), RT_COOKIE_GET(cookie, UGC_CK_INDEX),
			    rt_arg(ctx, RT_COOKIE_GET(cookie, UGC_CK_STR2)) };
	struct gc_start *s = bpf_map_lookup_elem(&starts, &k);
	struct ugc_event *e;
	__u32 zero = 0;

	if (!s)
		return 0;       /* begin missed on this thread */
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e || now - s->ts < min_ns)
		goto out;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = now;
	e->elapsed_ns = now - s->ts;
	e->field[0] = s->field[0];
	e->field[1] = s->field[1];
	e->field[2] = rt_arg(ctx, RT_COOKIE_GET(cookie, UGC_CK_NUM1));
	e->field[3] = rt_arg(ctx, RT_COOKIE_GET(cookie, UGC_CK_NUM2));
	e->index = k.index;
	e->pid = k.pid_tgid >> 32;
	rt_str(ctx, cookie, UGC_CK_STR1, e->str1);
	rt_str(ctx, cookie, UGC_CK_STR2, e->str2);
	bcct_event_output(ctx, e, sizeof(*e));
out:
	bpf_map_delete_elem(&starts, &k);
	return 0;
}
