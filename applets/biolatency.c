/* biolatency: summarize block device I/O latency as a histogram. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "biolatency.skel.h"
#include "biolatency.h"

BCCT_SKELETON(biolatency_bpf);

static struct {
	bool queued, ms, disks, flags, extension, bcc_json;
	const char *disk;
	unsigned int dev;     /* -d as a dev_t */
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('Q', "queued", &o.queued, "include OS queued time in I/O time"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "millisecond histogram"),
	OPT_FLAG_('D', "disks", &o.disks, "print a histogram per disk device"),
	OPT_FLAG_('F', "flags", &o.flags, "print a histogram per set of I/O flags"),
	OPT_FLAG_('e', "extension", &o.extension, "summarize average/total value"),
	OPT_STR_('d', "disk", &o.disk, "DISK", "trace this disk only"),
	/* -j is BCC's dictionary (as valid JSON); --json is bcct's contract (docs/JSON.md) */
	OPT_FLAG_('j', NULL, &o.bcc_json, "json output (BCC's layout, one histogram a line)"),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

/* ---- sections --------------------------------------------------------------------------- */

static void disk_label(const void *key, char *buf, size_t len)
{
	const struct biolatency_key *k = key;

	if (k->disk[0])
		snprintf(buf, len, "%.*s", (int)sizeof(k->disk), k->disk);
	else
		blk_devt_name(k->dev, buf, len, "?");   /* BCC's biolatency for a gone disk */
}

/* BCC's flags_print: the operation, prefixed by "Sync-", "Metadata-", ... per flag. */
static void flags_label(const void *key, char *buf, size_t len)
{
	static const char *const ops[] = {
		[0] = "Read", [1] = "Write", [2] = "Flush", [3] = "Discard", [5] = "SecureErase",
		[6] = "ZoneReset", [7] = "WriteSame", [9] = "WriteZeros",
	};
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ 1u << 11, "Sync-" }, { 1u << 12, "Metadata-" }, { 1u << 17, "ForcedUnitAccess-" },
		{ 1u << 13, "Priority-" }, { 1u << 14, "NoMerge-" }, { 1u << 15, "Idle-" },
		{ 1u << 19, "ReadAhead-" }, { 1u << 20, "Background-" }, { 1u << 21, "NoWait-" },
	};
	unsigned int flags = ((const struct biolatency_key *)key)->flags, op = flags & 0xff;
	char tmp[256];
	bool known = op < sizeof(ops) / sizeof(ops[0]) && ops[op];

	snprintf(buf, len, "%s", known ? ops[op] : "Unknown");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit) {
			snprintf(tmp, sizeof(tmp), "%s%s", names[i].name, buf);
			snprintf(buf, len, "%s", tmp);
		}
}

static int key_cmp(const void *a, const void *b)
{
	const struct biolatency_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->flags < y->flags ? -1 : x->flags > y->flags;
}

static int print(void *ctx, bool final)
{
	struct biolatency_bpf *skel = ctx;
	const char *unit = o.ms ? "msecs" : "usecs";
	int err;

	if (!o.bcc_json)                /* BCC's -j prints a blank line too: not JSON */
		out_interval_begin();
	err = hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = unit,
		.section = o.disks ? "disk" : o.flags ? "flags" : NULL,
		.label = o.disks ? disk_label : o.flags ? flags_label : NULL,
		.cmp = key_cmp,
		.clear = true,
		.bcc_json = o.bcc_json,
	});
	if (o.extension && !o.bcc_json)   /* BCC's -j has no summary */
		hist_print_ext(skel->maps.ext, unit);
	return err;
}

static int configure(void *p)
{
	struct biolatency_bpf *skel = p;

	skel->rodata->targ_queued = o.queued;
	skel->rodata->targ_ms = o.ms;
	skel->rodata->per_disk = o.disks;
	skel->rodata->per_flag = o.flags;
	BLK_RQ_CONFIGURE(skel->rodata, o.disk, o.dev);
	/* One histogram (a zero key) unless -D or -F split it. */
	return o.disks || o.flags ? 0 : bcct_map_resize(skel, "hists", 1);
}

static int run(void)
{
	if (o.disks && o.flags) {
		bcct_usage_err("can only use -D or -F");
		return BCCT_EXIT_USAGE;
	}
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	if (o.bcc_json)
		env.json = false;       /* stdout has BCC's layout only */
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.bcc_json ? NULL : "Tracing block device I/O... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(biolatency,
	.category = "block I/O",
	.summary = "Summarize block device I/O latency as a histogram",
	.examples =
	"    biolatency                    # summarize block I/O latency as a histogram\n"
	"    biolatency 1 10               # print 1 second summaries, 10 times\n"
	"    biolatency -mT 1              # 1s summaries, milliseconds, and timestamps\n"
	"    biolatency -Q                 # include OS queued time in I/O time\n"
	"    biolatency -D                 # show each disk device separately\n"
	"    biolatency -F                 # show I/O flags separately\n"
	"    biolatency -j                 # print a dictionary\n"
	"    biolatency -e                 # show extension summary(total, average)\n"
	"    biolatency -d sdc             # Trace sdc only\n",
	.opts = opts,
	.skeleton = &biolatency_bpf__skeleton,
	.run = run);
