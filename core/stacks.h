/* Stack traces printed as BCC prints them, for every applet that collects stack ids with
 * bpf_get_stackid() into a BPF_MAP_TYPE_STACK_TRACE map (profile, offcputime, stackcount,
 * trace -U/-K, memleak...). Two layouts, as BCC's profile.py and offcputime.py:
 *
 *   multi-line                           folded (-f)
 *       kernel_frame (innermost first)   comm;user_outer;...;user_inner;kernel_outer;...;kernel_inner N
 *       --                 (-d)          (-d puts a "-" frame between user and kernel)
 *       user_frame
 *       -                comm (pid)
 *           N
 *
 * With --json: one element of the interval's "stacks" array per stack
 * {"comm","pid","count","kernel":[...],"user":[...]} (no "pid" when the stack merges processes),
 * frames innermost first. A negative stack id is absent: -EFAULT means there is no such stack (a
 * kernel stack sampled in user mode, the user stack of a kernel thread) and prints nothing;
 * any other error prints BCC's "[Missed Kernel Stack]" / "[Missed User Stack]" and is counted
 * for the closing "WARNING: N stack traces could not be displayed." line. */
#ifndef BCCT_STACKS_H
#define BCCT_STACKS_H
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>
#include "ustack.h"             /* bpf/: the stack copies of --unwind=dwarf */
#include "core/stackprof.h"     /* --pprof, --svg: STD_STACK_EXPORT_OPTS */

struct bpf_map;

/* Stack map value size the BPF side should use: 127 frames of u64, the kernel's default
 * perf_event_max_stack. Maps of any depth work: the printer reads the map's value size. */
#define BCCT_STACK_DEPTH 127

/* BCC's --stack-storage-size (offcputime, profile): the stack map's entries. Each holds up to
 * BCCT_STACK_DEPTH frames (about 1 KiB), so the bound keeps a slip of the finger from asking
 * the kernel for gigabytes; the error states it. */
#define BCCT_STACK_STORAGE_DEFAULT 16384
#define BCCT_STACK_STORAGE_MAX (1 << 20)
#define STACK_STORAGE_OPT(var) \
	OPT_INT_(0, "stack-storage-size", &(var), "STACK_STORAGE_SIZE", \
		 "the number of unique stack traces that can be stored and displayed (default 16384)", \
		 1, BCCT_STACK_STORAGE_MAX)

/* How stacks are shown; the applet fills it from its options. */
struct bcct_stack_fmt {
	bool kernel;            /* show kernel stacks (BCC: not -U) */
	bool user;              /* show user stacks (BCC: not -K) */
	bool folded;            /* -f: one line per stack */
	bool delimited;         /* -d: "--" line / "-" frame between kernel and user stacks */
	bool annotate;          /* -a: "_[k]" after kernel frame names */
	bool offsets;           /* "name+0x1a" instead of "name" */
	bool addresses;         /* multi-line: "%-16llx " raw address before each name */
	bool modules;           /* " [module]" after each frame (BCC's show_module: trace) */
	const char *value_key;  /* JSON name of the value; default "count" */
	/* Added for file:line and demangling; both are also switched on by STD_STACK_OPTS. */
	bool no_demangle;       /* keep C++/Rust names mangled (default: demangled) */
	bool lines;             /* user frames: "name (/src/file.c:42)" from DWARF line tables */
	/* What the values measure, for --pprof and --svg (core/stackprof.h): every stack printed
	 * is also recorded there when one of them was asked for. */
	struct stackprof_desc export;
};

/* The options every stack-printing applet offers, filled by STD_STACK_OPTS and merged into
 * every bcct_stack_fmt by bcct_stacks_new():
 *   --no-demangle  names as in the symbol table ("_ZN2ns3fooIiEEvT_" instead of "void
 *                  ns::foo<int>(int)"); by default C++ (Itanium) and Rust (legacy, v0) names
 *                  are demangled, as c++filt and rustfilt print them.
 *   --lines        user frames get " (FILE:LINE)" after the name: "spin (/src/app.c:42)",
 *                  from the .debug_line of the mapped file or of its separate debug file
 *                  (.gnu_debuglink, build-id); return addresses are looked up at the call
 *                  (address - 1). Frames without line information are printed as before.
 *                  Kernel frames never get one. */
