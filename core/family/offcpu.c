/* Off-CPU stack tools' shared options (core/family/offcpu.h). */
#include <stdio.h>
#include "core/family/offcpu.h"
#include "core/log.h"

_Thread_local struct offcpu_opts offcpu = { .min_us = 1, .state = -1 };
BCCT_OPT_LAYOUT(struct offcpu_opts, offcpu)

int offcpu_check(void)
{
	if ((offcpu.npids = bcct_parse_id_list(&offcpu.pids, offcpu.pid_ids, OFFCPU_MAX_TARGETS, "-p/--pid")) < 0 ||
	    (offcpu.ntids = bcct_parse_id_list(&offcpu.tids, offcpu.tid_ids, OFFCPU_MAX_TARGETS, "-t/--tid")) < 0)
		return -1;
	if (!!offcpu.npids + !!offcpu.ntids + offcpu.user_threads + offcpu.kernel_threads > 1) {
		bcct_usage_err("-p, -t, -u and -k are mutually exclusive");
		return -1;
	}
	if (offcpu.user_only && offcpu.kernel_only) {
		bcct_usage_err("-U and -K are mutually exclusive");
		return -1;
	}
	if (offcpu.kernel_threads && offcpu.user_only) {
		bcct_usage_err("displaying user stacks for kernel threads doesn't make sense");
		return -1;
	}
	if (offcpu.max_us && offcpu.min_us > offcpu.max_us) {
		bcct_usage_err("-m %ld is above -M %ld", offcpu.min_us, offcpu.max_us);
		return -1;
	}
	return 0;
}

/* BCC's "PIDs 185,175" / "TIDs 188": the list joined by commas. */
static void join_ids(char *buf, size_t len, const char *what, const unsigned int *ids, int n)
{
	size_t used = snprintf(buf, len, "%s ", what);

	for (int i = 0; i < n; i++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%u", i ? "," : "", ids[i]);
}

const char *offcpu_threads_text(char *buf, size_t len)
{
	if (offcpu.npids)
		join_ids(buf, len, "PIDs", offcpu.pid_ids, offcpu.npids);
	else if (offcpu.ntids)
		join_ids(buf, len, "TIDs", offcpu.tid_ids, offcpu.ntids);
	else
		snprintf(buf, len, "%s", offcpu.user_threads ? "user threads" :
			 offcpu.kernel_threads ? "kernel threads" : "all threads");
	return buf;
}

const char *offcpu_banner_end(char *buf, size_t len)
{
	if (env.duration)
		snprintf(buf, len, " for %ld secs.", env.duration);
	else
		snprintf(buf, len, "... Hit Ctrl-C to end.");
	return buf;
}
