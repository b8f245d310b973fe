/* bashreadline: the line readline() returns, in processes named "bash" (as BCC: a library
 * readline serves other programs too). Attached by the applet to the binary or library. */
#include "bcct.bpf.h"
#include "bashreadline.h"

SEC("uretprobe.multi")
int BPF_KRETPROBE(readline_return, const void *line)
{
	struct bashreadline_event *e;
	char comm[16];

	if (!line || !bcct_filter_current())
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != 'b' || comm[1] != 'a' || comm[2] != 's' || comm[3] != 'h' || comm[4])
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_probe_read_user_str(e->str, sizeof(e->str), line);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}
