/* Language-runtime family, user space; see rt.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/family/rt.h"
#include "core/sys/sys.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/run.h"
#include "bpf/rt.h"
#include "symbolize/usdt.h"

/* Facts from BCC's tools/lib/u*.py (probe names, argument positions, ustat's categories and
 * process names, uthreads' libpthread probe) and the runtimes' probe definitions (hotspot's
 * string arguments come with a length; the others are NUL-terminated). */
const struct rt_lang rt_langs[] = {
	{ .name = "c", .provider = "libpthread", .lib_hint = NULL,
	  .usdt_libs = { "/libc.so", "/libpthread" },
	  .alloc = { { "malloc", .uprobe = true, .fixed_clazz = NULL, .size_arg = 1 } },
	  /* start_routine as the runtime id, the new thread's own id as the native one */
	  .threads = { "pthread_start", NULL, { 0, 0 }, .id_arg = 2 } },
	{ .name = "java", .provider = "hotspot", .exe_hint = "java", .lib_hint = "/libjava",
	  .usdt_libs = { "/libjvm.so" }, .comms = { "java" },
	  .calls = { { "method__entry", "method__return", NULL, { 2, 3 }, { 4, 5 } } },
	  /* gc__begin/gc__end carry nothing useful; the pool probes carry the manager and pool
	   * names and (initial, used, committed, max) sizes as arguments 5..8. */
	  .gc = { { "mem__pool__gc__begin", "mem__pool__gc__end", { 6, 8 }, { 6, 8 },
		    { { 1, 2 }, { 3, 4 } }, RT_GC_POOL, NULL },
		  { "gc__begin", "gc__end", { 0 }, { 0 }, { { 0 } }, RT_GC_TEXT,
		    "no additional info available" } },
	  /* object__alloc(thread id, class name, its length, size in bytes). HotSpot 17's
	   * template interpreter calls SharedRuntime::dtrace_object_alloc(oop, size) with the oop
	   * alone (the note's size is -4@%ebx, the register that happened to hold 0), so objects
	   * it allocates inline report 0; arrays, made through the runtime, and JDK 25 (its size
	   * argument 8@%r12 or 8@%rbx) report their bytes. */
	  .alloc = { { "object__alloc", .clazz = { 2, 3 }, .size_arg = 4,
		       .zero_size_why = "hotspot:object__alloc gave no size (OpenJDK 17's "
			"interpreter passes none for the objects it allocates itself; arrays and later "
			"JDKs carry it), so # BYTES leaves them out" } },
	  .threads = { "thread__start", "thread__stop", { 1, 2 }, .id_arg = 3, .native_id_arg = 4 },
	  .stat = { { "gc__begin", RT_STAT_GC }, { "mem__pool__gc__begin", RT_STAT_GC },
		    { "thread__start", RT_STAT_THREAD }, { "class__loaded", RT_STAT_CLOAD },
		    { "object__alloc", RT_STAT_OBJNEW }, { "method__entry", RT_STAT_METHOD },
		    { "hotspot_jni:ExceptionOccurred__entry", RT_STAT_EXCP } },
	  .hint = "If you do not see any results, make sure you ran java with option "
		  "-XX:+ExtendedDTraceProbes" },
	{ .name = "node", .provider = "node", .exe_hint = "node", .lib_hint = "/libnode",
	  .comms = { "node" },
	  .gc = { { "gc__start", "gc__done", { 0 }, { 1, 0 }, { { 0 } }, RT_GC_NODE_FLAGS, NULL } },
	  .stat = { { "gc__start", RT_STAT_GC } } },
	{ .name = "perl", .provider = "perl", .exe_hint = "perl", .lib_hint = "/libperl",
	  .usdt_libs = { "/libperl" }, .comms = { "perl" },
	  .calls = { { "sub__entry", "sub__return", NULL, { 2, 0 }, { 1, 0 }, .clazz_is_file = true } },
	  .stat = { { "sub__entry", RT_STAT_METHOD } } },
	{ .name = "php", .provider = "php", .exe_hint = "php", .lib_hint = "/libphp",
	  .usdt_libs = { "/libphp" }, .comms = { "php" },
	  .calls = { { "function__entry", "function__return", NULL, { 4, 0 }, { 1, 0 } } },
	  .stat = { { "function__entry", RT_STAT_METHOD }, { "compile__file__entry", RT_STAT_CLOAD },
		    { "exception__thrown", RT_STAT_EXCP } },
	  .hint = "If you do not see any results, make sure the environment variable "
		  "USE_ZEND_DTRACE is set to 1" },
	{ .name = "python", .provider = "python", .exe_hint = "python", .lib_hint = "/libpython",
	  .usdt_libs = { "/libpython" }, .comms = { "python" },
	  .calls = { { "function__entry", "function__return", NULL, { 1, 0 }, { 2, 0 },
		       .clazz_is_file = true } },
	  /* gc__start(generation), gc__done(objects collected) */
	  .gc = { { "gc__start", "gc__done", { 1, 0 }, { 1, 0 }, { { 0 } }, RT_GC_GENERATION, NULL } },
	  .stat = { { "function__entry", RT_STAT_METHOD }, { "gc__start", RT_STAT_GC } },
	  .eval_func = "_PyEval_EvalFrameDefault" },
	{ .name = "ruby", .provider = "ruby", .exe_hint = "ruby", .lib_hint = "/libruby",
	  .usdt_libs = { "/libruby" }, .comms = { "ruby", "irb" },
	  .calls = { { "method__entry", "method__return", NULL, { 1, 0 }, { 2, 0 } },
		     { "cmethod__entry", "cmethod__return", NULL, { 1, 0 }, { 2, 0 } } },
	  .gc = { { "gc__mark__begin", "gc__mark__end", { 0 }, { 0 }, { { 0 } }, RT_GC_TEXT,
		    "GC mark stage" },
		  { "gc__sweep__begin", "gc__sweep__end", { 0 }, { 0 }, { { 0 } }, RT_GC_TEXT,
		    "GC sweep stage" } },
	  .alloc = { { "object__create", .clazz = { 1, 0 } },
		     { "string__create", .fixed_clazz = "string", .size_arg = 1 },
		     { "hash__create", .fixed_clazz = "hash", .size_arg = 1 },
		     { "array__create", .fixed_clazz = "array", .size_arg = 1 } },
	  .stat = { { "method__entry", RT_STAT_METHOD }, { "cmethod__entry", RT_STAT_METHOD },
		    { "gc__mark__begin", RT_STAT_GC }, { "gc__sweep__begin", RT_STAT_GC },
		    { "object__create", RT_STAT_OBJNEW }, { "hash__create", RT_STAT_OBJNEW },
		    { "string__create", RT_STAT_OBJNEW }, { "array__create", RT_STAT_OBJNEW },
		    { "require__entry", RT_STAT_CLOAD }, { "load__entry", RT_STAT_CLOAD },
		    { "raise", RT_STAT_EXCP } } },
	{ .name = "tcl", .provider = "tcl", .exe_hint = "tclsh", .lib_hint = "/libtcl",
	  .usdt_libs = { "/libtcl" }, .comms = { "tclsh", "wish" },
	  /* No class; uflow enters at proc__args, ucalls at proc__entry. */
	  .calls = { { "proc__entry", "proc__return", "proc__args", { 0, 0 }, { 1, 0 } } },
	  .alloc = { { "obj__create", .fixed_clazz = "<ALL>" } },
	  .stat = { { "proc__entry", RT_STAT_METHOD }, { "obj__create", RT_STAT_OBJNEW } } },
	{ NULL },
};

