/* Database queries (dbslower, dbstat): the query__start USDT probe of MySQL and PostgreSQL
 * (argument 1: the query text) notes the time and the query's pointer per thread; each tool's
 * query__done program takes them with query_done_take(). */
#ifndef BCCT_DBQUERY_BPF_H
#define BCCT_DBQUERY_BPF_H
#include <bpf/usdt.bpf.h>

struct query_start {
	__u64 ts;
	__u64 query;            /* user pointer, read at done as BCC's USDT mode does */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct query_start);
} query_starts SEC(".maps");

SEC("usdt")
int query_start_usdt(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct query_start s = { bpf_ktime_get_ns() };
	long query = 0;

	if (!bcct_filter_current())
		return 0;
	bpf_usdt_arg(ctx, 0, &query);
	s.query = query;
	bpf_map_update_elem(&query_starts, &id, &s, BPF_ANY);
	return 0;
}

/* This thread's query: its start into *s and its latency in ns, removed from the map; false
 * when its start was not seen. */
static __always_inline bool query_done_take(struct query_start *s, __u64 *ns)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct query_start *p = bpf_map_lookup_elem(&query_starts, &id);

	if (!p)
		return false;
	*s = *p;
	*ns = bpf_ktime_get_ns() - p->ts;
	bpf_map_delete_elem(&query_starts, &id);
	return true;
}
#endif
