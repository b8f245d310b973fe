/* bcct_run: one program per logical probe, shared filter, load, attach (bpf_link only, so a
 * killed process leaves nothing behind), event loop, final print, teardown. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bcct.h"
#include "core/btf.h"
#include "core/features.h"
#include "core/run.h"
#include "core/output.h"

const struct bcct_applet *bcct_current;

/* ---- links ------------------------------------------------------------------------------ */

static struct bpf_link **links;
static size_t nlinks, caplinks;

static int track(struct bpf_link *l)
{
	if (!l)
		return -errno;
	if (nlinks == caplinks) {
		caplinks = caplinks ? caplinks * 2 : 16;
		links = realloc(links, caplinks * sizeof(*links));
	}
	links[nlinks++] = l;
	return 0;
}

int bcct_track_link(struct bpf_link *l)
{
	return track(l);
}

/* Link (and other) fds handed over by applets that attach without libbpf objects. */
static int *fds;
static size_t nfds, capfds;

int bcct_track_fd(int fd)
{
	if (fd < 0)
		return fd;
	if (nfds == capfds) {
		int *n = realloc(fds, (capfds ? capfds * 2 : 16) * sizeof(*fds));

		if (!n) {
			close(fd);
			return -ENOMEM;
		}
		fds = n;
		capfds = capfds ? capfds * 2 : 16;
	}
	fds[nfds++] = fd;
	return 0;
}

static void destroy_links(void)
{
	while (nlinks)
		bpf_link__destroy(links[--nlinks]);
	free(links);
	links = NULL;
	caplinks = 0;
	while (nfds)
		close(fds[--nfds]);
	free(fds);
	fds = NULL;
	capfds = 0;
}

int bcct_attach_uprobe(struct bpf_program *prog, bool retprobe, pid_t pid, const char *binary,
		       const char *func, size_t offset)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .retprobe = retprobe, .func_name = func);

	return track(bpf_program__attach_uprobe_opts(prog, pid ? pid : -1, binary, offset, &o));
}

int bcct_attach_usdt(struct bpf_program *prog, pid_t pid, const char *binary, const char *provider,
		     const char *name)
{
	return track(bpf_program__attach_usdt(prog, pid ? pid : -1, binary, provider, name, NULL));
}

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

/* One line naming what is missing; 0 when privileged enough. */
static int check_privileges(void)
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

/* ---- libbpf messages -------------------------------------------------------------------- */

/* The program libbpf last reported as failing to load: libbpf unloads everything after a
 * failure, so its message is the only place that names the culprit. */
static char failed_prog[64];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	const char *name, *prefix;
	va_list again;
	bool whole;

	va_copy(again, ap);
	whole = vsnprintf(msg, sizeof(msg), fmt, ap) < (int)sizeof(msg);
	/* libbpf's own messages begin with "libbpf: " already; the verifier's do not. */
	prefix = strncmp(msg, "libbpf: ", 8) ? "libbpf: " : "";
	if (!whole && level != LIBBPF_DEBUG && bcct_verbose >= 1) {
		/* A verifier log arrives as one message: print all of it, its end says why. */
		fprintf(stderr, "%s: %s", bcct_prog, prefix);
		vfprintf(stderr, fmt, again);
		va_end(again);
		return 0;
	}
	va_end(again);
	if (level == LIBBPF_WARN && (name = strstr(msg, "prog '")) && strstr(msg, "failed to load")) {
		name += 6;
		snprintf(failed_prog, sizeof(failed_prog), "%.*s", (int)strcspn(name, "'"), name);
	}
	if (level == LIBBPF_DEBUG && bcct_verbose < 2)
		return 0;
	if (level != LIBBPF_DEBUG && bcct_verbose < 1)
		return 0;
	fprintf(stderr, "%s: %s%s", bcct_prog, prefix, msg);
	return 0;
}

/* Candidates that failed to load in an earlier attempt of this run: never chosen again. */
#define MAX_EXCLUDED 32
static char excluded[MAX_EXCLUDED][64];
static int nexcluded;

static bool is_excluded(const char *prog)
{
	for (int i = 0; i < nexcluded; i++)
		if (!strcmp(excluded[i], prog))
			return true;
	return false;
}

/* After a failed load: if the failing program was a probe's chosen candidate and a later
 * candidate exists, exclude it so the next attempt falls back. */
