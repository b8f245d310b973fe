/* Off-CPU stack tools, user space: the thread and block-time options offcputime and offwaketime
 * (and wakeuptime, in part) share with BCC (-p/-t lists, -u/-k, -U/-K, -m/-M, --state), their checks, the banner's "PIDs
 * 185,175" phrase, and the .rodata of bpf/offcpu.bpf.h. */
#ifndef BCCT_FAMILY_OFFCPU_H
#define BCCT_FAMILY_OFFCPU_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "core/opts.h"
#include "bpf/offcpu.h"

struct offcpu_opts {
	struct bcct_list pids, tids;
	unsigned int pid_ids[OFFCPU_MAX_TARGETS], tid_ids[OFFCPU_MAX_TARGETS];
	int npids, ntids;
	bool user_threads, kernel_threads;      /* -u, -k */
	bool user_only, kernel_only;            /* -U, -K: which stacks are shown */
	long min_us, max_us, state;
};
extern _Thread_local struct offcpu_opts offcpu;
extern struct offcpu_opts offcpu_layout;

/* -p and -t with the tool's own metavar and help (BCC's two tools word them differently). */
#define OFFCPU_ID_OPTS(pid_arg, pid_help, tid_arg, tid_help) \
	OPT_LIST_('p', "pid", OPT_DEST(offcpu, pids), pid_arg, pid_help), \
	OPT_LIST_('t', "tid", OPT_DEST(offcpu, tids), tid_arg, tid_help), \
	OPT_FLAG_('u', "user-threads-only", OPT_DEST(offcpu, user_threads), "user threads only (no kernel threads)"), \
	OPT_FLAG_('k', "kernel-threads-only", OPT_DEST(offcpu, kernel_threads), "kernel threads only (no user threads)"), \
	OPT_FLAG_('U', "user-stacks-only", OPT_DEST(offcpu, user_only), "show stacks from user space only (no kernel space stacks)"), \
	OPT_FLAG_('K', "kernel-stacks-only", OPT_DEST(offcpu, kernel_only), "show stacks from kernel space only (no user space stacks)")
#define OFFCPU_BLOCK_OPTS \
	OPT_INT_('m', "min-block-time", OPT_DEST(offcpu, min_us), "MIN_BLOCK_TIME", "the amount of time in microseconds over which we store traces (default 1)", 1, LONG_MAX), \
	OPT_INT_('M', "max-block-time", OPT_DEST(offcpu, max_us), "MAX_BLOCK_TIME", "the amount of time in microseconds under which we store traces (default U64_MAX)", 1, LONG_MAX)
#define OFFCPU_STATE_OPT \
	OPT_INT_(0, "state", OPT_DEST(offcpu, state), "STATE", "filter on this thread state bitmask (eg, 2 == TASK_UNINTERRUPTIBLE) see include/linux/sched.h", 0, INT_MAX)

/* Parses the lists and checks the combinations, with BCC's one-line errors. 0, or -1 after the
 * usage error. */
int offcpu_check(void);
/* The banner's subject: "PIDs 185,175", "TIDs 188", "user threads", "kernel threads" or "all
 * threads". Returns buf. */
const char *offcpu_threads_text(char *buf, size_t len);
/* The banner's end: " for 5 secs." with a duration, else "... Hit Ctrl-C to end.". */
const char *offcpu_banner_end(char *buf, size_t len);

/* The .rodata of bpf/offcpu.bpf.h in an opened skeleton. */
#define OFFCPU_FILL_RODATA(skel) do { \
	(skel)->rodata->user_threads_only = offcpu.user_threads; \
	(skel)->rodata->kernel_threads_only = offcpu.kernel_threads; \
	memcpy((skel)->rodata->target_tgids, offcpu.pid_ids, sizeof(offcpu.pid_ids)); \
	memcpy((skel)->rodata->target_tids, offcpu.tid_ids, sizeof(offcpu.tid_ids)); \
	(skel)->rodata->state_filter = offcpu.state; \
	(skel)->rodata->min_block_us = offcpu.min_us; \
	(skel)->rodata->max_block_us = offcpu.max_us ? (unsigned long long)offcpu.max_us : ~0ULL; \
} while (0)
#endif