const struct rt_lang *rt_lang_lookup(const char *name)
{
	for (const struct rt_lang *l = rt_langs; name && l->name; l++)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

bool rt_lang_has(const struct rt_lang *l, enum rt_need need)
{
	switch (need) {
	case RT_NEED_CALLS: return l->calls[0].entry;
	case RT_NEED_GC: return l->gc[0].begin;
	case RT_NEED_ALLOC: return l->alloc[0].probe;
	case RT_NEED_STAT: return l->stat[0].probe;
	case RT_NEED_THREADS: return l->threads.start;
	}
	return false;
}

const struct rt_lang *rt_lang_option(const char *name, enum rt_need need)
{
	const struct rt_lang *l = rt_lang_lookup(name);
	char known[96];
	size_t used = 0;

	if (l && rt_lang_has(l, need))
		return l;
	known[0] = 0;
	for (l = rt_langs; l->name && used < sizeof(known); l++)
		if (rt_lang_has(l, need))
			used += snprintf(known + used, sizeof(known) - used, "%s%s", used ? ", " : "",
					 l->name);
	bcct_usage_err("invalid language '%s': one of %s", name ? name : "", known);
	return NULL;
}

/* Calls found(path, arg) for each mapped file of pid until it returns true; that path is then
 * copied to out. */
static bool maps_find(pid_t pid, bool (*found)(const char *path, const void *arg), const void *arg,
		      char *out, size_t len)
{
	struct sys_maps it;
	struct sys_mapping m;
	bool hit = false;

	if (!sys_maps_open(&it, pid))
		return false;
	while (!hit && sys_maps_next(&it, &m)) {
		if (m.path[0] != '/' || !found(m.path, arg))
			continue;
		hit = true;
		if (out)
			snprintf(out, len, "%.*s", (int)m.file_len, m.path);
	}
	sys_maps_close(&it);
	return hit;
}

static bool path_has(const char *path, const void *needle)
{
	return strstr(path, needle);
}

/* glibc as BCC recognises it: "libc" followed by '-' (libc-2.31.so) or '.' (libc.so.6). */
static bool path_is_libc(const char *path, const void *unused)
{
	for (const char *s = strstr(path, "libc"); s; s = strstr(s + 1, "libc"))
		if (s[4] == '-' || s[4] == '.')
			return true;
	return false;
}

/* BCC's order: java, python, ruby, php, node (the first whose name is in the executable's
 * path wins, then the first whose library is mapped). perl and tcl, which BCC's engines take
 * with -l but never detect, come after them. */
static const char *const detect_order[] = { "java", "python", "ruby", "php", "node", "perl", "tcl" };
#define DETECT_N (sizeof(detect_order) / sizeof(detect_order[0]))

const char *rt_detect_name(pid_t pid)
{
	char exe[PATH_MAX];

	if (sys_pid_exe(pid, exe, sizeof(exe)) == 0) {
		for (size_t i = 0; i < DETECT_N; i++)
			if (strstr(exe, rt_lang_lookup(detect_order[i])->exe_hint))
				return detect_order[i];
	}
	for (size_t i = 0; i < DETECT_N; i++)
		if (maps_find(pid, path_has, rt_lang_lookup(detect_order[i])->lib_hint, NULL, 0))
			return detect_order[i];
	return maps_find(pid, path_is_libc, NULL, NULL, 0) ? "c" : NULL;
}

const struct rt_lang *rt_detect(pid_t pid, enum rt_need need)
{
	const struct rt_lang *l = rt_lang_lookup(rt_detect_name(pid));

	return l && rt_lang_has(l, need) ? l : NULL;
}

const char *rt_usdt_probe(const struct rt_lang *l, const char *name, const char **probe)
{
	static _Thread_local char provider[64];
	const char *colon = strchr(name, ':');

	if (!colon) {
		*probe = name;
		return l->provider;
	}
	snprintf(provider, sizeof(provider), "%.*s", (int)(colon - name), name);
	*probe = colon + 1;
	return provider;
}

int rt_usdt_binary(pid_t pid, const struct rt_lang *l, char *buf, size_t len)
{
	for (int i = 0; i < 3 && l->usdt_libs[i]; i++)
		if (maps_find(pid, path_has, l->usdt_libs[i], buf, len))
			return 0;
	return sys_pid_exe(pid, buf, len);
}

const char *rt_gc_describe(const struct rt_gc_probes *g, const unsigned long long field[4],
			   const char *str1, const char *str2, char *buf, size_t len)
{
	/* node's GCType flags (v8), as nodegc names them */
	static const char *const node_gc[] = { "GC scavenge", "GC mark-sweep-compact",
					       "GC incremental mark", "GC weak callbacks" };
	size_t used = 0;

	buf[0] = 0;
	switch (g->desc) {
	case RT_GC_TEXT:
		snprintf(buf, len, "%s", g->text ? g->text : "");
		break;
	case RT_GC_POOL:
		snprintf(buf, len, "%s %s used=%llu->%llu max=%llu->%llu", str1, str2, field[0],
			 field[2], field[1], field[3]);
		break;
	case RT_GC_NODE_FLAGS:
		for (int i = 0; i < 4; i++)
			if (field[2] & (1ull << i) && used < len)
				used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 node_gc[i]);
		break;
	case RT_GC_GENERATION:
		snprintf(buf, len, "gen %llu GC collected %llu objects", field[0], field[2]);
		break;
	}
	return buf;
}

