/* bcct_run: the lifecycle of one run. Open the object, let the applet configure it, choose one
 * program per probe (core/select.c), fill the shared filter, load (reopening with the next
 * candidate when a chosen program fails to load), attach (core/attach.c), run the loop
 * (core/loop.c), tear down. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bcct.h"
#include "core/btf.h"
#include "core/disasm.h"
#include "core/exec_child.h"
#include "core/features.h"
#include "core/mapfilter.h"
#include "core/output.h"
#include "core/pmc.h"
#include "core/runtime.h"
#include "core/probe/probespec.h"
#include "core/select.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "symbolize/symbolize.h"

_Thread_local const struct bcct_applet *bcct_current;

/* ---- privileges ------------------------------------------------------------------------- */

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

int bcct_check_privileges(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	if (syscall(SYS_capget, &h, d))
		return 0;   /* cannot tell; the kernel will say */
	if (has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, CAP_BPF) && has_cap(d, CAP_PERFMON)))
		return 0;
	bcct_err("needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, or root): missing %s%s%s",
		 has_cap(d, CAP_BPF) ? "" : "CAP_BPF",
		 !has_cap(d, CAP_BPF) && !has_cap(d, CAP_PERFMON) ? " and " : "",
		 has_cap(d, CAP_PERFMON) ? "" : "CAP_PERFMON");
	return -1;
}

/* ---- the shared filter ------------------------------------------------------------------ */

/* Calls fn(name, data, size, arg) for each variable of obj's .rodata, with a pointer into the
 * map's initial value, until fn returns non-NULL; returns that. */
static void *each_rodata_var(struct bpf_object *obj,
			     void *(*fn)(const char *name, char *data, size_t size, void *arg), void *arg)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	int id;

	if (!btf)
		return NULL;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return NULL;
	bpf_object__for_each_map(map, obj) {
		const struct btf_type *sec = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
		size_t len;
		char *data;
		const char *mname = bpf_map__name(map);

		if (!bpf_map__is_internal(map) || strlen(mname) < 7 || strcmp(mname + strlen(mname) - 7, ".rodata"))
			continue;
		data = bpf_map__initial_value(map, &len);
		for (int i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);
			void *found;

			if (vs->offset + vs->size > len)
				continue;
			found = fn(btf__name_by_offset(btf, var->name_off), data + vs->offset, vs->size, arg);
			if (found)
				return found;
		}
	}
	return NULL;
}

struct var_query { const char *name; size_t size; };

static void *var_named(const char *name, char *data, size_t size, void *arg)
{
	const struct var_query *q = arg;

	return !strcmp(name, q->name) && size == q->size ? data : NULL;
}

/* Finds the .rodata variable `name` of obj and returns a pointer into its initial value. */
static void *rodata_var(struct bpf_object *obj, const char *name, size_t size)
{
	return each_rodata_var(obj, var_named, &(struct var_query){ name, size });
}

/* `const volatile int bcct_nr_openat` (bpf/syscalls.bpf.h): the syscall's number on this
 * architecture, from the table generated at build time; -1 when it has none (open on arm64). */
static void *fill_syscall_nr(const char *name, char *data, size_t size, void *arg)
{
	int nr;

	(void)arg;
	if (strncmp(name, "bcct_nr_", 8) || size != sizeof(nr))
		return NULL;
	nr = (int)sys_syscall_nr(name + 8);
	memcpy(data, &nr, sizeof(nr));
	return NULL;
}

#define CGROUP2_SUPER_MAGIC 0x63677270
#define CGROUP_SUPER_MAGIC 0x27e0eb     /* cgroup v1 */

/* --cgroup: the directory's fd, checked once per run; -1 without. */
static _Thread_local int cgroup_dir = -1;

