/* trace: print a message when functions, tracepoints or USDT probes fire, with arguments,
 * filtered by a predicate. The probe expressions are compiled to BPF at run time by core/probe. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/output.h"
#include "core/probe/probeset.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "core/stacks.h"
#include "symbolize/symbolize.h"

static struct {
	bool timestamp, unix_ts, time, print_cpu, kstack, ustack, address, include_self, aggregate;
	bool bin_cmp;
	long max_events, string_size, buffer_pages;
	const char *name, *msg_filter, *sym_files;
	struct bcct_list includes, probes;
	struct pprobe pp[BCCT_LIST_MAX];
	int nprobes;
	uint64_t first_ts;
	double first_ts_real;
	long printed;
	struct bcct_stacks *stacks;
	struct sym_cache *syms;
	/* -A: distinct event texts and how often each was seen, in first-seen order */
	char **agg_text;
	unsigned long *agg_count;
	size_t nagg;
	struct bcct_run *run;
} o = { .string_size = 80, .buffer_pages = 64 };

static int add_include(const char *arg, void *dest)
{
	struct bcct_list *l = dest;

	if (l->n < BCCT_LIST_MAX)
		l->v[l->n++] = arg;
	return 0;
}

static const struct bcct_opt opts[] = {
	OPT_INT_('b', "buffer-pages", &o.buffer_pages, "BUFFER_PAGES",
		 "number of pages to use for perf_events ring buffer (default: 64)", 1, 1 << 20),
	STD_PID('p'),
	STD_TID('L'),
	STD_UID(0),
	OPT_INT_('Z', "string-size", &o.string_size, "STRING_SIZE", "maximum size to read from strings", 1, 4096),
	OPT_FLAG_('S', "include-self", &o.include_self, "do not filter trace's own pid from the trace"),
	OPT_INT_('M', "max-events", &o.max_events, "MAX_EVENTS", "number of events to print before quitting", 1, LONG_MAX),
	OPT_FLAG_('t', "timestamp", &o.timestamp, "print timestamp column (offset from trace start)"),
	OPT_FLAG_('u', "unix-timestamp", &o.unix_ts, "print UNIX timestamp instead of offset from trace start, requires -t"),
	OPT_FLAG_('T', "time", &o.time, "print time column"),
	OPT_FLAG_('C', "print_cpu", &o.print_cpu, "print CPU id"),
	OPT_STR_('c', "cgroup-path", OPT_DEST(env, cgroup), "CGROUP_PATH", "cgroup path"),
	OPT_STR_('n', "name", &o.name, "NAME", "only print process names containing this name"),
	OPT_STR_('f', "msg-filter", &o.msg_filter, "MSG_FILTER", "only print the msg of event containing this string"),
	OPT_FLAG_('B', "bin_cmp", &o.bin_cmp, "allow to use STRCMP with binary values (accepted; STRCMP compares bytes)"),
	OPT_STR_('s', "sym_file_list", &o.sym_files, "SYM_FILE_LIST", "comma separated list of symbol files to use for symbol resolution (refused: user stacks are symbolized from the mapped files)"),
	OPT_FLAG_('K', "kernel-stack", &o.kstack, "output kernel stack trace"),
	OPT_FLAG_('U', "user-stack", &o.ustack, "output user stack trace"),
	OPT_FLAG_('a', "address", &o.address, "print virtual address in stacks"),
	STD_STACK_OPTS,
	OPT_FUNC_('I', "include", &o.includes, "header", "additional kernel header files (accepted: types come from the kernel's BTF); headers given by a path are refused", add_include),
	OPT_FLAG_('A', "aggregate", &o.aggregate, "aggregate amount of each trace"),
	STD_JSON,
	STD_VERBOSE,
	{ .type = OPT_LIST, .dest = &o.probes, .argname = "probe", .help = "probe specifier (see examples)" },
	STD_EBPF,
	OPT_END_,
};

/* ---- symbols ------------------------------------------------------------------------------- */

static const char *ksym(uint64_t addr, char *buf, size_t len, unsigned flags)
{
	struct bcct_sym s;
	bool ok = sym_kernel(addr, &s);

	return sym_format_ex(&s, ok, flags, buf, len);
}

