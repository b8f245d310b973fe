/* Stack trace printing shared by the stack tools; see stacks.h for the layouts. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/index.h"
#include "bcct.h"
#include "core/hist.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "symbolize/demangle.h"
#include "symbolize/srcline.h"
#include "symbolize/symbolize.h"
#include "symbolize/unwind.h"

_Thread_local struct bcct_stack_opts bcct_stack_opts;
_Thread_local struct bcct_unwind bcct_unwind = { .dump_size = BCCT_USTACK_DEFAULT };
BCCT_OPT_LAYOUT(struct bcct_stack_opts, bcct_stack_opts)
BCCT_OPT_LAYOUT(struct bcct_unwind, bcct_unwind)

#define FRAME_TEXT 512          /* longest frame text kept (long C++ names are cut) */

/* Resolved frames of one stack: texts in a fixed arena, pointers into it. */
struct frames {
	const char **names;
	uint64_t *addrs;
	const char **modules;       /* for --pprof/--svg: where each frame is (symbolizer strings) */
	const char **build_ids;
	char *text;
	int n;
};

struct bcct_stacks {
	struct bpf_map *map;        /* NULL when made from a bare fd (bcct_stacks_new_fd) */
	int fd;
	struct bcct_stack_fmt fmt;
	struct sym_cache *procs;
	uint64_t *ips;
	int depth;
	struct frames side[2];      /* [0] kernel, [1] user */
	int missed;
	bool collision;             /* a stack id failed for lack of room: suggest a bigger map */
};

static struct bcct_stacks *stacks_new(struct bpf_map *stack_map, int fd, size_t value_size,
				      const struct bcct_stack_fmt *fmt)
{
	struct bcct_stacks *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->map = stack_map;
	s->fd = fd;
	s->fmt = *fmt;
	s->fmt.no_demangle |= bcct_stack_opts.no_demangle;
	s->fmt.lines |= bcct_stack_opts.lines;
	if (!s->fmt.value_key)
		s->fmt.value_key = "count";
	s->depth = value_size / sizeof(uint64_t);
	s->ips = calloc(s->depth, sizeof(uint64_t));
	s->procs = sym_cache_new();
	for (int i = 0; i < 2; i++) {
		s->side[i].names = calloc(s->depth, sizeof(char *));
		s->side[i].addrs = calloc(s->depth, sizeof(uint64_t));
		s->side[i].modules = calloc(s->depth, sizeof(char *));
		s->side[i].build_ids = calloc(s->depth, sizeof(char *));
		s->side[i].text = malloc((size_t)s->depth * FRAME_TEXT);
		if (!s->side[i].names || !s->side[i].addrs || !s->side[i].text || !s->side[i].modules ||
		    !s->side[i].build_ids)
			goto fail;
	}
	if (!s->ips || !s->procs || s->depth <= 0)
		goto fail;
	if (stackprof_wanted() && (stackprof_check_files() || !stackprof_get(&s->fmt.export)))
		goto fail;
	return s;
fail:
	bcct_stacks_free(s);
	return NULL;
}

struct bcct_stacks *bcct_stacks_new(struct bpf_map *stack_map, const struct bcct_stack_fmt *fmt)
{
	return stacks_new(stack_map, bpf_map__fd(stack_map), bpf_map__value_size(stack_map), fmt);
}

struct bcct_stacks *bcct_stacks_new_fd(int stack_map_fd, const struct bcct_stack_fmt *fmt)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info_by_fd(stack_map_fd, &info, &len))
		return NULL;
	return stacks_new(NULL, stack_map_fd, info.value_size, fmt);
}

void bcct_stacks_free(struct bcct_stacks *s)
{
	if (!s)
		return;
	for (int i = 0; i < 2; i++) {
		free(s->side[i].names);
		free(s->side[i].addrs);
		free(s->side[i].modules);
		free(s->side[i].build_ids);
		free(s->side[i].text);
	}
	stackprof_free();
	sym_cache_free(s->procs);
	free(s->ips);
	free(s);
}

int bcct_stacks_renew(struct bcct_stacks **s, struct bpf_map *stack_map, const struct bcct_stack_fmt *fmt)
{
	bcct_stacks_free(*s);
	*s = bcct_stacks_new(stack_map, fmt);
	return *s ? 0 : BCCT_EXIT_FAIL;
}

