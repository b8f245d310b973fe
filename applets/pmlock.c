/* pmlock and pmheld (BPF Performance Tools, ch. 13): pthread mutex lock wait times (pmlock) or
 * hold times (pmheld = pmlock --held) of one process, in nanoseconds: a histogram per mutex
 * (named by its variable when it is a global or static one), user stack and thread name. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/pmutex.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "pmlock.h"
#include "pmlock.skel.h"

BCCT_SKELETON(pmlock_bpf);

static struct {
	bool held;
	const char *binary;
	struct pmlock_bpf *skel;
	struct bcct_stacks *stacks;
} o;

/* pmheld has these without --held, which it presets. */
#define PMLOCK_COMMON_OPTS \
	POS_INT_("PID", OPT_DEST(env, pid), "process to trace", 1, INT_MAX), \
	STD_INTERVAL, \
	STD_COUNT, \
	OPT_STR_(0, "binary", &o.binary, "BINARY", "the file with the pthread functions (default: " \
		 "the executable if it has them, else its C library)"), \
	STD_FILTERS

static const struct bcct_opt opts[] = {
	PMLOCK_COMMON_OPTS,
	OPT_FLAG_(0, "held", &o.held, "hold times (lock or trylock to unlock, stack at the unlock) "
		  "instead of lock wait times"),
	OPT_END_,
};

static const struct bcct_opt pmheld_opts[] = {
	PMLOCK_COMMON_OPTS,
	OPT_END_,
};

static void describe(const void *key, struct bcct_stack *st)
{
	static char name[512];
	const struct pmlock_key *k = key;

	if (!sys_pid_object_symbol((pid_t)k->pid, k->mutex, name, sizeof(name)))
		snprintf(name, sizeof(name), "0x%llx", (unsigned long long)k->mutex);
	st->user_id = k->site.stack_id;
	st->caller = k->site.caller;
	st->pid = k->pid;
	st->comm = k->comm;
	st->label_key = "mutex";
	st->label = name;
}

static int print(void *p, bool final)
{
	struct pmlock_bpf *skel = p;

	out_interval_begin();
	return bcct_stacks_print_hists(o.stacks, skel->maps.hists, describe, "nsecs", true) < 0 ? -1 : 0;
}

static int attach(void *ctx)
{
	static const struct bcct_list lock_or_trylock = {
		2, { "pthread_mutex_lock", "pthread_mutex_trylock" } };
	static const struct bcct_list defaults;

	return pmutex_attach((pid_t)env.pid, o.binary, o.held ? &lock_or_trylock : &defaults,
			     &defaults, &(struct pmutex_progs){
				.lock = o.skel->progs.lock_enter,
				.lock_return = o.skel->progs.lock_return,
				.unlock = o.held ? o.skel->progs.unlock_enter : NULL });
}

static int configure(void *p)
{
	struct pmlock_bpf *skel = p;

	o.skel = skel;
	skel->rodata->held_mode = o.held;
	if (!o.held)
		bpf_program__set_autoload(skel->progs.unlock_enter, false);
	return bcct_stacks_renew(&o.stacks, skel->maps.pmutex_stacks, &(struct bcct_stack_fmt){ .user = true });
}

static int run(void)
{
	char banner[128];
	int err;

	if (!env.pid) {
		bcct_usage_err("the following arguments are required: PID");
		return BCCT_EXIT_USAGE;
	}
	if (pmutex_check_process((pid_t)env.pid))
		return BCCT_EXIT_FAIL;
	snprintf(banner, sizeof(banner), "Tracing pthread mutex %s times of PID %ld... Hit Ctrl-C to end.",
		 o.held ? "hold" : "lock wait", env.pid);
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.banner = banner,
		.on_interval = print,
	});
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(pmlock,
	.category = "library",
	.summary = "pthread mutex lock wait times by mutex and user stack (book)",
	.examples =
	"    pmlock 181         # lock wait histograms of PID 181 until Ctrl-C\n"
	"    pmlock 181 5 1     # one 5-second summary\n"
	"    pmlock --held 181  # hold times instead (as pmheld)\n",
	.opts = opts,
	.skeleton = &pmlock_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "pmheld", "pthread mutex hold times by mutex and user stack (book)", { "--held" },
		  .opts = pmheld_opts,
		  .examples = "    pmheld 181         # lock hold histograms of PID 181 until Ctrl-C\n"
			      "    pmheld 181 5 1     # one 5-second summary\n" },
		{ NULL } });