static int open_cgroup(void)
{
	struct statfs sf;

	if (!env.cgroup)
		return 0;
	cgroup_dir = open(env.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgroup_dir < 0 || fstatfs(cgroup_dir, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC) {
		/* A hybrid host mounts v1 controllers at /sys/fs/cgroup/NAME and v2 beside them. */
		bcct_usage_err("--cgroup %s: not a cgroup v2 directory%s", env.cgroup,
			       cgroup_dir >= 0 && sf.f_type == CGROUP_SUPER_MAGIC ?
			       " (a cgroup v1 hierarchy: give the same group's path in the unified one, "
			       "e.g. under /sys/fs/cgroup/unified)" : "");
		return -1;
	}
	return 0;
}

bool bcct_use_perfbuf(void)
{
	/* BCCT_FORCE_PERFBUF=1 exercises the pre-5.8 path on newer kernels (tests). */
	return !bcct_has(FEAT_RINGBUF) || getenv("BCCT_FORCE_PERFBUF");
}

static unsigned long ringbuf_bytes(const struct bcct_run *r);

static int fill_filter(struct bpf_object *obj, const struct bcct_run *r)
{
	struct bcct_filter *f = rodata_var(obj, "bcct_filter", sizeof(*f));
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");

	if (!f) {
		bcct_err("internal error: BPF object has no bcct_filter");
		return -1;
	}
	f->pid = env.pid;
	f->tid = env.tid;
	if (env.uid >= 0) {
		f->uid = env.uid;
		f->has_uid = 1;
	}
	if (env.comm) {
		strncpy(f->comm, env.comm, sizeof(f->comm) - 1);
		f->has_comm = 1;
	}
	f->has_cgroup = cgroup_dir >= 0;
	if (cgroup_dir >= 0) {
		struct stat st;

		/* A cgroup's id is its kernfs node's, which is the directory's inode number. */
		if (fstat(cgroup_dir, &st) == 0)
			f->cgroup_id = st.st_ino;
	}
	if (mapfilter_apply(obj, f))
		return -1;
	if (events && bcct_use_perfbuf()) {
		f->use_perfbuf = 1;
		bpf_map__set_type(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
		bpf_map__set_key_size(events, sizeof(int));
		bpf_map__set_value_size(events, sizeof(int));
		bpf_map__set_max_entries(events, 0);
		bcct_info("no ring buffer: using a perf buffer");
	} else if (events && !r->on_event) {
		/* Nothing reads it (an aggregating tool): the smallest ring buffer the kernel takes. */
		bpf_map__set_max_entries(events, getpagesize());
	} else if (events && r->perf_pages > 0) {
		/* The applet sizes its buffer (opensnoop -b): perf_pages x CPUs, as without a
		 * skeleton, instead of the object's declared size. */
		bpf_map__set_max_entries(events, ringbuf_bytes(r));
		bcct_info("ring buffer: %lu bytes (%d pages per CPU)", ringbuf_bytes(r), r->perf_pages);
	}
	return 0;
}

/* ---- probe selection -------------------------------------------------------------------- */

/* Programs that failed to load earlier in this run: never chosen again. */
struct exclusions {
	char names[SEL_MAX_PROGS][SEL_NAME_MAX];
	int n;
};

static bool is_excluded(const struct exclusions *ex, const char *name)
{
	for (int i = 0; ex && i < ex->n; i++)
		if (!strcmp(ex->names[i], name))
			return true;
	return false;
}

static int collect_progs(struct bpf_object *obj, struct sel_prog *progs, struct bpf_program **handles,
			 const struct exclusions *ex)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		if (n == SEL_MAX_PROGS)
			break;
		handles[n] = prog;
		progs[n] = (struct sel_prog){
			.name = bpf_program__name(prog),
			.section = bpf_program__section_name(prog),
			.enabled = bpf_program__autoload(prog),
			.excluded = is_excluded(ex, bpf_program__name(prog)),
		};
		n++;
	}
	return n;
}

static const char *const *optional_probes(void)
{
	return bcct_current ? bcct_current->optional_probes : NULL;
}

/* Whether some needed probe got a tracepoint-like candidate although it has a kernel-function
 * one (fentry, kprobe): then the applet's .fallback note applies. */
