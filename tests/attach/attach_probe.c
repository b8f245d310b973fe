/* attach_probe: exercises core's attach layer end to end on the running kernel. One logical
 * probe with fentry -> kprobe -> tracepoint candidates (which one is chosen depends on the
 * kernel and on BCCT_DISABLE), plus uprobe and uretprobe by symbol and a USDT probe on this
 * very binary. Prints what fired; tests/live/core_attach.sh checks it. */
#include <signal.h>
#include <stdio.h>
#include <sys/sdt.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/run.h"
#include "attach_probe.skel.h"

BCCT_SKELETON(attach_probe_bpf);

__attribute__((noinline)) long bcct_attach_target(long x)
{
	asm volatile("" ::: "memory");
	return x * 2 + 1;
}

static int attach(void *ctx)
{
	struct attach_probe_bpf *skel = ctx;
	int err;

	err = bcct_attach_uprobe(skel->progs.target_uprobe, false, getpid(), "/proc/self/exe",
				 "bcct_attach_target", 0);
	if (!err)
		err = bcct_attach_uprobe(skel->progs.target_uretprobe, true, getpid(), "/proc/self/exe",
					 "bcct_attach_target", 0);
	if (!err)
		err = bcct_attach_usdt(skel->progs.marker_usdt, getpid(), "/proc/self/exe", "bcct_test",
				       "attach", 0);
	return err;
}

/* The workload runs once everything is attached, then ends the loop. */
static void workload(void *ctx)
{
	struct timespec ts = { 0, 1000000 };
	volatile long r = 0;

	for (long i = 0; i < 3; i++) {
		nanosleep(&ts, NULL);
		r += bcct_attach_target(20 + i);
		DTRACE_PROBE1(bcct_test, attach, 40 + i);
	}
	raise(SIGINT);
}

static void report(void *ctx)
{
	struct attach_probe_bpf *skel = ctx;

	printf("sleep hits=%llu\n", (unsigned long long)skel->bss->sleep_hits);
	printf("uprobe hits=%llu arg=%llu\n", (unsigned long long)skel->bss->uprobe_hits,
	       (unsigned long long)skel->bss->uprobe_arg);
	printf("uretprobe hits=%llu ret=%llu\n", (unsigned long long)skel->bss->uretprobe_hits,
	       (unsigned long long)skel->bss->uretprobe_ret);
	printf("usdt hits=%llu arg=%llu\n", (unsigned long long)skel->bss->usdt_hits,
	       (unsigned long long)skel->bss->usdt_arg);
	printf("fallback hits=%llu\n", (unsigned long long)skel->bss->fallback_hits);
}

/* Probes, from the program names: nanosleep (nanosleep_fentry, nanosleep_kprobe, nanosleep_tp) and
 * fallback (fallback_btf, which the verifier refuses, then fallback_tp). */
static int configure(void *p)
{
	struct attach_probe_bpf *skel = p;

	skel->rodata->target_tgid = getpid();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = workload,
		.on_exit = report,
	});
}

static const struct bcct_applet self = {
	.name = "attach_probe", .skeleton = &attach_probe_bpf__skeleton, .run = run,
};

int main(int argc, char **argv)
{
	bcct_prog = "attach_probe";
	bcct_env_reset();
	bcct_verbose = argc > 1;
	bcct_libbpf_quiet();
	return bcct_run_applet(&self);
}
