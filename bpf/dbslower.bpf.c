/* dbslower: MySQL and PostgreSQL queries slower than a threshold, from their query__start and
 * query__done USDT probes, as BCC's dbslower. */
#include "bcct.bpf.h"
#include "dbquery.bpf.h"
#include "dbslower.h"

const volatile __u64 threshold_ns;

SEC("usdt")
int query_done_usdt(struct pt_regs *ctx)
{
	struct dbslower_event *e;
	struct query_start s;
	__u64 ns;

	if (!query_done_take(&s, &ns) || ns < threshold_ns)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->start_ts = s.ts;
	e->duration_ns = ns;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->pad = 0;
	e->query[0] = 0;
	bpf_probe_read_user_str(e->query, sizeof(e->query), (const void *)s.query);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}