static bool plan_falls_back(const struct sel_plan *plan, const struct sel_prog *progs)
{
	for (int i = 0; i < plan->nprobes; i++) {
		const struct sel_probe *p = &plan->probes[i];
		const char *target;
		bool has_func = false;

		for (int c = 0; c < p->ncand; c++) {
			enum bcct_kind k = bcct_section_kind(progs[p->cand[c]].section, &target);

			has_func |= k == KIND_FENTRY || k == KIND_FEXIT || k == KIND_KPROBE ||
				    k == KIND_KRETPROBE;
		}
		if (has_func && p->chosen >= 0) {
			enum bcct_kind k = bcct_section_kind(progs[p->chosen].section, &target);

			if (k != KIND_FENTRY && k != KIND_FEXIT && k != KIND_KPROBE && k != KIND_KRETPROBE)
				return true;
		}
	}
	return false;
}

/* Whether the applet's .fallback note applies on this kernel: its own answer when it chooses
 * its probes itself, else core's choice of candidates. */
static bool applet_falls_back(const struct bcct_applet *a, const struct sel_plan *plan,
			      const struct sel_prog *progs)
{
	if (!a->fallback)
		return false;
	return a->falls_back ? a->falls_back() : plan_falls_back(plan, progs);
}

/* Chooses one candidate per probe and turns the others off; -v tells the choice. */
static int choose_programs(struct bpf_object *obj, const struct exclusions *ex)
{
	struct sel_prog progs[SEL_MAX_PROGS];
	struct bpf_program *handles[SEL_MAX_PROGS];
	struct sel_plan plan;
	int n = collect_progs(obj, progs, handles, ex), ret = 0;

	sel_plan(progs, n, optional_probes(), bcct_target_usable, &plan);
	for (int i = 0; i < plan.nprobes; i++) {
		const struct sel_probe *p = &plan.probes[i];
		const char *target;

		for (int c = 0; c < p->ncand; c++)
			bpf_program__set_autoload(handles[p->cand[c]], p->cand[c] == p->chosen);
		if (p->covered) {
			bcct_info("probe %s: covered by %s", p->name, plan.probes[p->whole].name);
		} else if (!p->needed) {
			bcct_info("probe %s: not needed for these options", p->name);
		} else if (p->chosen >= 0) {
			enum bcct_kind k = bcct_section_kind(progs[p->chosen].section, &target);

			bcct_info("probe %s: %s %s", p->name, bcct_kind_name(k), target);
		} else if (p->optional) {
			bcct_info("probe %s: skipped (%s)", p->name, p->why);
		} else if (ret == 0) {
			/* One line: the first probe the kernel cannot serve says what it lacks; the
			 * others (usually for the same reason) only with -v. */
			bcct_err("cannot trace %s on this kernel: %s", p->name, p->why[0] ? p->why : "no candidate");
			ret = -1;
		} else {
			bcct_info("cannot trace %s either: %s", p->name, p->why[0] ? p->why : "no candidate");
		}
	}
	if (ret == 0 && bcct_current && applet_falls_back(bcct_current, &plan, progs))
		bcct_info("fallback: %s", bcct_current->fallback);
	return ret;
}

static struct bpf_object *object_of(void *skel)
{
	return ((struct bcct_skel_head *)skel)->obj;
}

void bcct_probe_enable(void *skel, const char *probe, bool on)
{
	struct bpf_program *prog;
	size_t len = strlen(probe);

	bpf_object__for_each_program(prog, object_of(skel)) {
		const char *name = bpf_program__name(prog);
		size_t suffix = sel_variant_suffix(name);

		if (strlen(name) - suffix == len && !strncmp(name, probe, len))
			bpf_program__set_autoload(prog, on);
	}
}

enum bcct_kind bcct_probe_chosen(void *skel, const char *probe)
{
	struct bpf_program *prog;
	size_t len = strlen(probe);
	const char *target;

	bpf_object__for_each_program(prog, object_of(skel)) {
		const char *name = bpf_program__name(prog);

		if (strlen(name) - sel_variant_suffix(name) == len && !strncmp(name, probe, len) &&
		    sel_variant_suffix(name) && bpf_program__autoload(prog))
			return bcct_section_kind(bpf_program__section_name(prog), &target);
	}
	return KIND_UNKNOWN;
}

