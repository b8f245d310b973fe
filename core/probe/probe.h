/* The probe compiler: BCC's trace and argdist probe specifications compiled straight to BPF
 * instructions at run time, with the running kernel's BTF for types and field offsets and the
 * tracefs format files for tracepoint arguments. No LLVM at run time.
 *
 * One pipeline: lexer -> parser (expressions, probe specs) -> type checker (BTF, tracefs) ->
 * code generator (struct bpf_insn[]) -> loader (maps, bpf_prog_load, verifier log mapped back to
 * the expression). Events come back as fixed-layout records that probe_format_event() prints
 * with BCC's printf conversions.
 *
 * Every error is a struct probe_diag: the spec text, the column of the offending part and a
 * message; probe_diag_print() shows them as
 *
 *     t:syscalls:sys_enter_openat (args->flagz != 0)
 *                                  ^~~~~~~~~~~
 *     error: struct sys_enter_openat has no field 'flagz'; did you mean 'flags'?
 */
#ifndef BCCT_PROBE_H
#define BCCT_PROBE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ustack.h"             /* bpf/: struct bcct_entry_caller */

struct btf;
struct bpf_insn;
struct bcct_usdt_arg;

/* The largest field width or precision a format conversion may give (trace's "%-20s"). */
#define PROBE_FMT_WIDTH_MAX 1024

/* ---- diagnostics -------------------------------------------------------------------------- */
struct probe_diag {
	char *source;          /* the text `column` refers to (malloc'd), NULL when none */
	int column;            /* byte offset into source, -1 when the error has no position */
	int length;            /* bytes to underline (>= 1) */
	char message[512];
	char *detail;          /* more lines (the verifier's log tail), malloc'd, may be NULL */
};
/* "SOURCE\n   ^~~~\nerror: MESSAGE\n" (+ detail lines). Returns the number of bytes it wanted. */
int probe_diag_format(const struct probe_diag *d, char *buf, size_t len);
void probe_diag_print(const struct probe_diag *d, FILE *out);
void probe_diag_clear(struct probe_diag *d);

/* ---- probe specifications ----------------------------------------------------------------- */
enum probe_tool { PROBE_TOOL_TRACE, PROBE_TOOL_ARGDIST };

struct probe_target {
	char type;              /* 'p' entry, 'r' return, 't' tracepoint, 'u' USDT */
	const char *library;    /* "" for the kernel; a library or executable for uprobes/USDT */
	const char *function;   /* function, tracepoint event, or USDT probe name */
	const char *category;   /* tracepoint category, else "" */
	const char *provider;   /* USDT provider, "" when not given */
	uint64_t offset;        /* "func+0x12" */
	bool user;              /* uprobe/uretprobe/USDT (a library was named) */
	const char *label;      /* argdist "#label", NULL when none */
};

struct probe_spec;
/* trace: [{p,r,t,u}]:[library]:function[+offset][(signature)] [(predicate)] ["format"[, args]] */
struct probe_spec *probe_parse_trace(const char *text, struct probe_diag *d);
/* argdist: {p,r,t,u}:{[library],category}:function(signature)[:type[,type...]:expr[,expr...]
 * [:filter]][#label]. histogram: -H (one expression, log2 histogram), else -C (counts). */
struct probe_spec *probe_parse_argdist(const char *text, bool histogram, struct probe_diag *d);
const struct probe_target *probe_spec_target(const struct probe_spec *s);
/* Renames the target function (a kernel's own name for what the user typed). */
int probe_spec_set_function(struct probe_spec *s, const char *function);
const char *probe_spec_text(const struct probe_spec *s);
/* The parse as one S-expression line (tests, -v). malloc'd. */
char *probe_spec_sexpr(const struct probe_spec *s);
void probe_spec_free(struct probe_spec *s);

/* ---- tracepoint formats ---- */
/* The table of one __print_symbolic(EXPR, { value, "name" }, ...) in a tracepoint's print fmt,
 * EXPR as the format writes it ("REC->exit_reason"): the names the kernel itself prints for a
 * field's values (kvm_exit's exit reasons). 0 with a malloc'd array (free it), or -errno
 * (-ENOENT: no such table). */
struct tp_symbol {
	long long value;
	char name[48];
};
int tp_symbolic(const char *category, const char *event, const char *expr,
		struct tp_symbol **out, size_t *count);
/* The name of value in such a table, NULL when it has none. */
const char *tp_symbol_name(const struct tp_symbol *syms, size_t count, long long value);

