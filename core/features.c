/* Kernel capability probing, once per run. Where a file in sysfs answers the question it is
 * used; otherwise a minimal program is loaded (and, where loading is not enough, attached) and
 * torn down at once, and the answer is kept for the rest of the boot (core/bootcache.h): the
 * kernel's BPF support does not change while it runs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/bootcache.h"
#include "core/btf.h"
#include "core/features.h"
#include "core/pmc.h"
#include "core/log.h"
#include "core/sys/sys.h"

static const char *const names[FEAT__COUNT] = {
	[FEAT_BTF] = "btf", [FEAT_KPROBE] = "kprobe", [FEAT_KRETPROBE] = "kretprobe",
	[FEAT_FENTRY] = "fentry", [FEAT_FEXIT] = "fexit", [FEAT_TRACEPOINT] = "tracepoint",
	[FEAT_RAW_TP] = "raw_tp", [FEAT_TP_BTF] = "tp_btf", [FEAT_UPROBE] = "uprobe",
	[FEAT_USDT] = "usdt", [FEAT_PERF_SW] = "perf_sw", [FEAT_PERF_HW] = "perf_hw",
	[FEAT_RINGBUF] = "ringbuf", [FEAT_COOKIE] = "attach_cookie",
	[FEAT_KPROBE_MULTI] = "kprobe_multi", [FEAT_UPROBE_MULTI] = "uprobe_multi",
	[FEAT_OVERRIDE_RETURN] = "override_return",
};

static _Thread_local signed char state[FEAT__COUNT];      /* 0 unknown, 1 yes, -1 no */
static _Thread_local const char *why[FEAT__COUNT];

const char *bcct_feature_name(enum bcct_feature f) { return names[f]; }


static bool path_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/* ---- tracefs ---------------------------------------------------------------------------- */

static _Thread_local char tracefs_why[192] = "tracefs is not mounted";

const char *bcct_tracefs(void)
{
	static _Thread_local const char *found;
	static _Thread_local bool tried;
	static const char *const candidates[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *unreadable = NULL;

	if (tried)
		return found;
	tried = true;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		char p[128];

		snprintf(p, sizeof(p), "%s/events", candidates[i]);
		if (path_exists(p))
			return found = candidates[i];
		if (errno == EACCES && !unreadable)
			unreadable = candidates[i];
	}
	/* Mounted but root's (mode 0700): CAP_BPF and CAP_PERFMON do not open it, and saying
	 * "tracepoint not found" would send the user looking for the wrong thing. */
	if (unreadable) {
		snprintf(tracefs_why, sizeof(tracefs_why),
			 "tracefs (%s) is not readable by this user (uid %u): run as root", unreadable,
			 (unsigned)geteuid());
		return NULL;
	}
	/* Not mounted (this is common in minimal VMs and containers): mount it ourselves. */
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0) {
		bcct_info("mounted tracefs at /sys/kernel/tracing");
		return found = "/sys/kernel/tracing";
	}
	snprintf(tracefs_why, sizeof(tracefs_why), "tracefs is not mounted and mounting it failed: %s",
		 strerror(errno));
	bcct_info("%s", tracefs_why);
	return NULL;
}

const char *bcct_tracefs_why(void)
{
	return bcct_tracefs() ? NULL : tracefs_why;
}

bool bcct_tracepoint_exists(const char *category, const char *name)
{
	const char *t = bcct_tracefs();
	char p[512];

	if (!t)
		return false;
	snprintf(p, sizeof(p), "%s/events/%s/%s", t, category, name);
	return path_exists(p);
}

/* ---- trial loads ------------------------------------------------------------------------ */

static const struct bpf_insn ret0[] = {
	{ .code = 0xb7, .dst_reg = 0, .imm = 0 },   /* r0 = 0 */
	{ .code = 0x95 },                           /* exit */
};