int rt_engine_target(const char *language, enum rt_need need, bool none_ok,
		     const struct rt_lang **lang)
{
	char exe[PATH_MAX];
	int err;

	*lang = NULL;
	if (!env.pid) {
		bcct_usage_err("the following arguments are required: pid");
		return BCCT_EXIT_USAGE;
	}
	err = sys_pid_exe(env.pid, exe, sizeof(exe));
	if (err == -ENOENT || err == -ESRCH) {
		bcct_err("process %ld not found", env.pid);
		return BCCT_EXIT_FAIL;
	}
	if (language && none_ok && !strcmp(language, "none"))
		return 0;
	if (language)
		return (*lang = rt_lang_option(language, need)) ? 0 : BCCT_EXIT_USAGE;
	if ((*lang = rt_detect(env.pid, need)) || none_ok)
		return 0;
	bcct_err("No language detected; use -l to trace a language.");
	return BCCT_EXIT_FAIL;
}

unsigned long long rt_call_cookie(const struct rt_call_probes *c)
{
	return RT_COOKIE_SET(RT_CK_CLASS, c->clazz.ptr) | RT_COOKIE_SET(RT_CK_CLASS_LEN, c->clazz.len) |
	       RT_COOKIE_SET(RT_CK_METHOD, c->method.ptr) |
	       RT_COOKIE_SET(RT_CK_METHOD_LEN, c->method.len);
}

