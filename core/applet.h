/* The applet contract (docs/ARCHITECTURE.md): an applet is its options, its BPF program and how
 * it prints. It registers itself with exactly one BCCT_APPLET(name, ...) line, from which the
 * build generates the applet table. */
#ifndef BCCT_APPLET_H
#define BCCT_APPLET_H
#include <stddef.h>
#include "core/opts.h"
#include "core/log.h"

/* One logical probe: candidate BPF program names, best first. Core enables exactly one. The
 * attach kind and target come from each program's section name (tp_btf/, raw_tp/, tracepoint/,
 * kprobe/, fentry/, perf_event, uprobe, usdt). */
#define BCCT_MAX_CANDIDATES 6
struct bcct_probe {
	const char *name;
	const char *progs[BCCT_MAX_CANDIDATES];
	bool optional;      /* absent on some kernels (e.g. sys_enter_open on arm64): skip quietly */
};
#define PROBE(n, ...)     { .name = n, .progs = { __VA_ARGS__ } }
#define PROBE_OPT(n, ...) { .name = n, .progs = { __VA_ARGS__ }, .optional = true }
#define PROBE_END         { .name = NULL }

/* Another name for an applet with preset arguments: killsnoop = sigsnoop --kill-only. */
struct bcct_alias {
	const char *name;
	const char *summary;
	const char *args[6];
};

struct bcct_applet {
	const char *name;
	const char *category;
	const char *summary;
	const char *description;            /* optional longer text for --help */
	const char *examples;               /* BCC's examples, printed by --help */
	const struct bcct_opt *opts;
	const struct bcct_probe *probes;    /* used by `bcct features` and by core at run time */
	const void *(*bpf_elf)(size_t *sz); /* the skeleton's embedded object, NULL for no BPF */
	int (*run)(void);                   /* after option parsing; returns an exit status */
	const struct bcct_alias *aliases;   /* terminated by { NULL } */
	bool no_bpf;                        /* runs without BPF privileges (tplist) */
};

#define BCCT_APPLET(id, ...) const struct bcct_applet bcct_applet_##id = { .name = #id, __VA_ARGS__ }

/* The generated table, sorted by name, NULL-terminated. */
extern const struct bcct_applet *const bcct_applets[];
/* The applet currently running (set by the cli before run()). */
extern const struct bcct_applet *bcct_current;
#endif
