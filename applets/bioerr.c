/* bioerr: block I/O errors, one line each, as the book's bioerr.bt (BPF Performance Tools,
 * ch. 9): the device, sector, bytes, the rwbs flags and the error. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/output.h"
#include "core/run.h"
#include "bioerr.skel.h"
#include "bioerr.h"

BCCT_SKELETON(bioerr_bpf);

static struct {
	const char *disk;
	unsigned int dev;
} o;

static const struct bcct_opt opts[] = {
	OPT_STR_('d', "disk", &o.disk, "DISK", "trace this disk only"),
	STD_JSON,       /* no task filters: a completion's current task is whoever was running */
	STD_VERBOSE,
	OPT_END_,
};

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct bioerr_event *e = data;
	char rwbs[sizeof(e->rwbs) + 1], disk[64], text[160];

	(void)ctx;
	(void)size;
	snprintf(rwbs, sizeof(rwbs), "%.*s", (int)sizeof(e->rwbs), e->rwbs);
	out_event_time(e->ts);
	out_begin();
	if (env.json) {
		json_str("disk", blk_devt_name(e->dev, disk, sizeof(disk), "?"));
		json_int("major", BLK_DEVT_MAJOR(e->dev));
		json_int("minor", BLK_DEVT_MINOR(e->dev));
		json_uint("sector", e->sector);
		json_uint("bytes", (unsigned long long)e->nr_sector * 512);
		json_str("flags", rwbs);
		json_int("error", e->error);
	} else {
		/* bioerr.bt: time("%H:%M:%S ") then one printf */
		snprintf(text, sizeof(text), "device: %u,%u, sector: %llu, bytes: %llu, flags: %s, error: %d",
			 BLK_DEVT_MAJOR(e->dev), BLK_DEVT_MINOR(e->dev), e->sector,
			 (unsigned long long)e->nr_sector * 512, rwbs, e->error);
		out_time("time");
		out_str("text", "%s", text);
	}
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct bioerr_bpf *skel = p;

	skel->rodata->filter_dev = o.disk != NULL;
	skel->rodata->targ_dev = o.dev;
	return 0;
}

static int run(void)
{
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing block I/O errors. Hit Ctrl-C to end.",
		.on_event = on_event,
	});
}

BCCT_APPLET(bioerr,
	.category = "block I/O",
	.summary = "Trace block I/O errors with device and request details",
	.description =
	"One line per block request completing with an error (block:block_rq_complete), as the\n"
	"book's bioerr.bt: device major,minor, sector, bytes, the rwbs flags and the -errno.",
	.examples =
	"    bioerr             # trace block I/O errors\n"
	"    bioerr -d loop0    # errors of loop0 only\n",
	.opts = opts,
	.skeleton = &bioerr_bpf__skeleton,
	.run = run);
