/* Probe selection: which of an object's programs run on this kernel.
 *
 * An applet never lists its programs. A logical probe is every program whose name is
 * `<probe>_<variant>` with a variant suffix below and whose section names its target
 * (`raw_tp/sched_switch`, `tracepoint/syscalls/sys_enter_openat`, `perf_event`). Its
 * candidates are those programs in one global order of preference:
 *
 *   fentry/fexit      exact, cheapest, typed arguments; needs BTF and trampolines
 *   kprobe/kretprobe  exact; needs kprobes
 *   raw_tp            the tracepoint's raw hook: cheap, no BTF attach id to resolve
 *   tp_btf            the same hook with typed arguments, but libbpf must parse all of vmlinux
 *                     BTF for its attach id (docs/ARCHITECTURE.md, "Start-up")
 *   tracepoint        the classic event with its stable format: slowest, oldest kernels
 *   perf_event        sampling (profile, runqlen)
 *
 * A probe named `<whole>__<part>` (two underscores) is a part of probe `<whole>` when the object
 * has one: a single program that does the work of all its parts, e.g. `sys_enter_raw` on
 * raw_tp/sys_enter dispatching on the syscall number instead of `sys_enter__openat_tp`,
 * `sys_enter__open_tp`, ... on the per-syscall tracepoints. When the whole has a usable
 * candidate, its parts are not needed; when it has none, the whole is skipped and each part is
 * chosen as any probe. The whole is preferred because one program per hook releases without
 * the per-event grace period of tracepoint perf events (bench/ctrlc).
 *
 * Programs with a run-time target (bare `uprobe`, `usdt`, `kprobe`, `fentry` sections) are
 * not probes: the applet attaches them itself. One function, sel_plan(), serves both the run
 * (core/run.c) and `bcct features`; the kernel's answers come through a callback so that a
 * unit test can stub them (tests/unit/test_select.c). */
#ifndef BCCT_SELECT_H
#define BCCT_SELECT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/features.h"

#define SEL_MAX_PROGS 64
#define SEL_NAME_MAX 64

/* One program of the object, as the selection sees it. */
struct sel_prog {
	const char *name;        /* "sched_switch_raw" */
	const char *section;     /* "raw_tp/sched_switch" */
	bool enabled;            /* the applet did not turn it off for these options */
	bool excluded;           /* failed to load earlier in this run: never chosen again */
	bool chosen;             /* out: load and attach this one */
};

/* A logical probe and its candidates (indices into the program array), best first. */
struct sel_probe {
	char name[SEL_NAME_MAX];   /* "sched_switch" */
	int cand[8];
	int ncand;
	int chosen;                /* index into the programs, -1 when none */
	bool needed;               /* some candidate is enabled */
	bool optional;             /* the applet said it may be absent on some kernels */
	int whole;                 /* a part: index of its whole in the plan's probes, else -1 */
	bool covered;              /* a part whose whole was chosen: not needed */
	char why[256];             /* when none is usable: each candidate's reason */
};

struct sel_plan {
	struct sel_probe probes[SEL_MAX_PROGS];
	int nprobes;
};

/* The kernel's answer for one candidate: usable, or false with a reason. */
typedef bool (*sel_usable_fn)(enum bcct_kind kind, const char *target, const char **why);

/* The variant suffix's length if name ends in one ("_raw": 4), else 0. */
size_t sel_variant_suffix(const char *name);

/* Groups progs into probes and chooses, per needed probe, its first enabled, not excluded,
 * usable candidate; marks progs[i].chosen. `optional` is a NULL-terminated list of probe names
 * (may be NULL). Returns 0, or -1 when a needed, non-optional probe has no candidate
 * (plan->probes names it and says why). */
int sel_plan(struct sel_prog *progs, int nprogs, const char *const *optional, sel_usable_fn usable,
	     struct sel_plan *plan);
#endif
