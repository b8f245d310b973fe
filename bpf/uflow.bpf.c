/* uflow: method entries and returns of a language runtime as events, with each thread's call
 * depth, as BCC's uflow. The attachment's cookie names the arguments (rt.h); its RT_CK_EXTRA
 * byte is 1 on return probes. */
#include "bcct.bpf.h"
#include "rt.bpf.h"
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
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	bcct_event_output(ctx, e, sizeof(*e));
	return 0;
}