int rt_attach(struct bpf_program *prog, pid_t pid, const struct rt_lang *l, const char *name,
	      unsigned long long cookie, bool required)
{
	char bin[PATH_MAX];
	const char *probe, *provider = rt_usdt_probe(l, name, &probe);
	int err = rt_usdt_binary(pid, l, bin, sizeof(bin));

	if (!err)
		err = bcct_attach_usdt(prog, pid, bin, provider, probe, cookie);
	if (err && required)
		bcct_err("no USDT probe %s:%s in %s (pid %d): %s", provider, probe, err == -ESRCH ? "?" : bin,
			 (int)pid, strerror(-err));
	return err;
}

/* ---- calls without USDT: the eval function's uprobes ---- */

/* Frame layouts by CPython minor version, from its headers (Include/internal/pycore_frame.h,
 * Include/cpython/code.h, Include/cpython/unicodeobject.h; checked with offsetof against
 * Debian's libpython3.11-dev and pyenv's 3.12.1 and 3.13.0). Patch releases keep them. 3.12
 * moved the code object to the frame's start (3.13 calls it f_executable) and dropped the
 * strings' wstr pointer. Free-threaded builds (3.13t) have larger object headers: refused. */
static const struct py_layout_row {
	unsigned major, minor;
	struct rt_py_layout layout;
} py_layouts[] = {
	{ 3, 11, { .frame_code = 32, .code_filename = 112, .code_name = 120, .str_state = 32,
		   .str_compact_bit = 5, .str_ascii_bit = 6, .ascii_data = 48, .compact_utf8 = 56 } },
	{ 3, 12, { .frame_code = 0, .code_filename = 112, .code_name = 120, .str_state = 32,
		   .str_compact_bit = 5, .str_ascii_bit = 6, .ascii_data = 40, .compact_utf8 = 48 } },
	{ 3, 13, { .frame_code = 0, .code_filename = 112, .code_name = 120, .str_state = 32,
		   .str_compact_bit = 5, .str_ascii_bit = 6, .ascii_data = 40, .compact_utf8 = 48 } },
};