/* A stack taken inside a tracepoint program starts in the tracing machinery (the program,
 * bpf_trace_run4, perf_trace_*, ...): frames BCC's kprobe-based tools never show. */
static bool tracing_frame(const char *name)
{
	static const char *const prefixes[] = {
		"bpf_prog_", "bpf_trace_run", "__bpf_trace_", "trace_call_bpf", "perf_trace_",
		"__traceiter_", "bpf_get_stack", "__bpf_get_stack", "bpf_trampoline_",
		"perf_syscall_enter", "perf_syscall_exit",   /* syscall tracepoints (6.18) */
	};

	for (size_t i = 0; name && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Formats a kernel frame into f's slot n; false for a leading frame of the tracing machinery. */
static bool kernel_frame(struct bcct_stacks *s, uint64_t addr, bool leading, struct frames *f, int n)
{
	struct bcct_sym sym = { 0 };
	bool ok = sym_kernel(addr, &sym);
	char *buf = f->text + (size_t)n * FRAME_TEXT;

	if (leading && ok && tracing_frame(sym.name))
		return false;
	/* pprof's and perf's name for the kernel image */
	f->modules[n] = !ok || !sym.module || !strcmp(sym.module, "[kernel]") ? "[kernel.kallsyms]" : sym.module;
	f->build_ids[n] = NULL;
	sym_format_ex(&sym, ok, (s->fmt.offsets ? SYM_FMT_OFFSET : 0) | (s->fmt.modules ? SYM_FMT_MODULE : 0),
		      buf, FRAME_TEXT);
	if (s->fmt.annotate)
		strncat(buf, "_[k]", FRAME_TEXT - strlen(buf) - 1);
	return true;
}

/* pos: index in the stack (0: the sampled ip; others are return addresses, whose call is at
 * addr - 1 for line numbers). */
static void user_frame(struct bcct_stacks *s, struct sym_proc *proc, int pid, uint64_t addr,
		       int pos, struct frames *f)
{
	char *buf = f->text + (size_t)pos * FRAME_TEXT;
	struct bcct_sym sym = { 0 };
	bool ok = proc && sym_user(proc, addr, &sym);
	/* With offsets or addresses asked for, an unresolved frame names its file and offset,
	 * unless every frame names its module anyway. */
	unsigned flags = s->fmt.modules ? SYM_FMT_MODULE :
			 s->fmt.offsets || s->fmt.addresses ? SYM_FMT_LOCATION : 0;
	char demangled[FRAME_TEXT];
	const char *file;
	unsigned line;

	if (ok && !s->fmt.no_demangle && sym_is_mangled(sym.name))
		sym.name = sym_demangle(sym.name, demangled, sizeof(demangled));
	sym_format_ex(&sym, ok, flags | (s->fmt.offsets ? SYM_FMT_OFFSET : 0), buf, FRAME_TEXT);
	f->modules[pos] = sym.module;
	f->build_ids[pos] = sym.build_id;
	if (s->fmt.lines && sym.module &&
	    sym_srcline(pid, sym.module, sym.module_offset - (pos > 0 && sym.module_offset), &file, &line)) {
		size_t at = strlen(buf);
		snprintf(buf + at, FRAME_TEXT - at, " (%s:%u)", file, line);
	}
}

/* User frames of addrs[0..n) into s->side[1]. */
static int user_frames(struct bcct_stacks *s, const uint64_t *addrs, int n, int tgid)
{
	struct frames *f = &s->side[1];
	struct sym_proc *proc = tgid > 0 ? sym_cache_get(s->procs, tgid) : NULL;

	f->n = 0;
	for (int i = 0; i < n && i < s->depth && addrs[i]; i++) {
		user_frame(s, proc, tgid, addrs[i], i, f);
		f->addrs[f->n] = addrs[i];
		f->names[f->n] = f->text + (size_t)f->n * FRAME_TEXT;
		f->n++;
	}
	return f->n;
}

int bcct_stack_frames(struct bcct_stacks *s, int id, bool user, int tgid,
		      const struct bcct_entry_caller *caller, const char *const **names)
{
	struct frames *f = &s->side[user];

	f->n = 0;
	*names = f->names;
	if (id < 0)
		return 0;
	memset(s->ips, 0, s->depth * sizeof(uint64_t));
	/* a map's fd exists only once loaded: bcct_stacks_new is called before the load */
	if (bpf_map_lookup_elem(s->map ? bpf_map__fd(s->map) : s->fd, &id, s->ips))
		return -1;
	if (user) {
		int n = 0;

		while (n < s->depth && s->ips[n])
			n++;
		if (caller)
			n = sym_entry_caller_fix(s->ips, n, s->depth, caller->ret, caller->next);
		return user_frames(s, s->ips, n, tgid);
	}
	for (int i = 0; i < s->depth && s->ips[i]; i++) {
		if (!kernel_frame(s, s->ips[i], f->n == 0, f, f->n))
			continue;
		f->addrs[f->n] = s->ips[i];
		f->names[f->n] = f->text + (size_t)f->n * FRAME_TEXT;
		f->n++;
	}
	return f->n;
}

int bcct_stack_user_frames(struct bcct_stacks *s, const uint64_t *addrs, int n, int tgid,
			   const char *const **names)
{
	*names = s->side[1].names;
	return user_frames(s, addrs, n, tgid);
}

const uint64_t *bcct_stack_addrs(struct bcct_stacks *s, bool user)
{
	return s->side[user].addrs;
}

/* BCC's stack_id_err(): -EFAULT only means there is no such stack. */
static bool id_missed(int id)
{
	return id < 0 && id != -EFAULT;
}

/* Resolves one side into s->side[user]: its number of frames, or -1 when the stack could not
 * be read (counted for the warning; it prints the "missed" marker). */
static int side_frames(struct bcct_stacks *s, int id, bool user, int tgid,
		       const struct bcct_entry_caller *caller)
{
	const char *const *names;

	if (id_missed(id)) {
		s->missed++;
		s->collision |= id == -ENOMEM || id == -EEXIST;
		s->side[user].n = 0;
		return -1;
	}
	if (bcct_stack_frames(s, id, user, tgid, caller, &names) < 0) {
		s->missed++;    /* evicted or cleared since the id was taken */
		return -1;
	}
	return s->side[user].n;
}

/* Resolves one side of st into s->side[user]; false when it must print the "missed" marker. */
static bool resolve(struct bcct_stacks *s, const struct bcct_stack *st, bool user)
{
	int tgid = st->tgid > 0 ? st->tgid : st->pid;

	if (user && st->user_addrs) {
		user_frames(s, st->user_addrs, st->user_n, tgid);
		return true;
	}
	return side_frames(s, user ? st->user_id : st->kernel_id, user, tgid, &st->caller) >= 0;
}

/* Whether the stack has a user part (for the -d delimiter). */
static bool has_user(const struct bcct_stack *st)
{
	return st->user_addrs ? st->user_n > 0 : st->user_id >= 0;
}

static const char *marker(bool user)
{
	return user ? "[Missed User Stack]" : "[Missed Kernel Stack]";
}

static void print_lines(struct bcct_stacks *s, const struct bcct_stack *st, bool ok[2])
{
	for (int user = 0; user < 2; user++) {
		const struct frames *f = &s->side[user];

		if (!(user ? s->fmt.user : s->fmt.kernel))
			continue;
		if (user && s->fmt.delimited && s->fmt.kernel && has_user(st) && st->kernel_id >= 0)
			printf("    --\n");
		if (!ok[user]) {
			printf("    %s\n", marker(user));
			continue;
		}
		for (int i = 0; i < f->n; i++) {
			if (s->fmt.addresses)
				printf("    %-16llx %s\n", (unsigned long long)f->addrs[i], f->names[i]);
			else
				printf("    %s\n", f->names[i]);
		}
	}
	printf("    %-16s %s (%d)\n", "-", st->comm, st->pid);
	printf("        %llu\n\n", st->value);
}

static void print_folded(struct bcct_stacks *s, const struct bcct_stack *st, bool ok[2])
{
	fputs(st->comm, stdout);
	for (int user = 1; user >= 0; user--) {
		const struct frames *f = &s->side[user];

		if (!(user ? s->fmt.user : s->fmt.kernel))
			continue;
		if (!user && s->fmt.delimited && s->fmt.user && has_user(st) && st->kernel_id >= 0)
			fputs(";-", stdout);
		if (!ok[user]) {
			printf(";%s", marker(user));
			continue;
		}
		for (int i = f->n - 1; i >= 0; i--)
			printf(";%s", f->names[i]);
	}
	printf(" %llu\n", st->value);
}

static void print_json(struct bcct_stacks *s, const struct bcct_stack *st, bool ok[2])
{
	out_list("stacks");
	json_begin_object(NULL);
	json_str("comm", st->comm);
	if (st->pid >= 0)               /* stacks merged across processes have none */
		json_int("pid", st->pid);
	json_uint(s->fmt.value_key, st->value);
	for (int user = 0; user < 2; user++) {
		const struct frames *f = &s->side[user];

		if (!(user ? s->fmt.user : s->fmt.kernel))
			continue;
		json_str_array(user ? "user_stack" : "kernel_stack", (const char *const *)f->names,
			       ok[user] ? f->n : 0);
		if (!ok[user])
			json_bool(user ? "user_stack_missed" : "kernel_stack_missed", true);
	}
	json_end_object();
}

/* User code without a file behind it: JIT-compiled (named by a perf map, or not at all). */
static bool jit_module(const char *module)
{
	size_t n = module ? strlen(module) : 0;

	return !module || !strcmp(module, "[unknown]") || (n > 4 && !strcmp(module + n - 4, ".map"));
}

/* Records the frames resolved for st (ok[side]: resolved, else its "missed" marker). */
static void record(struct bcct_stacks *s, const struct bcct_stack *st, const bool ok[2])
{
	struct stackprof_frame fr[2 * BCCT_STACK_DEPTH + 2];
	int n = 0;

	if (!stackprof_wanted())
		return;
	for (int user = 0; user < 2; user++) {          /* innermost first: kernel, then user */
		const struct frames *f = &s->side[user];

		if (!(user ? s->fmt.user : s->fmt.kernel))
			continue;
		if (!ok[user]) {
			fr[n++] = (struct stackprof_frame){ .name = marker(user),
				.kind = user ? STACKPROF_USER : STACKPROF_KERNEL };
			continue;
		}
		for (int i = 0; i < f->n && n < (int)(sizeof(fr) / sizeof(fr[0])); i++)
			fr[n++] = (struct stackprof_frame){
				.name = f->names[i], .module = f->modules[i], .build_id = f->build_ids[i],
				.addr = f->addrs[i],
				.kind = !user ? STACKPROF_KERNEL :
					jit_module(f->modules[i]) ? STACKPROF_JIT : STACKPROF_USER };
	}
	stackprof_add(stackprof_get(&s->fmt.export), st->comm, st->pid, fr, n, st->value);
}

void bcct_stack_record(struct bcct_stacks *s, const struct bcct_stack *st)
{
	record(s, st, (bool[2]){ true, true });
}

void bcct_stack_print(struct bcct_stacks *s, const struct bcct_stack *st)
{
	bool ok[2] = { true, true };

	for (int user = 0; user < 2; user++)
		if (user ? s->fmt.user : s->fmt.kernel)
			ok[user] = resolve(s, st, user);
	record(s, st, ok);
	if (env.json)
		print_json(s, st, ok);
	else if (s->fmt.folded)
		print_folded(s, st, ok);
	else
		print_lines(s, st, ok);
}

/* Sorting (key, u64 value) entries: value ascending, then key bytes for a stable order. */
struct sort_ctx {
	size_t key_size, value_off;
};

static int by_value(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	uint64_t va, vb;

	memcpy(&va, (const char *)a + c->value_off, sizeof(va));
	memcpy(&vb, (const char *)b + c->value_off, sizeof(vb));
	if (va != vb)
		return va < vb ? -1 : 1;
	return memcmp(a, b, c->key_size);
}

int bcct_stacks_done(struct bcct_stacks *s)
{
	if (s->missed > 0) {
		fflush(stdout);
		fprintf(stderr, "WARNING: %d stack traces could not be displayed.%s\n", s->missed,
			s->collision ? " Consider increasing --stack-storage-size." : "");
	}
	s->missed = 0;
	s->collision = false;
	return stackprof_wanted() ? stackprof_write(stackprof_get(&s->fmt.export)) : 0;
}

/* Every entry of counts sorted, to describe + bcct_stack_print, or to the applet's entry. */
static int print_sorted(struct bcct_stacks *s, struct bpf_map *counts, bcct_stack_describe_fn describe,
			bcct_stack_entry_fn entry, bool clear)
{
	struct bcct_entries e;
	struct sort_ctx c;
	int n;

	if (bcct_map_collect(counts, &e) < 0)
		return -1;
	c.key_size = e.key_size;
	c.value_off = (e.key_size + 7) & ~(size_t)7;
	if (e.n > 1)
		qsort_r(e.data, e.n, e.stride, by_value, &c);
	out_list("stacks");             /* JSON: present, if empty, in every interval */
	for (size_t i = 0; i < e.n; i++) {
		struct bcct_stack st = { .comm = "" };
		uint64_t v;

		memcpy(&v, bcct_entry_value(&e, i), sizeof(v));
		if (entry) {
			entry(s, bcct_entry_key(&e, i), v);
			continue;
		}
		describe(bcct_entry_key(&e, i), &st);
		st.value = v;
		bcct_stack_print(s, &st);
	}
	fflush(stdout);
	n = bcct_stacks_done(s) ? -1 : (int)e.n;
	if (clear) {
		bcct_map_clear(counts);
		if (s->map)
			bcct_map_clear(s->map);
	}
	bcct_entries_free(&e);
	return n;
}

int bcct_stacks_print_map(struct bcct_stacks *s, struct bpf_map *counts,
			  bcct_stack_describe_fn describe, bool clear)
{
	return print_sorted(s, counts, describe, NULL, clear);
}

int bcct_stacks_print_entries(struct bcct_stacks *s, struct bpf_map *counts,
			      bcct_stack_entry_fn entry, bool clear)
{
	return print_sorted(s, counts, NULL, entry, clear);
}

int bcct_stack_side(struct bcct_stacks *s, int id, bool user, int tgid, const char *const **names)
{
	*names = s->side[user].names;
	return side_frames(s, id, user, tgid, NULL);
}

const char *bcct_stack_missed_text(bool user)
{
	return marker(user);
}

/* Total count of a struct bcct_hist entry, for sorting. */
static uint64_t hist_total(const struct bcct_hist *h)
{
	uint64_t t = 0;

	for (int i = 0; i < BCCT_MAX_SLOTS; i++)
		t += h->slots[i];
	return t;
}

static int by_hist_total(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	uint64_t x = hist_total((const void *)((const char *)a + c->value_off));
	uint64_t y = hist_total((const void *)((const char *)b + c->value_off));

	return x < y ? -1 : x > y ? 1 : memcmp(a, b, c->key_size);
}

static void print_stack_hist(struct bcct_stacks *s, const struct bcct_stack *st,
			     const struct bcct_hist *h, const char *unit)
{
	const char *const *kframes = NULL, *const *uframes = NULL;
	int tgid = st->tgid ? st->tgid : st->pid;
	int nk = bcct_stack_frames(s, st->kernel_id, false, 0, NULL, &kframes);
	int nu = bcct_stack_frames(s, st->user_id, true, tgid, &st->caller, &uframes);
	uint64_t slots[BCCT_MAX_SLOTS];

	hist_widen(slots, h->slots, BCCT_MAX_SLOTS);
	if (env.json) {
		json_begin_object(NULL);
		json_str("comm", st->comm);
		json_int("pid", st->pid);
		if (st->label_key)
			json_str(st->label_key, st->label);
		json_str_array("kernel_stack", kframes, nk > 0 ? nk : 0);
		json_str_array("user_stack", uframes, nu > 0 ? nu : 0);
		hist_json_log2(slots, BCCT_MAX_SLOTS, unit);
		json_end_object();
		return;
	}
	if (st->label_key)
		printf("  %s: %s\n", st->label_key, st->label);
	for (int i = 0; i < nk; i++)
		printf("  %s\n", kframes[i]);
	for (int i = 0; i < nu; i++)
		printf("  %s\n", uframes[i]);
	printf("    %s [%d]\n", st->comm, st->pid);
	hist_print_log2(stdout, slots, BCCT_MAX_SLOTS, unit);
	printf("\n");
}

int bcct_stacks_print_hists(struct bcct_stacks *s, struct bpf_map *hists,
			    bcct_stack_describe_fn describe, const char *unit, bool clear)
{
	struct bcct_entries e;
	struct sort_ctx c;
	int n;

	if (bcct_map_collect(hists, &e) < 0)
		return -1;
	c.key_size = e.key_size;
	c.value_off = (e.key_size + 7) & ~(size_t)7;
	if (e.n > 1)
		qsort_r(e.data, e.n, e.stride, by_hist_total, &c);
	out_list("hists");
	for (size_t i = 0; i < e.n; i++) {
		struct bcct_stack st = { .comm = "", .kernel_id = -1, .user_id = -1 };

		describe(bcct_entry_key(&e, i), &st);
		print_stack_hist(s, &st, bcct_entry_value(&e, i), unit);
	}
	fflush(stdout);
	bcct_stacks_done(s);
	if (clear) {
		bcct_map_clear(hists);
		if (s->map)
			bcct_map_clear(s->map);
	}
	n = (int)e.n;
	bcct_entries_free(&e);
	return n;
}

/* ---- stacks aggregated in user space ------------------------------------------------------ */

struct agg_entry {
	struct agg_entry *next;
	uint64_t hash;
	uint64_t value;
	int n;
	uint64_t *addrs;        /* points behind key */
	unsigned char key[];
};

struct bcct_stack_agg {
	size_t key_size;
	struct agg_entry **buckets;
	size_t nbuckets, count;
};

struct bcct_stack_agg *bcct_stack_agg_new(size_t key_size)
{
	struct bcct_stack_agg *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->key_size = key_size;
	a->nbuckets = 1024;
	a->buckets = calloc(a->nbuckets, sizeof(*a->buckets));
	if (!a->buckets) {
		free(a);
		return NULL;
	}
	return a;
}

void bcct_stack_agg_clear(struct bcct_stack_agg *a)
{
	for (size_t b = 0; b < a->nbuckets; b++) {
		for (struct agg_entry *e = a->buckets[b], *n; e; e = n) {
			n = e->next;
			free(e);
		}
		a->buckets[b] = NULL;
	}
	a->count = 0;
}

void bcct_stack_agg_free(struct bcct_stack_agg *a)
{
	if (!a)
		return;
	bcct_stack_agg_clear(a);
	free(a->buckets);
	free(a);
}

static void agg_grow(struct bcct_stack_agg *a)
{
	size_t nb = a->nbuckets * 2;
	struct agg_entry **bigger = calloc(nb, sizeof(*bigger));

	if (!bigger)
		return;
	for (size_t b = 0; b < a->nbuckets; b++)
		for (struct agg_entry *e = a->buckets[b], *n; e; e = n) {
			n = e->next;
			e->next = bigger[e->hash % nb];
			bigger[e->hash % nb] = e;
		}
	free(a->buckets);
	a->buckets = bigger;
	a->nbuckets = nb;
}

uint64_t *bcct_stack_agg_slot(struct bcct_stack_agg *a, const void *key, const uint64_t *addrs, int n)
{
	uint64_t h = bcct_fnv(bcct_fnv(BCCT_FNV_START, key, a->key_size), addrs, n * sizeof(*addrs));
	size_t koff = (a->key_size + 7) & ~(size_t)7;
	struct agg_entry *e;

	for (e = a->buckets[h % a->nbuckets]; e; e = e->next)
		if (e->hash == h && e->n == n && !memcmp(e->key, key, a->key_size) &&
		    !memcmp(e->addrs, addrs, n * sizeof(*addrs)))
			return &e->value;
	if (a->count >= a->nbuckets)
		agg_grow(a);
	e = calloc(1, sizeof(*e) + koff + n * sizeof(*addrs));
	if (!e)
		return NULL;
	e->hash = h;
	e->n = n;
	memcpy(e->key, key, a->key_size);
	e->addrs = (uint64_t *)(e->key + koff);
	memcpy(e->addrs, addrs, n * sizeof(*addrs));
	e->next = a->buckets[h % a->nbuckets];
	a->buckets[h % a->nbuckets] = e;
	a->count++;
	return &e->value;
}

static int agg_by_value(const void *pa, const void *pb, void *arg)
{
	const struct agg_entry *a = *(struct agg_entry *const *)pa, *b = *(struct agg_entry *const *)pb;
	size_t key_size = *(size_t *)arg;
	int c;

	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if ((c = memcmp(a->key, b->key, key_size)))
		return c;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return memcmp(a->addrs, b->addrs, a->n * sizeof(uint64_t));
}

int bcct_stack_agg_foreach(struct bcct_stack_agg *a, bcct_stack_agg_visit_fn fn, void *ctx)
{
	struct agg_entry **v = calloc(a->count ? a->count : 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return -1;
	for (size_t b = 0; b < a->nbuckets; b++)
		for (struct agg_entry *e = a->buckets[b]; e; e = e->next)
			if (e->value)
				v[n++] = e;
	if (n > 1)
		qsort_r(v, n, sizeof(*v), agg_by_value, &a->key_size);
	for (size_t i = 0; i < n; i++)
		fn(ctx, v[i]->key, v[i]->addrs, v[i]->n, v[i]->value);
	free(v);
	return (int)n;
}

struct print_agg_ctx {
	struct bcct_stacks *s;
	bcct_stack_describe_fn describe;
};

static void print_agg_entry(void *ctx, const void *key, const uint64_t *addrs, int n, uint64_t value)
{
	struct print_agg_ctx *c = ctx;
	struct bcct_stack st = { .comm = "" };

	c->describe(key, &st);
	st.value = value;
	st.user_addrs = addrs;
	st.user_n = n;
	bcct_stack_print(c->s, &st);
}

int bcct_stacks_print_agg(struct bcct_stacks *s, struct bcct_stack_agg *a,
			  bcct_stack_describe_fn describe, bool clear)
{
	int n;

	out_list("stacks");             /* JSON: present, if empty, in every interval */
	n = bcct_stack_agg_foreach(a, print_agg_entry, &(struct print_agg_ctx){ s, describe });

	fflush(stdout);
	if (bcct_stacks_done(s))
		n = -1;
	if (clear) {
		bcct_stack_agg_clear(a);
		if (s->map)
			bcct_map_clear(s->map);
	}
	return n;
}

/* ---- --unwind=fp|dwarf ---------------------------------------------------------------------- */

int bcct_unwind_check(void)
{
	const char *u = bcct_unwind.unwind;

	if (u && strcmp(u, "fp") && strcmp(u, "dwarf")) {
		bcct_usage_err("invalid --unwind '%s': fp or dwarf", u);
		return -1;
	}
	bcct_unwind.dwarf = u && !strcmp(u, "dwarf");
	return 0;
}

int bcct_unwind_init(struct bpf_map *events, size_t key_size)
{
	if (!bcct_unwind.dwarf)
		return 0;
	/* room for bursts of up to ~32 KiB events while user space unwinds */
	bpf_map__set_max_entries(events, 8 << 20);
	if (!bcct_unwind.unwinder)
		bcct_unwind.unwinder = sym_unwinder_new();
	if (!bcct_unwind.agg)
		bcct_unwind.agg = bcct_stack_agg_new(key_size);
	return bcct_unwind.unwinder && bcct_unwind.agg ? 0 : -1;
}

uint64_t *bcct_unwind_slot(const void *key, int pid, const struct bcct_ustack *u, size_t avail)
{
	size_t head = offsetof(struct bcct_ustack, data);
	uint64_t ips[BCCT_STACK_DEPTH];
	int n = 0;

	if (avail >= head && u->size && u->size <= avail - head)
		n = sym_unwind(bcct_unwind.unwinder, pid, (const uint64_t *)u->regs, u->data, u->size,
			       ips, BCCT_STACK_DEPTH);
	return bcct_stack_agg_slot(bcct_unwind.agg, key, ips, n);
}

void bcct_unwind_free(void)
{
	bcct_stack_agg_free(bcct_unwind.agg);
	sym_unwinder_free(bcct_unwind.unwinder);
	bcct_unwind.agg = NULL;
	bcct_unwind.unwinder = NULL;
}
