/* mysqld_clat (BPF Performance Tools, ch. 13): MySQL command latency, from the server's USDT
 * probes mysql:command__start (thread id, command number, user, host) and command__done
 * (status), in a log2 histogram of microseconds. */
#include "bcct.bpf.h"
#include <bpf/usdt.bpf.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} command_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

SEC("usdt")
int command_start_usdt(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), ts = bpf_ktime_get_ns();

	if (!bcct_filter_current())
		return 0;
	bpf_map_update_elem(&command_starts, &id, &ts, BPF_ANY);
	return 0;
}

SEC("usdt")
int command_done_usdt(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 *ts = bpf_map_lookup_elem(&command_starts, &id);
	__u32 key = 0;

	if (!ts)
		return 0;
	bcct_hist_add_log2(&hists, &key, (bpf_ktime_get_ns() - *ts) / 1000);
	bpf_map_delete_elem(&command_starts, &id);
	return 0;
}
