/* Tests of the probe compiler (core/probe): tokens, parse trees (S-expressions), type errors
 * with carets and suggestions, instruction listings (golden files tests/unit/golden/probe_*.txt),
 * then, as root, every generated program loaded into the running kernel, a verifier rejection
 * mapped back to its expression, and live runs: a tracepoint's %s string, a uprobe and a
 * uretprobe on a function of this binary, argdist counts and a histogram.
 *
 * Tracepoint formats come from fixture copies (golden/probe_format_<event>.txt) so the
 * unprivileged parts need no tracefs; struct layouts come from /sys/kernel/btf/vmlinux.
 *
 * Usage: test_probe [SOURCE_ROOT]   (or BCCT_SRC=SOURCE_ROOT; default: next to this file)
 * BCCT_UPDATE_GOLDEN=1 rewrites the golden files from the current output (tests/unit/check.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/probe/internal.h"
#include "symbolize/usdt.h"
#include "check.h"

static void diag_into(struct sbuf *b, const struct probe_diag *d)
{
	int n = probe_diag_format(d, NULL, 0);
	char *text = malloc(n + 1);

	probe_diag_format(d, text, n + 1);
	sbuf_printf(b, "%s", text);
	free(text);
}

/* ---- compiling with fixtures ---------------------------------------------------------------- */
enum tool { TRACE, COUNT, HIST };

struct compiled {
	struct probe_spec *spec;
	struct probe_program *prog;
	char *format;            /* the fixture tracepoint format, if any */
};

/* Parses and compiles spec; tracepoints use golden/probe_format_<event>.txt when it exists. */
static bool compile_spec(enum tool tool, const char *text, struct probe_compile_opts *o,
			 struct compiled *out, struct probe_diag *d)
{
	struct probe_compile_opts defaults = { 0 };

	memset(out, 0, sizeof(*out));
	out->spec = tool == TRACE ? probe_parse_trace(text, d) : probe_parse_argdist(text, tool == HIST, d);
	if (!out->spec)
		return false;
	if (!o)
		o = &defaults;
	if (probe_spec_target(out->spec)->type == 't' && !o->tp_format) {
		char name[256];

		snprintf(name, sizeof(name), "probe_format_%s.txt", probe_spec_target(out->spec)->function);
		out->format = check_slurp(check_golden_path(name));
		o->tp_format = out->format;
	}
	out->prog = probe_compile(out->spec, o, d);
	if (o->tp_format == out->format)
		o->tp_format = NULL;
	return out->prog != NULL;
}

static void compiled_free(struct compiled *c)
{
	probe_program_free(c->prog);
	probe_spec_free(c->spec);
	free(c->format);
	memset(c, 0, sizeof(*c));
}

/* ---- 1. tokens ------------------------------------------------------------------------------ */
static void test_lexer(void)
{
	static const char *const inputs[] = {
		"arg1 > 0x10 && $pid != 42",
		"((struct sock *)arg1)->__sk_common.skc_dport",
		"args->filename[0] == 'a' || x <= 077u",
		"STRCMP(\"a\\tb\\x41\", arg2@user) ? -1 : ~0ULL",
		"a<<2>>1%3^4|5&6",
		"$entry(size) / $latency >= 1000000",
		"arg1 = 1",
		"\"unterminated",
		"0x",
		"089",
		"'ab'",
		"`",
	};
	struct sbuf b = {0};

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct arena a = {0};
		struct probe_diag d = { .column = -1 };
		struct token *t;
		int n;

		sbuf_printf(&b, "input: %s\n", inputs[i]);
		if (lex_tokens(inputs[i], 0, strlen(inputs[i]), &a, &d, &t, &n)) {
			diag_into(&b, &d);
		} else {
			sbuf_printf(&b, "=>");
			for (int k = 0; k < n; k++) {
				switch (t[k].kind) {
				case T_IDENT: sbuf_printf(&b, " ident:%s", t[k].text); break;
				case T_VAR: sbuf_printf(&b, " var:%s", t[k].text); break;
				case T_AT: sbuf_printf(&b, " at:%s", t[k].text); break;
				case T_INT: sbuf_printf(&b, " int:%llu%s%s", (unsigned long long)t[k].ival,
							 t[k].u_suffix ? "u" : "", t[k].l_suffix == 2 ? "ll" : t[k].l_suffix ? "l" : "");
					break;
				case T_CHAR: sbuf_printf(&b, " char:%llu", (unsigned long long)t[k].ival); break;
				case T_STRING:
					sbuf_printf(&b, " string:\"");
					sbuf_escaped(&b, t[k].str, t[k].slen);
					sbuf_printf(&b, "\"");
					break;
				case T_EOF: sbuf_printf(&b, " eof"); break;
				default: sbuf_printf(&b, " %s", tok_name(t[k].kind)); break;
				}
				sbuf_printf(&b, "@%d", t[k].pos);
			}
			sbuf_putc(&b, '\n');
		}
		probe_diag_clear(&d);
		arena_free(&a);
	}
	CHECK_GOLDEN("probe_lexer.txt", b.s);
	free(b.s);
}

