/* dcstat and dcsnoop: dcache lookups, as BCC: lookup_fast (a component looked up in the
 * dcache; some kernels only have a .constprop clone of it) counts references, d_lookup (the slow
 * path) counts slow lookups and, when it returns NULL, misses. fentry/fexit, else kprobes; no
 * tracepoint sees these, so there is no fallback. dcstat counts (`stats`); dcsnoop (`snoop`)
 * sends an event per miss, and per reference with -a. */
#include "bcct.bpf.h"
#include "dcstat.h"

const volatile bool snoop = false;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DCSTAT_MAX);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

/* dcsnoop: the name d_lookup was asked for, by thread, until it returns. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, char[DCSNOOP_NAME_LEN]);
} names SEC(".maps");

static __always_inline void count(u32 stat)
{
	u64 *v = bpf_map_lookup_elem(&stats, &stat);

	if (v)
		(*v)++;
}

static __always_inline void send(void *ctx, const void *name, u32 type)
{
	struct dcsnoop_event *e = bcct_event_reserve(sizeof(*e));

	if (!e)
		return;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->type = type;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->name, sizeof(e->name), name);
	bcct_event_submit(ctx, e, sizeof(*e));
}

static __always_inline int on_fast(void *ctx, struct nameidata *nd)
{
	if (!bcct_filter_current())
		return 0;
	if (snoop)
		send(ctx, BPF_CORE_READ(nd, last.name), DCSNOOP_REFERENCE);
	else
		count(DCSTAT_REFS);
	return 0;
}

SEC("fentry/lookup_fast")
int BPF_PROG(fast_fentry, struct nameidata *nd) { return on_fast(ctx, nd); }
SEC("kprobe/lookup_fast")
int BPF_KPROBE(fast_kprobe, struct nameidata *nd) { return on_fast(ctx, nd); }
SEC("kprobe/lookup_fast.constprop.0")
int BPF_KPROBE(fast_kprobe2, struct nameidata *nd) { return on_fast(ctx, nd); }

static __always_inline int on_lookup(const struct qstr *name)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	char buf[DCSNOOP_NAME_LEN] = {};

	if (!snoop || !bcct_filter_current())
		return 0;
	bpf_probe_read_kernel_str(buf, sizeof(buf), BPF_CORE_READ(name, name));
	bpf_map_update_elem(&names, &tid, buf, BPF_ANY);
	return 0;
}

SEC("fentry/d_lookup")
int BPF_PROG(lookup_fentry, const struct dentry *parent, const struct qstr *name)
{
	return on_lookup(name);
}
SEC("kprobe/d_lookup")
int BPF_KPROBE(lookup_kprobe, const struct dentry *parent, const struct qstr *name)
{
	return on_lookup(name);
}

static __always_inline int on_lookup_return(void *ctx, const void *dentry)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	char *name;

	if (!bcct_filter_current())
		return 0;
	if (!snoop) {
		count(DCSTAT_SLOW);
		if (!dentry)
			count(DCSTAT_MISS);
		return 0;
	}
	name = bpf_map_lookup_elem(&names, &tid);
	if (!name)
		return 0;       /* entered before tracing began */
	if (!dentry)
		send(ctx, name, DCSNOOP_MISS);
	bpf_map_delete_elem(&names, &tid);
	return 0;
}

SEC("fexit/d_lookup")
int BPF_PROG(lookup_return_fexit, const struct dentry *parent, const struct qstr *name,
	     struct dentry *ret)
{
	return on_lookup_return(ctx, ret);
}
SEC("kretprobe/d_lookup")
int BPF_KRETPROBE(lookup_return_kretprobe, struct dentry *ret)
{
	return on_lookup_return(ctx, ret);
}
