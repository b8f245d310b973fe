/* See pmc.h. */
#include "core/pmc.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>
#include "core/log.h"
#include "core/sys/sys.h"

static const struct pmc_event pmc_events[] = {
	{ "cache_misses", "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "cache_references", "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cpu_cycles", "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "branch_misses", "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
};

const struct pmc_event *pmc_find(const char *probe, size_t len)
{
	for (size_t i = 0; i < sizeof(pmc_events) / sizeof(pmc_events[0]); i++)
		if (strlen(pmc_events[i].probe) == len && !strncmp(pmc_events[i].probe, probe, len))
			return &pmc_events[i];
	return NULL;
}

const char *pmc_why(int err, bool have_pmu, int paranoid, const char *event, const char *sources,
		    char *buf, size_t len)
{
	if (!have_pmu)
		snprintf(buf, len, "no hardware PMU (event sources: %s): a virtual machine without a "
			 "virtual PMU?", sources && *sources ? sources : "none");
	else if (err == ENOENT || err == EOPNOTSUPP || err == EINVAL)
		snprintf(buf, len, "the hardware PMU does not count %s", event);
	else if ((err == EACCES || err == EPERM) && paranoid > 2)
		snprintf(buf, len, "kernel.perf_event_paranoid is %d: CPU-wide hardware events need "
			 "CAP_PERFMON (or a setting of 2 or less)", paranoid);
	else if (err == EACCES || err == EPERM)
		snprintf(buf, len, "not allowed to open CPU-wide hardware events (CAP_PERFMON or "
			 "CAP_SYS_ADMIN; kernel.perf_event_paranoid is %d)", paranoid);
	else if (err == EBUSY)
		snprintf(buf, len, "the hardware PMU is busy: another user holds %s exclusively", event);
	else if (err == EMFILE)
		snprintf(buf, len, "too many open files for one %s event per CPU", event);
	else
		snprintf(buf, len, "cannot open %s: %s", event, strerror(err));
	return buf;
}

/* The core PMU: a directory of /sys/bus/event_source/devices that is none of the kernel's
 * software sources. x86 names it "cpu" (hybrid: "cpu_core", "cpu_atom"), arm64 "armv8_*". */
const char *pmc_pmu(char *sources, size_t len)
{
	static const char *const not_hardware[] = { "software", "tracepoint", "breakpoint",
		"kprobe", "uprobe", "msr", "power", "cstate_core", "cstate_pkg", "intel_bts" };
	static _Thread_local char pmu[256];   /* a d_name */
	DIR *d = opendir("/sys/bus/event_source/devices");
	struct dirent *e;
	size_t used = 0;

	pmu[0] = '\0';
	if (len)
		sources[0] = '\0';
	while (d && (e = readdir(d))) {
		bool hw = true;

		if (e->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < sizeof(not_hardware) / sizeof(not_hardware[0]); i++)
			hw &= strcmp(e->d_name, not_hardware[i]) != 0;
		if (hw && (!pmu[0] || !strcmp(e->d_name, "cpu")))
			snprintf(pmu, sizeof(pmu), "%s", e->d_name);
		if (used < len)
			used += snprintf(sources + used, len - used, "%s%s", used ? ", " : "", e->d_name);
	}
	if (d)
		closedir(d);
	/* What opens is what counts: a PMU directory can exist for events that are not the
	 * generic hardware ones (an uncore PMU only). */
	if (pmu[0]) {
		struct perf_event_attr a = { .size = sizeof(a), .type = PERF_TYPE_HARDWARE,
					     .config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1,
					     .exclude_kernel = 1 };
		int fd = syscall(__NR_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

		if (fd < 0 && (errno == ENOENT || errno == EOPNOTSUPP || errno == ENODEV))
			pmu[0] = '\0';
		if (fd >= 0)
			close(fd);
	}
	return pmu[0] ? pmu : NULL;
}

static int paranoid_level(void)
{
	char *s = sys_read_file("/proc/sys/kernel/perf_event_paranoid", 64, NULL);
	int level = s ? atoi(s) : 2;   /* the kernel's default */

	free(s);
	return level;
}

int pmc_open(const struct pmc_event *ev, long period, int cpu, bool disabled)
{
	struct perf_event_attr a = { .size = sizeof(a), .type = ev->type, .config = ev->config,
				     .sample_period = (uint64_t)period, .disabled = disabled };

	return (int)syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

const char *pmc_why_now(const struct pmc_event *ev, int err)
{
	static _Thread_local char buf[256];
	char sources[160];
	bool have = pmc_pmu(sources, sizeof(sources)) != NULL;

	return pmc_why(err, have, paranoid_level(), ev->name, sources, buf, sizeof(buf));
}

bool pmc_usable(const struct pmc_event *ev, const char **why)
{
	int fd = pmc_open(ev, 1000000, 0, true);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	*why = pmc_why_now(ev, errno);
	return false;
}
