/* gethostlatency: time from the entry of a libc resolver call (getaddrinfo, gethostbyname,
 * gethostbyname2; the applet attaches both programs to each) to its return, with the host name
 * asked for. The entry keeps the name and start time per thread; the return sends the event. */
#include "bcct.bpf.h"
#include "gethostlatency.h"

struct lookup {
	u64 ts;
	char host[GETHOSTLATENCY_HOST_LEN];
};

/* LRU: a thread that never returns (killed inside the call) must not keep the map full. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct lookup);
} start SEC(".maps");

/* The first argument of all three is the name: getaddrinfo's node, gethostbyname's name. */
SEC("uprobe.multi")
int BPF_KPROBE(lookup_entry, const char *name)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct lookup l = {};

	if (!name || !bcct_filter_current())   /* BCC skips a NULL node (getaddrinfo of a service) */
		return 0;
	bpf_probe_read_user_str(l.host, sizeof(l.host), name);
	l.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &tid, &l, BPF_ANY);
	return 0;
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(lookup_return)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct gethostlatency_event *e;
	struct lookup *l;
	u64 now = bpf_ktime_get_ns();

	l = bpf_map_lookup_elem(&start, &tid);
	if (!l)
		return 0;   /* the entry came before we attached */
	e = bcct_event_reserve(sizeof(*e));
	if (e) {
		e->ts = now;
		e->delta_ns = now - l->ts;
		e->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		__builtin_memcpy(e->host, l->host, sizeof(e->host));
		bcct_event_submit(ctx, e, sizeof(*e));
	}
	bpf_map_delete_elem(&start, &tid);
	return 0;
}