/* ---- 2. parse trees ------------------------------------------------------------------------- */
static void test_parser(void)
{
	static const char *const exprs[] = {
		"1 + 2 * 3 - 4",
		"a || b && c | d ^ e & f == g < h << i + j * k",
		"-x + !y - ~z",
		"((struct sock *)arg1)->__sk_common.skc_dport",
		"(unsigned long long)arg1 >> 32",
		"(u32)-1",
		"(x) - 1",
		"(foo_t *)p",
		"(foo_t)arg1",
		"*(int *)&args->flags",
		"args->filename[0] == 'a'",
		"a ? b : c ? d : e",
		"STRCMP(\"/bin/sh\", arg1)",
		"$entry(size) + $latency",
		"arg2@user",
		"sizeof(struct task_struct) + sizeof arg1",
		"ntohs(sk->__sk_common.skc_dport)",
		"\"a\" \"b\"",
		"1 +",
		"(1",
		"a[1",
		"x->",
		"arg1@kernel",
		"unsigned",
		"(struct)x",
		"(unsigned short int long)x",
		"f(1, 2, 3, 4, 5, 6, 7, 8, 9)",
		"1 2",
	};
	static const struct { enum tool tool; const char *spec; } specs[] = {
		{ TRACE, "do_sys_open" },
		{ TRACE, "c:malloc \"size = %d\", arg1" },
		{ TRACE, "r::do_sys_open \"%llx\", retval" },
		{ TRACE, "p:c:write (arg1 == 1) \"writing %d bytes to STDOUT\", arg3" },
		{ TRACE, "kfree_skb+0x12" },
		{ TRACE, "t:block:block_rq_complete \"sectors=%d\", args->nr_sector" },
		{ TRACE, "u:pthread:libpthread:pthread_create (arg4 != 0)" },
		{ TRACE, "p::SyS_nanosleep(struct timespec *ts) \"sleep for %lld ns\", ts->tv_nsec" },
		{ TRACE, "p::do_sys_open(int dfd, const char __user *filename) (STRCMP(\"a,b\", filename)) \"%s, %-5d%%\", filename, dfd" },
		{ TRACE, "r:/usr/lib/libc.so.6:malloc (retval) \"allocated = %x\", retval" },
		{ TRACE, "p:c:open \"%s %d\", arg1" },
		{ TRACE, "p:c:open \"%d\", arg1, arg2" },
		{ TRACE, "p:c:open \"%q\", arg1" },
		{ TRACE, "p:c:open (arg1 > 1" },
		{ TRACE, "p:c:open \"%d\" arg1" },
		{ TRACE, "z:c:open" },
		{ TRACE, "t:sched:sched_switch(int x)" },
		{ TRACE, "do_sys_open+0xzz" },
		{ TRACE, "t:syscalls:sys_enter_openat \"%-999999999d\", args->flags" },
		{ TRACE, "t:syscalls:sys_enter_openat \"%.1025s %1024d\", args->filename, 1" },
		{ TRACE, "t:syscalls:sys_enter_openat \"%-1024.1024s\", args->filename" },
		{ COUNT, "p:c:malloc(size_t size):size_t:size:size==16" },
		{ COUNT, "r:c:gets():char*:(char*)$retval#snooped strings" },
		{ HIST, "r::__kmalloc(size_t size):u64:$latency/$entry(size)#ns per byte" },
		{ COUNT, "p::__kmalloc(size_t size, gfp_t flags):size_t,u32:size,flags" },
		{ HIST, "t:block:block_rq_complete():u32:args->nr_sector" },
		{ COUNT, "p:c:fork()#fork calls" },
		{ HIST, "r:c:read()" },
		{ HIST, "p:c:read()" },
		{ COUNT, "p:c:write(int fd):int:fd:fd==1:extra" },
		{ COUNT, "p:c:write" },
		{ COUNT, "p:c:write(int fd):int,int:fd" },
		{ COUNT, "q:c:write(int fd)" },
		{ COUNT, "p:c:write(int fd):int" },
	};
	struct sbuf b = {0};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct arena a = {0};
		struct probe_diag d = { .column = -1 };
		struct node *n = parse_expr_range(&a, exprs[i], 0, strlen(exprs[i]), &d);

		sbuf_printf(&b, "expr: %s\n", exprs[i]);
		if (n) {
			sbuf_printf(&b, "=> ");
			sexpr_node(&b, n);
			sbuf_putc(&b, '\n');
		} else {
			diag_into(&b, &d);
		}
		probe_diag_clear(&d);
		arena_free(&a);
	}
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct probe_diag d = { .column = -1 };
		struct probe_spec *s = specs[i].tool == TRACE ? probe_parse_trace(specs[i].spec, &d) :
				       probe_parse_argdist(specs[i].spec, specs[i].tool == HIST, &d);

		sbuf_printf(&b, "%s: %s\n", specs[i].tool == TRACE ? "trace" : specs[i].tool == HIST ?
			    "argdist -H" : "argdist -C", specs[i].spec);
		if (s) {
			char *x = probe_spec_sexpr(s);

			sbuf_printf(&b, "=> %s\n", x);
			free(x);
			probe_spec_free(s);
		} else {
			diag_into(&b, &d);
		}
		probe_diag_clear(&d);
	}
	CHECK_GOLDEN("probe_parse.txt", b.s);
	free(b.s);
}