int bcct_map_resize(void *skel, const char *name, unsigned int max_entries)
{
	struct bpf_map *m = bpf_object__find_map_by_name(object_of(skel), name);

	if (!m) {
		bcct_err("internal error: no map %s", name);
		return BCCT_EXIT_FAIL;
	}
	return bpf_map__set_max_entries(m, max_entries) ? BCCT_EXIT_FAIL : 0;
}

/* ---- the object's lifecycle ------------------------------------------------------------- */

/* After a failed load: the failing program, if it was a probe's chosen candidate, is excluded
 * so the next attempt falls back to that probe's next candidate. */
static bool exclude_failed(struct bpf_object *obj, struct exclusions *ex)
{
	const char *failed = bcct_load_failure();
	struct bpf_program *prog = failed[0] ? bpf_object__find_program_by_name(obj, failed) : NULL;
	const char *target;
	enum bcct_kind k;

	if (!prog || ex->n == SEL_MAX_PROGS || is_excluded(ex, failed))
		return false;
	k = bcct_section_kind(bpf_program__section_name(prog), &target);
	if (k == KIND_UNKNOWN || (!*target && k != KIND_PERF_EVENT))
		return false;   /* the applet's own run-time-target program: nothing to fall back to */
	snprintf(ex->names[ex->n++], SEL_NAME_MAX, "%s", failed);
	bcct_info("probe %.*s: %s failed to load; falling back",
		  (int)(strlen(failed) - sel_variant_suffix(failed)), failed, failed);
	return true;
}

/* Opens, configures, selects and loads; on success *out is the loaded skeleton. Returns 0 or
 * an exit status after a message. */
static int open_and_load(const struct bcct_run *r, const struct bcct_skeleton *sk, void **out)
{
	struct exclusions ex = { .n = 0 };

	/* Probe selection needs tracefs for tracepoint targets; libbpf needs it to attach them. */
	bcct_tracefs();
	for (;;) {
		void *skel = sk->open(bcct_open_opts(sk->elf));
		struct bpf_object *obj;
		int err;

		if (!skel) {
			bcct_err("failed to open BPF object %s: %s", sk->name, strerror(errno));
			return BCCT_EXIT_FAIL;
		}
		obj = object_of(skel);
		err = r->configure ? r->configure(skel) : 0;
		if (!err && (choose_programs(obj, &ex) || fill_filter(obj, r)))
			err = BCCT_EXIT_FAIL;
		if (!err) {
			each_rodata_var(obj, fill_syscall_nr, NULL);
			bcct_uprobe_multi_or_perf(obj);
		}
		if (err) {
			sk->destroy(skel);
			return err;
		}
		bcct_btf_release();
		bcct_load_failure_reset();
		err = bpf_object__load_skeleton(((struct bcct_skel_head *)skel)->skeleton);
		if (!err) {
			*out = skel;
			return 0;
		}
		if (!exclude_failed(obj, &ex)) {
			bcct_err("failed to load BPF programs: %s%s", strerror(-err),
				 bcct_verbose ? "" : " (rerun with -v for the verifier log)");
			sk->destroy(skel);
			return BCCT_EXIT_FAIL;
		}
		sk->destroy(skel);
	}
}

/* ---- --ebpf ----------------------------------------------------------------------------- */

/* A loaded program's 64-bit map loads carry the map's fd, libbpf's marks for maps it did not
 * create their index in the object: the map's name. */
static const char *map_name_by_fd(int src_reg, int fd_or_index, void *obj)
{
	struct bpf_map *m;
	int i = 0;

	bpf_object__for_each_map(m, (struct bpf_object *)obj) {
		if (src_reg == BPF_PSEUDO_MAP_IDX ? i == fd_or_index : bpf_map__fd(m) == fd_or_index)
			return bpf_map__name(m);
		i++;
	}
	return NULL;
}

/* --ebpf: the programs these options load on this kernel (chosen, configured, relocated and
 * accepted by the verifier; nothing attached), one section each, as BCC's --ebpf prints its
 * program's text. */