struct bcct_stack_opts {
	bool no_demangle;
	bool lines;
};
extern _Thread_local struct bcct_stack_opts bcct_stack_opts;
extern struct bcct_stack_opts bcct_stack_opts_layout;
#define STD_STACK_OPTS \
	OPT_FLAG_(0, "no-demangle", OPT_DEST(bcct_stack_opts, no_demangle), "do not demangle C++/Rust function names"), \
	OPT_FLAG_(0, "lines", OPT_DEST(bcct_stack_opts, lines), "show source file:line of user frames (DWARF)")

/* One stack to print. */
struct bcct_stack {
	int kernel_id;          /* stack map ids, < 0 when absent (see above) */
	int user_id;
	int pid;                /* shown as "comm (pid)" */
	int tgid;               /* process owning the user addresses; 0: same as pid */
	const char *comm;
	unsigned long long value;
	/* User stack unwound in user space (--unwind=dwarf): when user_addrs is set, these
	 * user_n addresses (innermost first) are printed instead of looking user_id up. */
	const uint64_t *user_addrs;
	int user_n;
	/* The user stack was taken at a function's entry (a uprobe): its caller, which the
	 * frame-pointer walk missed unless the kernel added it (bpf/ustack.h). Zero: nothing to
	 * add, and always so for stacks unwound from copies (user_addrs). */
	struct bcct_entry_caller caller;
	/* What else the entry is counted by, shown before its frames: text "  KEY: LABEL", JSON
	 * "KEY": "LABEL" (bcct_stacks_print_hists: pmlock's and pmheld's mutex). NULL: none. */
	const char *label_key, *label;
};

struct bcct_stacks;

/* Printer state for one stack map: symbol caches, missed-stack counts. NULL on failure, also
 * when a --pprof or --svg file cannot be created (one line said why). */
struct bcct_stacks *bcct_stacks_new(struct bpf_map *stack_map, const struct bcct_stack_fmt *fmt);
/* The same for a stack map known only by its fd (programs loaded without libbpf objects: trace).
 * bcct_stacks_print_map(..., clear) then leaves the stack map alone. */
struct bcct_stacks *bcct_stacks_new_fd(int stack_map_fd, const struct bcct_stack_fmt *fmt);
void bcct_stacks_free(struct bcct_stacks *s);
/* For an applet's configure(): frees *s, left by an attempt core fell back from, and makes a new
 * printer for stack_map. 0, or BCCT_EXIT_FAIL with *s NULL. */
int bcct_stacks_renew(struct bcct_stacks **s, struct bpf_map *stack_map, const struct bcct_stack_fmt *fmt);

/* Prints one stack in the configured layout (or one JSON object). */
void bcct_stack_print(struct bcct_stacks *s, const struct bcct_stack *st);

/* For applets with their own layout (stackcount): records st for --pprof/--svg from the frames
 * bcct_stack_frames()/bcct_stack_user_frames() resolved last for each side. */
void bcct_stack_record(struct bcct_stacks *s, const struct bcct_stack *st);
/* The end of one printing of all stacks: the missed-stacks warning, and the --pprof/--svg files
 * written again with everything recorded so far. bcct_stacks_print_map/_agg call it; applets
 * with their own loop call it after it. 0, or -1 when a file could not be written. */
int bcct_stacks_done(struct bcct_stacks *s);

/* Frame texts of one stack, innermost first, symbolized and formatted as bcct_stack_print
 * does (offsets, "_[k]"; leading frames of the tracing machinery itself, such as bpf_prog_*
 * and bpf_trace_run*, dropped), for applets with their own layout. Returns the number of frames,
 * 0 when id is negative, -1 when the id is no longer in the map. *names stays valid until the
 * next call for the same side (kernel or user). tgid and caller (as in struct bcct_stack; NULL:
 * none) are for user stacks only. */
