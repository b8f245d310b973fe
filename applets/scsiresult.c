/* scsiresult: SCSI command completions counted by result (host byte, status byte), as the book's
 * scsiresult.bt (BPF Performance Tools, ch. 9), printed as a table at Ctrl-C or per interval. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/output.h"
#include "core/probe/probe.h"
#include "core/run.h"
#include "core/table.h"
#include "scsiresult.skel.h"
#include "scsiresult.h"

BCCT_SKELETON(scsiresult_bpf);

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_JSON,       /* no task filters: completions run in interrupt context */
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

/* Host bytes of include/scsi/scsi_status.h (scsi.h before 5.14). */
static const char *const host_names[] = {
	"DID_OK", "DID_NO_CONNECT", "DID_BUS_BUSY", "DID_TIME_OUT", "DID_BAD_TARGET",
	"DID_ABORT", "DID_PARITY", "DID_ERROR", "DID_RESET", "DID_BAD_INTR", "DID_PASSTHROUGH",
	"DID_SOFT_ERROR", "DID_IMM_RETRY", "DID_REQUEUE", "DID_TRANSPORT_DISRUPTED",
	"DID_TRANSPORT_FAILFAST", "DID_TARGET_FAILURE", "DID_NEXUS_FAILURE", "DID_ALLOC_FAILURE",
	"DID_MEDIUM_ERROR", "DID_TRANSPORT_MARGINAL",
};

/* SAM status codes of include/scsi/scsi_proto.h. */
static const char *const status_names[256] = {
	[0x00] = "SAM_STAT_GOOD",                  [0x02] = "SAM_STAT_CHECK_CONDITION",
	[0x04] = "SAM_STAT_CONDITION_MET",         [0x08] = "SAM_STAT_BUSY",
	[0x10] = "SAM_STAT_INTERMEDIATE",          [0x14] = "SAM_STAT_INTERMEDIATE_CONDITION_MET",
	[0x18] = "SAM_STAT_RESERVATION_CONFLICT",  [0x22] = "SAM_STAT_COMMAND_TERMINATED",
	[0x28] = "SAM_STAT_TASK_SET_FULL",         [0x30] = "SAM_STAT_ACA_ACTIVE",
	[0x40] = "SAM_STAT_TASK_ABORTED",
};

/* A code's name, or its number in hex where the table has none. */
static const char *code_name(const char *const *names, size_t n, unsigned int code, char *buf,
			     size_t len)
{
	if (code < n && names[code])
		return names[code];
	snprintf(buf, len, "0x%02x", code);
	return buf;
}

static void row(const void *key, unsigned long long count)
{
	const struct scsiresult_key *k = key;
	char host[8], status[8];

	out_begin();
	out_str("host", "%-24s", code_name(host_names, sizeof(host_names) / sizeof(host_names[0]),
					   k->host_byte, host, sizeof(host)));
	out_str("status", "%-36s", code_name(status_names, 256, k->status_byte, status,
					     sizeof(status)));
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *ctx, bool final)
{
	struct scsiresult_bpf *skel = ctx;

	(void)final;
	out_interval_begin();
	out_header("%-24s %-36s %8s", "HOST", "STATUS", "COUNT");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *skel)
{
	struct scsiresult_bpf *s = skel;

	s->rodata->tp_result_offset = tp_field_offset("scsi", "scsi_dispatch_cmd_done", "result");
	return 0;
}

static int run(void)
{
	if (!blk_need_device_class("scsi_device", "SCSI"))
		return BCCT_EXIT_FAIL;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing scsi command results. Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(scsiresult,
	.category = "block I/O",
	.summary = "Count SCSI command results by host byte and status",
	.description =
	"Every SCSI command completion (scsi:scsi_dispatch_cmd_done, or a kprobe on scsi_done\n"
	"where it fires) counted by the host byte\n"
	"(DID_OK, DID_TIME_OUT, ...) and the SAM status (SAM_STAT_GOOD, SAM_STAT_CHECK_CONDITION,\n"
	"...) of its result, as the book's scsiresult.bt; printed at Ctrl-C or every interval.\n"
	"Without a SCSI device it refuses in one line.",
	.examples =
	"    scsiresult           # count SCSI command results until Ctrl-C\n"
	"    scsiresult 5         # print 5 second summaries\n",
	.opts = opts,
	.optional_probes = BCCT_NAMES("cmd_done_direct"),
	.skeleton = &scsiresult_bpf__skeleton,
	.run = run);
