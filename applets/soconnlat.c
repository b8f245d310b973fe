/* soconnlat (BPF Performance Tools, ch. 10): IP connect() latency histograms by the user stack
 * that connected and the process, as the book's soconnlat.bt, non-blocking connects timed to
 * the poll/epoll/select that reported them ready. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "soconnlat.h"
#include "soconnlat.skel.h"

BCCT_SKELETON(soconnlat_bpf);

static struct {
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_STACK_OPTS,
	STD_FILTERS,
	OPT_END_,
};

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct soconnlat_key key;
	struct bcct_hist hist;
};

static int by_key(const void *a, const void *b)
{
	const struct soconnlat_key *x = a, *y = b;
	int c = strncmp(x->comm, y->comm, sizeof(x->comm));

	if (c)
		return c;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->user_stack_id - y->user_stack_id;
}

/* The stack's frames innermost first, "comm [pid]", the histogram, a blank line; JSON: one
 * element of "hists" with the frames as user_stack. */
static void print_one(const struct row *r)
{
	const char *const *frames = NULL;
	char comm[sizeof(r->key.comm) + 1];
	uint64_t slots[BCCT_MAX_SLOTS];
	int n;

	snprintf(comm, sizeof(comm), "%s", r->key.comm);
	hist_widen(slots, r->hist.slots, BCCT_MAX_SLOTS);
	n = bcct_stack_frames(o.stacks, r->key.user_stack_id, true, r->key.pid, NULL, &frames);
	if (env.json) {
		out_list("hists");
		json_begin_object(NULL);
		json_str("comm", comm);
		json_int("pid", r->key.pid);
		json_str_array("user_stack", frames, n > 0 ? n : 0);
		hist_json_log2(slots, BCCT_MAX_SLOTS, "usecs");
		json_end_object();
		return;
	}
	for (int i = 0; i < n; i++)
		printf("    %s\n", frames[i]);
	if (n <= 0)
		printf("    [Missed User Stack]\n");
	printf("    %s [%u]\n", comm, r->key.pid);
	hist_print_log2(stdout, slots, BCCT_MAX_SLOTS, "usecs");
	printf("\n");
}

static int print(void *ctx, bool final)
{
	struct soconnlat_bpf *skel = ctx;
	struct bcct_entries e;

	out_interval_begin();
	if (bcct_map_collect(skel->maps.hists, &e) < 0)
		return BCCT_EXIT_FAIL;
	bcct_entries_sort(&e, by_key);
	out_list("hists");
	for (size_t i = 0; i < e.n; i++)
		print_one(bcct_entry_key(&e, i));
	bcct_entries_free(&e);
	return bcct_map_clear(skel->maps.hists) ? BCCT_EXIT_FAIL : 0;
}

static int configure(void *p)
{
	struct soconnlat_bpf *skel = p;

	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){ .user = true });
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing IP connect() latency with ustacks. Ctrl-C to end.",
		.on_interval = print,
	});

	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(soconnlat,
	.category = "network",
	.summary = "IP connect() latency by user stack and process (book)",
	.description =
	"Each IPv4 or IPv6 connect(2), timed from its entry to its return, or, when it returns\n"
	"EINPROGRESS (non-blocking), to the return of the thread's next poll, ppoll, epoll_wait,\n"
	"epoll_pwait(2), select or pselect6 that reports a ready descriptor; a log2 histogram in\n"
	"microseconds per user stack (taken at the connect) and process. The syscalls, as the\n"
	"book's soconnlat.bt.",
	.examples =
	"    soconnlat          # connect latency by user stack until Ctrl-C\n"
	"    soconnlat 5 1      # one 5-second summary\n"
	"    soconnlat -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &soconnlat_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_exit__epoll_pwait2", "sys_exit__poll", "sys_exit__select",
				      "sys_exit__epoll_wait"),
	.run = run);
