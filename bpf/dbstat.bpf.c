/* dbstat: a histogram of MySQL and PostgreSQL query latency, from their query__start and
 * query__done USDT probes, as BCC's dbstat. */
#include "bcct.bpf.h"
#include "dbquery.bpf.h"

const volatile __u64 threshold_ns;      /* -m */
const volatile bool microseconds;       /* -u */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

SEC("usdt")
int query_done_usdt(struct pt_regs *ctx)
{
	struct query_start s;
	__u32 key = 0;
	__u64 ns;

	if (!query_done_take(&s, &ns) || ns < threshold_ns)
		return 0;
	bcct_hist_add_log2(&hists, &key, ns / (microseconds ? 1000 : 1000000));
	return 0;
}
