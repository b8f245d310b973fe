/* oomkill: every kill of the OOM killer, the task that triggered it and the victim.
 *
 * As BCC: oom_kill_process(oc, message), whose oom_control holds the victim (chosen) and the
 * pages it weighed (totalpages). Without fentry and kprobes, oom:mark_victim, which the kill
 * reaches in the same task: the victim by its pid and name, and its resident set in place of
 * totalpages (the event has no oom_control). */
#include "bcct.bpf.h"
#include "oomkill.h"

const volatile __u64 page_size = 4096;

static __always_inline struct oomkill_event *start_event(void)
{
	struct oomkill_event *e;

	if (!bcct_filter_current())
		return NULL;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->fpid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->fcomm, sizeof(e->fcomm));
	return e;
}

static __always_inline int oom_kill(void *ctx, struct oom_control *oc)
{
	struct oomkill_event *e = start_event();
	struct task_struct *p;

	if (!e)
		return 0;
	p = BPF_CORE_READ(oc, chosen);
	e->tpid = BPF_CORE_READ(p, tgid);
	e->pages = BPF_CORE_READ(oc, totalpages);
	BPF_CORE_READ_STR_INTO(&e->tcomm, p, comm);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("fentry/oom_kill_process")
int BPF_PROG(oom_kill_process_fentry, struct oom_control *oc, const char *message)
{
	return oom_kill(ctx, oc);
}

SEC("kprobe/oom_kill_process")
int BPF_KPROBE(oom_kill_process_kprobe, struct oom_control *oc, const char *message)
{
	return oom_kill(ctx, oc);
}

/* The event before 6.1 had the pid alone. */
struct trace_event_raw_mark_victim___old {
	struct trace_entry ent;
	int pid;
} __attribute__((preserve_access_index));

SEC("tracepoint/oom/mark_victim")
int oom_kill_process_tp(struct trace_event_raw_mark_victim *a)
{
	struct oomkill_event *e = start_event();

	if (!e)
		return 0;
	e->tpid = BPF_CORE_READ((struct trace_event_raw_mark_victim___old *)a, pid);
	if (bpf_core_field_exists(a->__data_loc_comm)) {
		u32 loc = BPF_CORE_READ(a, __data_loc_comm);

		bpf_probe_read_kernel_str(e->tcomm, sizeof(e->tcomm), (char *)a + (loc & 0xffff));
	}
	if (bpf_core_field_exists(a->anon_rss))   /* kB */
		e->pages = (BPF_CORE_READ(a, anon_rss) + BPF_CORE_READ(a, file_rss) +
			    BPF_CORE_READ(a, shmem_rss)) * 1024 / page_size;
	bcct_event_submit(a, e, sizeof(*e));
	return 0;
}
