/* See stackhists.h. */
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stackhists.h"

/* One run at a time: the description and the printer of its stack map. */
static _Thread_local const struct bcct_stack_hists *cur;
static _Thread_local struct bcct_stacks *printer;

static struct bpf_map *skel_map(void *skel, const char *name)
{
	return bpf_object__find_map_by_name(((struct bcct_skel_head *)skel)->obj, name);
}

static int configure(void *skel)
{
	struct bpf_map *stacks = skel_map(skel, "stacks");
	struct bcct_stack_fmt fmt = cur->fmt;

	if (!fmt.kernel && !fmt.user)
		fmt.kernel = true;
	bcct_stacks_free(printer);   /* from an attempt core fell back from */
	printer = stacks ? bcct_stacks_new(stacks, &fmt) : NULL;
	return printer ? 0 : BCCT_EXIT_FAIL;
}

static void describe_kstack(const void *key, struct bcct_stack *st)
{
	const struct bcct_kstack_key *k = key;

	st->kernel_id = k->kernel_stack_id;
	st->user_id = -1;
	st->pid = k->pid;
	st->comm = k->comm;
}

static int print(void *skel, bool final)
{
	(void)final;
	out_interval_begin();
	return bcct_stacks_print_hists(printer, skel_map(skel, "hists"),
				       cur->describe ? cur->describe : describe_kstack,
				       cur->unit ? cur->unit : "nsecs",
				       true) < 0 ? -1 : 0;
}

int bcct_stack_hists_run(const struct bcct_stack_hists *h)
{
	int err;

	cur = h;
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = h->banner,
		.on_interval = print,
	});
	bcct_stacks_free(printer);
	printer = NULL;
	return err;
}
