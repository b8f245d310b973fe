/* ttysnoop: mirror what is written to a tty or pts, as BCC's ttysnoop (device, -C, -s, -c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "core/applet.h"
#include "core/btf.h"
#include "core/family/tty.h"
#include "core/output.h"
#include "core/run.h"
#include "ttysnoop.skel.h"
#include "mirror.h"

BCCT_SKELETON(ttysnoop_bpf);

static struct {
	bool noclear;
	long datasize;
	long datacount;
	const char *device;
	unsigned int rdev;      /* the device's kernel dev_t */
} o = { .datasize = 256, .datacount = 16 };

static const struct bcct_opt opts[] = {
	OPT_FLAG_('C', "noclear", &o.noclear, "don't clear the screen"),
	OPT_INT_('s', "datasize", &o.datasize, "DATASIZE",
		 "size of the transmitting buffer (default 256)", 1, MIRROR_MAX_SIZE),
	OPT_INT_('c', "datacount", &o.datacount, "DATACOUNT",
		 "number of times we check for 'data-size' data (default 16)", 1, MIRROR_MAX_COUNT),
	STD_FILTERS,
	POS_STR_("device", &o.device, "path to a tty device (eg, /dev/tty0) or pts number"),
	OPT_END_,
};

static void start(void *ctx)
{
	(void)ctx;
	/* BCC runs clear(1) unless -C; its escapes are only meant for a terminal. */
	if (!o.noclear && !env.json && isatty(fileno(stdout)))
		out_text("\033[H\033[2J");
}

static int configure(void *p)
{
	struct ttysnoop_bpf *skel = p;

	skel->rodata->target_rdev = o.rdev;
	skel->rodata->data_size = o.datasize;
	skel->rodata->data_count = o.datacount;
	/* tty_write(iocb, from) since 5.11; (file, buf, count, ppos) before. */
	skel->rodata->tty_write_iter = bcct_btf_func_args("tty_write") != 4;
	return 0;
}

static int run(void)
{
	char path[4096];
	struct stat st;

	if (!o.device) {
		bcct_usage_err("the following arguments are required: device");
		return BCCT_EXIT_USAGE;
	}
	/* BCC: a device not starting with '/' is a pts number. */
	snprintf(path, sizeof(path), "%s%s", o.device[0] == '/' ? "" : "/dev/pts/", o.device);
	if (stat(path, &st)) {
		bcct_err("Unable to read device %s: %s", path, strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	if (!S_ISCHR(st.st_mode)) {
		bcct_err("%s is not a tty device", path);
		return BCCT_EXIT_FAIL;
	}
	o.rdev = major(st.st_rdev) << 20 | minor(st.st_rdev);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = start,
		.on_event = tty_mirror_event,
	});
}

BCCT_APPLET(ttysnoop,
	.category = "other",
	.summary = "Snoop output from a pts or tty device, eg, a shell",
	.description =
	"Mirrors the text written to one tty: at tty_write() (fentry, else a kprobe), the device\n"
	"matched by its device number. -s bytes per event, at most -c events per write.",
	.examples =
	"    ttysnoop /dev/pts/2          # snoop output from /dev/pts/2\n"
	"    ttysnoop 2                   # snoop output from /dev/pts/2 (shortcut)\n"
	"    ttysnoop /dev/console        # snoop output from the system console\n"
	"    ttysnoop /dev/tty0           # snoop output from /dev/tty0\n"
	"    ttysnoop /dev/pts/2 -s 1024  # snoop output from /dev/pts/2 with data size 1024\n"
	"    ttysnoop /dev/pts/2 -c 2     # snoop output from /dev/pts/2 with 2 checks for 256 bytes of data in buffer\n"
	"                                   (potentially retrieving 512 bytes)\n",
	.opts = opts,
	.skeleton = &ttysnoop_bpf__skeleton,
	.fallback = "write(2) and writev(2) at raw_syscalls:sys_enter on an fd of that tty: the kernel's "
		    "own writes to it (echo of typed input) and io_uring/splice writes not seen",
	.run = run);
