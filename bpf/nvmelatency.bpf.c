/* nvmelatency: NVMe I/O command latency, a log2 histogram of microseconds per disk and opcode, as
 * the book's nvmelatency.bt (BPF Performance Tools, ch. 9), from nvme_setup_cmd to
 * nvme_complete_rq: kprobes as the book, else the nvme:nvme_setup_cmd and nvme:nvme_complete_rq
 * tracepoints, which fire at the end of the one and the start of the other. Admin commands
 * (no disk) are only counted, as the book does. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "nvmelatency.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct nvmelatency_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* Admin commands completed: one u64 at index 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} admin_commands SEC(".maps");

struct inflight {
	u64 ts;
	u32 opcode;             /* NVMELATENCY_OPCODE_UNKNOWN until seen */
};

/* Commands in flight: by struct request (kprobes, raw_tp, tp_btf), or by controller, queue and
 * command id (the classic tracepoints, whose records name no request). Requests are
 * preallocated per tag and reused, so a lost completion leaves one entry that is overwritten. */
struct inflight_key {
	u64 id;                 /* struct request *, or ctrl_id << 32 | qid */
	u64 cid;                /* 0, or the command id */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct inflight_key);
	__type(value, struct inflight);
} start SEC(".maps");

/* The classic tracepoints' records: the fields read here, at the running kernel's offsets. */
struct trace_event_raw_nvme_setup_cmd___bcct {
	char disk[32];
	int ctrl_id;
	int qid;
	u8 opcode;
	u16 cid;
} __attribute__((preserve_access_index));

struct trace_event_raw_nvme_complete_rq___bcct {
	char disk[32];
	int ctrl_id;
	int qid;
	int cid;
} __attribute__((preserve_access_index));

static __always_inline void setup(struct inflight_key *k, u32 opcode)
{
	struct inflight v = { .ts = bpf_ktime_get_ns(), .opcode = opcode };

	bpf_map_update_elem(&start, k, &v, BPF_ANY);
}

static __always_inline void admin_done(void)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&admin_commands, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* The NVMe opcode nvme_setup_cmd gives a block layer operation (REQ_OP_* in the request's
 * cmd_flags, the low 8 bits): flush, write, read, write zeroes, discard (dsm). Others
 * (passthrough) stay unknown. */
static __always_inline u32 req_op_nvme_opcode(struct request *rq)
{
	switch (BPF_CORE_READ(rq, cmd_flags) & 0xff) {
	case 0: return 0x02;    /* REQ_OP_READ: nvme_cmd_read */
	case 1: return 0x01;    /* REQ_OP_WRITE: nvme_cmd_write */
	case 2: return 0x00;    /* REQ_OP_FLUSH: nvme_cmd_flush */
	case 3: return 0x09;    /* REQ_OP_DISCARD: nvme_cmd_dsm */
	case 9: return 0x08;    /* REQ_OP_WRITE_ZEROES: nvme_cmd_write_zeroes */
	default: return NVMELATENCY_OPCODE_UNKNOWN;
	}
}

/* The opcode of a request's command when its setup was seen before the command was written
 * (kprobe at entry): the driver's struct nvme_request follows struct request (blk_mq_rq_to_pdu)
 * and begins with a pointer to the command (from 5.13 in the request's own storage), whose
 * first byte is the opcode. Before 5.13 nvme-pci built the command on nvme_queue_rq's stack
 * and left that pointer NULL: the opcode then comes from the request's operation, as
 * nvme_setup_cmd chose it. */
static __always_inline u32 rq_nvme_opcode(struct request *rq)
{
	void *pdu = (void *)rq + bpf_core_type_size(struct request);
	void *cmd = NULL;
	u8 op;

	if (bpf_probe_read_kernel(&cmd, sizeof(cmd), pdu) || !cmd ||
	    bpf_probe_read_kernel(&op, sizeof(op), cmd))
		return req_op_nvme_opcode(rq);
	return op;
}

