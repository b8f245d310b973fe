/* shellsnoop: mirror the output of a shell and of everything it runs, as the book's
 * shellsnoop.bt (BPF Performance Tools, ch. 11). */
#include <signal.h>
#include <errno.h>
#include "core/applet.h"
#include "core/family/tty.h"
#include "core/output.h"
#include "core/run.h"
#include "shellsnoop.skel.h"
#include "mirror.h"

BCCT_SKELETON(shellsnoop_bpf);

static struct {
	long pid;
	long datasize;
	long datacount;
} o = { .datasize = 256, .datacount = 16 };

static const struct bcct_opt opts[] = {
	OPT_INT_('s', "datasize", &o.datasize, "DATASIZE",
		 "bytes of a write per event (default 256)", 1, MIRROR_MAX_SIZE),
	OPT_INT_('c', "datacount", &o.datacount, "DATACOUNT",
		 "events per write at most (default 16)", 1, MIRROR_MAX_COUNT),
	STD_JSON,
	STD_VERBOSE,
	POS_INT_("PID", &o.pid, "the shell's PID", 1, INT_MAX),
	OPT_END_,
};

static int configure(void *p)
{
	struct shellsnoop_bpf *skel = p;

	skel->rodata->shell_pid = o.pid;
	skel->rodata->data_size = o.datasize;
	skel->rodata->data_count = o.datacount;
	return 0;
}

static int run(void)
{
	if (!o.pid) {
		bcct_usage_err("the following arguments are required: PID");
		return BCCT_EXIT_USAGE;
	}
	if (kill(o.pid, 0) && errno == ESRCH) {
		bcct_err("no process %ld", o.pid);
		return BCCT_EXIT_FAIL;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_event = tty_mirror_event,
	});
}

BCCT_APPLET(shellsnoop,
	.category = "security",
	.summary = "Mirror the output of a shell and the commands it runs",
	.description =
	"What process PID and every process started from it (after shellsnoop starts) write to\n"
	"their standard output and error (write(2), writev(2) to fd 1 or 2), as it is written:\n"
	"the book's shellsnoop.bt. -s bytes per event, at most -c events per write.",
	.examples =
	"    shellsnoop $$         # mirror this shell's output\n"
	"    shellsnoop 1          # mirror the output of PID 1 and the processes it starts\n",
	.opts = opts,
	.skeleton = &shellsnoop_bpf__skeleton,
	.run = run);