static bool exclude_failed(const struct bcct_probe *probes)
{
	if (!failed_prog[0] || nexcluded == MAX_EXCLUDED)
		return false;
	for (const struct bcct_probe *p = probes; p && p->name; p++)
		for (int i = 0; i < BCCT_MAX_CANDIDATES - 1 && p->progs[i]; i++)
			if (!strcmp(p->progs[i], failed_prog) && p->progs[i + 1]) {
				snprintf(excluded[nexcluded++], sizeof(excluded[0]), "%s", failed_prog);
				bcct_info("probe %s: %s failed to load; falling back", p->name, failed_prog);
				return true;
			}
	return false;
}

void bcct_libbpf_quiet(void)
{
	libbpf_set_print(libbpf_print);
}

/* ---- probe selection -------------------------------------------------------------------- */

/* Chooses one candidate per probe and disables the rest. The choice is announced with -v. */
static int select_probes(struct bpf_object *obj, const struct bcct_probe *probes)
{
	for (const struct bcct_probe *p = probes; p && p->name; p++) {
		struct bpf_program *chosen = NULL;
		char reasons[512] = "";
		bool wanted = false;

		/* A probe whose candidates the applet switched off is not needed for these options. */
		for (int i = 0; i < BCCT_MAX_CANDIDATES && p->progs[i]; i++) {
			struct bpf_program *prog = bpf_object__find_program_by_name(obj, p->progs[i]);

			wanted |= prog && bpf_program__autoload(prog);
		}
		if (!wanted) {
			bcct_info("probe %s: not needed for these options", p->name);
			continue;
		}

		for (int i = 0; i < BCCT_MAX_CANDIDATES && p->progs[i]; i++) {
			struct bpf_program *prog = bpf_object__find_program_by_name(obj, p->progs[i]);
			const char *target, *why;
			enum bcct_kind k;

			if (!prog) {
				bcct_err("internal error: probe %s names unknown program %s", p->name, p->progs[i]);
				return -1;
			}
			if (!bpf_program__autoload(prog))
				continue;   /* the applet ruled it out for these options */
			if (is_excluded(p->progs[i])) {
				bpf_program__set_autoload(prog, false);
				continue;
			}
			k = bcct_section_kind(bpf_program__section_name(prog), &target);
			if (!chosen && bcct_target_usable(k, target, &why)) {
				chosen = prog;
				bcct_info("probe %s: %s %s", p->name, bcct_kind_name(k), target);
				continue;
			}
			if (!chosen)
				snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "%s%s %s: %s",
					 reasons[0] ? "; " : "", bcct_kind_name(k), target, why);
			bpf_program__set_autoload(prog, false);
		}
		if (!chosen && !p->optional) {
			bcct_err("cannot trace %s on this kernel: %s", p->name, reasons[0] ? reasons : "no candidate");
			return -1;
		}
		if (!chosen)
			bcct_info("probe %s: skipped (%s)", p->name, reasons);
	}
	return 0;
}

/* ---- shared filter ---------------------------------------------------------------------- */

/* Finds the .rodata variable `name` of obj and returns a pointer into its initial value. */
static void *rodata_var(struct bpf_object *obj, const char *name, size_t size)
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

			if (!strcmp(btf__name_by_offset(btf, var->name_off), name) && vs->size == size &&
			    vs->offset + size <= len)
				return data + vs->offset;
		}
	}
	return NULL;
}

#define CGROUP2_SUPER_MAGIC 0x63677270

static int cgroup_fd = -1;