static void print_programs(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog), *target;
		enum bcct_kind k = bcct_section_kind(sec, &target);
		size_t n = bpf_program__insn_cnt(prog);

		if (!bpf_program__autoload(prog))
			continue;
		/* A target-less uprobe section serves kprobes too: one program type, attached
		 * through perf events to what the applet resolves at run time. */
		printf("; %s: %s %s%s, %zu instructions\n", bpf_program__name(prog),
		       k == KIND_UNKNOWN ? sec : !*target && bpf_program__type(prog) == BPF_PROG_TYPE_KPROBE ?
		       "kprobe/uprobe" : bcct_kind_name(k),
		       *target || k == KIND_PERF_EVENT ? target : "(target given at run time)",
		       k == KIND_PERF_EVENT ? "(cpu-clock sampling)" : "", n);
		bcct_disasm_print(stdout, bpf_program__insns(prog), n, map_name_by_fd, obj);
		printf("\n");
	}
	fflush(stdout);
}

/* Attaches the loaded programs whose section names a target. */
static int attach_programs(const struct bcct_run *r, struct bpf_object *obj)
{
	struct bpf_program *prog;

	if (cgroup_dir >= 0) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, "cgroup_filter");
		__u32 zero = 0;

		if (!m || bpf_map_update_elem(bpf_map__fd(m), &zero, &cgroup_dir, BPF_ANY)) {
			bcct_err("cannot set the cgroup filter: %s", strerror(errno));
			return BCCT_EXIT_FAIL;
		}
	}
	bpf_object__for_each_program(prog, obj) {
		const char *target;
		enum bcct_kind k;
		int err;

		if (loop_stopping())
			break;
		if (!bpf_program__autoload(prog))
			continue;
		k = bcct_section_kind(bpf_program__section_name(prog), &target);
		if (k == KIND_PERF_EVENT) {
			const char *name = bpf_program__name(prog);
			const struct pmc_event *ev = pmc_find(name, strlen(name) - sel_variant_suffix(name));

			if (ev) {   /* a hardware counter: pmc_attach says why it cannot */
				if (pmc_attach(prog, ev, r->sample_period ? r->sample_period : PMC_PERIOD_DEFAULT))
					return BCCT_EXIT_FAIL;
				continue;
			}
			err = attach_perf_sampling(prog, r);
		}
		else if (!*target)
			continue;   /* run-time target (uprobe, USDT, probe pattern): r->attach */
		else
			err = bcct_track_link(bpf_program__attach(prog));
		if (err) {
			bcct_err("cannot attach %s (%s): %s", bpf_program__name(prog),
				 bpf_program__section_name(prog), strerror(-err));
			return BCCT_EXIT_FAIL;
		}
	}
	return 0;
}

/* ---- runs without a skeleton: the maps core makes for the applet's programs ------------- */

static unsigned long ringbuf_bytes(const struct bcct_run *r)
{
	unsigned long page = getpagesize(), size = page;
	unsigned long want = (unsigned long)(r->perf_pages > 0 ? r->perf_pages : 64) * page * bcct_ncpus();

	while (size < want && size < (1UL << 30))
		size <<= 1;
	return size;
}

static int make_maps(struct bcct_run *r)
{
	if (r->on_event) {
		r->events_fd = bcct_use_perfbuf() ?
			bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "events", 4, 4, bcct_ncpus(), NULL) :
			bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, ringbuf_bytes(r), NULL);
		if (r->events_fd < 0)
			return -errno;
	}
	if (r->stack_map) {
		r->stack_fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, "stacks", 4,
					     BCCT_STACK_DEPTH * sizeof(uint64_t), 1024, NULL);
		if (r->stack_fd < 0)
			return -errno;
	}
	if (cgroup_dir >= 0) {
		uint32_t zero = 0;

		r->cgroup_fd = bpf_map_create(BPF_MAP_TYPE_CGROUP_ARRAY, "cgroup_filter", 4, 4, 1, NULL);
		if (r->cgroup_fd < 0 || bpf_map_update_elem(r->cgroup_fd, &zero, &cgroup_dir, BPF_ANY))
			return -errno;
	}
	return 0;
}