/* ---- 3. type errors ------------------------------------------------------------------------- */
static void test_type_errors(void)
{
	static const struct { enum tool tool; const char *spec; } cases[] = {
		{ TRACE, "p::tcp_sendmsg(struct sock *sk) (sk->__sk_common.skc_dportt == 13568)" },
		{ TRACE, "t:syscalls:sys_enter_openat (args->flagz != 0)" },
		{ TRACE, "t:syscalls:sys_enter_openat \"%d\", args->common_pid" },
		{ TRACE, "t:syscalls:sys_enter_openat \"%d\", arg1" },
		{ TRACE, "t:sched:sched_switch \"%c\", args->prev_comm[16]" },
		{ TRACE, "p::f \"%d\", sk->x" },
		{ TRACE, "p::f \"%d\", arg7" },
		{ TRACE, "p::f \"%d\", retval" },
		{ TRACE, "r::f(int x) \"%d\", x" },
		{ TRACE, "r::f \"%d\", $entry(x)" },
		{ TRACE, "p::f(struct sock *sk) \"%d\", sk.sk_state" },
		{ TRACE, "p::f \"%d\", arg1->foo" },
		{ TRACE, "p::f \"%d\", $task->real_parnet->pid" },
		{ TRACE, "p::f \"%d\", $task->real_parent" },
		{ TRACE, "p::f \"%s\", 5" },
		{ TRACE, "p::f \"%d\", (struct sock)arg1" },
		{ TRACE, "p::f \"%d\", (foo_t)arg1" },
		{ TRACE, "p::f \"%d\", arg1 / 0" },
		{ TRACE, "p::f \"%d\", 1 << 40" },
		{ TRACE, "p::f \"%d\", STRCMP(arg1, arg2)" },
		{ TRACE, "p::f \"%d\", *arg1" },
		{ TRACE, "p::f \"%d\", args->x" },
		{ TRACE, "p::f \"%d\", \"str\"" },
		{ TRACE, "p::f (arg1 == \"x\")" },
		{ TRACE, "p::f \"%d\", ntohs(arg1, 2)" },
		{ TRACE, "p::f \"%d\", frobnicate(arg1)" },
		{ TRACE, "p::f \"%d\", ((struct nosuchstruct *)arg1)->x" },
		{ TRACE, "p::f(struct sock sk)" },
		{ TRACE, "u:/bin/true:probe \"%d\", arg1" },
		{ TRACE, "p::f \"%d\", $pidd" },
		{ COUNT, "p:c:f(int a):struct sock:a" },
		{ HIST, "p:c:f(int a):u64:$latency" },
		{ TRACE, "p::f(int x) \"%d %s %d\", x, $task->comm, $task->comm[0] + 1" },
		{ TRACE, "p::udpv6_sendmsg(struct sock *sk) (sk->sk_dport == 13568) \"%d %d\", sk->sk_family, ((struct inet_sock *)sk)->inet_dport" },
		{ TRACE, "p::udpv6_sendmsg(struct sock *sk) \"%d\", sk->sk_dportx" },
	};
	struct sbuf b = {0};

	if (!probe_btf(NULL)) {
		SKIP("type errors", "no /sys/kernel/btf/vmlinux");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_diag d = { .column = -1 };
		struct compiled c;

		sbuf_printf(&b, "%s: %s\n", cases[i].tool == TRACE ? "trace" : cases[i].tool == HIST ?
			    "argdist -H" : "argdist -C", cases[i].spec);
		if (compile_spec(cases[i].tool, cases[i].spec, NULL, &c, &d))
			sbuf_printf(&b, "ok\n");
		else
			diag_into(&b, &d);
		compiled_free(&c);
		probe_diag_clear(&d);
	}
	CHECK_GOLDEN("probe_errors.txt", b.s);
	free(b.s);
}

/* ---- 4. instructions ------------------------------------------------------------------------ */
static void test_codegen(void)
{
	static const struct { enum tool tool; const char *spec; } cases[] = {
		{ TRACE, "t:syscalls:sys_enter_openat (args->flags != 0) \"%s\", args->filename" },
		{ TRACE, "r:c:malloc (retval != 0) \"%llx\", retval" },
		{ TRACE, "p:c:write(int fd, const char *buf, size_t count) (fd == 1 && count > 100 || STRCMP(\"x\", buf)) \"%d\", count" },
		{ TRACE, "p:c:f \"%d\", ((int)arg1 + 3) * -(int)arg2 / 7 % 5" },
		{ COUNT, "p:c:write(int fd):int:fd" },
	};
	struct sbuf b = {0};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_diag d = { .column = -1 };
		struct compiled c;
		char *text = NULL;
		size_t len = 0;
		FILE *mem;

		sbuf_printf(&b, "== %s: %s\n", cases[i].tool == TRACE ? "trace" : "argdist -C", cases[i].spec);
		if (!compile_spec(cases[i].tool, cases[i].spec, NULL, &c, &d)) {
			diag_into(&b, &d);
		} else {
			mem = open_memstream(&text, &len);
			probe_program_dump(c.prog, mem);
			fclose(mem);
			sbuf_printf(&b, "%s", text);
			free(text);
		}
		compiled_free(&c);
		probe_diag_clear(&d);
	}
	CHECK_GOLDEN("probe_insns.txt", b.s);
	free(b.s);
}

/* inject's call chains (core/probe/chain.c): frame 0 outermost, the base last; a function named
 * by two frames gets one program pair checking both. Builtin types only: no BTF needed. */
static const struct probe_chain_frame chain_frames[] = {
	{ "__x64_sys_top(char *buf, unsigned long size)", "(size == 3131)" },
	{ "mid(int a, const char *s)", "(a > 2 && STRCMP(s, \"x\"))" },
	{ "mid(int a, const char *s)", "(a == 5)" },
	{ "base(int x)", "(x == 9)" },
};