static const char *usym(uint32_t tgid, uint64_t addr, char *buf, size_t len, unsigned flags)
{
	struct sym_proc *p;
	struct bcct_sym s = { 0 };
	bool ok = false;

	if (!o.syms)
		o.syms = sym_cache_new();
	p = o.syms ? sym_cache_get(o.syms, tgid) : NULL;
	if (p)
		ok = sym_user(p, addr, &s);
	return sym_format_ex(&s, ok, flags, buf, len);
}

/* %K: BCC's ksym(show_offset=True); %U: sym(show_module=True, show_offset=True). */
static bool fmt_kernel(void *ctx, uint64_t addr, char *buf, size_t len)
{
	ksym(addr, buf, len, SYM_FMT_OFFSET);
	return true;
}

static bool fmt_user(void *ctx, uint32_t tgid, uint64_t addr, char *buf, size_t len)
{
	usym(tgid, addr, buf, len, SYM_FMT_OFFSET | SYM_FMT_MODULE);
	return true;
}

static const struct probe_symbolizer symbolizer = { .kernel = fmt_kernel, .user = fmt_user };

/* ---- printing ------------------------------------------------------------------------------ */

struct text {
	char *s;
	size_t len, cap;
};

static void tprintf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (t->s && t->len + n < t->cap) {
			t->len += n;
			return;
		}
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			return;
	}
}

/* BCC's stack lines: 8 spaces, "%16x " with -a, "name+0xoff [module]"; a failed id as "%d". */
static void stack_text(struct text *t, int id, bool user, const struct probe_event_header *h)
{
	const char *const *names;
	const uint64_t *addrs;
	int n;

	if (id < 0) {
		tprintf(t, "        %d\n", id);
		return;
	}
	n = bcct_stack_frames(o.stacks, id, user, (int)h->tgid, &h->caller, &names);
	addrs = bcct_stack_addrs(o.stacks, user);
	for (int i = 0; i < n; i++) {
		tprintf(t, "        ");
		if (o.address)
			tprintf(t, "%16llx ", (unsigned long long)addrs[i]);
		tprintf(t, "%s\n", names[i]);
	}
}

static void json_stack(const char *key, int id, bool user, const struct probe_event_header *h)
{
	const char *const *names;
	int n = bcct_stack_frames(o.stacks, id, user, (int)h->tgid, &h->caller, &names);

	json_str_array(key, names, n < 0 ? 0 : n);
}

static void print_aggregate(void)
{
	size_t *order = malloc(o.nagg * sizeof(*order) + 1);

	if (!order)
		return;
	for (size_t i = 0; i < o.nagg; i++)
		order[i] = i;
	/* by count, descending; first seen first among equals (Python's stable sort) */
	for (size_t i = 1; i < o.nagg; i++)
		for (size_t j = i; j > 0 && o.agg_count[order[j]] > o.agg_count[order[j - 1]]; j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (size_t i = 0; i < o.nagg; i++)
		printf("%s-->COUNT %lu\n\n", o.agg_text[order[i]], o.agg_count[order[i]]);
	free(order);
	fflush(stdout);
}

static void aggregate(const char *text)
{
	for (size_t i = 0; i < o.nagg; i++)
		if (!strcmp(o.agg_text[i], text)) {
			o.agg_count[i]++;
			return;
		}
	o.agg_text = realloc(o.agg_text, (o.nagg + 1) * sizeof(*o.agg_text));
	o.agg_count = realloc(o.agg_count, (o.nagg + 1) * sizeof(*o.agg_count));
	o.agg_text[o.nagg] = strdup(text);
	o.agg_count[o.nagg++] = 1;
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct probe_event_header *h = data;
	const struct pprobe *pp;
	struct text t = { 0 };
	char comm[17], msgbuf[4096], *msg = msgbuf, tbuf[32];
	int n;

	if (size < sizeof(*h) || h->probe_id >= (uint32_t)o.nprobes)
		return 0;
	if (o.max_events && o.printed >= o.max_events)
		return 0;
	pp = &o.pp[h->probe_id];
	memcpy(comm, h->comm, 16);
	comm[16] = 0;
	if (o.name && !strstr(comm, o.name))
		return 0;
	n = probe_format_event(pp->progs[0], data, size, &symbolizer, msgbuf, sizeof(msgbuf));
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof(msgbuf)) {
		msg = malloc(n + 1);
		if (!msg)
			return 0;
		probe_format_event(pp->progs[0], data, size, &symbolizer, msg, n + 1);
	}
	if (o.msg_filter && !strstr(msg, o.msg_filter))
		goto done;

	if (o.timestamp || o.time) {
		if (o.time && !o.timestamp)
			sys_time_of_day(tbuf, sizeof(tbuf));
		else
			snprintf(tbuf, sizeof(tbuf), "%.6f", (h->ts_ns - o.first_ts) * 1e-9 +
				 (o.unix_ts ? o.first_ts_real : 0));
	}
	if (env.json) {
		out_event_time(h->ts_ns);
		out_begin();
		if (o.timestamp && !o.unix_ts)  /* -T and -U are wall clock: "ts" has them */
			json_float("time_s", (h->ts_ns - o.first_ts) * 1e-9);
		if (o.print_cpu)
			json_uint("cpu", h->cpu);
		json_uint("pid", h->tgid);
		json_uint("tid", h->pid);
		json_str("comm", comm);
		json_str("func", probe_display_name(pp->spec));
		json_str("msg", msg);
		if (o.kstack)
			json_stack("kernel_stack", h->kernel_stack_id, false, h);
		if (o.ustack)
			json_stack("user_stack", h->user_stack_id, true, h);
		out_end();
	} else {
		if (o.timestamp || o.time)
			tprintf(&t, o.unix_ts ? "%-17.17s " : "%-8.8s ", tbuf);
		if (o.print_cpu)
			tprintf(&t, "%-3u ", h->cpu);
		tprintf(&t, "%-7u %-7u %-15s %-16s %s\n", h->tgid, h->pid, comm, probe_display_name(pp->spec), msg);
		if (o.kstack)
			stack_text(&t, h->kernel_stack_id, false, h);
		if (o.ustack)
			stack_text(&t, h->user_stack_id, true, h);
		if (t.s && o.aggregate) {
			aggregate(t.s);
		} else if (t.s) {
			fputs(t.s, stdout);
			if (o.kstack || o.ustack)
				putchar('\n');
			fflush(stdout);
		}
		free(t.s);
	}
	if (o.max_events && ++o.printed >= o.max_events) {
		if (o.aggregate) {
			print_aggregate();
			o.nagg = 0;
		}
		bcct_stop();
	}
done:
	if (msg != msgbuf)
		free(msg);
	return 0;
}

