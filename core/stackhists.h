/* The whole run of a tool that prints a histogram per stack (the book's
 * @[kstack, comm] = hist(...): mlock, mheld, offcpuhist): its object has a histogram map
 * "hists" (key -> struct bcct_hist) and a stack map "stacks"; every interval (or at the end)
 * the histograms are printed through core/stacks.h's bcct_stacks_print_hists and cleared. */
#ifndef BCCT_STACKHISTS_H
#define BCCT_STACKHISTS_H
#include "bcct.h"
#include "core/stacks.h"

struct bcct_stack_hists {
	const char *banner;
	struct bcct_stack_fmt fmt;          /* which sides are shown; neither: kernel stacks */
	/* A key of "hists" as a stack; NULL: the key is a struct bcct_kstack_key (bpf/bcct.h). */
	bcct_stack_describe_fn describe;
	const char *unit;                   /* NULL: "nsecs" */
};

/* Runs it (bcct_run); returns its exit status. */
int bcct_stack_hists_run(const struct bcct_stack_hists *h);
#endif