static void test_chain_codegen(void)
{
	static const struct probe_chain_frame unknown[] = { { "f(int a)", "(b == 1)" } };
	struct probe_chain_opts o = { .action = PROBE_CHAIN_OVERRIDE, .override_value = -12,
				      .probability = 0.5, .max_hits = 3 };
	struct probe_diag d = { .column = -1 };
	struct probe_chain *c = probe_chain_compile(chain_frames, 4, &o, &d);
	struct sbuf b = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (!c) {
		diag_into(&b, &d);
	} else {
		mem = open_memstream(&text, &len);
		probe_chain_dump(c, mem);
		fclose(mem);
		sbuf_printf(&b, "%s", text);
		free(text);
	}
	probe_chain_free(c);
	probe_diag_clear(&d);
	sbuf_printf(&b, "== a predicate naming no parameter\n");
	CHECK(!probe_chain_compile(unknown, 1, &o, &d), "a chain predicate naming no parameter compiled");
	diag_into(&b, &d);
	probe_diag_clear(&d);
	CHECK_GOLDEN("probe_chain.txt", b.s);
	free(b.s);
}

/* ---- 5. the verifier accepts what we generate (root) ---------------------------------------- */
/* USDT argument specs as the notes spell them: x86-64's and arm64's operand syntax. */
static void test_usdt_specs(void)
{
	struct bcct_usdt_arg a[8];

	CHECK(bcct_usdt_parse_args("-4@%edi 8@-16(%rbp) 4@$5 8@(%rax,%rbx,8)", a, 8) == 4 &&
	      a[0].kind == USDT_ARG_REG && a[0].size == 4 && a[0].is_signed && !strcmp(a[0].reg, "di") &&
	      a[1].kind == USDT_ARG_REG_DEREF && a[1].val == -16 && !strcmp(a[1].reg, "bp") &&
	      a[2].kind == USDT_ARG_CONST && a[2].val == 5 &&
	      !strcmp(a[3].index_reg, "bx") && a[3].scale == 8, "usdt x86-64 specs");
	CHECK(bcct_usdt_parse_args("-4@w1 8@[sp, 16] 8@[x2] -8@-5 8@x30 4@[x29, -12] 2@[x3, #6]", a, 8) == 7 &&
	      a[0].kind == USDT_ARG_REG && a[0].size == 4 && a[0].is_signed && !strcmp(a[0].reg, "x1") &&
	      a[1].kind == USDT_ARG_REG_DEREF && a[1].val == 16 && !strcmp(a[1].reg, "sp") &&
	      a[2].kind == USDT_ARG_REG_DEREF && a[2].val == 0 && !strcmp(a[2].reg, "x2") &&
	      a[3].kind == USDT_ARG_CONST && a[3].val == -5 && a[3].size == 8 &&
	      a[4].kind == USDT_ARG_REG && !strcmp(a[4].reg, "x30") &&
	      a[5].val == -12 && !strcmp(a[5].reg, "x29") && a[6].val == 6 && a[6].size == 2,
	      "usdt arm64 specs");
	CHECK(bcct_usdt_parse_args("8@x31", a, 8) < 0 && bcct_usdt_parse_args("8@[x1, 8", a, 8) < 0 &&
	      bcct_usdt_parse_args("4@y1", a, 8) < 0 && bcct_usdt_parse_args("8@[x1] 4@x12z", a, 8) < 0,
	      "usdt arm64 specs: bad registers and brackets refused");
}