int bcct_stack_frames(struct bcct_stacks *s, int id, bool user, int tgid,
		      const struct bcct_entry_caller *caller, const char *const **names);

/* Raw addresses of the frames bcct_stack_frames() returned last for that side. */
const uint64_t *bcct_stack_addrs(struct bcct_stacks *s, bool user);

/* Fills the stack description of one key of a counts map (comm may point into key). */
typedef void (*bcct_stack_describe_fn)(const void *key, struct bcct_stack *st);

/* The usual end of a stack tool: every entry of `counts` (any key -> u64, per-CPU maps summed)
 * sorted by value ascending as BCC does, described by `describe`, printed; then the warning
 * for missed stacks on stderr. With `clear`, the counts and stack maps are emptied (interval
 * output). Returns the number of entries printed, or -1. */
int bcct_stacks_print_map(struct bcct_stacks *s, struct bpf_map *counts,
			  bcct_stack_describe_fn describe, bool clear);

/* Applets whose entries hold several stacks in a layout of their own (offwaketime: waker and
 * target; wakeuptime): every entry of `counts` (key -> u64) sorted as bcct_stacks_print_map
 * sorts, handed to `entry` with its value (JSON: inside the interval's "stacks" list), then the
 * missed-stack warning; with clear, both maps emptied. Returns the number of entries, or -1. */
typedef void (*bcct_stack_entry_fn)(struct bcct_stacks *s, const void *key, uint64_t value);
int bcct_stacks_print_entries(struct bcct_stacks *s, struct bpf_map *counts,
			      bcct_stack_entry_fn entry, bool clear);
/* For such a layout: the frames of one side as bcct_stack_frames gives them (innermost first;
 * 0 for an absent stack), or -1 for a stack that could not be read, counted for the warning:
 * print bcct_stack_missed_text(user) ("[Missed User Stack]") in its place. */
int bcct_stack_side(struct bcct_stacks *s, int id, bool user, int tgid, const char *const **names);
const char *bcct_stack_missed_text(bool user);
/* Histograms per stack (the book's @[kstack, comm] = hist(...): offcpuhist, mlock): every
 * entry of `hists` (values struct bcct_hist, bpf/bcct.h), described by `describe` (its value
 * unused), sorted by total count ascending as stacks are; text: the kernel frames then the user
 * frames, "    comm [pid]", the log2 histogram in `unit` and a blank line; JSON: an element of
 * the interval's "hists" with comm, pid, kernel_stack and user_stack arrays, unit and buckets.
 * With `clear`, the histogram and stack maps are emptied. The number printed, or -1. */
int bcct_stacks_print_hists(struct bcct_stacks *s, struct bpf_map *hists,
			    bcct_stack_describe_fn describe, const char *unit, bool clear);

/* Stacks aggregated in user space: (fixed-size key, user address array) -> u64 value, for
 * user stacks unwound from captured stack copies (symbolize/unwind.h). */
struct bcct_stack_agg;
struct bcct_stack_agg *bcct_stack_agg_new(size_t key_size);
void bcct_stack_agg_free(struct bcct_stack_agg *a);
/* The value slot of (key, addrs[0..n)), created at 0: stays valid until the next clear.
 * NULL when memory runs out. */
uint64_t *bcct_stack_agg_slot(struct bcct_stack_agg *a, const void *key, const uint64_t *addrs, int n);
void bcct_stack_agg_clear(struct bcct_stack_agg *a);
/* Calls fn for every entry whose value is not 0, in the order bcct_stacks_print_agg prints
 * (value ascending, then key, then addresses). Returns the number visited, or -1. */
typedef void (*bcct_stack_agg_visit_fn)(void *ctx, const void *key, const uint64_t *addrs, int n,
					uint64_t value);
int bcct_stack_agg_foreach(struct bcct_stack_agg *a, bcct_stack_agg_visit_fn fn, void *ctx);
/* As bcct_stacks_print_map, for an aggregate: entries with value 0 are skipped; describe
 * fills everything but user_addrs/user_n (kernel stacks still come from the stack map). With
 * clear, the aggregate and the stack map are emptied. Returns the number printed. */