/* Set once a process of this run is traced through its eval function. */
static _Thread_local bool eval_used;

bool rt_eval_used(void)
{
	return eval_used;
}

struct usdt_want {
	const char *provider, *name;
};

static int usdt_is(void *ctx, const struct bcct_usdt_probe *p)
{
	const struct usdt_want *w = ctx;

	return !strcmp(p->provider, w->provider) && !strcmp(p->name, w->name);
}

/* Whether the file of pid holding l's call probes lacks them but has l->eval_func: 1 (binary
 * names the file), else 0 (USDT, or no fallback for l: rt_attach says what is missing), or
 * -errno. */
static int eval_binary(pid_t pid, const struct rt_lang *l, char *binary, size_t len)
{
	struct usdt_want want;
	uint64_t off;
	int err;

	if (!l->eval_func || !l->calls[0].ret)
		return 0;
	want.provider = rt_usdt_probe(l, l->calls[0].ret, &want.name);
	if ((err = rt_usdt_binary(pid, l, binary, len)))
		return err;
	err = bcct_usdt_foreach_file(binary, NULL, usdt_is, &want);
	if (err)
		return err > 0 ? 0 : err;
	return sys_elf_function_offset(binary, l->eval_func, &off) == 0;
}

int rt_eval_via(pid_t pid, const struct rt_lang *l, struct rt_calls_via *via)
{
	uint64_t off;
	int n;

	memset(via, 0, sizeof(*via));
	n = eval_binary(pid, l, via->binary, sizeof(via->binary));
	if (n <= 0)
		return 0;
	/* Py_Version (3.11 and later) holds PY_VERSION_HEX: 0xMMmmppRS */
	n = sys_elf_read_object(via->binary, "Py_Version", &via->version, sizeof(via->version));
	if (n != (int)sizeof(via->version))
		return -ENOENT;
	/* _Py_DecRefShared exists only where Py_GIL_DISABLED (Include/object.h) */
	via->free_threaded = sys_elf_function_offset(via->binary, "_Py_DecRefShared", &off) == 0;
	if (via->free_threaded)
		return -ENOTSUP;
	for (size_t i = 0; i < sizeof(py_layouts) / sizeof(py_layouts[0]); i++) {
		if (py_layouts[i].major != RT_PY_MAJOR(via->version) ||
		    py_layouts[i].minor != RT_PY_MINOR(via->version))
			continue;
		via->eval = true;
		via->func = l->eval_func;
		via->layout = py_layouts[i].layout;
		return 1;
	}
	return -ENOTSUP;
}

int rt_calls_plan(pid_t pid, const struct rt_lang *l, struct rt_calls_via *via)
{
	const char *probe, *provider = rt_usdt_probe(l, l->calls[0].ret, &probe);
	int n = rt_eval_via(pid, l, via);
	unsigned long v = via->version;

	if (n == 0) {
		bcct_info("%s calls: USDT %s:%s", l->name, provider, probe);
	} else if (n > 0) {
		eval_used = true;
		bcct_info("%s calls: no USDT probe %s:%s in %s; uprobes on %s (CPython %lu.%lu.%lu): "
			  "only calls entered from C", l->name, provider, probe, via->binary,
			  l->eval_func, RT_PY_MAJOR(v), RT_PY_MINOR(v), (v >> 8) & 0xff);
	} else if (n == -ENOENT) {
		bcct_err("%s: no USDT probe %s:%s and no Py_Version to tell the interpreter's version "
			 "(CPython before 3.11?): cannot read its frames", via->binary, provider, probe);
	} else {
		bcct_err("%s: no USDT probe %s:%s, and the frames of CPython %lu.%lu%s are not known "
			 "here (3.11 to 3.13)", via->binary, provider, probe, RT_PY_MAJOR(v),
			 RT_PY_MINOR(v), via->free_threaded ? " (free-threaded)" : "");
	}
	return n < 0 ? BCCT_EXIT_FAIL : 0;
}

