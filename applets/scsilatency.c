/* scsilatency: SCSI command latency, a histogram per operation code, as the book's scsilatency.bt
 * (BPF Performance Tools, ch. 9). */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "scsilatency.skel.h"
#include "scsilatency.h"

BCCT_SKELETON(scsilatency_bpf);

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_JSON,       /* no task filters: the completing task is not the I/O's owner */
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

/* Operation codes of include/scsi/scsi_proto.h: the book's list and the commands disks commonly
 * see; others print as their number. */
static const char *const opcode_names[256] = {
	[0x00] = "TEST_UNIT_READY",   [0x03] = "REQUEST_SENSE",    [0x08] = "READ_6",
	[0x0a] = "WRITE_6",           [0x0b] = "SEEK_6",           [0x12] = "INQUIRY",
	[0x15] = "MODE_SELECT",       [0x19] = "ERASE",            [0x1a] = "MODE_SENSE",
	[0x1b] = "START_STOP",        [0x1e] = "ALLOW_MEDIUM_REMOVAL",
	[0x25] = "READ_CAPACITY",     [0x28] = "READ_10",          [0x2a] = "WRITE_10",
	[0x2b] = "SEEK_10",           [0x2f] = "VERIFY",           [0x35] = "SYNCHRONIZE_CACHE",
	[0x41] = "WRITE_SAME",        [0x42] = "UNMAP",            [0x4d] = "LOG_SENSE",
	[0x5a] = "MODE_SENSE_10",     [0x85] = "ATA_16",           [0x88] = "READ_16",
	[0x8a] = "WRITE_16",          [0x8f] = "VERIFY_16",        [0x91] = "SYNCHRONIZE_CACHE_16",
	[0x93] = "WRITE_SAME_16",     [0x9e] = "SERVICE_ACTION_IN_16",
	[0xa0] = "REPORT_LUNS",       [0xa1] = "ATA_12",           [0xa3] = "MAINTENANCE_IN",
	[0xa8] = "READ_12",           [0xaa] = "WRITE_12",
};

static void opcode_label(const void *key, char *buf, size_t len)
{
	const struct scsilatency_key *k = key;
	const char *name = opcode_names[k->opcode & 0xff];

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%02x", k->opcode & 0xff);
}

static int print(void *ctx, bool final)
{
	struct scsilatency_bpf *skel = ctx;

	(void)final;
	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs",
		.section = "opcode",
		.label = opcode_label,
		.clear = true,
	});
}

static int run(void)
{
	if (!blk_need_device_class("scsi_device", "SCSI"))
		return BCCT_EXIT_FAIL;
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing scsi latency. Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(scsilatency,
	.category = "block I/O",
	.summary = "Summarize SCSI command latency as a histogram per operation code",
	.description =
	"Time from the mapping of a SCSI command's data (kprobe scsi_init_io, scsi_alloc_sgtables\n"
	"from 5.13) or its dispatch to the host driver (scsi:scsi_dispatch_cmd_start) to its\n"
	"completion (kprobe scsi_done, scsi_mq_done before 5.16, or scsi:scsi_dispatch_cmd_done),\n"
	"per operation code (READ_10, WRITE_10, ...): the book's scsilatency.bt. Without a SCSI\n"
	"device it refuses in one line.",
	.examples =
	"    scsilatency          # trace SCSI command latency until Ctrl-C\n"
	"    scsilatency 1 10     # print 1 second summaries, 10 times\n",
	.fallback = "scsi:scsi_dispatch_cmd_start instead of scsi_init_io starts the clock at the "
		    "dispatch to the host driver, after the command's buffers were mapped",
	.opts = opts,
	.optional_probes = BCCT_NAMES("cmd_done_direct"),
	.skeleton = &scsilatency_bpf__skeleton,
	.run = run);