int bcct_stacks_print_agg(struct bcct_stacks *s, struct bcct_stack_agg *a,
			  bcct_stack_describe_fn describe, bool clear);
/* As bcct_stack_frames for a user stack given by its addresses (innermost first), e.g. one
 * unwound from a stack copy: for applets with their own layout. */
int bcct_stack_user_frames(struct bcct_stacks *s, const uint64_t *addrs, int n, int tgid,
			   const char *const **names);

/* ---- --unwind=fp|dwarf and --stack-dump-size (profile, offcputime, stackcount) -------------
 * fp (default): user stacks are stack ids taken by the kernel's frame-pointer walk. dwarf: the
 * BPF program sends the task's user registers and a copy of the top of its user stack in a
 * ring-buffer event (bpf/ustack.h; BCCT_USTACK_DECLARE and bcct_ustack_send in
 * bpf/ustack.bpf.h), which user space unwinds (symbolize/unwind.h) and counts in bcct_unwind.agg,
 * keyed by the event's key; kernel stacks still come from the stack map. The applet:
 *   options   STD_UNWIND_OPTS("...", "..."), then bcct_unwind_check() with the others;
 *   setup     BCCT_UNWIND_SETUP(skel, sizeof(key)) after opening the skeleton;
 *   on_event  slot = bcct_unwind_slot(&e->key, tgid, &e->ustack, size - offsetof(ev, ustack))
 *             once the event is known to hold its key, and add to *slot;
 *   print     bcct_stacks_print_agg(stacks, bcct_unwind.agg, ...) or bcct_stack_agg_foreach;
 *   end       bcct_unwind_free(). */
struct sym_unwinder;
struct bcct_unwind {
	const char *unwind;             /* --unwind: "fp" or "dwarf", NULL: fp */
	long dump_size;                 /* --stack-dump-size, BCCT_USTACK_DEFAULT */
	bool dwarf;                     /* --unwind=dwarf, set by bcct_unwind_check() */
	struct sym_unwinder *unwinder;  /* dwarf: made by bcct_unwind_init() */
	struct bcct_stack_agg *agg;     /* dwarf: (key, unwound user addresses) -> value */
};
extern _Thread_local struct bcct_unwind bcct_unwind;
extern struct bcct_unwind bcct_unwind_layout;
#define STD_UNWIND_OPTS(unwind_help, dump_help) \
	OPT_STR_(0, "unwind", OPT_DEST(bcct_unwind, unwind), "fp|dwarf", unwind_help), \
	OPT_INT_(0, "stack-dump-size", OPT_DEST(bcct_unwind, dump_size), "BYTES", dump_help, 512, BCCT_USTACK_MAX)
/* Validates --unwind (one-line usage error) and sets bcct_unwind.dwarf. 0 or -1. */
int bcct_unwind_check(void);
/* With dwarf: sizes the ring buffer `events` for bursts of stack copies, makes the unwinder and
 * the aggregate of key_size keys. Without: nothing. 0 or -1. */
int bcct_unwind_init(struct bpf_map *events, size_t key_size);
/* The .rodata the BPF side declares with BCCT_USTACK_DECLARE, and bcct_unwind_init. */
#define BCCT_UNWIND_SETUP(skel, key_size) \
	((skel)->rodata->dwarf_stacks = bcct_unwind.dwarf, \
	 (skel)->rodata->stack_dump_size = bcct_unwind.dump_size, \
	 (skel)->rodata->self_tgid = getpid(), \
	 bcct_unwind_init((skel)->maps.events, (key_size)))
/* Unwinds the stack copy u of process pid (avail: bytes of the event from u on; a copy that
 * does not fit, or none, counts as an empty user stack) and returns the aggregate's slot for
 * (key, the unwound addresses), or NULL when memory runs out. */
uint64_t *bcct_unwind_slot(const void *key, int pid, const struct bcct_ustack *u, size_t avail);
void bcct_unwind_free(void);
#endif