/* ---- compilation -------------------------------------------------------------------------- */
struct probe_compile_opts {
	struct btf *btf;            /* vmlinux BTF; NULL: loaded once with btf__load_vmlinux_btf */
	const char *tp_format;      /* tracepoint format text; NULL: read tracefs events/C/N/format */
	const struct bcct_usdt_arg *usdt_args;   /* 'u' probes: the note's argument specs */
	int usdt_nargs;
	int string_size;            /* bytes kept of %s / char* values; 0: 80 (BCC's default) */
	uint32_t probe_id;          /* copied into every event record (several probes, one buffer) */
	bool perf_buffer;           /* events map is a perf event array (default: ring buffer) */
	/* In-kernel filters: trace -p (tgid), -L (pid = thread), --uid; 0 = none. */
	int filter_tgid, filter_pid;
	bool filter_by_uid;
	uint32_t filter_uid;
	int exclude_tgid;           /* trace drops its own process unless -S */
	bool cgroup_filter;         /* -c: needs load opts cgroup_fd (BPF_MAP_TYPE_CGROUP_ARRAY) */
	char filter_comm[16];       /* --comm: this exact task name only; "" = any */
	bool kernel_stack, user_stack;   /* -K/-U: needs load opts stack_fd */
};

/* Where an event record or a map key keeps one value. */
struct probe_field {
	const char *expr;       /* the expression as written */
	unsigned offset, size;
	char conv;              /* trace: d i u x X o c s p K U; argdist: 'd' or 'u' or 's' */
	char spec[24];          /* trace: the whole conversion ("%-8lld"), for the printer */
	bool is_signed;
	bool is_string;         /* char[size], NUL-terminated */
};
struct probe_layout {
	unsigned header_size;   /* sizeof(struct probe_event_header) for events, 0 for map keys */
	unsigned size;          /* the whole record / key */
	unsigned nfields;
	const struct probe_field *fields;
};

/* Every event record starts with this; the fields of the layout follow. */
struct probe_event_header {
	uint64_t ts_ns;         /* bpf_ktime_get_ns() */
	uint32_t probe_id;
	uint32_t cpu;
	uint32_t tgid, pid;     /* BCC's PID and TID columns */
	uint32_t uid, gid;
	int32_t kernel_stack_id, user_stack_id;   /* -1 unless requested */
	char comm[16];
	struct bcct_entry_caller caller;  /* -U at a function's entry (uprobe): its caller; else 0 */
};

enum probe_sink {
	PROBE_SINK_EVENT,       /* trace: one record per hit to the events map */
	PROBE_SINK_COUNT,       /* argdist -C: hash map, key = the values, value = u64 count */
	PROBE_SINK_HIST,        /* argdist -H: array map, one struct bcct_hist (log2 slots) */
};

struct probe_program;
struct probe_program *probe_compile(const struct probe_spec *s, const struct probe_compile_opts *o,
				    struct probe_diag *d);
const struct probe_layout *probe_program_layout(const struct probe_program *p);
enum probe_sink probe_program_sink(const struct probe_program *p);
/* The BPF program type (BPF_PROG_TYPE_KPROBE or _TRACEPOINT) and the instructions. `entry`
 * selects the helper program a return probe needs for $entry()/$latency (count 0 if none). Map
 * references are BPF_PSEUDO_MAP_FD with imm = a map slot until loaded. */
int probe_program_type(const struct probe_program *p);
size_t probe_program_insns(const struct probe_program *p, bool entry, const struct bpf_insn **out);
/* Readable listing (like the verifier's), one instruction a line, annotated with the
 * expression each one evaluates. */
void probe_program_dump(const struct probe_program *p, FILE *out);
/* The same for one of its programs: the main one, or (entry) a return probe's entry helper. */
void probe_program_dump_one(const struct probe_program *p, bool entry, FILE *out);

/* Map fds of 0 or below mean "none" (so a zeroed struct is the default). */
struct probe_load_opts {
	int events_fd;          /* ring buffer or perf event array shared by several probes; none:
				   probe_load creates one (probe_events_fd) */
	int stack_fd;           /* BPF_MAP_TYPE_STACK_TRACE for -K/-U */
	int cgroup_fd;          /* BPF_MAP_TYPE_CGROUP_ARRAY for -c (slot 0 set by the caller) */
	int sink_fd;            /* argdist: the counts/histogram map of another program with the
				   same layout (one probe attached at several USDT sites); none: own */
	char *log_buf;          /* optional caller buffer for the verifier log */
	size_t log_size;
};
/* Creates the program's maps, patches their fds in, loads with bpf_prog_load(). On rejection
 * the diagnostic points at the sub-expression of the failing instruction and carries the
 * verifier log's tail. Returns 0 or a negative errno. */
int probe_load(struct probe_program *p, const struct probe_load_opts *lo, struct probe_diag *d);
int probe_program_fd(const struct probe_program *p, bool entry);
int probe_events_fd(const struct probe_program *p);   /* the events map used (owned if created) */
int probe_sink_map_fd(const struct probe_program *p); /* argdist counts / histogram map */
/* Events dropped because the buffer was full (summed over CPUs). */
uint64_t probe_lost_events(const struct probe_program *p);
void probe_program_free(struct probe_program *p);

/* Attachments as BPF links (closing the fd detaches; a killed process leaves nothing).
 * Returns a link fd or a negative errno. */