static void on_start(void *ctx)
{
	bool trivial = true;

	for (int i = 0; i < o.nprobes; i++)
		trivial &= !probe_spec_has_format(o.pp[i].spec);
	if (env.json)
		return;
	if (o.timestamp || o.time)
		printf(o.unix_ts ? "%-17s " : "%-8s ", "TIME");
	if (o.print_cpu)
		printf("%-3s ", "CPU");
	printf("%-7s %-7s %-15s %-16s %s\n", "PID", "TID", "COMM", "FUNC", trivial ? "" : "-");
	fflush(stdout);
}

static void on_exit_(void *ctx)
{
	if (o.aggregate && o.nagg)
		print_aggregate();
}

static unsigned long long lost(void *ctx)
{
	unsigned long long n = 0;

	for (int i = 0; i < o.nprobes; i++)
		n += pprobe_lost(&o.pp[i]);
	return n;
}

/* ---- run ------------------------------------------------------------------------------------ */

static int attach(void *ctx)
{
	struct probe_load_opts lo = {
		.events_fd = o.run->events_fd,
		.stack_fd = o.run->stack_fd,
		.cgroup_fd = o.run->cgroup_fd,
	};
	int err;

	if (lo.stack_fd >= 0) {
		o.stacks = bcct_stacks_new_fd(lo.stack_fd, &(struct bcct_stack_fmt){ .kernel = o.kstack,
					      .user = o.ustack, .offsets = true,
					      .modules = true });
		if (!o.stacks)
			return -ENOMEM;
	}
	for (int i = 0; i < o.nprobes; i++) {
		err = pprobe_attach(&o.pp[i], &lo, env.pid);
		if (err)
			return err;
	}
	probe_btf_release();
	return 0;
}

