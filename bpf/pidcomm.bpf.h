/* Counts by process (struct pidcomm_key, bpf/pidcomm.h) in map `counts`, printed by core's
 * table_print_pid_comm_counts: swapin, hfaults. */
#ifndef BCCT_PIDCOMM_BPF_H
#define BCCT_PIDCOMM_BPF_H
#include "bcct.bpf.h"
#include "pidcomm.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pidcomm_key);
	__type(value, u64);
} counts SEC(".maps");

/* One more for the current process, when the shared filter lets it through. */
static __always_inline int pidcomm_count(void)
{
	struct pidcomm_key key = { .pid = bpf_get_current_pid_tgid() >> 32 };
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}
#endif