/* Loads a tracing program (fentry/fexit/tp_btf) on a BTF id and, with `attach`, attaches it.
 * true if that works. fentry/fexit need the attach: their load succeeds on kernels without
 * ftrace direct calls, where only the attach fails. tp_btf does not, and detaching a raw
 * tracepoint waits for an RCU grace period: 5-10 ms of every start-up for nothing. */
static bool trial_tracing(enum bpf_attach_type type, const char *target, int kind, bool attach,
			  const char **w)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	int id, fd, link;

	if (!bcct_has(FEAT_BTF)) {
		*w = "no kernel BTF";
		return false;
	}
	id = bcct_btf_find(target, kind);
	if (id < 0) {
		*w = "probe target missing from BTF";
		return false;
	}
	o.expected_attach_type = type;
	o.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", ret0, 2, &o);
	if (fd < 0) {
		*w = errno == EPERM ? "load refused (EPERM)" : "load failed";
		return false;
	}
	if (!attach) {
		close(fd);
		return true;
	}
	link = bpf_link_create(fd, 0, type, NULL);
	if (link < 0) {
		*w = "attach failed";
		close(fd);
		return false;
	}
	close(link);
	close(fd);
	return true;
}

static bool probe_perf(__u32 type, __u64 config, const char **w)
{
	struct perf_event_attr a = { .size = sizeof(a), .type = type, .config = config,
				     .sample_freq = 1, .freq = 1, .disabled = 1 };
	int fd = syscall(__NR_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0) {
		*w = errno == ENOENT || errno == EOPNOTSUPP ? "no such PMU on this machine" : "perf_event_open failed";
		return false;
	}
	close(fd);
	return true;
}

static bool probe_uprobe_multi(const char **w)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_UPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	unsigned long offset = 0;
	int fd, link, err;

	fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", ret0, 2, &o);
	if (fd < 0) {
		*w = "load failed";
		return false;
	}
	lo.uprobe_multi.path = "/";   /* a directory: a kernel that knows the link type says EBADF */
	lo.uprobe_multi.offsets = &offset;
	lo.uprobe_multi.cnt = 1;
	link = bpf_link_create(fd, -1, BPF_TRACE_UPROBE_MULTI, &lo);
	err = -errno;
	if (link >= 0)
		close(link);
	close(fd);
	if (link < 0 && err != -EBADF) {
		*w = "kernel lacks uprobe_multi links";
		return false;
	}
	return true;
}

static bool probe_kprobe_multi(const char **w)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	const char *sym = "bpf_fentry_test1";   /* nonexistent symbol tells "supported" apart */
	int fd, link, err;

	if (!bcct_has(FEAT_KPROBE)) {
		*w = "no kprobes";
		return false;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", ret0, 2, &o);
	if (fd < 0) {
		*w = "load failed";
		return false;
	}
	lo.kprobe_multi.syms = &sym;
	lo.kprobe_multi.cnt = 1;
	link = bpf_link_create(fd, -1, BPF_TRACE_KPROBE_MULTI, &lo);
	err = -errno;
	if (link >= 0)
		close(link);
	close(fd);
	if (link < 0 && err != -ESRCH && err != -ENOENT) {
		*w = "kernel lacks kprobe_multi links";
		return false;
	}
	return true;
}

/* bpf_override_return: a kprobe program calling it must load. The verifier knows the helper only
 * with CONFIG_BPF_KPROBE_OVERRIDE, which needs function error injection. Not libbpf's helper
 * probe: it answers "supported" whenever the load fails without naming the helper (a kernel
 * without kprobes, here), and only a load proves it. */
static bool probe_override_return(const char **w)
{
	static const struct bpf_insn prog[] = {
		{ .code = 0xb7, .dst_reg = 2, .imm = 0 },                    /* r2 = 0 */
		{ .code = 0x85, .imm = BPF_FUNC_override_return },          /* call (r1: ctx) */
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },                    /* r0 = 0 */
		{ .code = 0x95 },                                           /* exit */
	};
	char log[4096] = "";       /* room for the whole log: a truncated one fails the load */
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	int fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 4, &o);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	/* "program of this type cannot use helper" (6.x), "unknown func" (older) */
	*w = strstr(log, "cannot use helper") || strstr(log, " func ") ?
		"kernel lacks bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE off)" :
		"a kprobe program calling bpf_override_return does not load";
	return false;
}