static int run(void)
{
	struct probe_compile_opts co = {
		.string_size = o.string_size,
		.perf_buffer = bcct_use_perfbuf(),
		.filter_tgid = env.pid, .filter_pid = env.tid,
		.filter_by_uid = env.uid >= 0, .filter_uid = env.uid >= 0 ? env.uid : 0,
		.exclude_tgid = o.include_self ? 0 : getpid(),
		.cgroup_filter = env.cgroup != NULL,
		.kernel_stack = o.kstack, .user_stack = o.ustack,
	};
	struct bcct_run r = {
		.attach = attach,
		.on_start = on_start,
		.on_event = on_event,
		.on_exit = on_exit_,
		.lost = lost,
		.perf_pages = o.buffer_pages,
		.stack_map = o.kstack || o.ustack,
	};
	struct timeval tv;
	int err = 0;

	if (!o.probes.n) {
		bcct_usage_err("the following arguments are required: probe");
		return BCCT_EXIT_USAGE;
	}
	if (env.pid && env.tid) {
		bcct_usage_err("only one of -p and -L may be specified");
		return BCCT_EXIT_USAGE;
	}
	/* BCC builds user stacks in a build-id stack map for -s and resolves them in the listed
	 * files; bcct's stacks hold addresses, resolved in each process's mapped files (and their
	 * build-id or .gnu_debuglink debug files), so there is nothing to give these files to. */
	if (o.sym_files) {
		bcct_usage_err("-s %s: not supported: user stacks are symbolized from each process's mapped files and their debug files, not from symbol files", o.sym_files);
		return BCCT_EXIT_USAGE;
	}
	/* A kernel header ("linux/fs.h", "net/sock.h") only names kernel types, which the kernel's
	 * BTF has: accepted. A header given by a path (BCC: absolute or relative to the current
	 * directory) is the user's own: its types exist in no BTF and bcct has no C compiler. */
	for (int i = 0; i < o.includes.n; i++) {
		const char *h = o.includes.v[i];

		if (h[0] == '.' || h[0] == '/') {
			bcct_usage_err("-I %s: not supported: probes are compiled without a C compiler, against the kernel's BTF, which has no types from this header", h);
			return BCCT_EXIT_USAGE;
		}
		bcct_info("-I %s: its kernel types come from the kernel's BTF", h);
	}
	o.run = &r;
	for (int i = 0; i < o.probes.n && !err; i++) {
		o.nprobes = i + 1;
		err = pprobe_build(&o.pp[i], o.probes.v[i], PROBE_TOOL_TRACE, false, env.pid, &co, i);
	}
	if (!err) {
		gettimeofday(&tv, NULL);
		o.first_ts_real = tv.tv_sec + tv.tv_usec * 1e-6;
		o.first_ts = bcct_now_ns();
		err = bcct_run(&r);
	}
	pprobes_free(o.pp, &o.nprobes);
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	probe_btf_release();
	return err;
}

