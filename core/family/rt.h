/* Language-runtime family, user space: what BCC's u* engines (ucalls, uflow, ugc, uobjnew,
 * ustat, uthreads) know about each runtime, as tables, and finding a process's runtime.
 * Per language: the USDT provider, the probes for method entry/return, GC start/end, object
 * allocation, thread start/stop and ustat's counted events, and which probe arguments hold the
 * class and method names (USDT argument numbers, 1-based, as bpf_usdt_arg(ctx, n - 1) takes
 * them; strings are user pointers, with a length argument where the runtime passes one and
 * NUL-terminated otherwise). Detection follows BCC's (bcc_procutils_language): the
 * executable's real path, then the mapped libraries, then "c" when libc is mapped.
 * Tools: the 28 wrappers javacalls ... tclstat, as aliases of the six engines with -l LANG.
 * The /proc/PID/maps scan here is a minimal local one, to move to core/sys's iterator. */
#ifndef BCCT_FAMILY_RT_H
#define BCCT_FAMILY_RT_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "core/opts.h"
#include "bpf/rt.h"

/* A string argument: the pointer's argument number and its length's (0: NUL-terminated). A
 * zero ptr means the probe has no such string. */
struct rt_str_arg {
	unsigned char ptr, len;
};

/* ucalls/uflow: one entry/return pair. Entry and return carry the same arguments (BCC
 * matches returns to entries on them). */
struct rt_call_probes {
	const char *entry, *ret;
	const char *flow_entry;         /* uflow's entry when it differs (tcl: proc__args) */
	struct rt_str_arg clazz, method;
	bool clazz_is_file;             /* perl, python: the "class" is the source file name */
};

/* How ugc describes one collection. */
enum rt_gc_desc {
	RT_GC_TEXT,             /* the fixed text */
	RT_GC_POOL,             /* java: "MANAGER POOL used=U0->U1 max=M0->M1" */
	RT_GC_NODE_FLAGS,       /* node: the gc type flags, named, ", " between */
	RT_GC_GENERATION,       /* python: "gen G GC collected N objects" */
};

/* ugc: one begin/end pair, and what to keep of its arguments (argument numbers, 0: none):
 * saved at begin as field[0], field[1]; read at end as field[2], field[3] and two strings. */
struct rt_gc_probes {
	const char *begin, *end;
	unsigned char begin_args[2];
	unsigned char end_args[2];
	struct rt_str_arg end_strs[2];
	enum rt_gc_desc desc;
	const char *text;
};

/* uobjnew: one allocation probe. */
struct rt_alloc_probe {
	const char *probe;
	bool uprobe;                    /* a libc function (c: malloc), not a USDT probe */
	struct rt_str_arg clazz;        /* ptr 0: the fixed name below */
	const char *fixed_clazz;
	unsigned char size_arg;         /* 0: the size is not known */
	/* Why the runtime may pass size 0 for real allocations: told once a run (stderr) after
	 * uobjnew counted some. */
	const char *zero_size_why;
};

/* uthreads: thread start/stop; id and native id argument numbers, 0 for none (the native id
 * is then the current thread's). */
struct rt_thread_probes {
	const char *start, *stop;
	struct rt_str_arg name;
	unsigned char id_arg, native_id_arg;
};

/* ustat's columns: enum rt_stat_col, bpf/rt.h. */

struct rt_stat_probe {
	const char *probe;
	enum rt_stat_col col;
};

#define RT_MAX_CALLS 2
#define RT_MAX_GC 2
#define RT_MAX_ALLOC 4
#define RT_MAX_STAT 12

/* Probe names may read "provider:probe" where the provider is not the language's (java's
 * JNI probes are hotspot_jni's): see rt_usdt_probe(). Arrays end at the first NULL name. */
struct rt_lang {
	const char *name;               /* -l value */
	const char *provider;           /* USDT provider */
	const char *exe_hint;           /* detection: in the executable's real path */
	const char *lib_hint;           /* detection: in a mapped file's path */
	const char *usdt_libs[3];       /* libraries holding the probes, before the executable */
	const char *comms[3];           /* ustat: process names of this runtime */
	struct rt_call_probes calls[RT_MAX_CALLS];
	struct rt_gc_probes gc[RT_MAX_GC];
	struct rt_alloc_probe alloc[RT_MAX_ALLOC];
	struct rt_thread_probes threads;
	struct rt_stat_probe stat[RT_MAX_STAT];
	const char *hint;               /* printed when nothing shows up */
	/* Without the call probes' USDT notes (a build without --with-dtrace): the interpreter's
	 * eval function, whose uprobe sees the calls entered from C (bpf/pyframe.bpf.h); NULL:
	 * no fallback. */
	const char *eval_func;
};