static bool probe(enum bcct_feature f, const char **w)
{
	char p[256];

	switch (f) {
	case FEAT_BTF:
		*w = "no /sys/kernel/btf/vmlinux";
		return path_exists("/sys/kernel/btf/vmlinux");
	case FEAT_KPROBE:
		*w = "no kprobe PMU and no kprobe_events (CONFIG_KPROBES off)";
		if (path_exists("/sys/bus/event_source/devices/kprobe/type"))
			return true;
		snprintf(p, sizeof(p), "%s/kprobe_events", bcct_tracefs() ? bcct_tracefs() : "/nonexistent");
		return path_exists(p);
	case FEAT_KRETPROBE:
		*w = "no kprobes";
		return bcct_has(FEAT_KPROBE);
	case FEAT_FENTRY:
		return trial_tracing(BPF_TRACE_FENTRY, "vfs_read", BTF_KIND_FUNC, true, w);
	case FEAT_FEXIT:
		return trial_tracing(BPF_TRACE_FEXIT, "vfs_read", BTF_KIND_FUNC, true, w);
	case FEAT_TRACEPOINT:
		*w = bcct_tracefs_why();
		return bcct_tracefs() != NULL;
	case FEAT_RAW_TP:
		*w = "kernel lacks raw tracepoint programs";
		return libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL) == 1;
	case FEAT_TP_BTF:
		return trial_tracing(BPF_TRACE_RAW_TP, "btf_trace_sched_switch", BTF_KIND_TYPEDEF, false, w);
	case FEAT_UPROBE:
		*w = "no uprobe PMU and no uprobe_events";
		if (path_exists("/sys/bus/event_source/devices/uprobe/type"))
			return true;
		snprintf(p, sizeof(p), "%s/uprobe_events", bcct_tracefs() ? bcct_tracefs() : "/nonexistent");
		return path_exists(p);
	case FEAT_USDT:
		*w = "USDT needs uprobes";
		return bcct_has(FEAT_UPROBE);
	case FEAT_PERF_SW:
		return probe_perf(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, w);
	case FEAT_PERF_HW: {
		static _Thread_local char why[256];
		char sources[160];

		if (!pmc_pmu(sources, sizeof(sources))) {
			*w = pmc_why(ENOENT, false, 0, "cpu-cycles", sources, why, sizeof(why));
			return false;
		}
		return probe_perf(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, w);
	}
	case FEAT_RINGBUF:
		*w = "kernel before 5.8: perf buffer is used instead";
		return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
	case FEAT_COOKIE:
		*w = "kernel lacks bpf_get_attach_cookie";
		return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, NULL) == 1;
	case FEAT_KPROBE_MULTI:
		return probe_kprobe_multi(w);
	case FEAT_UPROBE_MULTI:
		return probe_uprobe_multi(w);
	case FEAT_OVERRIDE_RETURN:
		return probe_override_return(w);
	case FEAT__COUNT:
		break;
	}
	return false;
}

/* BCCT_DISABLE=fentry,tp_btf makes features count as absent: tests use it to exercise each
 * fallback on kernels that have the better method. */