int probe_attach_tracepoint(int prog_fd, const char *category, const char *name);
/* Uprobe (or uretprobe) at a file offset of path (resolving "lib:func" to a file and an offset
 * is the caller's, e.g. core/probespec.h); pid -1 for every process. */
int probe_attach_uprobe(int prog_fd, bool retprobe, const char *path, uint64_t offset, int pid);
/* For a program probe_program_uprobe_multi() says was loaded for them: one uprobe_multi link
 * over n file offsets of path (USDT semaphores in ref_ctr_offsets, or NULL), in pid only
 * (<= 0: every process). The link fd or -errno. */
bool probe_program_uprobe_multi(const struct probe_program *p);
int probe_attach_uprobe_multi(int prog_fd, bool retprobe, const char *path,
			      const unsigned long *offsets, const unsigned long *ref_ctr_offsets,
			      size_t n, int pid);
/* A USDT site: a uprobe that also bumps the probe's semaphore (file offset; 0: none). */
int probe_attach_usdt(int prog_fd, const char *path, uint64_t offset, uint64_t semaphore_offset,
		      int pid);
/* Kprobe (or kretprobe) on a kernel function + offset through the kprobe PMU. */
int probe_attach_kprobe(int prog_fd, bool retprobe, const char *func, uint64_t offset);

/* ---- call chains (BCC's inject) ---------------------------------------------------------- */
/* Frame i of a chain of n: frame 0 is the outermost caller, frame n-1 the base function, whose
 * call is failed (or counted) when frames 0..n-2 are active in this thread with their
 * predicates true and its own predicate holds. chain.c says how, as BCC's inject does it. */
#define PROBE_CHAIN_MAX 33
struct probe_chain_frame {
	const char *function;       /* "name(signature)", the signature as in trace: "f(int a)" */
	const char *predicate;      /* "(expr)" over the signature's parameters */
};
enum probe_chain_action {
	PROBE_CHAIN_OVERRIDE,       /* bpf_override_return(ctx, override_value) */
	PROBE_CHAIN_COUNT,          /* count the calls that would fail, change nothing */
};
struct probe_chain_opts {
	enum probe_chain_action action;
	long long override_value;
	double probability;         /* of the chain being entered at frame 0 (0..1) */
	long long max_hits;         /* stop failing after this many; -1: never */
};
struct probe_chain;
struct probe_chain *probe_chain_compile(const struct probe_chain_frame *frames, int n,
					const struct probe_chain_opts *o, struct probe_diag *d);
/* Every program as a listing, with its attach point and the frames it checks. */
void probe_chain_dump(const struct probe_chain *c, FILE *out);
/* Creates the chain's maps and loads its programs; 0 or -errno with d set. */
int probe_chain_load(struct probe_chain *c, struct probe_diag *d);
/* Kprobes and kretprobes (the base function's last); each link fd goes to keep(). */
int probe_chain_attach(struct probe_chain *c, int (*keep)(int link_fd), struct probe_diag *d);
/* Calls of the base function failed (or counted) so far. */
uint64_t probe_chain_hits(const struct probe_chain *c);
void probe_chain_free(struct probe_chain *c);

/* ---- printing ------------------------------------------------------------------------------ */
struct probe_symbolizer {
	void *ctx;
	/* "name+0x12"; return false to print the address in hex */
	bool (*kernel)(void *ctx, uint64_t addr, char *buf, size_t len);
	bool (*user)(void *ctx, uint32_t tgid, uint64_t addr, char *buf, size_t len);
};
/* The trace message of one event: the format string with each conversion applied to its field,
 * as BCC's trace prints it. Returns the length it wanted (snprintf-like), -1 for a short record. */
int probe_format_event(const struct probe_program *p, const void *rec, size_t size,
		       const struct probe_symbolizer *sym, char *buf, size_t len);
/* The integer field f of a record or key, sign-extended when signed (argdist's JSON). */
uint64_t probe_field_value(const struct probe_field *f, const void *record);
/* argdist: "expr = value, expr2 = value2" for one counts key. */
int probe_format_key(const struct probe_program *p, const void *key, char *buf, size_t len);

/* The display name BCC prints in trace's FUNC column (function, tracepoint event or USDT probe). */
const char *probe_display_name(const struct probe_spec *s);
/* trace: does the probe print a message (a non-empty format)? BCC's header ends in "-" unless
 * no probe does. */
bool probe_spec_has_format(const struct probe_spec *s);
/* argdist: no expressions were given (1 for entries, $retval for returns). */
bool probe_spec_default_expr(const struct probe_spec *s);

/* Releases the cached vmlinux BTF (after the last compile). */
void probe_btf_release(void);
/* The offset of FIELD in the record of the classic tracepoint CATEGORY:EVENT, from its tracefs
 * format (the record's ABI), or -1. For compiled programs whose record type CO-RE cannot find:
 * a module's tracepoint on a kernel without module BTF (5.10). */
int tp_field_offset(const char *category, const char *event, const char *field);

#endif