static void close_maps(struct bcct_run *r)
{
	int *fds[] = { &r->events_fd, &r->stack_fd, &r->cgroup_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* ---- the run ---------------------------------------------------------------------------- */

/* -p/-t naming no live task is legal (BCC traces it silently, and a PID may yet appear), but
 * most often a typo: say so in one line. */
static void warn_missing_tasks(void)
{
	char path[64];

	if (env.pid > 0 && (snprintf(path, sizeof(path), "/proc/%ld", (long)env.pid), access(path, F_OK)))
		bcct_warn("-p %ld: no such process: nothing is traced unless a process gets that PID",
			  (long)env.pid);
	if (env.tid > 0 && (snprintf(path, sizeof(path), "/proc/%ld", (long)env.tid), access(path, F_OK)))
		bcct_warn("-t %ld: no such thread: nothing is traced unless a thread gets that TID",
			  (long)env.tid);
}

/* The object records stacks (offcputime, profile, stackcount): they are printed at exit. */
static bool has_stack_map(struct bpf_object *obj)
{
	struct bpf_map *m;

	if (!obj)
		return false;   /* programs compiled at run time: r->stack_map says */
	bpf_object__for_each_map(m, obj)
		if (bpf_map__type(m) == BPF_MAP_TYPE_STACK_TRACE)
			return true;
	return false;
}

static void *load_kernel_symbols(void *unused)
{
	struct bcct_sym sym;

	(void)unused;
	sym_kernel(0, &sym);   /* reads /proc/kallsyms once (pthread_once: the printer waits) */
	return NULL;
}

/* Tools that print stacks at exit read /proc/kallsyms then: 70-130 ms of kernel time on 6.x
 * (120,000 lines formatted), between Ctrl-C and the prompt. A thread reads it while the tool
 * traces instead; the printer's first lookup waits for it if it has not finished. */
static void warm_kernel_symbols(void)
{
	pthread_t t;

	bcct_thread_start(&t, load_kernel_symbols, NULL, true, HELPER_STACK);
}

int bcct_thread_start(pthread_t *t, void *(*fn)(void *), void *arg, bool detached, size_t stack_size)
{
	sigset_t all, old;
	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);

	if (err)
		return err;
	if (stack_size)
		pthread_attr_setstacksize(&attr, stack_size);
	if (detached)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* the new thread inherits the mask */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(t, &attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return err;
}

_Thread_local long bcct_serve_interval;

static int check_needs(unsigned needs);

int bcct_run(struct bcct_run *r)
{
	const struct bcct_skeleton *sk = r->skeleton ? r->skeleton :
		bcct_current ? bcct_current->skeleton : NULL;
	struct bpf_object *obj = NULL;
	void *skel = NULL, *ctx;
	int err, ret = BCCT_EXIT_FAIL, events_fd = -1;

	r->events_fd = r->stack_fd = r->cgroup_fd = -1;
	if (!sk && !r->attach) {
		bcct_err("internal error: a run needs a skeleton or an attach callback");
		return BCCT_EXIT_FAIL;
	}
	/* --ebpf without an object: the applet printed the programs it compiled (core/probe). */
	if (!sk && env.ebpf)
		return BCCT_EXIT_OK;
	warn_missing_tasks();
	if (bcct_check_privileges() ||
	    (r->needs ? check_needs(r->needs) : bcct_check_needs()))
		return BCCT_EXIT_FAIL;
	if (open_cgroup()) {
		if (cgroup_dir >= 0)
			close(cgroup_dir);
		cgroup_dir = -1;
		return BCCT_EXIT_USAGE;
	}
	/* --ebpf runs nothing: no --exec child either. */
	if ((ret = mapfilter_open()) || (!env.ebpf && (ret = exec_child_start())))
		goto out;
	ret = BCCT_EXIT_FAIL;
	loop_catch_signals();
	/* Stopped before anything was loaded (a signal while the applet resolved its probes):
	 * nothing to trace, nothing to print. */
	if (loop_stopping()) {
		ret = BCCT_EXIT_OK;
		goto out;
	}
	if (sk) {
		ret = open_and_load(r, sk, &skel);
		if (ret)
			goto out;
		ret = BCCT_EXIT_FAIL;
		obj = object_of(skel);
		if (env.ebpf) {
			print_programs(obj);
			ret = BCCT_EXIT_OK;
			goto out;
		}
		if (attach_programs(r, obj))
			goto out;
	} else if ((err = make_maps(r))) {
		bcct_err("cannot create maps: %s", strerror(-err));
		goto out;
	}
	ctx = r->ctx ? r->ctx : skel;
	/* A positive value is an exit status whose message the applet printed itself. */
	if (r->attach && !loop_stopping() && (err = r->attach(ctx))) {
		if (err > 0)
			ret = err;
		else
			bcct_err("cannot attach: %s", strerror(-err));
		goto out;
	}
	bcct_info("attached %zu links", attachment_count());
	if (r->stack_map || r->kernel_symbols || has_stack_map(obj))
		warm_kernel_symbols();
	if (!loop_stopping())
		exec_child_release();
	if (obj) {
		struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");

		events_fd = events ? bpf_map__fd(events) : -1;
	} else {
		events_fd = r->events_fd;
	}
	if (run_loop(r, ctx, obj ? bpf_object__find_map_by_name(obj, "lost") : NULL, events_fd) == 0)
		ret = BCCT_EXIT_OK;
out:
	release_attachments();
	close_maps(r);
	if (skel)
		sk->destroy(skel);
	exec_child_finish();
	mapfilter_close();
	if (cgroup_dir >= 0)
		close(cgroup_dir);
	cgroup_dir = -1;
	loop_restore_signals();
	return ret;
}

int bcct_run_applet(const struct bcct_applet *a)
{
	bcct_current = a;
	out_setup_buffering();
	return a->run();
}

static int check_needs(unsigned needs)
{
	char missing[512];

	if (needs && bcct_needs_missing(needs, missing, sizeof(missing))) {
		bcct_err("this kernel lacks %s", missing);
		return -1;
	}
	return 0;
}

int bcct_check_needs(void)
{
	return check_needs(bcct_current ? bcct_current->needs : 0);
}

/* ---- small helpers ---------------------------------------------------------------------- */

int bcct_ncpus(void)
{
	return libbpf_num_possible_cpus();
}

/* ---- plans for `bcct features` ---------------------------------------------------------- */

int bcct_applet_plan(const struct bcct_applet *a, char *buf, size_t len)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = a->name);
	struct sel_prog progs[SEL_MAX_PROGS];
	struct bpf_program *handles[SEL_MAX_PROGS];
	struct sel_plan plan;
	struct bpf_object *obj;
	const void *elf;
	size_t sz, used = 0;
	int n, ok;

	buf[0] = 0;
	if (a->needs) {
		char missing[512];

		if (bcct_needs_missing(a->needs, missing, sizeof(missing))) {
			snprintf(buf, len, "needs %s", missing);
			return 0;
		}
	}
	if (a->spec_kinds) {
		ps_kinds_summary(a->spec_kinds, buf, len);
		return 1;
	}
	if (!a->skeleton) {
		snprintf(buf, len, a->no_bpf ? "no probes" : "probes given at run time");
		return 1;
	}
	elf = a->skeleton->elf(&sz);
	obj = bpf_object__open_mem(elf, sz, &o);
	if (!obj) {
		snprintf(buf, len, "cannot open BPF object");
		return 0;
	}
	n = collect_progs(obj, progs, handles, NULL);
	ok = sel_plan(progs, n, a->optional_probes, bcct_target_usable, &plan) == 0;
	for (int i = 0; i < plan.nprobes; i++) {
		const struct sel_probe *p = &plan.probes[i];
		const char *target, *method = p->chosen >= 0 ?
			bcct_kind_name(bcct_section_kind(progs[p->chosen].section, &target)) :
			p->optional ? "skipped" : "NONE";

		if (p->covered)
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s=%s", used ? " " : "",
				 p->name, method);
		if (p->chosen < 0 && !p->optional)
			used += snprintf(buf + used, used < len ? len - used : 0, " (%s)", p->why);
	}
	if (!plan.nprobes)
		snprintf(buf, len, "probes given at run time");
	else if (ok && applet_falls_back(a, &plan, progs))
		snprintf(buf + used, used < len ? len - used : 0, " (fallback: %s)", a->fallback);
	bpf_object__close(obj);
	return ok;
}
