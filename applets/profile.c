/* profile: CPU profiler, sampling stack traces at a timed interval. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "profile.skel.h"
#include "profile.h"

BCCT_SKELETON(profile_bpf);

static struct {
	struct bcct_list pids, tids;
	bool user_only, kernel_only, delimited, annotate, addresses, idle, folded;
	long freq, period, cpu, hash_size, stack_size;
	__u32 pid_ids[PROFILE_MAX_TARGETS], tid_ids[PROFILE_MAX_TARGETS];
	struct bcct_stacks *stacks;
	char banner[400];
} o = { .cpu = -1, .hash_size = 40960, .stack_size = BCCT_STACK_STORAGE_DEFAULT };

static const struct bcct_opt opts[] = {
	OPT_LIST_('p', "pid", &o.pids, "PID", "profile process with one or more comma separated PIDs only"),
	OPT_LIST_('L', "tid", &o.tids, "TID", "profile thread with one or more comma separated TIDs only"),
	OPT_FLAG_('U', "user-stacks-only", &o.user_only, "show stacks from user space only (no kernel space stacks)"),
	OPT_FLAG_('K', "kernel-stacks-only", &o.kernel_only, "show stacks from kernel space only (no user space stacks)"),
	OPT_INT_('F', "frequency", &o.freq, "FREQUENCY", "sample frequency, Hertz", 1, INT_MAX),
	OPT_INT_('c', "count", &o.period, "COUNT", "sample period, number of events", 1, LONG_MAX),
	OPT_FLAG_('d', "delimited", &o.delimited, "insert delimiter between kernel/user stacks"),
	OPT_FLAG_('a', "annotations", &o.annotate, "add _[k] annotations to kernel frames"),
	OPT_FLAG_('A', "address", &o.addresses, "show raw addresses"),
	OPT_FLAG_('I', "include-idle", &o.idle, "include CPU idle stacks"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format, one line per stack (for flame graphs)"),
	OPT_INT_(0, "hash-storage-size", &o.hash_size, "HASH_STORAGE_SIZE", "the number of hash keys that can be stored and (default 40960)", 1, INT_MAX),
	STACK_STORAGE_OPT(o.stack_size),
	POS_INT_("duration", OPT_DEST(env, duration), "duration of trace, in seconds", 1, INT_MAX),
	OPT_INT_('C', "cpu", &o.cpu, "CPU", "cpu number to run profile on", 0, INT_MAX),
	STD_UNWIND_OPTS("user stacks by frame pointers in the kernel (fp, default) or by DWARF CFI in user space from a copy of the stack (dwarf: code built without frame pointers)",
			"--unwind=dwarf: bytes of user stack copied per sample (default 8192, at most 32256)"),
	STD_STACK_OPTS,
	STD_STACK_EXPORT_OPTS,
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* -p/-L lists into a 0-terminated .rodata array; "[1, 2]" (Python's list text) into desc. */
static int parse_ids(const struct bcct_list *l, __u32 *dst, const char *what, char *desc, size_t len)
{
	size_t used = 0;
	int n = bcct_parse_id_list(l, dst, PROFILE_MAX_TARGETS, what);

	for (int i = 0; i < n; i++)
		used += snprintf(desc + used, used < len ? len - used : 0, "%s%u", i ? ", " : "[", dst[i]);
	snprintf(desc + used, used < len ? len - used : 0, "]");
	return n < 0 ? -1 : 0;
}

static int check_options(char *threads, size_t len)
{
	char ids[256] = "";

	if (parse_ids(&o.pids, o.pid_ids, "-p/--pid", ids, sizeof(ids)))
		return -1;
	if (o.pids.n)
		snprintf(threads, len, "PID %s", ids);
	if (parse_ids(&o.tids, o.tid_ids, "-L/--tid", ids, sizeof(ids)))
		return -1;
	if (o.tids.n)
		snprintf(threads, len, "TID %s", ids);
	if (o.pids.n && o.tids.n) {
		bcct_usage_err("-p and -L are mutually exclusive");
		return -1;
	}
	if (bcct_unwind_check())
		return -1;
	if (o.user_only && o.kernel_only) {
		bcct_usage_err("-U and -K are mutually exclusive");
		return -1;
	}
	if (o.freq && o.period) {
		bcct_usage_err("-F and -c are mutually exclusive");
		return -1;
	}
	if (o.freq) {
		/* perf_event_open says only EINVAL above the limit: name it. */
		char *max = sys_read_file("/proc/sys/kernel/perf_event_max_sample_rate", 64, NULL);
		long limit = max ? strtol(max, NULL, 10) : 0;

		free(max);
		if (limit > 0 && o.freq > limit) {
			bcct_usage_err("invalid -F/--frequency '%ld': above this kernel's limit of %ld Hertz "
				       "(kernel.perf_event_max_sample_rate)", o.freq, limit);
			return -1;
		}
	}
	if (o.cpu >= bcct_ncpus()) {
		bcct_usage_err("invalid -C/--cpu '%ld': this system has CPUs 0-%d", o.cpu, bcct_ncpus() - 1);
		return -1;
	}
	return 0;
}

