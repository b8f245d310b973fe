/* capable: security capability checks (cap_capable). Entry probes (fentry, kprobe) see its
 * opts: whether the check is audited (CAP_OPT_NOAUDIT unset) and CAP_OPT_INSETID; BCC hides
 * non-audit checks unless -v. The capability:cap_capable tracepoint (6.14+) fires for every
 * check but carries no opts: audit and insetid are then unknown and every check is shown. */
#include "bcct.bpf.h"
#include "capable.h"

#define CAP_OPT_NOAUDIT (1 << 1)
#define CAP_OPT_INSETID (1 << 2)

const volatile bool targ_verbose = false;     /* -v: non-audit checks too */
const volatile bool targ_kstack = false;      /* -K */
const volatile bool targ_ustack = false;      /* -U */
const volatile bool targ_unique = false;      /* --unique */
const volatile __u32 self_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 2048);
	__type(key, u32);
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

/* --unique: a (capability, process, cgroup, stacks) already reported. */
struct repeat_key {
	int cap;
	u32 tgid;
	u64 cgroup_id;
	int kernel_stack_id;
	int user_stack_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct repeat_key);
	__type(value, u8);
} seen SEC(".maps");

static __always_inline int report(void *ctx, int cap, int audit, int insetid)
{
	u64 id = bpf_get_current_pid_tgid();
	struct capable_event *e;
	struct repeat_key r = {};
	u8 one = 1;

	if ((id >> 32) == self_tgid || !bcct_filter_current())
		return 0;
	if (audit == 0 && !targ_verbose)
		return 0;
	r.kernel_stack_id = targ_kstack ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	r.user_stack_id = targ_ustack ? bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK) : -1;
	if (targ_unique) {
		r.cap = cap;
		r.tgid = id >> 32;
		r.cgroup_id = bpf_get_current_cgroup_id();
		if (bpf_map_lookup_elem(&seen, &r))
			return 0;
		bpf_map_update_elem(&seen, &r, &one, BPF_ANY);
	}
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->tgid = id >> 32;
	e->pid = (u32)id;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->cap = cap;
	e->audit = audit;
	e->insetid = insetid;
	e->kernel_stack_id = r.kernel_stack_id;
	e->user_stack_id = r.user_stack_id;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

static __always_inline int report_opts(void *ctx, int cap, unsigned int opts)
{
	return report(ctx, cap, !(opts & CAP_OPT_NOAUDIT), !!(opts & CAP_OPT_INSETID));
}

SEC("fentry/cap_capable")
int BPF_PROG(cap_capable_fentry, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts)
{
	return report_opts(ctx, cap, opts);
}

SEC("kprobe/cap_capable")
int BPF_KPROBE(cap_capable_kprobe, const struct cred *cred, struct user_namespace *ns, int cap,
	       unsigned int opts)
{
	return report_opts(ctx, cap, opts);
}

SEC("raw_tp/cap_capable")
int BPF_PROG(cap_capable_raw, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap)
{
	return report(ctx, cap, CAPABLE_UNKNOWN, CAPABLE_UNKNOWN);
}

SEC("tp_btf/cap_capable")
int BPF_PROG(cap_capable_btf, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap)
{
	return report(ctx, cap, CAPABLE_UNKNOWN, CAPABLE_UNKNOWN);
}