static bool disabled(enum bcct_feature f)
{
	const char *list = getenv("BCCT_DISABLE");
	size_t n = strlen(names[f]);

	for (const char *p = list; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, names[f], n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* Features answered by loading or attaching something (bpf() and perf_event_open() calls, the
 * bulk of the probing time): their answers are cached per boot. The others read a file, cost
 * less than reading a cache entry, and can change (tracefs gets mounted). */
static bool probed_by_syscall(enum bcct_feature f)
{
	switch (f) {
	case FEAT_FENTRY: case FEAT_FEXIT: case FEAT_RAW_TP: case FEAT_TP_BTF: case FEAT_PERF_SW:
	case FEAT_PERF_HW: case FEAT_RINGBUF: case FEAT_COOKIE: case FEAT_KPROBE_MULTI:
	case FEAT_UPROBE_MULTI: case FEAT_OVERRIDE_RETURN:
		return true;
	default:
		return false;
	}
}

/* probe(), through the per-boot cache. Only answers "yes" are kept: a working load or attach
 * proves the feature, while a failure may be passing (memory, a locked-down moment) and costs
 * a run no more than it did before the cache. */
static bool probe_cached(enum bcct_feature f, const char **w)
{
	char key[32];
	size_t len;
	char *hit;

	if (!probed_by_syscall(f))
		return probe(f, w);
	snprintf(key, sizeof(key), "feat-%s", names[f]);
	if ((hit = bcct_cache_get(key, &len)) && len == 1 && hit[0] == '1') {
		free(hit);
		return true;
	}
	free(hit);
	if (!probe(f, w))
		return false;
	bcct_cache_put(key, "1", 1);
	return true;
}

bool bcct_has(enum bcct_feature f)
{
	if (!state[f]) {
		const char *w = "disabled by BCCT_DISABLE";
		bool ok = !disabled(f) && probe_cached(f, &w);

		state[f] = ok ? 1 : -1;
		why[f] = ok ? "" : w;
	}
	return state[f] > 0;
}

const char *bcct_feature_why(enum bcct_feature f)
{
	bcct_has(f);
	return why[f];
}

int bcct_needs_missing(unsigned needs, char *buf, size_t len)
{
	size_t used = 0;
	int n = 0;

	if (len)
		buf[0] = 0;
	for (int f = 0; f < FEAT__COUNT; f++) {
		if (!(needs & BCCT_NEEDS(f)) || bcct_has(f))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s (%s)", n ? ", " : "",
				 names[f], why[f]);
		n++;
	}
	return n;
}

/* ---- attach kinds ----------------------------------------------------------------------- */

static const struct {
	const char *prefix;
	enum bcct_kind kind;
} sections[] = {
	{ "fentry/", KIND_FENTRY },       { "fexit/", KIND_FEXIT },
	{ "kprobe/", KIND_KPROBE },       { "kretprobe/", KIND_KRETPROBE },
	{ "ksyscall/", KIND_KPROBE },     { "kretsyscall/", KIND_KRETPROBE },
	{ "tracepoint/", KIND_TRACEPOINT }, { "tp/", KIND_TRACEPOINT },
	{ "raw_tracepoint/", KIND_RAW_TP }, { "raw_tp/", KIND_RAW_TP },
	{ "tp_btf/", KIND_TP_BTF },
	{ "uprobe", KIND_UPROBE },         { "uretprobe", KIND_URETPROBE },
	{ "usdt", KIND_USDT },             { "perf_event", KIND_PERF_EVENT },
};

enum bcct_kind bcct_section_kind(const char *sec, const char **target)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		size_t n = strlen(sections[i].prefix);

		if (!strncmp(sec, sections[i].prefix, n)) {
			const char *t = sec + n;

			/* "uprobe/PATH:FUNC", "uprobe.s/...", and "uprobe.multi" or "uprobe.s" (no target) */
			if (*t == '.')
				t += strcspn(t, "/");
			if (*t == '/')
				t++;
			*target = t;
			return sections[i].kind;
		}
	}
	*target = "";
	return KIND_UNKNOWN;
}