static void test_loads(void)
{
	static const struct { enum tool tool; const char *spec; } cases[] = {
		{ TRACE, "t:syscalls:sys_enter_openat (args->flags != 0) \"%s\", args->filename" },
		{ TRACE, "t:syscalls:sys_enter_openat (args->dfd == -100 && (args->flags & 0x40)) \"%s %d %o %x\", args->filename, args->dfd, args->mode, args->flags" },
		{ TRACE, "t:sched:sched_process_exec (STRCMP(\"/bin/true\", args->filename)) \"%s %d %d\", args->filename, args->pid, args->filename[1]" },
		{ TRACE, "t:sched:sched_switch (args->prev_pid != args->next_pid) \"%s -> %s %c %ld\", args->prev_comm, args->next_comm, args->next_comm[0], args->prev_state" },
		{ TRACE, "t:sched:sched_switch (STRCMP(\"swapper/0\", args->prev_comm)) \"%d\", args->prev_comm[args->prev_prio & 7]" },
		{ TRACE, "r:c:malloc (retval != 0) \"%llx %d\", retval, arg1" },
		{ TRACE, "p:c:malloc \"size = %d\", arg1" },
		{ TRACE, "p:c:write(int fd, const char *buf, size_t count) (fd == 1 && count > 100 || STRCMP(\"x\", buf)) \"%d %s %c\", count, buf, buf[2]" },
		{ TRACE, "p::do_sys_open \"%d\", ((struct task_struct *)$task)->real_parent->tgid" },
		{ TRACE, "p::do_sys_open \"%d %s %d %u\", $task->fs->users, $task->comm, $task->sched_reset_on_fork, $task->comm[1]" },
		{ TRACE, "p::do_sys_open(int dfd, const char __user *filename, int flags) (flags & 1) \"%s %d\", filename, dfd" },
		{ TRACE, "p::__x64_sys_openat \"%s %d\", arg2@user, arg3" },
		{ TRACE, "p::tcp_sendmsg(struct sock *sk) (ntohs(sk->__sk_common.skc_dport) == 53) \"%d %x %K\", sk->__sk_common.skc_family, sk->__sk_common.skc_daddr, $task->thread.sp" },
		{ TRACE, "r::vfs_read(struct file *file, char *buf, size_t count) \"%d %lld %llu\", $latency, (long)retval / -3, $entry(count)" },
		{ TRACE, "p:c:f \"%d %u %hd %hhu %lx %p %U\", (arg1 + 3) * -(int)arg2 / 7, (unsigned)arg1 % 10, arg1 ? arg2 : arg3, (u8)arg4 >> 1, arg5 << 3, &((struct sock *)arg1)->__sk_common, arg6" },
		{ TRACE, "p:c:f \"%d %d %d %d\", $pid, $tgid, $uid, $gid" },
		{ TRACE, "p::udpv6_sendmsg(struct sock *sk) (sk->sk_dport == 13568) \"%d %d\", sk->sk_family, ((struct inet_sock *)sk)->inet_daddr" },
		{ TRACE, "p:c:f ((arg1 < arg2) == !(arg3 >= 4) || arg1 - arg2 > 0) \"%d\", $cpu" },
		/* constant conditions leave dead code, which the verifier refuses unless removed */
		{ TRACE, "p:c:f (0)" },
		{ TRACE, "p:c:f (arg1 && 0) \"%d %d %d\", 1 ? arg1 : arg2, arg1 || 1, (arg2 && 0)" },
		{ COUNT, "p:c:malloc(size_t size):size_t:size:size==16" },
		{ COUNT, "r:c:gets():char*:(char*)$retval#snooped strings" },
		{ COUNT, "p:c:write(int fd, char* buf, size_t len):char*,int:buf,fd:fd==1" },
		{ COUNT, "r::__vfs_read():u32:$PID:$latency > 100000" },
		{ COUNT, "p:c:fork()#fork calls" },
		{ COUNT, "t:syscalls:sys_enter_openat():int,char*:args->flags,args->filename" },
		{ HIST, "r::__kmalloc(size_t size):u64:$latency/$entry(size)#ns per byte" },
		{ HIST, "r:c:read()" },
		{ HIST, "t:sched:sched_switch():int:args->prev_prio" },
		{ HIST, "r::vfs_read(void *file, void *buf, size_t count):size_t:$entry(count):$latency > 1000000" },
	};

	if (geteuid() != 0) {
		SKIP("loads", "not root");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_diag d = { .column = -1 };
		struct compiled c;
		char name[600];
		bool ok = compile_spec(cases[i].tool, cases[i].spec, NULL, &c, &d);
		struct probe_load_opts lo = { 0 };

		snprintf(name, sizeof(name), "load %s", cases[i].spec);
		if (ok && probe_load(c.prog, &lo, &d))
			ok = false;
		if (!ok) {
			fprintf(stderr, "FAIL %s\n", name);
			probe_diag_print(&d, stderr);
			failed++;
		} else {
			passed++;
		}
		compiled_free(&c);
		probe_diag_clear(&d);
	}

	/* inject's chains in the count mode (the override needs CONFIG_BPF_KPROBE_OVERRIDE), and
	 * with constant predicates, whose dead code must go */
	{
		static const struct probe_chain_frame constant[] = {
			{ "f(int a)", "(0)" }, { "g()", "(true)" }, { "base(int x)", "(1 || x)" },
		};
		struct probe_chain_opts o = { .action = PROBE_CHAIN_COUNT, .probability = 1, .max_hits = -1 };
		struct probe_diag d = { .column = -1 };
		struct probe_chain *c = probe_chain_compile(chain_frames, 4, &o, &d);
		bool ok = c && probe_chain_load(c, &d) == 0;

		if (!ok)
			probe_diag_print(&d, stderr);
		CHECK(ok, "load a chain");
		CHECK(!c || probe_chain_hits(c) == 0, "a new chain has hits");
		probe_chain_free(c);
		probe_diag_clear(&d);
		c = probe_chain_compile(constant, 3, &o, &d);
		ok = c && probe_chain_load(c, &d) == 0;
		if (!ok)
			probe_diag_print(&d, stderr);
		CHECK(ok, "load a chain of constant predicates");
		probe_chain_free(c);
		probe_diag_clear(&d);
	}

	/* the option-driven parts: filters, stacks, cgroup, perf buffer, USDT arguments */
	{
		struct probe_diag d = { .column = -1 };
		struct bcct_usdt_arg usdt[3] = {
			{ .kind = USDT_ARG_REG, .size = 4, .is_signed = true, .reg = "di" },
			{ .kind = USDT_ARG_REG_DEREF, .size = 8, .val = -16, .reg = "bp" },
			{ .kind = USDT_ARG_CONST, .size = 4, .val = 5 },
		};
		struct probe_compile_opts o = { .filter_by_uid = true, .filter_uid = 0, .filter_tgid = 1, .filter_pid = 1,
			.exclude_tgid = 2, .cgroup_filter = true, .kernel_stack = true, .user_stack = true,
			.perf_buffer = true, .usdt_args = usdt, .usdt_nargs = 3, .probe_id = 7 };
		struct probe_load_opts lo = { 0 };
		struct compiled c;
		bool ok;

		lo.stack_fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, "st", 4, 127 * 8, 64, NULL);
		lo.cgroup_fd = bpf_map_create(BPF_MAP_TYPE_CGROUP_ARRAY, "cg", 4, 4, 1, NULL);
		ok = compile_spec(TRACE, "u:/bin/x:p (arg1 > 0) \"%d %llx %d\", arg1, arg2, arg3", &o, &c, &d) &&
		     probe_load(c.prog, &lo, &d) == 0;
		if (!ok)
			probe_diag_print(&d, stderr);
		CHECK(ok, "load with every option (USDT args, filters, stacks, cgroup, perf buffer)");
		compiled_free(&c);
		probe_diag_clear(&d);
		close(lo.stack_fd);
		close(lo.cgroup_fd);
	}

	/* a rejection is reported at the expression that caused it: an out-of-range context read */
	{
		static const char fake[] =
			"format:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
			"\tfield:int ok;\toffset:8;\tsize:4;\tsigned:1;\n"
			"\tfield:int bogus;\toffset:9000;\tsize:4;\tsigned:1;\n";
		const char *spec = "t:fake:event (args->ok > 0) \"%d\", args->bogus + 1";
		struct probe_compile_opts o = { .tp_format = fake };
		struct probe_diag d = { .column = -1 };
		struct compiled c;
		struct sbuf b = {0};
		bool compiled = compile_spec(TRACE, spec, &o, &c, &d);
		int r = compiled ? probe_load(c.prog, NULL, &d) : -1;

		diag_into(&b, &d);
		CHECK(compiled && r < 0, "verifier rejection is an error: %s", b.s);
		CHECK(d.column == (int)(strstr(spec, "args->bogus") - spec) && d.length == (int)strlen("args->bogus") &&
		      strstr(d.message, "evaluating 'args->bogus'") && d.detail,
		      "verifier rejection points at args->bogus: %s", b.s);
		if (getenv("BCCT_TEST_VERBOSE"))
			fputs(b.s, stderr);
		free(b.s);
		compiled_free(&c);
		probe_diag_clear(&d);
	}
}

