/* Typed option tables: each applet declares its options as data; core parses, validates and
 * prints help. Standard options (STD_*) write into the shared struct bcct_env. */
#ifndef BCCT_OPTS_H
#define BCCT_OPTS_H
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

enum bcct_opt_type {
	OPT_END = 0,
	OPT_FLAG,     /* bool = true */
	OPT_COUNT,    /* int += 1 (e.g. -v -v) */
	OPT_INT,      /* long, range-checked against [min, max] */
	OPT_STRING,   /* const char * */
	OPT_LIST,     /* struct bcct_list: repeatable and/or comma-separated */
	OPT_FUNC,     /* custom parser: int parse(const char *arg, void *dest), 0 or -1 */
	OPT_REST,     /* char **: every argument after it, whole (--exec CMD [ARGS...]) */
};

#define BCCT_LIST_MAX 64
struct bcct_list {
	int n;
	const char *v[BCCT_LIST_MAX];
};

struct bcct_opt {
	enum bcct_opt_type type;
	char short_name;            /* 0: long only; 0 and no long_name: positional */
	const char *long_name;
	void *dest;
	const char *argname;        /* metavariable in help ("PID"); name of a positional */
	const char *help;
	long min, max;              /* OPT_INT range */
	int (*parse)(const char *arg, void *dest);
	const char *implicit;       /* the value when the option is given without one; NULL: required */
};

/* Shared run-time settings filled by the standard options. */
struct bcct_env {
	long pid, tid, uid;         /* 0 / 0 / -1: no filter */
	const char *cgroup;         /* cgroup v2 directory */
	const char *comm;           /* exact comm match */
	bool timestamp;             /* -T style: print time of day / per-interval timestamp */
	bool json;                  /* --json: NDJSON output */
	int verbose;
	long interval, count;       /* interval [count] for aggregating tools */
	long duration;              /* -d SECONDS: total run time, 0 = until Ctrl-C */
	char **exec_argv;           /* --exec CMD [ARGS...]: NULL-terminated, NULL without */
	const char *cgroupmap;      /* --cgroupmap PATH: pinned hash map of cgroup ids to trace */
	const char *mntnsmap;       /* --mntnsmap PATH: pinned hash map of mount ns inums to trace */
	bool ebpf;                  /* --ebpf: print the programs that would be loaded, and exit */
};
extern _Thread_local struct bcct_env env;

/* Option tables are static data, but the structs the standard and shared options write (env,
 * top_env, offcpu, bcct_stack_opts, bcct_unwind, bcct_stack_export) are per run, so per thread
 * (bcct serve runs its applets in threads of one process), and a thread's address is no
 * constant. A table names OPT_DEST(env, pid): the member of the struct's layout, a process-wide
 * object of the same type that nothing reads, and the parser writes the same member of the
 * running thread's instance. BCCT_OPT_LAYOUT(type, obj), beside obj's definition, defines the
 * layout and registers the pair (at start-up, before any thread). */