static __always_inline void done(struct inflight_key *k, const char *disk, bool from_rq,
				 struct request *rq)
{
	struct inflight *v = bpf_map_lookup_elem(&start, k);
	struct nvmelatency_key hk = {};

	if (!v)
		return;
	hk.opcode = v->opcode;
	if (hk.opcode == NVMELATENCY_OPCODE_UNKNOWN && from_rq)
		hk.opcode = rq_nvme_opcode(rq);
	if (from_rq) {
		struct gendisk *gd = rq_disk(rq);

		if (gd)
			BPF_CORE_READ_STR_INTO(&hk.disk, gd, disk_name);
	} else {
		bpf_probe_read_kernel_str(hk.disk, sizeof(hk.disk), disk);
	}
	if (hk.disk[0])
		bcct_hist_add_log2(&hists, &hk, (bpf_ktime_get_ns() - v->ts) / 1000);
	else
		admin_done();
	bpf_map_delete_elem(&start, k);
}

static __always_inline int setup_rq(struct request *rq, void *cmd)
{
	struct inflight_key k = { .id = (u64)rq };
	u8 op;

	if (!cmd || bpf_probe_read_kernel(&op, sizeof(op), cmd))
		setup(&k, NVMELATENCY_OPCODE_UNKNOWN);
	else
		setup(&k, op);
	return 0;
}

static __always_inline int done_rq(struct request *rq)
{
	struct inflight_key k = { .id = (u64)rq };

	done(&k, NULL, true, rq);
	return 0;
}

SEC("kprobe/nvme_setup_cmd")
int BPF_KPROBE(setup_cmd_kprobe, void *ns, struct request *rq) { return setup_rq(rq, NULL); }
SEC("raw_tp/nvme_setup_cmd")
int BPF_PROG(setup_cmd_raw, struct request *rq, void *cmd) { return setup_rq(rq, cmd); }
SEC("tp_btf/nvme_setup_cmd")
int BPF_PROG(setup_cmd_btf, struct request *rq, void *cmd) { return setup_rq(rq, cmd); }
SEC("tracepoint/nvme/nvme_setup_cmd")
int setup_cmd_tp(struct trace_event_raw_nvme_setup_cmd___bcct *ctx)
{
	struct inflight_key k = {
		.id = (u64)(u32)BPF_CORE_READ(ctx, ctrl_id) << 32 | (u32)BPF_CORE_READ(ctx, qid),
		.cid = BPF_CORE_READ(ctx, cid),
	};

	setup(&k, BPF_CORE_READ(ctx, opcode));
	return 0;
}

SEC("kprobe/nvme_complete_rq")
int BPF_KPROBE(complete_rq_kprobe, struct request *rq) { return done_rq(rq); }
/* From 5.16 requests completed in a batch (nvme-pci's interrupt path) end in
 * nvme_complete_batch_req, not nvme_complete_rq: the tracepoint fires in both, a kprobe needs
 * both. Optional: older kernels have no batches. */
SEC("kprobe/nvme_complete_batch_req")
int BPF_KPROBE(complete_batch_kprobe, struct request *rq) { return done_rq(rq); }
SEC("raw_tp/nvme_complete_rq")
int BPF_PROG(complete_rq_raw, struct request *rq) { return done_rq(rq); }
SEC("tp_btf/nvme_complete_rq")
int BPF_PROG(complete_rq_btf, struct request *rq) { return done_rq(rq); }
SEC("tracepoint/nvme/nvme_complete_rq")
int complete_rq_tp(struct trace_event_raw_nvme_complete_rq___bcct *ctx)
{
	struct inflight_key k = {
		.id = (u64)(u32)BPF_CORE_READ(ctx, ctrl_id) << 32 | (u32)BPF_CORE_READ(ctx, qid),
		.cid = (u16)BPF_CORE_READ(ctx, cid),
	};

	done(&k, ctx->disk, false, NULL);
	return 0;
}