/* ---- 6. live ----------------------------------------------------------------------------------- */
struct collect {
	const struct probe_program *prog;
	char want[512];
	bool seen;
	struct probe_event_header header;
	char message[1024];
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct collect *c = ctx;
	char msg[1024];

	if (probe_format_event(c->prog, data, size, NULL, msg, sizeof(msg)) < 0)
		return 0;
	if (!c->seen && strstr(msg, c->want)) {
		c->seen = true;
		memcpy(&c->header, data, sizeof(c->header));
		snprintf(c->message, sizeof(c->message), "%s", msg);
	}
	return 0;
}

/* Polls the program's ring buffer until the wanted message shows up (or ~2 s pass), calling
 * trigger before each poll. */
static bool wait_for(struct collect *c, int events_fd, void (*trigger)(void *), void *arg)
{
	struct ring_buffer *rb = ring_buffer__new(events_fd, on_event, c, NULL);

	if (!rb)
		return false;
	for (int i = 0; i < 20 && !c->seen; i++) {
		trigger(arg);
		ring_buffer__poll(rb, 100);
	}
	ring_buffer__free(rb);
	return c->seen;
}

static void open_marker(void *path)
{
	int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
}

static void live_tracepoint(void)
{
	struct probe_diag d = { .column = -1 };
	struct probe_compile_opts o = { .filter_tgid = getpid(), .probe_id = 3 };
	struct compiled c;
	struct collect col = {0};
	char path[256], expected[512];
	int link;

	snprintf(path, sizeof(path), "/tmp/bcct-probe-marker-%d", getpid());
	/* the real tracefs format this time */
	c.spec = probe_parse_trace("t:syscalls:sys_enter_openat (args->flags & 0100) \"%s flags=%o\", args->filename, args->flags", &d);
	c.prog = c.spec ? probe_compile(c.spec, &o, &d) : NULL;
	c.format = NULL;
	if (!c.prog || probe_load(c.prog, NULL, &d)) {
		probe_diag_print(&d, stderr);
		CHECK(false, "live tracepoint: compile and load");
		goto out;
	}
	link = probe_attach_tracepoint(probe_program_fd(c.prog, false), "syscalls", "sys_enter_openat");
	if (link < 0) {
		CHECK(false, "live tracepoint: attach: %s", strerror(-link));
		goto out;
	}
	col.prog = c.prog;
	snprintf(col.want, sizeof(col.want), "%s", path);
	wait_for(&col, probe_events_fd(c.prog), open_marker, path);
	close(link);
	unlink(path);
	snprintf(expected, sizeof(expected), "%s flags=%o", path, O_RDONLY | O_CREAT | O_CLOEXEC);
	CHECK(col.seen && !strcmp(col.message, expected), "live tracepoint: the %%s string is the opened path: %s",
	      col.seen ? col.message : "no event");
	CHECK(col.seen && col.header.tgid == (uint32_t)getpid() && col.header.pid == (uint32_t)getpid() &&
	      col.header.probe_id == 3 && !strncmp(col.header.comm, "test_probe", 10),
	      "live tracepoint: header pid/tgid/probe id/comm: %s", col.seen ? col.header.comm : "no event");
	CHECK(probe_lost_events(c.prog) == 0, "live tracepoint: nothing lost");
out:
	compiled_free(&c);
	probe_diag_clear(&d);
}

/* The uprobe targets: kept out of line and called through a volatile pointer so the compiler
 * neither inlines nor clones them. */
__attribute__((noinline, noclone, used)) int probe_marker(int a, const char *s)
{
	__asm__ volatile("" ::: "memory");
	return a * 2 + (s ? s[0] : 0);
}
static int (*volatile marker_fn)(int, const char *) = probe_marker;

