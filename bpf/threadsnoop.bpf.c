/* threadsnoop: pthread_create calls, with the start routine of the new thread. Attached by the
 * applet to the C library's (or libpthread's) pthread_create. */
#include "bcct.bpf.h"
#include "threadsnoop.h"

SEC("uprobe.multi")
int BPF_KPROBE(pthread_create_enter, void *thread, const void *attr, void *start_routine)
{
	struct threadsnoop_event *e;

	if (!bcct_filter_current())
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->start = (u64)start_routine;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}
