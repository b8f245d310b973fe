/* nvmelatency: NVMe command latency, a histogram per disk and I/O opcode, as the book's
 * nvmelatency.bt (BPF Performance Tools, ch. 9). */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "nvmelatency.skel.h"
#include "nvmelatency.h"

BCCT_SKELETON(nvmelatency_bpf);

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_JSON,       /* no task filters: completions run in interrupt context */
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

/* I/O command opcodes of include/linux/nvme.h (enum nvme_opcode); others print as their number. */
static const char *const opcode_names[256] = {
	[0x00] = "nvme_cmd_flush",          [0x01] = "nvme_cmd_write",
	[0x02] = "nvme_cmd_read",           [0x04] = "nvme_cmd_write_uncor",
	[0x05] = "nvme_cmd_compare",        [0x08] = "nvme_cmd_write_zeroes",
	[0x09] = "nvme_cmd_dsm",            [0x0c] = "nvme_cmd_verify",
	[0x0d] = "nvme_cmd_resv_register",  [0x0e] = "nvme_cmd_resv_report",
	[0x11] = "nvme_cmd_resv_acquire",   [0x15] = "nvme_cmd_resv_release",
	[0x19] = "nvme_cmd_copy",           [0x79] = "nvme_cmd_zone_mgmt_send",
	[0x7a] = "nvme_cmd_zone_mgmt_recv", [0x7d] = "nvme_cmd_zone_append",
};

static const char *opcode_name(unsigned int opcode, char *buf, size_t len)
{
	if (opcode < 256 && opcode_names[opcode])
		return opcode_names[opcode];
	if (opcode == NVMELATENCY_OPCODE_UNKNOWN)
		return "?";
	snprintf(buf, len, "0x%02x", opcode);
	return buf;
}

static void key_label(const void *key, char *buf, size_t len)
{
	const struct nvmelatency_key *k = key;
	char op[8];

	snprintf(buf, len, "%.*s, %s", (int)sizeof(k->disk), k->disk,
		 opcode_name(k->opcode, op, sizeof(op)));
}

static void key_json(const void *key, const char *key_name)
{
	const struct nvmelatency_key *k = key;
	char disk[sizeof(k->disk) + 1], op[8];

	(void)key_name;
	snprintf(disk, sizeof(disk), "%.*s", (int)sizeof(k->disk), k->disk);
	json_str("disk", disk);
	json_str("opcode", opcode_name(k->opcode, op, sizeof(op)));
}

static int print(void *ctx, bool final)
{
	struct nvmelatency_bpf *skel = ctx;
	unsigned long long admin = 0;
	unsigned int zero = 0;
	int err;

	(void)final;
	out_interval_begin();
	err = hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs",
		.section = "disk, opcode",
		.label = key_label,
		.json_label = key_json,
		.clear = true,
	});
	if (err)
		return err;
	/* The book counts admin commands (no disk) apart from the I/O histograms. */
	if (bpf_map__lookup_elem(skel->maps.admin_commands, &zero, sizeof(zero), &admin,
				 sizeof(admin), 0))
		return -1;
	out_begin_members();
	out_uint("admin_commands", "\nadmin commands: %llu", admin);
	out_end();
	admin = 0;
	return bpf_map__update_elem(skel->maps.admin_commands, &zero, sizeof(zero), &admin,
				    sizeof(admin), 0);
}

static int run(void)
{
	if (!blk_need_device_class("nvme", "NVMe"))
		return BCCT_EXIT_FAIL;
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing nvme command latency. Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(nvmelatency,
	.category = "block I/O",
	.summary = "Summarize NVMe command latency as a histogram per disk and opcode",
	.description =
	"Time from nvme_setup_cmd to nvme_complete_rq, per disk and I/O command (nvme_cmd_read,\n"
	"nvme_cmd_write, ...): the book's nvmelatency.bt. Admin commands (no disk) are counted.\n"
	"Kprobes as the book (and nvme_complete_batch_req, where batched completions end from\n"
	"5.16), else the nvme:nvme_setup_cmd and nvme:nvme_complete_rq tracepoints.\n"
	"Without an NVMe device it refuses in one line.",
	.examples =
	"    nvmelatency          # trace NVMe command latency until Ctrl-C\n"
	"    nvmelatency 1 10     # print 1 second summaries, 10 times\n",
	.fallback = "the nvme tracepoints fire at the end of the command's setup, after it was "
		    "written, rather than at its start",
	.opts = opts,
	.optional_probes = BCCT_NAMES("complete_batch"),
	.skeleton = &nvmelatency_bpf__skeleton,
	.run = run);