/* File and offset of a function of this process, from /proc/self/maps. */
static bool function_file_offset(const void *fn, char *path, size_t len, uint64_t *offset)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];
	uintptr_t addr = (uintptr_t)fn;
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long start, end, pgoff;
		char perms[8], file[512] = "";

		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %511s", &start, &end, perms, &pgoff, file) < 4)
			continue;
		if (addr >= start && addr < end && file[0] == '/') {
			snprintf(path, len, "%s", file);
			*offset = addr - start + pgoff;
			found = true;
		}
	}
	fclose(f);
	return found;
}

struct marker_call { int a; const char *s; };

static void call_marker(void *arg)
{
	struct marker_call *m = arg;

	marker_fn(m->a, m->s);
}


/* A user probe's program attached as pprobe_attach does: through a uprobe_multi link when
 * probe_load loaded it for one (kernels with them), else a perf-event uprobe. */
static int attach_user(const struct probe_program *p, bool ret, const char *exe, uint64_t off)
{
	unsigned long where = (unsigned long)off;

	if (probe_program_uprobe_multi(p))
		return probe_attach_uprobe_multi(probe_program_fd(p, false), ret, exe, &where, NULL, 1, getpid());
	return probe_attach_uprobe(probe_program_fd(p, false), ret, exe, off, getpid());
}
static void live_uprobe(const char *exe, uint64_t off, bool ret)
{
	struct probe_diag d = { .column = -1 };
	struct probe_compile_opts o = { 0 };
	struct compiled c = {0};
	struct collect col = {0};
	struct marker_call call = { 21, "hello-uprobe" };
	char spec[1024], name[128];
	int link;

	if (ret)
		snprintf(spec, sizeof(spec), "r:%s:probe_marker ((int)retval == 42 + 'h') \"ret=%%d\", retval", exe);
	else
		snprintf(spec, sizeof(spec), "p:%s:probe_marker(int a, const char *s) (a == 21 && STRCMP(\"hello-uprobe\", s)) \"a=%%d s=%%s s[1]=%%c\", a, s, s[1]", exe);
	snprintf(name, sizeof(name), "live %s", ret ? "uretprobe" : "uprobe");
	c.spec = probe_parse_trace(spec, &d);
	c.prog = c.spec ? probe_compile(c.spec, &o, &d) : NULL;
	if (!c.prog || probe_load(c.prog, NULL, &d)) {
		probe_diag_print(&d, stderr);
		CHECK(false, "%s: compile/load", name);
		goto out;
	}
	link = attach_user(c.prog, ret, exe, off);
	if (link < 0) {
		CHECK(false, "%s: %s", name, strerror(-link));
		goto out;
	}
	col.prog = c.prog;
	snprintf(col.want, sizeof(col.want), "%s", ret ? "ret=146" : "a=21 s=hello-uprobe s[1]=e");
	wait_for(&col, probe_events_fd(c.prog), call_marker, &call);
	close(link);
	CHECK(col.seen, "%s: no event", name);
out:
	compiled_free(&c);
	probe_diag_clear(&d);
}

static void live_argdist(const char *exe, uint64_t off)
{
	struct probe_diag d = { .column = -1 };
	struct compiled c = {0}, h = {0};
	struct marker_call call = { 7, "x" };
	char spec[1024], key[256], text[256];
	int link = -1, hlink = -1;
	uint64_t count = 0;

	snprintf(spec, sizeof(spec), "p:%s:probe_marker(int a, char *s):int,char*:a,s:a==7", exe);
	if (!compile_spec(COUNT, spec, NULL, &c, &d) || probe_load(c.prog, NULL, &d)) {
		probe_diag_print(&d, stderr);
		CHECK(false, "live argdist -C: compile/load");
		goto out;
	}
	snprintf(spec, sizeof(spec), "p:%s:probe_marker(int a):int:a*1000", exe);
	if (!compile_spec(HIST, spec, NULL, &h, &d) || probe_load(h.prog, NULL, &d)) {
		probe_diag_print(&d, stderr);
		CHECK(false, "live argdist -H: compile/load");
		goto out;
	}
	link = attach_user(c.prog, false, exe, off);
	hlink = attach_user(h.prog, false, exe, off);
	if (link < 0 || hlink < 0) {
		CHECK(false, "live argdist: attach: %s", strerror(-(link < 0 ? link : hlink)));
		goto out;
	}
	for (int i = 0; i < 3; i++)
		call_marker(&call);
	call.a = 8;
	call_marker(&call);   /* filtered out of the counts, in the histogram */
	/* the key: int a at 0, then the string */
	memset(key, 0, sizeof(key));
	{
		const struct probe_layout *l = probe_program_layout(c.prog);
		int a = 7;

		memcpy(key + l->fields[0].offset, &a, 4);
		strcpy(key + l->fields[1].offset, "x");
		if (bpf_map_lookup_elem(probe_sink_map_fd(c.prog), key, &count))
			count = 0;
		probe_format_key(c.prog, key, text, sizeof(text));
	}
	CHECK(count == 3, "live argdist -C: count of (a=7, s=\"x\") is 3");
	CHECK_STR("argdist key text", text, "a = 7, s = x");
	{
		uint32_t zero = 0, slots[64] = {0};

		bpf_map_lookup_elem(probe_sink_map_fd(h.prog), &zero, slots);
		/* 7000 and 8000 are in [4096, 8191]: slot 13 */
		CHECK(slots[13] == 4, "live argdist -H: 4 values in slot 13");
	}
out:
	if (link >= 0)
		close(link);
	if (hlink >= 0)
		close(hlink);
	compiled_free(&c);
	compiled_free(&h);
	probe_diag_clear(&d);
}