int rt_eval_size_maps(void *skel, const struct rt_calls_via *via)
{
	/* a CPU's worth each when unused: an LRU map keeps free nodes per CPU */
	unsigned int n = via->eval ? RT_EVAL_THREADS : (unsigned int)bcct_ncpus();
	int err = bcct_map_resize(skel, "py_threads", n);

	return err ? err : bcct_map_resize(skel, "py_frames", n);
}

int rt_eval_attach(pid_t pid, const struct rt_calls_via *via, struct bpf_program *entry,
		   struct bpf_program *ret)
{
	int err = 0;

	if (ret)
		err = bcct_attach_uprobe(ret, true, pid, via->binary, via->func, 0);
	if (!err)
		err = bcct_attach_uprobe(entry, false, pid, via->binary, via->func, 0);
	if (err) {
		bcct_err("%s: cannot attach uprobes to %s: %s", via->binary, via->func, strerror(-err));
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

static const struct rt_lang *comm_lang(const char *comm, const struct rt_lang *only)
{
	for (const struct rt_lang *l = only ? only : rt_langs; l->name; l++) {
		for (int i = 0; i < 3 && l->comms[i] && rt_lang_has(l, RT_NEED_STAT); i++)
			if (!strncmp(comm, l->comms[i], strlen(l->comms[i])))
				return l;
		if (only)
			break;
	}
	return NULL;
}

/* Calls fn(pid, comm, arg) for every process but ours. */
static void each_process(void (*fn)(pid_t pid, const char *comm, void *arg), void *arg)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;

	while (proc && (d = readdir(proc))) {
		char comm[32], *end;
		long pid = strtol(d->d_name, &end, 10);

		if (!*end && pid > 0 && pid != getpid())
			fn(pid, sys_pid_comm(pid, comm, sizeof(comm)), arg);
	}
	if (proc)
		closedir(proc);
}

struct lang_scan {
	const struct rt_lang *only;
	void (*fn)(pid_t pid, const struct rt_lang *l, void *arg);
	void *arg;
};

static void lang_of(pid_t pid, const char *comm, void *arg)
{
	struct lang_scan *scan = arg;
	const struct rt_lang *l = comm_lang(comm, scan->only);

	if (l)
		scan->fn(pid, l, scan->arg);
}

void rt_processes(const struct rt_lang *only, void (*fn)(pid_t pid, const struct rt_lang *l, void *arg),
		  void *arg)
{
	each_process(lang_of, &(struct lang_scan){ only, fn, arg });
}

/* ---- databases ---- */

struct db_scan {
	const char *comm;
	char *shown;
	size_t len, used;
	pid_t first;            /* the first one whose executable could be read (into bin) */
	char bin[PATH_MAX];
};

static void db_process(pid_t pid, const char *comm, void *arg)
{
	struct db_scan *scan = arg;

	if (strcmp(comm, scan->comm))
		return;
	/* A process of a server shutting down may be gone by now: the first that is not. */
	if (!scan->first && !sys_pid_exe(pid, scan->bin, sizeof(scan->bin)))
		scan->first = pid;
	if (scan->used < scan->len)
		scan->used += snprintf(scan->shown + scan->used, scan->len - scan->used, "%s%d",
				       scan->used ? ", " : "", (int)pid);
}

/* what: "query" or "command", the probe pair <what>__start and <what>__done. */
static int db_attach_one(struct bpf_program *start, struct bpf_program *done, pid_t pid,
			 const char *binary, const char *provider, const char *what)
{
	char start_probe[32], done_probe[32];
	int err;

	snprintf(start_probe, sizeof(start_probe), "%s__start", what);
	snprintf(done_probe, sizeof(done_probe), "%s__done", what);
	err = bcct_attach_usdt(start, pid, binary, provider, start_probe, 0);
	if (!err)
		err = bcct_attach_usdt(done, pid, binary, provider, done_probe, 0);
	if (err)
		bcct_err("no USDT probes %s:%s/%s in %s: %s", provider, start_probe, done_probe,
			 binary, strerror(-err));
	return err ? BCCT_EXIT_FAIL : 0;
}

int rt_db_check(const char *db)
{
	if (db && (!strcmp(db, "mysql") || !strcmp(db, "postgres")))
		return 0;
	bcct_usage_err("argument db: invalid choice: '%s' (choose from 'mysql', 'postgres')",
		       db ? db : "");
	return BCCT_EXIT_USAGE;
}

int rt_db_attach(const char *db, const struct bcct_list *pids, const char *path,
		 struct bpf_program *start, struct bpf_program *done, char *shown, size_t len)
{
	bool mysql = !strcmp(db, "mysql");
	const char *provider = mysql ? "mysql" : "postgresql";
	struct db_scan scan = { .comm = mysql ? "mysqld" : "postgres", .shown = shown, .len = len };
	char bin[PATH_MAX];
	int err;

