/* Programs for the attach-layer test: one logical probe on a kernel function with fentry,
 * kprobe and tracepoint candidates, and uprobe/uretprobe/USDT on the test driver itself. */
#include "bcct.bpf.h"
#include <bpf/usdt.bpf.h>

const volatile __u32 target_tgid = 0;

__u64 sleep_hits = 0;
__u64 uprobe_hits = 0, uprobe_arg = 0;
__u64 uretprobe_hits = 0, uretprobe_ret = 0;
__u64 usdt_hits = 0, usdt_arg = 0;
__u64 fallback_hits = 0;

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __always_inline int on_sleep(void)
{
	if (mine())
		__sync_fetch_and_add(&sleep_hits, 1);
	return 0;
}

SEC("fentry/hrtimer_nanosleep")
int BPF_PROG(nanosleep_fentry) { return on_sleep(); }

SEC("kprobe/hrtimer_nanosleep")
int BPF_KPROBE(nanosleep_kprobe) { return on_sleep(); }

SEC("tracepoint/syscalls/sys_enter_clock_nanosleep")
int nanosleep_tp(void *ctx) { return on_sleep(); }

SEC("uprobe")
int BPF_UPROBE(target_uprobe, long x)
{
	if (mine()) {
		__sync_fetch_and_add(&uprobe_hits, 1);
		uprobe_arg = x;
	}
	return 0;
}

SEC("uretprobe")
int BPF_URETPROBE(target_uretprobe, long ret)
{
	if (mine()) {
		__sync_fetch_and_add(&uretprobe_hits, 1);
		uretprobe_ret = ret;
	}
	return 0;
}

SEC("usdt")
int BPF_USDT(marker_usdt, long arg)
{
	if (mine()) {
		__sync_fetch_and_add(&usdt_hits, 1);
		usdt_arg = arg;
	}
	return 0;
}

/* A candidate no verifier accepts (a load through a random scalar): core must fall back to the
 * next candidate of the probe after the load fails. */
SEC("tp_btf/sched_switch")
int BPF_PROG(fallback_btf)
{
	return *(volatile int *)(long)bpf_get_prandom_u32();
}

SEC("tracepoint/syscalls/sys_enter_clock_nanosleep")
int fallback_tp(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&fallback_hits, 1);
	return 0;
}
