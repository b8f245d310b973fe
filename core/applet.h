/* The applet contract (docs/ARCHITECTURE.md, "Adding a tool"): an applet is its options, its
 * BPF program and how it prints. It names its skeleton with BCCT_SKELETON(x_bpf), registers
 * itself with exactly one BCCT_APPLET(name, ...) line, from which the build generates the
 * applet table, and hands a run description to bcct_run(); core opens, configures, loads,
 * attaches, runs and destroys. */
#ifndef BCCT_APPLET_H
#define BCCT_APPLET_H
#include <stddef.h>
#include "core/opts.h"
#include "core/log.h"

struct bpf_object_open_opts;
struct bpf_object_skeleton;
struct bpf_object;

/* A bpftool skeleton, typeless: what core needs to open and destroy one. */
struct bcct_skeleton {
	const char *name;                                       /* "runqlat_bpf" */
	const void *(*elf)(size_t *sz);                         /* the embedded object */
	void *(*open)(const struct bpf_object_open_opts *opts); /* x_bpf__open_opts */
	void (*destroy)(void *skel);                            /* x_bpf__destroy */
};

/* Every bpftool skeleton begins with these two fields; core reaches the object through them. */
struct bcct_skel_head {
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
};

/* Declares skeleton x (e.g. runqlat_bpf, from "runqlat.skel.h") as `x__skeleton`. */
#define BCCT_SKELETON(x)								\
	_Static_assert(offsetof(struct x, obj) == offsetof(struct bcct_skel_head, obj),	\
		       #x " does not begin as a bpftool skeleton");			\
	static void *x##__bcct_open(const struct bpf_object_open_opts *o)		\
	{ return x##__open_opts(o); }							\
	static void x##__bcct_destroy(void *s) { x##__destroy(s); }			\
	static const struct bcct_skeleton x##__skeleton = {				\
		#x, x##__elf_bytes, x##__bcct_open, x##__bcct_destroy }

/* A NULL-terminated list of names: BCCT_NAMES("open_enter", "open_exit"). */
#define BCCT_NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Another name for an applet with preset arguments: killsnoop = sigsnoop --kill-only. */
struct bcct_alias {
	const char *name;
	const char *summary;
	const char *args[6];
	/* Optional: the options the alias's BCC tool has, shown by its --help and the only ones
	 * it accepts (the preset args still go through the applet's table); NULL: the applet's. */
	const struct bcct_opt *opts;
	const char *examples;               /* with opts: the alias's --help examples */
	const char *description;            /* with opts: the alias's --help description */
	/* The probe spec kinds its preset args name (PS_F_*: vfscount's vfs_* kernel functions):
	 * `bcct features` lists the alias, runnable when one of them works here. */
	unsigned spec_kinds;
};

struct bcct_applet {
	const char *name;
	const char *category;
	const char *summary;
	const char *description;            /* optional longer text for --help */
	const char *examples;               /* BCC's examples, printed by --help */
	const struct bcct_opt *opts;
	/* The BPF object (&x_bpf__skeleton); NULL for applets that build programs at run time
	 * (trace, argdist) or need none (tplist). Its probes come from its program names
	 * (core/select.h); `bcct features` plans with it. */
	const struct bcct_skeleton *skeleton;
	/* Probes that may be absent on some kernels (sys_enter_open on arm64): skipped quietly. */
	const char *const *optional_probes;
	/* What the tool measures differently when a probe falls back from a kernel function
	 * (fentry, kprobe) to a tracepoint (filetop: syscall bytes rather than VFS requests):
	 * shown by -v and `bcct features` when that happens; --help's description says it too. */
	const char *fallback;
	int (*run)(void);                   /* after option parsing, once; returns an exit status */
	const struct bcct_alias *aliases;   /* terminated by { NULL } */
	bool no_bpf;                        /* runs without BPF privileges (tplist) */
	/* Probes given as specs at run time: the kinds it takes (PS_F_* of core/probe/probespec.h),
	 * for `bcct features` to say which work on this kernel. */
	unsigned spec_kinds;
	/* For applets that choose their kernel-function probes themselves (fsslower's fs_ops_plan),
	 * whether this kernel makes them fall back, so that .fallback is said as for core's own
	 * choice; NULL: core's probe selection decides. */
	bool (*falls_back)(void);
	/* Features it cannot run without that no probe of its object names (BCCT_NEEDS(FEAT_x) |
	 * ..., core/features.h): without one, the run stops after option parsing with one line
	 * naming what the kernel lacks, and `bcct features` says no. */
	unsigned needs;
};

#define BCCT_APPLET(id, ...) const struct bcct_applet bcct_applet_##id = { .name = #id, __VA_ARGS__ }
/* For a name that is no C identifier (BCC's reset-trace). */
#define BCCT_APPLET_NAMED(id, applet_name, ...) \
	const struct bcct_applet bcct_applet_##id = { .name = applet_name, __VA_ARGS__ }

/* The generated table, sorted by name, NULL-terminated. */
extern const struct bcct_applet *const bcct_applets[];
/* The applet currently running (set by the cli before run()). */
extern _Thread_local const struct bcct_applet *bcct_current;
#endif