BCCT_APPLET(trace,
	.spec_kinds = PS_F_ALL,
	.category = "generic/multi-tool",
	.summary = "Attach to functions and print trace messages",
	.description =
	"Each probe is [{p,r,t,u}]:[library]:function[+offset][(signature)] [(predicate)] [\"format\"[, args]]\n"
	"  func, p::func          kernel function entry (kprobe)     r::func      its return\n"
	"  lib:func, p:lib:func   user function entry (uprobe)       r:lib:func   its return\n"
	"  t:category:event       kernel tracepoint (tplist lists them, tplist -v their fields)\n"
	"  u:lib:[provider:]probe USDT probe of a binary or library (tplist -l lib lists them)\n"
	"lib is a path, or a name found as the dynamic loader would (c = libc, pthread, m, ...: the\n"
	"libraries of -p PID first, then ld.so.cache), or an executable on $PATH. A syscall may be\n"
	"named as any kernel named it (sys_read, SyS_read): it becomes this kernel's __x64_sys_read.\n"
	"\n"
	"The predicate and the arguments are C expressions over: arg1..arg6 (function arguments) or\n"
	"the names of the (signature); retval in r: probes; args->FIELD in tracepoints; $pid $tgid\n"
	"$uid $gid $cpu; $task (the current struct task_struct *); struct members through the\n"
	"kernel's BTF; enumerators and GFP_* flags by name; STRCMP(\"literal\", expr) (exact match);\n"
	"ntohs ntohl htons htonl; EXPR@user to read user memory in a kernel probe. Expressions are\n"
	"compiled to BPF at run time (no headers, no LLVM).\n"
	"The format is printf's: %d %i %u %x %X %o %c %s %p with h hh l ll z j t, flags, width and\n"
	"precision; %K and %U print a kernel or user address as a symbol.\n"
	"Kernel functions need kprobes (or fentry); tracepoints, uprobes and USDT do not.",
	.examples =
	"trace do_sys_open\n"
	"        Trace the open syscall and print a default trace message when entered\n"
	"trace kfree_skb+0x12\n"
	"        Trace the kfree_skb kernel function after the instruction on the 0x12 offset\n"
	"trace 'do_sys_open \"%s\", arg2@user'\n"
	"        Trace the open syscall and print the filename being opened @user is\n"
	"        added to arg2 in kprobes to ensure that char * should be copied from\n"
	"        the userspace stack to the bpf stack. If not specified, previous\n"
	"        behaviour is expected.\n"
	"trace 'do_sys_open \"%s\", arg2@user' -n main\n"
	"        Trace the open syscall and only print event that process names containing \"main\"\n"
	"trace 'do_sys_open \"%s\", arg2@user' --uid 1001\n"
	"        Trace the open syscall and only print event that processes with user ID 1001\n"
	"trace 'do_sys_open \"%s\", arg2@user' -f config\n"
	"        Trace the open syscall and print the filename being opened filtered by \"config\"\n"
	"trace 'sys_read (arg3 > 20000) \"read %d bytes\", arg3'\n"
	"        Trace the read syscall and print a message for reads >20000 bytes\n"
	"trace 'r::do_sys_open \"%llx\", retval'\n"
	"        Trace the return from the open syscall and print the return value\n"
	"trace 'c:open (arg2 == 42) \"%s %d\", arg1, arg2'\n"
	"        Trace the open() call from libc only if the flags (arg2) argument is 42\n"
	"trace 'c:malloc \"size = %d\", arg1'\n"
	"        Trace malloc calls and print the size being allocated\n"
	"trace 'p:c:write (arg1 == 1) \"writing %d bytes to STDOUT\", arg3'\n"
	"        Trace the write() call from libc to monitor writes to STDOUT\n"
	"trace 'r::__kmalloc (retval == 0) \"kmalloc failed!\"'\n"
	"        Trace returns from __kmalloc which returned a null pointer\n"
	"trace 'r:c:malloc (retval) \"allocated = %x\", retval'\n"
	"        Trace returns from malloc and print non-NULL allocated buffers\n"
	"trace 't:block:block_rq_complete \"sectors=%d\", args->nr_sector'\n"
	"        Trace the block_rq_complete kernel tracepoint and print # of tx sectors\n"
	"trace 'u:pthread:pthread_create (arg4 != 0)'\n"
	"        Trace the USDT probe pthread_create when its 4th argument is non-zero\n"
	"trace 'u:pthread:libpthread:pthread_create (arg4 != 0)'\n"
	"        Ditto, but the provider name \"libpthread\" is specified.\n"
	"trace 'p::SyS_nanosleep(struct timespec *ts) \"sleep for %lld ns\", ts->tv_nsec'\n"
	"        Trace the nanosleep syscall and print the sleep duration in ns\n"
	"trace -c /sys/fs/cgroup/system.slice/workload.service '__x64_sys_nanosleep' '__x64_sys_clone'\n"
	"        Trace nanosleep/clone syscall calls only under workload.service\n"
	"        cgroup hierarchy.\n"
	"trace -I 'net/sock.h' \\\n"
	"      'udpv6_sendmsg(struct sock *sk) (sk->sk_dport == 13568)'\n"
	"        Trace udpv6 sendmsg calls only if socket's destination port is equal\n"
	"        to 53 (DNS; 13568 in big endian order)\n"
	"trace -I 'linux/fs_struct.h' 'mntns_install \"users = %d\", $task->fs->users'\n"
	"        Trace the number of users accessing the file system of the current task\n"
	"trace 't:syscalls:sys_enter_openat \"%s\", args->filename'\n"
	"        Trace openat() through its tracepoint (no kprobes needed) and print the file\n"
	"trace 't:syscalls:sys_exit_openat (args->ret < 0) \"openat failed: %d\", args->ret'\n"
	"        Print failed openat() calls with their error number\n"
	"trace 't:sched:sched_process_exit (STRCMP(\"sleep\", args->comm)) \"sleep %d exits\", args->pid'\n"
	"        Print the processes named sleep as they exit\n"
	"trace -K 't:sched:sched_process_exit \"%s exits\", args->comm'\n"
	"        Print exiting processes with the kernel stack that got them there\n"
	"trace -T 'r:c:getpid \"pid %d uid %d cpu %d\", retval, $uid, $cpu'\n"
	"        Print the time, the result of getpid() and the caller's UID and CPU\n",
	.opts = opts,
	.run = run);