	shown[0] = 0;
	for (int i = 0; i < pids->n; i++) {
		long pid;

		if (bcct_parse_long(pids->v[i], &pid) || pid <= 0 || sys_pid_exe(pid, bin, sizeof(bin))) {
			bcct_err("process %s not found", pids->v[i]);
			return BCCT_EXIT_FAIL;
		}
		if ((err = db_attach_one(start, done, pid, bin, provider, "query")))
			return err;
		scan.used += snprintf(shown + scan.used, len - scan.used, "%s%ld", i ? ", " : "", pid);
	}
	if (pids->n)
		return 0;
	/* Without -p: the database's binary for every process, those to come included (BCC
	 * attaches to the ones running at start, which misses PostgreSQL's later backends). */
	each_process(db_process, &scan);
	if (path) {
		snprintf(bin, sizeof(bin), "%s", path);
	} else if (scan.first) {
		snprintf(bin, sizeof(bin), "%s", scan.bin);
	} else {
		bcct_err("no %s process found: give -p PID or -x PATH", scan.comm);
		return BCCT_EXIT_FAIL;
	}
	return db_attach_one(start, done, 0, bin, provider, "query");
}

int rt_mysqld_attach(const char *pid_arg, const char *what, struct bpf_program *start,
		     struct bpf_program *done)
{
	char bin[PATH_MAX];
	long pid;

	if (bcct_parse_long(pid_arg, &pid) || pid <= 0 || sys_pid_exe(pid, bin, sizeof(bin))) {
		bcct_err("process %s not found", pid_arg);
		return BCCT_EXIT_FAIL;
	}
	return db_attach_one(start, done, pid, bin, "mysql", what);
}

const char *rt_stat_col_name(enum rt_stat_col col)
{
	static const char *const names[RT_STAT_MAX] = { "THREAD", "METHOD", "OBJNEW", "CLOAD",
							"EXCP", "GC" };

	return col < RT_STAT_MAX ? names[col] : "?";
}

int rt_bash_attach(const char *path, struct bpf_program *call, struct bpf_program *ret)
{
	int err;

	if (!path)
		path = "/bin/bash";
	err = bcct_attach_uprobe(call, false, 0, path, "push_context", 0);
	if (!err && ret)
		err = bcct_attach_uprobe(ret, false, 0, path, "pop_context", 0);
	if (err == -ENOENT) {
		bcct_err("%s: no function push_context/pop_context in it (is it bash?)", path);
		return BCCT_EXIT_FAIL;
	}
	if (err) {
		bcct_err("%s: cannot attach uprobes: %s", path, strerror(-err));
		return BCCT_EXIT_FAIL;
	}
	return 0;
}