const char *bcct_kind_name(enum bcct_kind k)
{
	static const char *const n[] = {
		[KIND_UNKNOWN] = "unknown", [KIND_FENTRY] = "fentry", [KIND_FEXIT] = "fexit",
		[KIND_KPROBE] = "kprobe", [KIND_KRETPROBE] = "kretprobe", [KIND_TRACEPOINT] = "tracepoint",
		[KIND_RAW_TP] = "raw_tp", [KIND_TP_BTF] = "tp_btf", [KIND_UPROBE] = "uprobe",
		[KIND_URETPROBE] = "uretprobe", [KIND_USDT] = "usdt", [KIND_PERF_EVENT] = "perf_event",
	};
	return n[k];
}

/* Is a kernel function traceable by kprobes? available_filter_functions is the authority; when
 * absent, kallsyms. */
static bool kfunc_exists(const char *fn)
{
	const struct sys_kernel_functions *k = sys_kernel_functions(bcct_tracefs());

	return !k || sys_kernel_function_exists(k, fn);   /* cannot tell: let the attach decide */
}

bool bcct_target_usable(enum bcct_kind k, const char *target, const char **w)
{
	char cat[128], name[128];

	*w = "";
	switch (k) {
	case KIND_FENTRY:
	case KIND_FEXIT:
		if (!bcct_has(k == KIND_FENTRY ? FEAT_FENTRY : FEAT_FEXIT)) {
			*w = bcct_feature_why(k == KIND_FENTRY ? FEAT_FENTRY : FEAT_FEXIT);
			return false;
		}
		if (bcct_btf_find(target, BTF_KIND_FUNC) < 0) {
			*w = "function not in kernel BTF";
			return false;
		}
		return true;
	case KIND_KPROBE:
	case KIND_KRETPROBE:
		if (!bcct_has(FEAT_KPROBE)) {
			*w = bcct_feature_why(FEAT_KPROBE);
			return false;
		}
		if (!kfunc_exists(target)) {
			*w = "function not found";
			return false;
		}
		return true;
	case KIND_TRACEPOINT:
		if (!bcct_tracefs()) {
			*w = bcct_tracefs_why();
			return false;
		}
		if (sscanf(target, "%127[^/]/%127s", cat, name) != 2 || !bcct_tracepoint_exists(cat, name)) {
			*w = "tracepoint not found";
			return false;
		}
		return true;
	case KIND_RAW_TP:
		if (!bcct_has(FEAT_RAW_TP)) {
			*w = bcct_feature_why(FEAT_RAW_TP);
			return false;
		}
		snprintf(name, sizeof(name), "btf_trace_%s", target);
		if (bcct_has(FEAT_BTF) && bcct_btf_find(name, BTF_KIND_TYPEDEF) < 0) {
			*w = "tracepoint not found";
			return false;
		}
		return true;
	case KIND_TP_BTF:
		if (!bcct_has(FEAT_TP_BTF)) {
			*w = bcct_feature_why(FEAT_TP_BTF);
			return false;
		}
		snprintf(name, sizeof(name), "btf_trace_%s", target);
		if (bcct_btf_find(name, BTF_KIND_TYPEDEF) < 0) {
			*w = "tracepoint not in BTF";
			return false;
		}
		return true;
	case KIND_UPROBE:
	case KIND_URETPROBE:
		if (!bcct_has(FEAT_UPROBE)) {
			*w = bcct_feature_why(FEAT_UPROBE);
			return false;
		}
		return true;
	case KIND_USDT:
		if (!bcct_has(FEAT_USDT)) {
			*w = bcct_feature_why(FEAT_USDT);
			return false;
		}
		return true;
	case KIND_PERF_EVENT: {
		/* target: the probe name, a hardware event's for PMC tools (core/pmc.h) */
		const struct pmc_event *ev = pmc_find(target, strlen(target));

		if (ev)
			return pmc_usable(ev, w);
		if (!bcct_has(FEAT_PERF_SW)) {
			*w = bcct_feature_why(FEAT_PERF_SW);
			return false;
		}
		return true;
	}
	case KIND_UNKNOWN:
		break;
	}
	*w = "unknown program section";
	return false;
}