static int fill_filter(struct bpf_object *obj)
{
	struct bcct_filter *f = rodata_var(obj, "bcct_filter", sizeof(*f));

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
	if (env.cgroup) {
		struct statfs sf;

		cgroup_fd = open(env.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cgroup_fd < 0 || fstatfs(cgroup_fd, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC) {
			bcct_usage_err("--cgroup %s: not a cgroup v2 directory", env.cgroup);
			return -2;
		}
		f->has_cgroup = 1;
	}
	return 0;
}

/* ---- perf sampling ---------------------------------------------------------------------- */

/* Online CPUs from a list like "0-3,8,10-11"; returns the count of entries filled in online[]. */
static int online_cpus(bool *online, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char buf[1024], *p, *save = NULL;
	int n = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	for (p = strtok_r(buf, ",\n", &save); p; p = strtok_r(NULL, ",\n", &save)) {
		int a, b;

		if (sscanf(p, "%d-%d", &a, &b) != 2)
			b = a = atoi(p);
		for (int c = a; c <= b && c < max; c++) {
			online[c] = true;
			if (c + 1 > n)
				n = c + 1;
		}
	}
	return n;
}

static int attach_perf(struct bpf_program *prog, const struct bcct_run *r)
{
	int ncpu = libbpf_num_possible_cpus();
	bool online[ncpu > 0 ? ncpu : 1];
	int n, err = 0, attached = 0;

	memset(online, 0, sizeof(online));
	n = online_cpus(online, ncpu);
	if (n < 0)
		return n;
	for (int cpu = 0; cpu < n; cpu++) {
		struct perf_event_attr a = { .size = sizeof(a), .type = PERF_TYPE_SOFTWARE,
					     .config = PERF_COUNT_SW_CPU_CLOCK };
		int fd;

		if (!online[cpu] || (r->sample_one_cpu && cpu != r->sample_cpu))
			continue;
		if (r->sample_period) {
			a.sample_period = r->sample_period;
		} else {
			a.freq = 1;
			a.sample_freq = r->sample_freq ? r->sample_freq : 49;
		}
		fd = syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			break;
		}
		err = track(bpf_program__attach_perf_event(prog, fd));
		if (err) {
			close(fd);
			break;
		}
		attached++;
	}
	if (!err && !attached) {
		bcct_err("no online CPU to sample%s", r->sample_one_cpu ? " (is that CPU offline?)" : "");
		return -ENODEV;
	}
	return err;
}

/* ---- lost events ------------------------------------------------------------------------ */

static unsigned long long lost_reported, perf_lost;

static unsigned long long lost_total(const struct bcct_run *r)
{
	struct bpf_map *m = r->obj ? bpf_object__find_map_by_name(r->obj, "lost") : NULL;
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = perf_lost;
	__u64 vals[ncpu > 0 ? ncpu : 1];
	__u32 zero = 0;

	if (m && bpf_map_lookup_elem(bpf_map__fd(m), &zero, vals) == 0)
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
	if (r->lost)
		sum += r->lost(r->ctx);
	return sum;
}

static void report_lost(const struct bcct_run *r)
{
	unsigned long long n = lost_total(r);

	if (n > lost_reported) {
		bcct_warn("lost %llu events (buffer full)", n - lost_reported);
		lost_reported = n;
	}
}

/* ---- event loop ------------------------------------------------------------------------- */

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	exiting = 1;
}

struct buf_ctx {
	const struct bcct_run *r;
	int stop;
};

static int rb_event(void *ctx, void *data, size_t size)
{
	struct buf_ctx *b = ctx;

	return b->r->on_event(b->r->ctx, data, size);
}

static void pb_event(void *ctx, int cpu, void *data, __u32 size)
{
	struct buf_ctx *b = ctx;

	b->r->on_event(b->r->ctx, data, size);
}

static void pb_lost(void *ctx, int cpu, __u64 n)
{
	perf_lost += n;
}

uint64_t bcct_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int wait_events(struct ring_buffer *rb, struct perf_buffer *pb, int timeout_ms)
{
	int err = 0;

	if (rb)
		err = ring_buffer__poll(rb, timeout_ms);
	else if (pb)
		err = perf_buffer__poll(pb, timeout_ms);
	else {
		struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	return err == -EINTR ? 0 : err;
}

static int loop(const struct bcct_run *r, struct ring_buffer *rb,
		struct perf_buffer *pb)
{
	long interval = r->interval ? r->interval : env.interval;
	uint64_t start = bcct_now_ns();
	uint64_t deadline = env.duration ? start + env.duration * 1000000000ULL : 0;
	uint64_t next_tick = interval ? start + interval * 1000000000ULL : 0;
	long printed = 0;
	bool printed_last = false;

	while (!exiting) {
		uint64_t now = bcct_now_ns(), until = UINT64_MAX;
		int timeout, err;

		if (next_tick && next_tick < until)
			until = next_tick;
		if (deadline && deadline < until)
			until = deadline;
		timeout = until == UINT64_MAX ? 1000 : until > now ? (int)((until - now + 999999) / 1000000) : 0;
		if (timeout > 1000)
			timeout = 1000;
		err = wait_events(rb, pb, timeout);
		if (err < 0) {
			bcct_err("polling events: %s", strerror(-err));
			return -1;
		}
		now = bcct_now_ns();
		printed_last = false;
		if (next_tick && now >= next_tick && r->on_interval) {
			bool final = env.count && printed + 1 >= env.count;

			r->on_interval(r->ctx, final);
			report_lost(r);
			printed++;
			printed_last = true;
			if (final)
				break;
			next_tick += interval * 1000000000ULL;
		}
		if (deadline && now >= deadline)
			break;
	}
	/* Drain what is already buffered so the last events are not lost, and are in the final
	 * summary of tools that aggregate events in user space (profile --unwind=dwarf). */
	if (rb)
		ring_buffer__consume(rb);
	else if (pb)
		perf_buffer__consume(pb);
	if (r->on_interval && !printed_last)
		r->on_interval(r->ctx, true);
	report_lost(r);
	return 0;
}

void bcct_stop(void)
{
	exiting = 1;
}

/* The map type of an fd handed over by an applet (ring buffer or perf event array). */
static int map_type_of(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info_by_fd(fd, &info, &len))
		return -errno;
	return info.type;
}

