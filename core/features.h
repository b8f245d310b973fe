/* Kernel BPF capabilities, probed once per run; what a bpf() or perf_event_open() trial
 * proves is kept for the rest of the boot (core/bootcache.h). */
#ifndef BCCT_FEATURES_H
#define BCCT_FEATURES_H
#include <stdbool.h>
#include <stddef.h>

enum bcct_feature {
	FEAT_BTF,
	FEAT_KPROBE,
	FEAT_KRETPROBE,
	FEAT_FENTRY,
	FEAT_FEXIT,
	FEAT_TRACEPOINT,
	FEAT_RAW_TP,
	FEAT_TP_BTF,
	FEAT_UPROBE,
	FEAT_USDT,
	FEAT_PERF_SW,
	FEAT_PERF_HW,
	FEAT_RINGBUF,
	FEAT_COOKIE,
	FEAT_KPROBE_MULTI,
	FEAT_UPROBE_MULTI,
	FEAT_OVERRIDE_RETURN,      /* bpf_override_return in kprobe programs (error injection) */
	FEAT__COUNT,
};

bool bcct_has(enum bcct_feature f);
const char *bcct_feature_name(enum bcct_feature f);
/* One line of why a feature is absent ("no kprobe PMU and no kprobe_events"), "" if present. */
const char *bcct_feature_why(enum bcct_feature f);
/* An applet's .needs: the features it cannot run without, beyond what its probes say. */
#define BCCT_NEEDS(f) (1u << (f))
/* The features of the mask this kernel lacks, as "kprobe (why), ..." into buf; their number. */
int bcct_needs_missing(unsigned needs, char *buf, size_t len);

/* Attach kinds, derived from a BPF program's section name. */
enum bcct_kind {
	KIND_UNKNOWN,
	KIND_FENTRY, KIND_FEXIT, KIND_KPROBE, KIND_KRETPROBE, KIND_TRACEPOINT, KIND_RAW_TP,
	KIND_TP_BTF, KIND_UPROBE, KIND_URETPROBE, KIND_USDT, KIND_PERF_EVENT,
};
/* Parses a section name ("tp_btf/sched_switch") into kind and target ("sched_switch"; for
 * tracepoints "category/name"). target may be "" when the section has none. */
enum bcct_kind bcct_section_kind(const char *sec, const char **target);
const char *bcct_kind_name(enum bcct_kind k);   /* "tp_btf", "kprobe", ... */
/* Can a program of this kind attach to this target on this kernel? Sets *why when not. */
bool bcct_target_usable(enum bcct_kind k, const char *target, const char **why);

/* Tracefs: found, or mounted at /sys/kernel/tracing when absent. NULL if impossible. */
const char *bcct_tracefs(void);
/* Why bcct_tracefs() is NULL (not readable by this user, not mountable); NULL when it is not. */
const char *bcct_tracefs_why(void);
/* Does tracefs have events/<category>/<name>? */
bool bcct_tracepoint_exists(const char *category, const char *name);
#endif
