/* scsiresult: SCSI command completions counted by host byte and status byte of their result, as
 * the book's scsiresult.bt (BPF Performance Tools, ch. 9) on scsi:scsi_dispatch_cmd_done. */
#include "bcct.bpf.h"
#include "scsi.bpf.h"
#include "scsiresult.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct scsiresult_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int count(int result)
{
	struct scsiresult_key k = {
		.host_byte = (result >> 16) & 0xff,
		.status_byte = result & 0xff,
	};
	bcct_count_inc(&counts, &k);
	return 0;
}

SEC("raw_tp/scsi_dispatch_cmd_done")
int BPF_PROG(cmd_done_raw, void *cmd) { return count(scsi_cmd_result(cmd)); }
SEC("tp_btf/scsi_dispatch_cmd_done")
int BPF_PROG(cmd_done_btf, void *cmd) { return count(scsi_cmd_result(cmd)); }
SEC("tracepoint/scsi/scsi_dispatch_cmd_done")
int cmd_done_tp(struct trace_event_raw_scsi_dispatch_cmd_done___bcct *ctx)
{
	return count(BPF_CORE_READ(ctx, result));
}