/* Loads obj (probe selection, shared filter, perf buffer fallback) and attaches the programs
 * whose section names a target. Returns 0, BCCT_RETRY_NEXT_CANDIDATE, or -1 after a message. */
static int load_and_attach_obj(struct bcct_run *r)
{
	struct bpf_object *obj = r->obj;
	struct bpf_program *prog;
	struct bpf_map *events;
	int err;

	/* Probe selection needs tracefs for tracepoint targets; libbpf needs it to attach them. */
	bcct_tracefs();
	if (select_probes(obj, bcct_current ? bcct_current->probes : NULL))
		return -1;
	bcct_btf_release();

	events = bpf_object__find_map_by_name(obj, "events");
	/* BCCT_FORCE_PERFBUF=1 exercises the pre-5.8 path on newer kernels (tests). */
	if (events && (!bcct_has(FEAT_RINGBUF) || getenv("BCCT_FORCE_PERFBUF"))) {
		struct bcct_filter *f = rodata_var(obj, "bcct_filter", sizeof(*f));

		if (f)
			f->use_perfbuf = 1;
		bpf_map__set_type(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
		bpf_map__set_key_size(events, sizeof(int));
		bpf_map__set_value_size(events, sizeof(int));
		bpf_map__set_max_entries(events, 0);
		bcct_info("no ring buffer: using a perf buffer");
	}

	failed_prog[0] = 0;
	err = r->skeleton ? bpf_object__load_skeleton(r->skeleton) : bpf_object__load(obj);
	if (err && exclude_failed(bcct_current ? bcct_current->probes : NULL))
		return BCCT_RETRY_NEXT_CANDIDATE;
	if (err) {
		bcct_err("failed to load BPF programs: %s%s", strerror(-err),
			 bcct_verbose ? "" : " (rerun with -v for the verifier log)");
		return -1;
	}
	if (cgroup_fd >= 0) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, "cgroup_filter");
		__u32 zero = 0;

		if (!m || bpf_map_update_elem(bpf_map__fd(m), &zero, &cgroup_fd, BPF_ANY)) {
			bcct_err("cannot set the cgroup filter: %s", strerror(errno));
			return -1;
		}
	}

	bpf_object__for_each_program(prog, obj) {
		const char *target;
		enum bcct_kind k;

		if (exiting)
			break;
		if (!bpf_program__autoload(prog))
			continue;
		k = bcct_section_kind(bpf_program__section_name(prog), &target);
		if (k == KIND_PERF_EVENT)
			err = attach_perf(prog, r);
		else if (!*target)
			continue;   /* run-time target (uprobe, USDT, bare tracepoint/kprobe): r->attach */
		else
			err = track(bpf_program__attach(prog));
		if (err) {
			bcct_err("cannot attach %s (%s): %s", bpf_program__name(prog),
				 bpf_program__section_name(prog), strerror(-err));
			return -1;
		}
	}
	return 0;
}

