/* BCC's probe specifications, shared by funccount, funclatency (and stackcount, trace, argdist):
 *
 *   func  p::func  r::func       kernel function (kprobe, or fentry/fexit for a single function
 *                                in tools with PS_F_FENTRY; "r:" = return probe where allowed)
 *   lib:func  p:lib:func         user function in a library ("c" -> libc.so.6) or binary
 *   /path:func  ./bin:func       user function in a file
 *   t:category:event             tracepoint
 *   u:lib:probe  u:lib:provider:probe   USDT probe
 *
 * Function, event and probe names take '*' wildcards (fnmatch), or regular expressions with
 * PS_F_REGEX (BCC's -r: anchored at the start, like Python's re.match). A spec is parsed
 * (syntax, library resolution), checked against the kernel, expanded into concrete targets
 * (ELF symbol tables, tracefs, USDT notes, kernel function lists), and attached with one BPF
 * program per kind and a BPF cookie per target: cookie = cookie_base + target index. */
#ifndef BCCT_PROBE_PROBESPEC_H
#define BCCT_PROBE_PROBESPEC_H
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct bpf_program;

enum ps_kind {
	PS_KFUNC,        /* kernel function: kprobe/kretprobe */
	PS_UFUNC,        /* user function: uprobe/uretprobe */
	PS_TRACEPOINT,   /* t:category:event */
	PS_USDT,         /* u:lib[:provider]:probe */
};

/* What a tool accepts (ps_parse flags). */
#define PS_F_KFUNC      0x01u
#define PS_F_UFUNC      0x02u
#define PS_F_TRACEPOINT 0x04u
#define PS_F_USDT       0x08u
#define PS_F_RETPROBE   0x10u   /* "r:" accepted (trace, argdist) */
#define PS_F_REGEX      0x20u   /* -r: names are regular expressions */
#define PS_F_FENTRY     0x40u   /* the tool has fentry/fexit programs (ps_progs.fentry):
                                    * one kernel function needs no kprobes where fentry works */
#define PS_F_FUNCS      (PS_F_KFUNC | PS_F_UFUNC)
#define PS_F_ALL        (PS_F_FUNCS | PS_F_TRACEPOINT | PS_F_USDT)

/* BCC refuses more than this many probes per spec (funccount's verify_limit). */
#define PS_MAX_TARGETS 1000

struct ps_spec {
	char *text;             /* the spec as given (for messages and banners) */
	enum ps_kind kind;
	bool retprobe;          /* "r:" */
	unsigned flags;
	pid_t pid;              /* -p: library lookup in the process, and attach filter */
	char *lib;              /* library or binary as written; NULL for kernel targets */
	char *path;             /* lib resolved to a file, to open and attach; NULL for kernel
				 * targets. With a pid: "/proc/self/fd/N", the inode the process
				 * sees under that name (sys_pid_find_library), held open as fd */
	char *shown;            /* with a pid: the file's path as the process sees it (messages) */
	int fd;                 /* with a pid: the descriptor path names */
	char *provider;         /* USDT provider pattern; NULL: any provider */
	char *pattern;          /* function, "category:event", or USDT probe name */
	bool regex;
	regex_t re;             /* when regex: on the name, or on "provider:name" (USDT with provider) */
};

struct ps_target {
	char *name;             /* as printed: "malloc", "sched:sched_switch", "marker" */
	char *func;             /* function; tracepoint category; USDT provider */
	char *event;            /* tracepoint event; USDT probe name; NULL otherwise */
	uint64_t addr;          /* uprobe: symbol value (ELF virtual address) */
	uint64_t offset;        /* uprobe: file offset the probe goes on */
	bool attached;          /* set by ps_attach */
};

struct ps_targets {
	size_t n, cap;
	struct ps_target *v;
	const char *path;       /* the file of uprobe and USDT targets (the spec's path) */
};

/* Parses text. Syntax errors print one line naming the spec and a caret line under the bad
 * column, and return BCCT_EXIT_USAGE (as does an unknown library); 0 on success. pid may be 0. */
int ps_parse(const char *text, unsigned flags, pid_t pid, struct ps_spec *ps);
/* Same for a spec that is a part of a longer argument (trace's "p:c:malloc(size_t n) ..."):
 * the spec is whole[at, at + len) and carets point into whole. */
int ps_parse_at(const char *whole, size_t at, size_t len, unsigned flags, pid_t pid,
			    struct ps_spec *ps);
void ps_free(struct ps_spec *ps);
/* The spec's file by the name to show in messages. */
static inline const char *ps_file_name(const struct ps_spec *ps)
{
	return ps->shown ? ps->shown : ps->path;
}

/* "probe \"SPEC\": message" and a caret under column col of spec (no caret when col < 0), on
 * stderr, prefixed with the applet name. For tools' own errors inside a spec. */