/* "Sampling at 49 Hertz of all threads by user + kernel stack... Hit Ctrl-C to end." */
static void make_banner(const char *threads)
{
	char sample[64], cpu[32] = "", end[32];

	if (o.period)
		snprintf(sample, sizeof(sample), "every %ld events", o.period);
	else
		snprintf(sample, sizeof(sample), "%ld Hertz", o.freq ? o.freq : 49);
	if (o.cpu >= 0)
		snprintf(cpu, sizeof(cpu), " on CPU#%ld", o.cpu);
	if (env.duration)
		snprintf(end, sizeof(end), " for %ld secs.", env.duration);
	else
		snprintf(end, sizeof(end), "... Hit Ctrl-C to end.");
	snprintf(o.banner, sizeof(o.banner), "Sampling at %s of %s by %s stack%s%s", sample, threads,
		 o.user_only ? "user" : o.kernel_only ? "kernel" : "user + kernel", cpu, end);
}

static void describe(const void *key, struct bcct_stack *st)
{
	const struct profile_key *k = key;

	st->kernel_id = k->kernel_stack_id;
	st->user_id = k->user_stack_id;
	st->pid = k->pid;
	st->comm = k->comm;
}

static int print(void *ctx, bool final)
{
	struct profile_bpf *skel = ctx;
	int n;

	if (!o.folded)
		out_text("\n");
	if (bcct_unwind.dwarf)
		return bcct_stacks_print_agg(o.stacks, bcct_unwind.agg, describe, !final) < 0;
	n = bcct_stacks_print_map(o.stacks, skel->maps.counts, describe, !final);
	if (n >= o.hash_size) {
		fflush(stdout);
		fprintf(stderr, "WARNING: hash table full. Consider increasing --hash-storage-size.\n");
	}
	return 0;
}

/* --unwind=dwarf: one sample with its stack copy; unwound and counted here. */
static int on_event(void *ctx, const void *data, size_t size)
{
	const struct profile_event *e = data;
	uint64_t *count;

	if (size < offsetof(struct profile_event, ustack.data))
		return 0;
	count = bcct_unwind_slot(&e->key, e->key.pid, &e->ustack, size - offsetof(struct profile_event, ustack));
	if (count)
		(*count)++;
	return 0;
}

static int configure(void *p)
{
	struct profile_bpf *skel = p;

	if (BCCT_UNWIND_SETUP(skel, sizeof(struct profile_key)))
		return -1;
	memcpy(skel->rodata->target_pids, o.pid_ids, sizeof(o.pid_ids));
	memcpy(skel->rodata->target_tids, o.tid_ids, sizeof(o.tid_ids));
	skel->rodata->user_stacks = !o.kernel_only;
	skel->rodata->kernel_stacks = !o.user_only;
	skel->rodata->include_idle = o.idle;
	bpf_map__set_max_entries(skel->maps.stacks, o.stack_size);
	bpf_map__set_max_entries(skel->maps.counts, o.hash_size);
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = !o.user_only,
		.user = !o.kernel_only,
		.folded = o.folded,
		.delimited = o.delimited,
		.annotate = o.annotate,
		/* multi-line frames as "ffffffff81234567 name" (the name keeps -a's "_[k]") */
		.addresses = o.addresses,
		/* one sample stands for 1/F s of CPU time (-c: COUNT ns of the cpu-clock event) */
		.export = { .values = { { "samples", "count", 1 },
					{ "cpu", "nanoseconds", o.period ? (uint64_t)o.period :
					  1000000000ULL / (o.freq ? o.freq : 49) } },
			    .count_name = "samples", .title = "CPU Flame Graph" },
	});
}

static int run(void)
{
	char threads[300] = "all threads";
	int err;

	if (check_options(threads, sizeof(threads)))
		return BCCT_EXIT_USAGE;
	make_banner(threads);
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.folded ? NULL : o.banner,
		.on_interval = print,
		.on_event = bcct_unwind.dwarf ? on_event : NULL,
		.sample_freq = o.period ? 0 : o.freq ? o.freq : 49,
		.sample_period = o.period,
		.sample_one_cpu = o.cpu >= 0,
		.sample_cpu = o.cpu,
	});
	bcct_stacks_free(o.stacks);
	bcct_unwind_free();
	return err;
}

BCCT_APPLET(profile,
	.category = "scheduler/CPU",
	.summary = "Profile CPU stack traces at a timed interval",
	.examples =
	"    profile             # profile stack traces at 49 Hertz until Ctrl-C\n"
	"    profile -F 99       # profile stack traces at 99 Hertz\n"
	"    profile -c 1000000  # profile stack traces every 1 in a million events\n"
	"    profile 5           # profile at 49 Hertz for 5 seconds only\n"
	"    profile -f 5        # output in folded format for flame graphs\n"
	"    profile --pprof /tmp/cpu.pb.gz 5  # also write a pprof profile (go tool pprof -top)\n"
	"    profile --svg /tmp/cpu.svg 5      # also write an SVG flame graph\n"
	"    profile -p 185      # only profile process with PID 185\n"
	"    profile -L 185      # only profile thread with TID 185\n"
	"    profile -U          # only show user space stacks (no kernel)\n"
	"    profile -K          # only show kernel space stacks (no user)\n"
	"    profile -p 185 -U --unwind=dwarf  # user stacks of code without frame pointers\n"
	"    profile -p 185 -U --lines          # user frames with source file:line\n"
	"    profile --cgroup /sys/fs/cgroup/unified/user.slice # only profile this cgroup\n"
	"    profile --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    profile --mntnsmap mappath   # only trace mount namespaces in the map\n",
	.opts = opts,
	.skeleton = &profile_bpf__skeleton,
	.run = run);
