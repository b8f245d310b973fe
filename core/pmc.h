/* Hardware performance counters (PMCs) as sampling sources for perf_event programs: one event
 * opened per online CPU with a sample period, the program attached to each. A PMC tool is a
 * program named after its event, `<event>_perf` (llcstat: cache_misses_perf and
 * cache_references_perf): core's probe selection asks pmc_usable() for it, and attaches it with
 * pmc_attach(); any other perf_event program samples the software cpu-clock. The next PMC tool
 * is an entry in pmc_events (core/pmc.c). */
#ifndef BCCT_PMC_H
#define BCCT_PMC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_program;

/* Events per sample when the run gives no sample_period (BCC's llcstat -c default). */
#define PMC_PERIOD_DEFAULT 100

struct pmc_event {
	const char *probe;       /* the program's probe name: "cache_misses" */
	const char *name;        /* as perf names it: "cache-misses" */
	uint32_t type;           /* PERF_TYPE_HARDWARE, PERF_TYPE_HW_CACHE */
	uint64_t config;
};

/* The event a perf_event program's probe name stands for, or NULL (software sampling). */
const struct pmc_event *pmc_find(const char *probe, size_t len);

/* Why a hardware event cannot be opened, from perf_event_open's errno, whether the machine has
 * a hardware PMU at all, and kernel.perf_event_paranoid: one line, e.g. "no hardware PMU
 * (event sources: breakpoint, software, tracepoint, uprobe)", "the cpu PMU does not count
 * cache-misses", "kernel.perf_event_paranoid is 3: ...". `sources` lists the event sources
 * (for the no-PMU case); buf gets the text. Pure: unit-tested (tests/unit/test_pmc.c). */
const char *pmc_why(int err, bool have_pmu, int paranoid, const char *event, const char *sources,
		    char *buf, size_t len);

/* Whether ev can be opened here (a trial: CPU-wide on CPU 0, disabled); *why otherwise (a
 * static buffer). */
bool pmc_usable(const struct pmc_event *ev, const char **why);

/* perf_event_open of ev on one CPU (every task), sampling every `period` events: the fd, or -1
 * with errno set. */
int pmc_open(const struct pmc_event *ev, long period, int cpu, bool disabled);
/* pmc_why for ev and errno err, on this machine (its PMU, its paranoid setting); a static buffer. */
const char *pmc_why_now(const struct pmc_event *ev, int err);

/* Opens ev on every online CPU, sampling every `period` events, and attaches prog to each (the
 * links tracked by core; in core/attach.c; core/run.c calls it for `<event>_perf` programs, with the run's
 * sample_period). 0, or -1 after one line (pmc_why's). */
int pmc_attach(struct bpf_program *prog, const struct pmc_event *ev, long period);

/* For `bcct features`: the hardware PMU, "cpu" (the core PMU's name under
 * /sys/bus/event_source/devices), or NULL when there is none; sources gets the event sources
 * there ("breakpoint, software, ..."). */
const char *pmc_pmu(char *sources, size_t len);
#endif