/* What an engine needs from a language: the languages an engine accepts are those that have
 * it (ucalls/uflow: calls; ugc: gc; uobjnew: alloc; ustat: stat; uthreads: threads). */
enum rt_need { RT_NEED_CALLS, RT_NEED_GC, RT_NEED_ALLOC, RT_NEED_STAT, RT_NEED_THREADS };

/* c, java, node, perl, php, python, ruby, tcl; NULL-name terminated. */
extern const struct rt_lang rt_langs[];

const struct rt_lang *rt_lang_lookup(const char *name);
bool rt_lang_has(const struct rt_lang *l, enum rt_need need);
/* -l LANG for an engine: the language, or NULL after a one-line usage error listing the
 * languages that have `need`. */
const struct rt_lang *rt_lang_option(const char *name, enum rt_need need);
/* The language of a process, as BCC's detect_language: NULL when none is recognised or the
 * recognised one lacks `need`. */
const struct rt_lang *rt_detect(pid_t pid, enum rt_need need);
/* The language name of a process ("java", ..., "c"), or NULL. */
const char *rt_detect_name(pid_t pid);

/* Splits a table probe name: returns its provider (the language's unless the name says
 * "provider:probe"; then a static copy, valid until the next call) and sets *probe to the bare
 * probe name. */
const char *rt_usdt_probe(const struct rt_lang *l, const char *name, const char **probe);
/* The file of pid holding l's USDT probes: the first mapped file whose path contains one of
 * l->usdt_libs, else the executable. 0, or -errno. */
int rt_usdt_binary(pid_t pid, const struct rt_lang *l, char *buf, size_t len);
/* ugc's description of one collection (fields and strings as struct rt_gc_probes says).
 * BCC's java and python formatters drop their result (no `return`) and print "None"; this
 * prints what they format. Returns buf. */
const char *rt_gc_describe(const struct rt_gc_probes *g, const unsigned long long field[4],
			   const char *str1, const char *str2, char *buf, size_t len);
/* An engine's target, checked in its run(): the PID (env.pid, required, and the process must
 * exist: its probes are looked up in it, so core's -p warning for filters, where a later process
 * may match, does not apply) and its language, -l NAME (`language`) or detected. With none_ok,
 * "-l none" and an undetected language give *lang NULL (ucalls -S, uthreads: pthreads only).
 * 0, or the exit status after one line. */
#define RT_OPT_PID POS_INT_("pid", OPT_DEST(env, pid), "process id to attach to", 1, INT_MAX)
int rt_engine_target(const char *language, enum rt_need need, bool none_ok,
		     const struct rt_lang **lang);
/* The cookie (bpf/rt.h) naming a call probe's class and method arguments. */
unsigned long long rt_call_cookie(const struct rt_call_probes *c);
/* Attaches prog to l's probe `name` (as in the tables) in process pid, found in the file
 * rt_usdt_binary names, with cookie. With `required`, a probe that cannot be attached is a
 * one-line error naming it. 0, -ENOENT when the probe is absent, or -errno. */
struct bpf_program;
int rt_attach(struct bpf_program *prog, pid_t pid, const struct rt_lang *l, const char *name,
	      unsigned long long cookie, bool required);
/* How an engine reaches a process's calls: the language's USDT probes, or (eval) a uprobe on
 * its eval function in `binary`, with the frame layout of the interpreter's version. */
struct rt_calls_via {
	bool eval;
	char binary[PATH_MAX];
	const char *func;               /* the eval function */
	unsigned long version;          /* CPython's PY_VERSION_HEX, as the binary states it */
	bool free_threaded;             /* a build without the GIL (refused) */
	struct rt_py_layout layout;
};
/* Whether pid's calls can be traced through l's eval function: its binary lacks l's call
 * probes but has the function, and states a CPython version whose frames are known. 1 (via
 * filled), 0 (USDT, or no fallback for l: rt_attach then says what is missing), -ENOENT (no
 * version stated) or -ENOTSUP (via->version unknown here, or via->free_threaded). */
