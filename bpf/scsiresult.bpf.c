/* scsiresult: SCSI command completions counted by host byte and status byte of their result, as
 * the book's scsiresult.bt (BPF Performance Tools, ch. 9) on scsi:scsi_dispatch_cmd_done.
 * From 5.16 that tracepoint fires in scsi_done() (and scsi_done_direct(), 6.3 and Debian's 6.1),
 * where kprobes see the same command with its result set; they come first, as core prefers them.
 * Where SCSI is a module (Debian) its raw hook is not in vmlinux BTF, so core does not choose
 * raw_tp there: the classic tracepoint serves a kernel without kprobes. */
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

SEC("kprobe/scsi_done")
int BPF_KPROBE(cmd_done_kprobe, void *cmd) { return count(scsi_cmd_result(cmd)); }
SEC("raw_tp/scsi_dispatch_cmd_done")
int BPF_PROG(cmd_done_raw, void *cmd) { return count(scsi_cmd_result(cmd)); }
SEC("tp_btf/scsi_dispatch_cmd_done")
int BPF_PROG(cmd_done_btf, void *cmd) { return count(scsi_cmd_result(cmd)); }
/* The record's result field at the offset of the tracepoint's tracefs format, set by user
 * space: CO-RE cannot place it where the kernel has no BTF for the module's record (5.10). */
const volatile int tp_result_offset = -1;

SEC("tracepoint/scsi/scsi_dispatch_cmd_done")
int cmd_done_tp(void *ctx)
{
	int off = tp_result_offset, result;

	if (off < 0 || off > 512 || bpf_probe_read_kernel(&result, sizeof(result), (char *)ctx + off))
		return 0;
	return count(result);
}
/* Optional: kernels before 6.3 (but Debian's 6.1) have no scsi_done_direct. */
SEC("kprobe/scsi_done_direct")
int BPF_KPROBE(cmd_done_direct_kprobe, void *cmd) { return count(scsi_cmd_result(cmd)); }
