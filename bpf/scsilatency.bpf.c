/* scsilatency: SCSI command latency, a log2 histogram of microseconds per operation code, as the
 * book's scsilatency.bt (BPF Performance Tools, ch. 9): from the mapping of the command's data
 * (scsi_init_io, the book's kprobe, renamed scsi_alloc_sgtables in 5.13; commands without data
 * never pass there) or its dispatch to the host driver (scsi:scsi_dispatch_cmd_start) to its
 * completion (scsi_done from 5.16, scsi_mq_done before, or scsi:scsi_dispatch_cmd_done). Commands are keyed by
 * their struct scsi_cmnd, which only kprobes, raw_tp and tp_btf see: the classic tracepoints'
 * records do not identify a command. Where SCSI is a module (Debian), its raw tracepoints are
 * not in vmlinux BTF and core does not choose them: the kprobes serve there. */
#include "bcct.bpf.h"
#include "scsi.bpf.h"
#include "scsilatency.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct scsilatency_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* Commands in flight. A struct scsi_cmnd is preallocated per tag and reused, so a command that
 * never completes (aborted, timed out) leaves one entry its next use overwrites. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, u64);
} start SEC(".maps");

static __always_inline int cmd_start(void *cmd)
{
	u64 id = (u64)cmd, now = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &id, &now, BPF_ANY);
	return 0;
}

static __always_inline int cmd_done(void *cmd)
{
	u64 id = (u64)cmd, *ts = bpf_map_lookup_elem(&start, &id);
	struct scsilatency_key k = {};

	if (!ts)
		return 0;
	k.opcode = scsi_cmd_opcode(cmd);
	bcct_hist_add_log2(&hists, &k, (bpf_ktime_get_ns() - *ts) / 1000);
	bpf_map_delete_elem(&start, &id);
	return 0;
}

SEC("kprobe/scsi_init_io")
int BPF_KPROBE(cmd_start_kprobe, void *cmd) { return cmd_start(cmd); }
SEC("kprobe/scsi_alloc_sgtables")
int BPF_KPROBE(cmd_start_kprobe2, void *cmd) { return cmd_start(cmd); }
SEC("raw_tp/scsi_dispatch_cmd_start")
int BPF_PROG(cmd_start_raw, void *cmd) { return cmd_start(cmd); }
SEC("tp_btf/scsi_dispatch_cmd_start")
int BPF_PROG(cmd_start_btf, void *cmd) { return cmd_start(cmd); }

SEC("kprobe/scsi_done")
int BPF_KPROBE(cmd_done_kprobe, void *cmd) { return cmd_done(cmd); }
/* Before 5.16 host drivers completed a command through its scsi_done pointer, scsi_mq_done (the
 * book's second completion probe); no scsi_done function there. */
SEC("kprobe/scsi_mq_done")
int BPF_KPROBE(cmd_done_kprobe2, void *cmd) { return cmd_done(cmd); }
/* Optional: the direct completion (scsi_done_direct, 6.3 and Debian's 6.1) for the kprobe path;
 * the tracepoint fires in both. */
SEC("kprobe/scsi_done_direct")
int BPF_KPROBE(cmd_done_direct_kprobe, void *cmd) { return cmd_done(cmd); }
SEC("raw_tp/scsi_dispatch_cmd_done")
int BPF_PROG(cmd_done_raw, void *cmd) { return cmd_done(cmd); }
SEC("tp_btf/scsi_dispatch_cmd_done")
int BPF_PROG(cmd_done_btf, void *cmd) { return cmd_done(cmd); }
