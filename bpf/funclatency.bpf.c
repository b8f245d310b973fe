/* funclatency: time from function entry to return, as a log2 histogram. The entry program keeps
 * the start time per thread (and nesting depth with -l); the return program files the latency
 * under the function (the attach cookie is the target index) and, where BCC does, the process. */
#include "bcct.bpf.h"
#include "funclatency.h"

const volatile bool use_cookie = true;   /* kernel has bpf_get_attach_cookie (5.15+) */
const volatile bool idx_by_ip = false;   /* no cookies, -F on kernel functions: key by kprobe IP */
const volatile bool key_func = false;    /* one histogram per function (-F, or user functions) */
const volatile bool key_pid = false;     /* ... and per process (user functions without -p) */
const volatile unsigned long long unit_div = 1;   /* 1 ns, 1000 us, 1000000 ms */
const volatile unsigned int max_depth = 0;        /* -l: nesting levels kept per thread */

struct start_key {
	u32 tid;
	u32 depth;
};

struct start_val {
	u64 ts;
	u64 idx;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct start_key);
	__type(value, struct start_val);
} start SEC(".maps");

/* -l: calls in progress per thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u32);
} depths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct funclatency_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct funclatency_avg);
} avg SEC(".maps");


static __always_inline u64 target_index(void *ctx)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_attach_cookie) && use_cookie)
		return bpf_get_attach_cookie(ctx);
	return 0;
}

static __always_inline int on_entry(void *ctx)
{
	struct start_key key = { .tid = (u32)bpf_get_current_pid_tgid() };
	struct start_val v;

	if (!bcct_filter_current())
		return 0;
	if (max_depth) {
		u32 *d = bpf_map_lookup_elem(&depths, &key.tid), next;

		key.depth = d ? *d : 0;
		next = key.depth + 1;
		bpf_map_update_elem(&depths, &key.tid, &next, BPF_ANY);
		if (key.depth >= max_depth)
			return 0;   /* deeper than tracked: counted for the matching return only */
	}
	v.ts = bpf_ktime_get_ns();
	v.idx = idx_by_ip ? PT_REGS_IP((struct pt_regs *)ctx) : target_index(ctx);
	bpf_map_update_elem(&start, &key, &v, BPF_ANY);
	return 0;
}

static __always_inline int on_return(void *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	struct start_key key = { .tid = (u32)id };
	struct funclatency_key hkey = {};
	struct funclatency_avg *a;
	struct start_val *v;
	struct bcct_hist *h;
	u32 zero = 0;
	u64 delta;

	if (max_depth) {
		u32 *d = bpf_map_lookup_elem(&depths, &key.tid);

		if (!d || !*d)
			return 0;   /* entered before tracing began */
		key.depth = *d - 1;
		if (key.depth)
			*d = key.depth;
		else
			bpf_map_delete_elem(&depths, &key.tid);
		if (key.depth >= max_depth)
			return 0;
	}
	v = bpf_map_lookup_elem(&start, &key);
	if (!v)
		return 0;   /* missed start */
	delta = bpf_ktime_get_ns() - v->ts;
	if (key_func && idx_by_ip)
		hkey.ip = v->idx;
	else if (key_func)
		hkey.idx = (u32)v->idx;
	hkey.pid = key_pid ? id >> 32 : 0;
	bpf_map_delete_elem(&start, &key);
	if ((s64)delta < 0)
		return 0;

	a = bpf_map_lookup_elem(&avg, &zero);
	if (a) {
		__sync_fetch_and_add(&a->total_ns, delta);
		__sync_fetch_and_add(&a->count, 1);
	}
	delta /= unit_div;
	h = bcct_lookup_or_init(&hists, &hkey, &bcct_zero_hist);
	if (h)
		bcct_hist_inc(h, bcct_log2_slot(delta));
	return 0;
}

/* Target-less sections: the applet attaches them at run time (core/probespec.c). The *_probe
 * pair serves uprobes/uretprobes and kprobes/kretprobes through perf events; the *_multi pair
 * becomes uprobe_multi programs before load where the kernel has them. */
SEC("uprobe")
int entry_probe(struct pt_regs *ctx) { return on_entry(ctx); }

SEC("uprobe")
int return_probe(struct pt_regs *ctx) { return on_return(ctx); }

SEC("uprobe")
int entry_multi(struct pt_regs *ctx) { return on_entry(ctx); }

/* One kernel function described by the kernel's BTF, where the kernel has fentry/fexit: the
 * applet sets the target before load (bcct_ps_prepare) and disables the kprobe pair. */
SEC("fentry")
int entry_fentry(u64 *ctx) { return on_entry(ctx); }

SEC("fexit")
int return_fexit(u64 *ctx) { return on_return(ctx); }

SEC("uprobe")
int return_multi(struct pt_regs *ctx) { return on_return(ctx); }