int bcct_run(struct bcct_run *r)
{
	struct bpf_object *obj = r->obj;
	struct ring_buffer *rb = NULL;
	struct perf_buffer *pb = NULL;
	struct buf_ctx bctx = { .r = r };
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	int err, ret = BCCT_EXIT_FAIL, events_fd = -1;

	if (!obj && !r->attach) {
		bcct_err("failed to open BPF object: %s", strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	if (check_privileges())
		return BCCT_EXIT_FAIL;
	if (obj) {
		err = fill_filter(obj);
		if (err)
			return err == -2 ? BCCT_EXIT_USAGE : BCCT_EXIT_FAIL;
	}
	/* Before attaching: a Ctrl-C during a slow attach ends the run cleanly instead of being lost. */
	exiting = 0;
	lost_reported = perf_lost = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	if (obj) {
		err = load_and_attach_obj(r);
		if (err) {
			if (err == BCCT_RETRY_NEXT_CANDIDATE)
				ret = err;
			goto out;
		}
	}
	/* A positive value is an exit status whose message the applet printed itself. */
	if (r->attach && !exiting && (err = r->attach(r->ctx, obj))) {
		if (err > 0)
			ret = err;
		else
			bcct_err("cannot attach: %s", strerror(-err));
		goto out;
	}

	bcct_info("attached %zu links", nlinks + nfds);
	if (r->on_event) {
		struct bpf_map *events = obj ? bpf_object__find_map_by_name(obj, "events") : NULL;
		int type;

		events_fd = events ? bpf_map__fd(events) : r->events_fd > 0 ? r->events_fd : -1;
		type = events ? (int)bpf_map__type(events) : events_fd >= 0 ? map_type_of(events_fd) : -1;
		if (type == BPF_MAP_TYPE_RINGBUF)
			rb = ring_buffer__new(events_fd, rb_event, &bctx, NULL);
		else if (type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			pb = perf_buffer__new(events_fd, r->perf_pages > 0 ? r->perf_pages : 64, pb_event,
					      pb_lost, &bctx, NULL);
		if (events_fd >= 0 && !rb && !pb) {
			bcct_err("cannot open the event buffer: %s", strerror(errno));
			goto out;
		}
	}

	if (r->banner && !env.json) {
		printf("%s\n", r->banner);
		fflush(stdout);
	}
	if (r->on_start)
		r->on_start(r->ctx);
	fflush(stdout);
	if (loop(r, rb, pb) == 0)
		ret = BCCT_EXIT_OK;
	if (r->on_exit)
		r->on_exit(r->ctx);
	fflush(stdout);
out:
	ring_buffer__free(rb);
	perf_buffer__free(pb);
	destroy_links();
	if (cgroup_fd >= 0)
		close(cgroup_fd);
	cgroup_fd = -1;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

/* ---- small helpers ---------------------------------------------------------------------- */

const char *bcct_time_str(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
	return buf;
}

int bcct_ncpus(void)
{
	return libbpf_num_possible_cpus();
}

const char *bcct_pid_comm(int pid, char *buf, size_t len)
{
	char p[64];
	FILE *f;

	buf[0] = 0;
	snprintf(p, sizeof(p), "/proc/%d/comm", pid);
	f = fopen(p, "r");
	if (!f)
		return buf;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
	return buf;
}

/* ---- plans for `bcct features` ---------------------------------------------------------- */

int bcct_applet_plan(const struct bcct_applet *a, char *buf, size_t len)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = a->name);
	struct bpf_object *obj;
	const void *elf;
	size_t sz, used = 0;
	int ok = 1;

	buf[0] = 0;
	if (!a->bpf_elf) {
		snprintf(buf, len, "no probes");
		return 1;
	}
	elf = a->bpf_elf(&sz);
	obj = bpf_object__open_mem(elf, sz, &o);
	if (!obj) {
		snprintf(buf, len, "cannot open BPF object");
		return 0;
	}
	for (const struct bcct_probe *p = a->probes; p && p->name; p++) {
		const char *method = NULL, *why = "no candidate";
		char reasons[256] = "";

		for (int i = 0; i < BCCT_MAX_CANDIDATES && p->progs[i] && !method; i++) {
			struct bpf_program *prog = bpf_object__find_program_by_name(obj, p->progs[i]);
			const char *target;
			enum bcct_kind k;

			if (!prog)
				continue;
			k = bcct_section_kind(bpf_program__section_name(prog), &target);
			if (bcct_target_usable(k, target, &why))
				method = bcct_kind_name(k);
			else
				snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "%s%s: %s",
					 reasons[0] ? "; " : "", bcct_kind_name(k), why);
		}
		if (!method && !p->optional)
			ok = 0;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s=%s", used ? " " : "",
				 p->name, method ? method : p->optional ? "skipped" : "NONE");
		if (!method && !p->optional)
			used += snprintf(buf + used, used < len ? len - used : 0, " (%s)", reasons);
	}
	bpf_object__close(obj);
	return ok;
}

int bcct_run_applet(const struct bcct_applet *a)
{
	/* A candidate that failed to load is excluded and the applet runs again with the next. */
	bcct_current = a;
	for (int attempt = 0; attempt < MAX_EXCLUDED; attempt++) {
		int err = a->run();

		if (err != BCCT_RETRY_NEXT_CANDIDATE)
			return err;
	}
	bcct_err("no probe candidate could be loaded");
	return BCCT_EXIT_FAIL;
}
