/* profile: sample stacks on a timer (software cpu-clock perf event) and count them in kernel. */
#include "bcct.bpf.h"
#include "profile.h"
#include "ustack.bpf.h"

const volatile bool user_stacks = true;
const volatile bool kernel_stacks = true;
const volatile bool include_idle = false;
const volatile __u32 target_pids[PROFILE_MAX_TARGETS];    /* -p: tgids, 0-terminated */
const volatile __u32 target_tids[PROFILE_MAX_TARGETS];    /* -L: tids, 0-terminated */
BCCT_USTACK_DECLARE(struct profile_event);                /* --unwind=dwarf */

/* Sizes are set from --stack-storage-size / --hash-storage-size before load. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(u32));
	__uint(value_size, PROFILE_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 40960);
	__type(key, struct profile_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline bool in_list(const volatile u32 *list, u32 id)
{
	if (!list[0])
		return true;
	for (int i = 0; i < PROFILE_MAX_TARGETS && list[i]; i++)
		if (list[i] == id)
			return true;
	return false;
}

SEC("perf_event")
int profile_sample(struct bpf_perf_event_data *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tgid = id >> 32, tid = (u32)id;
	struct profile_key key = { .pid = tgid };
	static const u64 zero;
	u64 *count;

	/* The idle task is tid 0 on every CPU: skipped unless -I. */
	if (!include_idle && tid == 0)
		return 0;
	if (!in_list(target_pids, tgid) || !in_list(target_tids, tid) || !bcct_filter_current())
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	if (dwarf_stacks) {
		struct profile_event *e = bcct_ustack_event();

		if (!e)
			return 0;
		e->key = key;
		e->key.user_stack_id = -1;
		e->key.kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
		bcct_ustack_send(ctx, e, user_stacks, stack_dump_size);
		return 0;
	}
	key.user_stack_id = user_stacks ? bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK) : -1;
	key.kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	count = bcct_lookup_or_init(&counts, &key, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}