#define OPT_DEST(obj, member) (&obj##_layout.member)
void bcct_opt_layout_add(void *layout, size_t size, void *(*instance)(void));
#define BCCT_OPT_LAYOUT(type, obj)                                                              \
	type obj##_layout;                                                                      \
	static void *obj##_instance(void) { return &obj; }                                     \
	__attribute__((constructor)) static void obj##_add_layout(void)                        \
	{                                                                                       \
		bcct_opt_layout_add(&obj##_layout, sizeof(obj##_layout), obj##_instance);       \
	}
extern struct bcct_env env_layout;

#define OPT_FLAG_(s, l, d, h)        { .type = OPT_FLAG, .short_name = s, .long_name = l, .dest = d, .help = h }
#define OPT_COUNT_(s, l, d, h)       { .type = OPT_COUNT, .short_name = s, .long_name = l, .dest = d, .help = h }
#define OPT_INT_(s, l, d, a, h, lo, hi) { .type = OPT_INT, .short_name = s, .long_name = l, .dest = d, .argname = a, .help = h, .min = lo, .max = hi }
#define OPT_STR_(s, l, d, a, h)      { .type = OPT_STRING, .short_name = s, .long_name = l, .dest = d, .argname = a, .help = h }
#define OPT_LIST_(s, l, d, a, h)     { .type = OPT_LIST, .short_name = s, .long_name = l, .dest = d, .argname = a, .help = h }
#define OPT_FUNC_(s, l, d, a, h, f)  { .type = OPT_FUNC, .short_name = s, .long_name = l, .dest = d, .argname = a, .help = h, .parse = f }
#define POS_INT_(name, d, h, lo, hi) { .type = OPT_INT, .dest = d, .argname = name, .help = h, .min = lo, .max = hi }
#define POS_STR_(name, d, h)         { .type = OPT_STRING, .dest = d, .argname = name, .help = h }
/* Every remaining positional, whole (argparse nargs="+"; the applet checks that n > 0). */
#define POS_LIST_(name, d, h)        { .type = OPT_LIST, .dest = d, .argname = name, .help = h }
#define OPT_REST_(l, d, a, h)        { .type = OPT_REST, .long_name = l, .dest = d, .argname = a, .help = h }
#define OPT_END_                     { .type = OPT_END }

/* Standard options; the letter is a parameter where BCC's tools disagree on it. */
#define STD_PID(s)        OPT_INT_(s, "pid", OPT_DEST(env, pid), "PID", "trace this PID only", 1, INT_MAX)
#define STD_TID(s)        OPT_INT_(s, "tid", OPT_DEST(env, tid), "TID", "trace this TID only", 1, INT_MAX)
#define STD_UID(s)        OPT_FUNC_(s, "uid", OPT_DEST(env, uid), "USER", "trace this UID or user name only", bcct_parse_uid)
#define STD_CGROUP        OPT_STR_(0, "cgroup", OPT_DEST(env, cgroup), "PATH", "trace processes in this cgroup v2 (and below) only")
#define STD_COMM          OPT_STR_(0, "comm", OPT_DEST(env, comm), "COMM", "trace this process name (exact comm) only")
#define STD_TIMESTAMP(s, h) OPT_FLAG_(s, "timestamp", OPT_DEST(env, timestamp), h)
#define STD_JSON          OPT_FLAG_(0, "json", OPT_DEST(env, json), "print one JSON object per event or interval")
#define STD_VERBOSE       OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "show attach methods and libbpf messages")
#define STD_DURATION(s)   OPT_INT_(s, "duration", OPT_DEST(env, duration), "SECONDS", "total duration of trace, in seconds", 1, INT_MAX)
#define STD_INTERVAL      POS_INT_("interval", OPT_DEST(env, interval), "output interval, in seconds", 1, INT_MAX)
#define STD_COUNT         POS_INT_("count", OPT_DEST(env, count), "number of outputs", 1, INT_MAX)
/* bcct's own (BCC has no such option): start CMD held, trace its PID from its exec to its
 * exit (core/run.c). The options parser stops at --exec: the rest is CMD's. */
#define STD_EXEC          OPT_REST_("exec", OPT_DEST(env, exec_argv), "CMD [ARGS...]", \
				    "run CMD with ARGS and trace it only, until it exits (bcct's own; must come last)")
/* BCC's pinned-map filters (core/mapfilter.c): a BPF hash map pinned at PATH, keyed by u64. */
#define STD_CGROUPMAP     OPT_STR_(0, "cgroupmap", OPT_DEST(env, cgroupmap), "CGROUPMAP", "trace cgroups in this BPF map only")
#define STD_MNTNSMAP      OPT_STR_(0, "mntnsmap", OPT_DEST(env, mntnsmap), "MNTNSMAP", "trace mount namespaces in this BPF map only")
/* BCC's --ebpf: print the BPF programs these options load on this kernel, as instructions
 * (core/disasm.c), and exit without attaching. */
#define STD_EBPF          OPT_FLAG_(0, "ebpf", OPT_DEST(env, ebpf), "print the BPF programs as instructions and exit")
/* The filter/output set nearly every tracing applet takes. */
#define STD_FILTERS       STD_CGROUP, STD_COMM, STD_JSON, STD_VERBOSE

struct bcct_applet;
/* Parses argv[1..] for applet a. Returns 0, 1 when help was printed, or BCCT_EXIT_USAGE after
 * printing a one-line error. */
int bcct_parse_args(const struct bcct_applet *a, int argc, char **argv);
void bcct_print_help(const struct bcct_applet *a, FILE *out);
/* What an entry is, for the printers of help, man pages and completion (cli/). */
bool bcct_opt_takes_value(const struct bcct_opt *o);
bool bcct_opt_is_positional(const struct bcct_opt *o);
/* Resets env to its defaults (used before each parse, and by unit tests). */
void bcct_env_reset(void);
/* Helpers for OPT_FUNC parsers and applets: strict number parsing. */
int bcct_parse_long(const char *s, long *out);
/* A numeric UID or a user name from /etc/passwd (no NSS: the binary is static). */
int bcct_parse_uid(const char *s, void *dest);
/* An OPT_FUNC parser may say why it refused a value ("no such user"): the error line ends with
 * it. Reset before each call. */
extern _Thread_local const char *bcct_opt_why;
/* An OPT_LIST_ of ids (-p 1,2 -p 3, as BCC's comma-separated PID/TID options) into dst[0..max),
 * 0-terminated when shorter, for a .rodata array the BPF side scans. what names the option in
 * errors ("-p/--pid"). Returns the count, or -1 after a one-line usage error. */
int bcct_parse_id_list(const struct bcct_list *l, unsigned int *dst, int max, const char *what);
#endif