void ps_error(const char *spec, long col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Can this kernel attach what ps names? Prints one line and returns BCCT_EXIT_FAIL when not
 * (kernel functions without kprobes: "...need kprobes or fentry, which this kernel lacks"),
 * 0 when it can. With PS_F_FENTRY, fentry without kprobes passes here and ps_prepare
 * refuses what fentry cannot serve. */
/* For `bcct features`: "probes given at run time: tracepoints (t:), user functions and USDT
 * work; kernel functions need kprobes (CONFIG_KPROBES off)", for a tool taking these kinds.
 * Returns how many of the kinds work here (0: the tool cannot run). */
int ps_kinds_summary(unsigned flags, char *buf, size_t len);
int ps_supported(const struct ps_spec *ps);

/* Expands ps into concrete targets (in t, which must be zeroed): ELF function symbols (one per
 * address and per name, as BCC), tracefs events, USDT provider:name pairs, kernel functions
 * (available_filter_functions or kallsyms, minus the kprobe blacklist). Returns the number of
 * targets (0: nothing matched, nothing printed), or BCCT_EXIT_FAIL's negation (-1) after
 * printing why (unreadable file, more than max targets when max > 0). */
int ps_expand(const struct ps_spec *ps, size_t max, struct ps_targets *t);
void ps_targets_free(struct ps_targets *t);
/* One line per target ("cookie kind name file+offset"), for funccount -D and -v. */
void ps_targets_print(FILE *out, const struct ps_spec *ps, const struct ps_targets *t);

/* The steps every tool takes for a pattern: parse (flags, pid as ps_parse), check the
 * kernel (ps_supported), expand into at most PS_MAX_TARGETS targets, and with
 * debug list them on stderr (ps_targets_print). nomatch is the tool's message when nothing
 * matched, a printf format with one %s for the pattern. spec and targets must be zeroed; free
 * them with ps_close whatever this returns. Returns 0 (targets->n > 0), or an exit
 * status after one message. */
int ps_open(const char *pattern, unsigned flags, pid_t pid, const char *nomatch,
			bool debug, struct ps_spec *spec, struct ps_targets *targets);
/* Frees both, and zeroes them for another run. */
void ps_close(struct ps_spec *spec, struct ps_targets *targets);
/* BCC's banner of funccount, funclatency and stackcount, in buf: "Tracing N functions for
 * \"PATTERN\"... Hit Ctrl-C to end." (N: every target matched). Returns buf. */
const char *ps_banner(char *buf, size_t len, const char *pattern,
				  const struct ps_targets *t);
/* Their .on_exit: "Detaching..." (text output only). */
void ps_detaching(void *ctx);

/* The programs a tool offers for a spec. Every one is optional but the one the spec's kind needs:
 *   probe  SEC("uprobe"): uprobes and kprobes through perf events (one link per target)
 *   multi  SEC("uprobe"): turned into a uprobe_multi program (one link for all targets)
 *   tp     SEC("uprobe"): turned into a tracepoint program (one link per target)
 *   usdt   SEC("usdt")
 * They are declared with target-less "uprobe"/"usdt" sections so core leaves their attachment
 * to the tool's .attach callback; ps_prepare fixes their types before load. */
struct ps_progs {
	struct bpf_program *probe, *multi, *tp, *usdt;
	/* SEC("fentry") (SEC("fexit") when ret): used instead of probe for a single kernel function
	 * in the kernel's BTF, with at most 6 arguments, where the kernel has fentry (fexit). */
	struct bpf_program *fentry;
	const char *label;       /* names the set in -v's "probe LABEL: METHOD"; default "targets" */
	bool ret;                /* the return half of an entry/return pair (funclatency, funcslower) */
	bool shared;             /* the program does not tell targets apart (stackcount): several
	                          * targets need no attach cookies */
	bool kfunc_by_ip;        /* probe can tell kernel functions apart by the instruction
	                          * pointer (funccount): several of them need no attach cookies */
	bool use_multi;          /* chosen by ps_prepare */
	bool use_fentry;         /* chosen by ps_prepare: fentry is loaded, probe is not */
	int fentry_args;         /* with use_fentry: the function's argument count */
};

/* Before load: enables only the programs ps needs (autoload), sets the tracepoint program's type,
 * the uprobe_multi program's attach type and the fentry program's target, and refuses (one line, BCCT_EXIT_FAIL) several
 * targets on kernels without BPF cookies (< 5.15), which could not tell them apart (unless
 * p->shared). Returns 0. */
int ps_prepare(const struct ps_spec *ps, const struct ps_targets *t,
		    struct ps_progs *p);
/* Whether p's probe program is to key kernel functions by the instruction pointer: several
 * kernel-function targets, p->kfunc_by_ip, and no attach cookies on this kernel. */
bool ps_keys_by_ip(const struct ps_spec *ps, const struct ps_targets *t,
		   const struct ps_progs *p);
/* The index of the kernel-function target whose code holds ip (a kprobe's PT_REGS_IP: the
 * function's address plus the breakpoint or the ftrace call), found by its kallsyms name; -1
 * when ip is in none of them. */
long ps_kfunc_target_at(const struct ps_targets *t, uint64_t ip);
/* After load (from the .attach callback): attaches every target, cookie = cookie_base + index,
 * as a return probe when retprobe. Links go to core (bcct_track_link). A target that cannot be
 * attached is reported (first few by name) and skipped. Returns the number attached, or a
 * negative errno when none could be. */
int ps_attach(const struct ps_spec *ps, struct ps_targets *t,
		   const struct ps_progs *p, bool retprobe, uint64_t cookie_base);
/* An entry set and a return set (ret->ret) for one spec: ps_prepare on both, then
 * ps_attach on both (the return set as return probes). Same results. */
int ps_prepare_pair(const struct ps_spec *ps, const struct ps_targets *t,
			 struct ps_progs *entry, struct ps_progs *ret);
int ps_attach_pair(const struct ps_spec *ps, struct ps_targets *t,
			const struct ps_progs *entry, const struct ps_progs *ret,
			uint64_t cookie_base);
#endif