int rt_eval_via(pid_t pid, const struct rt_lang *l, struct rt_calls_via *via);
#define RT_PY_MAJOR(hex) ((hex) >> 24)
#define RT_PY_MINOR(hex) (((hex) >> 16) & 0xff)
/* ucalls, uflow: how to trace pid's calls, told with -v; the eval fallback needs the frame
 * layout of the interpreter's version. 0, or the exit status after one line (an eval function
 * in an interpreter whose version is not stated or not known). */
int rt_calls_plan(pid_t pid, const struct rt_lang *l, struct rt_calls_via *via);
/* From configure: sizes the frame stacks of bpf/pyframe.bpf.h, to almost nothing when the run
 * takes USDT probes. 0 or -errno. */
#define RT_EVAL_THREADS 10240
int rt_eval_size_maps(void *skel, const struct rt_calls_via *via);
/* Attaches entry (and ret, when not NULL; first, so that no invocation entered while the two
 * are attached is kept without its return) to via's eval function in pid. 0, or the exit
 * status after one line. */
int rt_eval_attach(pid_t pid, const struct rt_calls_via *via, struct bpf_program *entry,
		   struct bpf_program *ret);
/* Whether rt_calls_plan chose the eval function for this run (the engines' .falls_back: -v
 * then prints RT_EVAL_FALLBACK). */
bool rt_eval_used(void);
/* What the eval fallback measures, for the engines' .fallback and --help. */
#define RT_EVAL_FALLBACK                                                                         \
	"python without USDT probes: a uprobe on _PyEval_EvalFrameDefault sees only the calls "   \
	"entered from C (the first of a thread, calls through map(), sorted(), callbacks, class "  \
	"instantiation, generators driven from C): since CPython 3.11 a Python function called "   \
	"from Python runs inside its caller's eval invocation; CPython 3.11 to 3.13"

/* The engines' --help about it. */
#define RT_EVAL_HELP                                                                             \
	"A python whose binary has no USDT probes (built without --with-dtrace) is traced through\n" \
	"uprobes on its eval function instead (CPython 3.11 to 3.13): they see only the calls entered\n" \
	"from C, not Python calling Python (-v says which way a run takes)."

/* Calls fn(pid, its language, arg) for each process whose name begins with one of the comms of
 * `only` (NULL: of every language with ustat's probes); BCC's ustat matches whole names, which
 * misses Debian's "python3" and "tclsh8.6". */
void rt_processes(const struct rt_lang *only, void (*fn)(pid_t pid, const struct rt_lang *l, void *arg),
		  void *arg);
/* dbslower, dbstat: attaches start and done to the query__start/query__done USDT probes of
 * MySQL (db "mysql", processes mysqld) or PostgreSQL ("postgres"): in each process of -p pids,
 * else system-wide in the binary `path` (-x) or that of the processes of that name (then
 * listed in shown, ", " between, as BCC's banner; for -p the pids given). 0, or the exit status
 * after one line. */
struct bcct_list;
/* The positional db: "mysql" or "postgres"; 0, or BCCT_EXIT_USAGE after one line. */
int rt_db_check(const char *db);
int rt_db_attach(const char *db, const struct bcct_list *pids, const char *path,
		 struct bpf_program *start, struct bpf_program *done, char *shown, size_t len);
/* mysqld_qslower, mysqld_clat: attaches start and done to MySQL's USDT probes <what>__start and
 * <what>__done (what: "query" or "command") in the process pid_arg (BCC's positional PID). 0, or
 * the exit status after one line. */
int rt_mysqld_attach(const char *pid_arg, const char *what, struct bpf_program *start,
		     struct bpf_program *done);
/* bashfunc, bashfunclat: call on the opening of a shell function's scope in the bash at path
 * (NULL: /bin/bash) (push_context, which has the function's name as first argument), ret (NULL: none) on its
 * closing (pop_context): the symbols Debian's stripped bash keeps around its static
 * execute_function. 0, or the exit status after one line. */
int rt_bash_attach(const char *path, struct bpf_program *call, struct bpf_program *ret);
/* Their -s option: the bash binary, path NULL for /bin/bash. */
#define RT_BASH_OPT(path) \
	OPT_STR_('s', "shell", path, "BASH", "the bash binary to trace (default /bin/bash)")
/* ustat's column name: "THREAD", "METHOD", "OBJNEW", "CLOAD", "EXCP", "GC". */
const char *rt_stat_col_name(enum rt_stat_col col);
#endif
