/* jnistacks (BPF Performance Tools, ch. 12): which code creates Java objects through JNI, as the
 * user stacks calling libjvm's jni_NewObject, jni_NewObjectA, jni_NewObjectV and
 * jni_NewObjectArray (uprobes; the symbols are in libjvm's .symtab), counted. */
#include "bcct.bpf.h"
#include "ustack.bpf.h"
#include "jnistacks.h"

BCCT_STACK_MAP(stacks, 10240);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct jnistacks_key);
	__type(value, u64);
} counts SEC(".maps");

SEC("uprobe.multi")
int jni_new_object(struct pt_regs *ctx)
{
	struct jnistacks_key key = {};
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bcct_entry_caller_read(ctx, &key.caller);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}