static void test_live(void)
{
	char exe[512];
	uint64_t off;

	if (geteuid() != 0) {
		SKIP("live", "not root");
		return;
	}
	if (access("/sys/kernel/tracing/events/syscalls/sys_enter_openat", F_OK) == 0 ||
	    access("/sys/kernel/debug/tracing/events/syscalls/sys_enter_openat", F_OK) == 0)
		live_tracepoint();
	else
		SKIP("live tracepoint", "no syscalls:sys_enter_openat");
	if (!function_file_offset((const void *)probe_marker, exe, sizeof(exe), &off)) {
		SKIP("live uprobes", "cannot find probe_marker in /proc/self/maps");
		return;
	}
	if (access("/sys/bus/event_source/devices/uprobe/type", F_OK) != 0) {
		SKIP("live uprobes", "no uprobe PMU");
		return;
	}
	live_uprobe(exe, off, false);
	live_uprobe(exe, off, true);
	live_argdist(exe, off);
}

/* ---- kernel flag macros (kconst.c) ------------------------------------------------------------ */
static void test_kconst(void)
{
	static const struct { const char *text; uint64_t want; bool ok; } cases[] = {
		{ "(( gfp_t)((((1UL))) << (5)))", 0x20, true },
		{ "(( unsigned long)(((( gfp_t)0x20u)|(( gfp_t)0x800u))))", 0x820, true },
		{ "((( gfp_t)(((((1UL))) << (10))|((((1UL))) << (11)))) & ~(( gfp_t)((((1UL))) << (10))))",
		  0x800, true },
		{ "( unsigned long)(1 << 3) | 4", 0xc, true },
		{ "(1 << 3", 0, false },
		{ "1 || 2", 0, false },
		{ "REC->x", 0, false },
		{ "", 0, false },
	};
	uint64_t atomic, high, kswapd;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		bool ok;
		uint64_t v = kconst_eval(cases[i].text, &ok);

		CHECK(ok == cases[i].ok && (!ok || v == cases[i].want), "kconst_eval(%s) = %#llx ok=%d",
		      cases[i].text, (unsigned long long)v, ok);
	}
	if (geteuid() != 0 || !kconst_value("GFP_ATOMIC", &atomic)) {
		SKIP("kconst live", "not root or no kmem:kmalloc format to read GFP_ATOMIC from");
		return;
	}
	/* GFP_ATOMIC is __GFP_HIGH | __GFP_KSWAPD_RECLAIM on every kernel since 6.4 (with
	 * __GFP_ATOMIC before), however the bits are numbered. */
	CHECK(kconst_value("__GFP_HIGH", &high) && kconst_value("__GFP_KSWAPD_RECLAIM", &kswapd) &&
	      (atomic & (high | kswapd)) == (high | kswapd) && high && kswapd,
	      "GFP_ATOMIC %#llx lacks __GFP_HIGH|__GFP_KSWAPD_RECLAIM", (unsigned long long)atomic);
	CHECK(!kconst_value("GFP_NO_SUCH_FLAG", &atomic), "an unknown flag name resolved");
}

/* ---- formatting ------------------------------------------------------------------------------ */
static void test_format(void)
{
	struct probe_diag d = { .column = -1 };
	struct compiled c;
	unsigned char rec[512] = {0};
	char out[512];
	const struct probe_layout *l;

	if (!compile_spec(TRACE, "p:c:f \"[%d] [%-5u] [%x] [%08llx] [%c] [%s] [%hd] [%%] [%K]\", arg1, arg2, arg3, arg4, arg5, arg6, arg1, arg1", NULL, &c, &d)) {
		probe_diag_print(&d, stderr);
		CHECK(false, "format: compile");
		compiled_free(&c);
		return;
	}
	l = probe_program_layout(c.prog);
	{
		int32_t v1 = -5;
		uint32_t v2 = 42, v3 = 0xbeef;
		uint64_t v4 = 0xabc, v8 = 0xffffffff81000000ULL;
		int16_t v7 = -2;

		memcpy(rec + l->fields[0].offset, &v1, 4);
		memcpy(rec + l->fields[1].offset, &v2, 4);
		memcpy(rec + l->fields[2].offset, &v3, 4);
		memcpy(rec + l->fields[3].offset, &v4, 8);
		rec[l->fields[4].offset] = 'Z';
		strcpy((char *)rec + l->fields[5].offset, "str");
		memcpy(rec + l->fields[6].offset, &v7, 2);
		memcpy(rec + l->fields[7].offset, &v8, 8);
	}
	probe_format_event(c.prog, rec, l->size, NULL, out, sizeof(out));
	CHECK_STR("format conversions", out, "[-5] [42   ] [beef] [00000abc] [Z] [str] [-2] [%] [0xffffffff81000000]");
	compiled_free(&c);
	probe_diag_clear(&d);
}

int main(int argc, char **argv)
{
	check_init(argc, argv);
	libbpf_set_print(NULL);
	test_lexer();
	test_parser();
	test_type_errors();
	test_codegen();
	test_chain_codegen();
	test_format();
	test_kconst();
	test_usdt_specs();
	test_loads();
	test_live();
	probe_btf_release();
	return check_summary("probe");
}
