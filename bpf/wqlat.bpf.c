/* wqlat: how long work items wait on a workqueue, from workqueue_queue_work to
 * workqueue_execute_start, as log2 histograms (one, or one per workqueue with -W). Work is
 * matched by the work_struct's address, as BCC does. */
#include "bcct.bpf.h"
#include "wqlat.h"

const volatile bool per_workqueue = false;         /* -W */
const volatile bool nanoseconds = false;           /* -N */
const volatile bool filter_name = false;           /* -w */
const volatile char target_name[WQLAT_NAME_LEN];

struct queued {
	u64 ts;
	struct wqlat_key key;
};

/* work_struct address -> when it was queued, and on which workqueue */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct queued);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct wqlat_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline bool name_matches(const char *name)
{
	for (int i = 0; i < WQLAT_NAME_LEN; i++) {
		if (name[i] != target_name[i])
			return false;
		if (!name[i])
			break;
	}
	return true;
}

static __always_inline int queue_work(struct pool_workqueue *pwq, struct work_struct *work)
{
	struct queued q = {};
	u64 addr = (u64)work;

	BPF_CORE_READ_STR_INTO(&q.key.name, pwq, wq, name);
	if (filter_name && !name_matches(q.key.name))
		return 0;
	if (!per_workqueue)
		__builtin_memset(&q.key, 0, sizeof(q.key));
	q.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&starts, &addr, &q, BPF_ANY);
	return 0;
}

static __always_inline int execute_start(struct work_struct *work)
{
	u64 addr = (u64)work, delta;
	struct queued *q = bpf_map_lookup_elem(&starts, &addr);

	if (!q)
		return 0;   /* queued before we started, or filtered out */
	delta = bpf_ktime_get_ns() - q->ts;
	if ((s64)delta >= 0)
		bcct_hist_add_log2(&hists, &q->key, nanoseconds ? delta : delta / 1000);
	bpf_map_delete_elem(&starts, &addr);
	return 0;
}

SEC("raw_tp/workqueue_queue_work")
int BPF_PROG(workqueue_queue_work_raw, int req_cpu, struct pool_workqueue *pwq, struct work_struct *work)
{ return queue_work(pwq, work); }
SEC("tp_btf/workqueue_queue_work")
int BPF_PROG(workqueue_queue_work_btf, int req_cpu, struct pool_workqueue *pwq, struct work_struct *work)
{ return queue_work(pwq, work); }

SEC("raw_tp/workqueue_execute_start")
int BPF_PROG(workqueue_execute_start_raw, struct work_struct *work) { return execute_start(work); }
SEC("tp_btf/workqueue_execute_start")
int BPF_PROG(workqueue_execute_start_btf, struct work_struct *work) { return execute_start(work); }
