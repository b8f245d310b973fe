/* Attachments: every probe is a bpf_link or an fd core tracks, so teardown (and a killed
 * process) leaves nothing attached. */
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/features.h"
#include "core/pmc.h"
#include "core/runtime.h"
#include "core/sys/sys.h"

static _Thread_local struct bpf_link **links;
static _Thread_local size_t nlinks, caplinks;
static _Thread_local int *fds;
static _Thread_local size_t nfds, capfds;

static int grow(void **v, size_t *cap, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, n * elem);

	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}

int bcct_track_link(struct bpf_link *l)
{
	if (!l)
		return -errno;
	if (nlinks == caplinks && grow((void **)&links, &caplinks, sizeof(*links))) {
		bpf_link__destroy(l);
		return -ENOMEM;
	}
	links[nlinks++] = l;
	return 0;
}

int bcct_track_fd(int fd)
{
	if (fd < 0)
		return fd;
	if (nfds == capfds && grow((void **)&fds, &capfds, sizeof(*fds))) {
		close(fd);
		return -ENOMEM;
	}
	fds[nfds++] = fd;
	return 0;
}

size_t attachment_count(void)
{
	return nlinks + nfds;
}

/* Releasing a perf-event attachment (every tracepoint, kprobe and uprobe link, and trace's
 * perf-event fds) waits in close() for an RCU tasks-trace grace period: 60-130 ms each on 6.x.
 * One after another, opensnoop's six tracepoints took most of a second to detach after Ctrl-C.
 * Releases made at the same time wait for the same grace period, so threads release everything
 * in about the time of one: up to 32 of them (sslsniff's 22 uprobe links took three rounds of
 * 8 threads, 166 ms, and take one now, 73 ms). */
#define RELEASE_THREADS 32

/* What one release owns: the run's arrays, handed over (the run's own state is thread-local)
 * so that the run can go on (print its final summary) while they are released. */
struct release {
	struct bpf_link **links;
	size_t nlinks;
	int *fds;
	size_t nfds;
	size_t next;            /* the next index to release, taken atomically by the workers */
};

static void release_one(struct release *r, size_t i)
{
	if (i < r->nlinks)
		bpf_link__destroy(r->links[i]);   /* NULL (already released) is a no-op */
	else
		close(r->fds[i - r->nlinks]);
}

static void *release_worker(void *arg)
{
	struct release *r = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED)) < r->nlinks + r->nfds)
		release_one(r, i);
	return NULL;
}

/* Releases everything r holds and frees its arrays. */
static void release_now(struct release *r)
{
	size_t total = r->nlinks + r->nfds, nthreads = total > RELEASE_THREADS ? RELEASE_THREADS : total;
	pthread_t threads[RELEASE_THREADS];
	size_t started = 0;

	/* A USDT link is libbpf's composite of uprobe links with no fd of its own (calloc'd: 0), and
	 * its detach updates state the object's other USDT links share: those go one at a time,
	 * here, before any thread starts. */
	for (size_t i = 0; i < r->nlinks; i++)
		if (bpf_link__fd(r->links[i]) <= 0) {
			bpf_link__destroy(r->links[i]);
			r->links[i] = NULL;
		}
	/* The calling thread is one of the workers; a thread that cannot start is not needed. */
	while (nthreads > 1 && started < nthreads - 1 &&
	       bcct_thread_start(&threads[started], release_worker, r, false, HELPER_STACK) == 0)
		started++;
	release_worker(r);
	while (started)
		pthread_join(threads[--started], NULL);
	free(r->links);
	free(r->fds);
}

static void *release_thread(void *arg)
{
	release_now(arg);
	free(arg);
	return NULL;
}

/* Hands the run's arrays over to r: later attachments start new ones. */
static void take_attachments(struct release *r)
{
	*r = (struct release){ .links = links, .nlinks = nlinks, .fds = fds, .nfds = nfds };
	links = NULL;
	nlinks = caplinks = 0;
	fds = NULL;
	nfds = capfds = 0;
}

static _Thread_local pthread_t releaser;
static _Thread_local bool releasing;

/* The measurement is over (Ctrl-C, -d, the last interval): the links go now, in a thread, while
 * the run drains its buffers and prints its final summary and stacks, which read maps only. The
 * grace periods then pass during the printing instead of after it. */
void release_attachments_start(void)
{
	struct release *r;

	if (releasing || !(nlinks + nfds) || !(r = calloc(1, sizeof(*r))))
		return;
	take_attachments(r);
	releasing = bcct_thread_start(&releaser, release_thread, r, false, HELPER_STACK) == 0;
	if (!releasing)
		release_thread(r);
}

/* Everything released when this returns: what release_attachments_start began, and whatever
 * was attached without it (a run that failed before its loop). */
void release_attachments(void)
{
	struct release left;

	if (releasing)
		pthread_join(releaser, NULL);
	releasing = false;
	/* What no thread took (a run that ended before its loop, or no memory for the record) goes
	 * here and now, in this thread. */
	take_attachments(&left);
	release_now(&left);
}

/* A program loaded for uprobe_multi links (bcct_uprobe_multi_or_perf) attaches only through
 * them; one offset per link keeps this call's contract (its own error for each function). */
static int attach_uprobe_multi(struct bpf_program *prog, bool retprobe, pid_t pid,
			       const char *binary, const char *func, size_t offset)
{
	uint64_t func_offset = 0;
	unsigned long where;
	int err = func ? sys_elf_function_offset(binary, func, &func_offset) : 0;

	if (err)
		return err;
	where = (unsigned long)(func_offset + offset);
	LIBBPF_OPTS(bpf_uprobe_multi_opts, o, .offsets = &where, .cnt = 1, .retprobe = retprobe);
	return bcct_track_link(bpf_program__attach_uprobe_multi(prog, pid ? pid : -1, binary, NULL, &o));
}

int bcct_attach_uprobe(struct bpf_program *prog, bool retprobe, pid_t pid, const char *binary,
		       const char *func, size_t offset)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .retprobe = retprobe, .func_name = func);

	if (bpf_program__expected_attach_type(prog) == BPF_TRACE_UPROBE_MULTI)
		return attach_uprobe_multi(prog, retprobe, pid, binary, func, offset);
	return bcct_track_link(bpf_program__attach_uprobe_opts(prog, pid ? pid : -1, binary, offset, &o));
}

void bcct_uprobe_multi_or_perf(struct bpf_object *obj)
{
	struct bpf_program *prog;
	int have = -1;   /* asked only of objects with such programs */

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!bpf_program__autoload(prog) ||
		    (strcmp(sec, "uprobe.multi") && strcmp(sec, "uretprobe.multi")))
			continue;
		if (have < 0) {
			have = bcct_has(FEAT_UPROBE_MULTI);
			bcct_info("uprobes: %s", have ? "uprobe_multi links" : "perf-event links (no uprobe_multi)");
		}
		if (!have)   /* libbpf set BPF_TRACE_UPROBE_MULTI for the section: a plain uprobe */
			bpf_program__set_expected_attach_type(prog, 0);
	}
}

int bcct_attach_usdt(struct bpf_program *prog, pid_t pid, const char *binary, const char *provider,
		     const char *name, unsigned long long cookie)
{
	LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = cookie);

	return bcct_track_link(bpf_program__attach_usdt(prog, pid ? pid : -1, binary, provider, name, &o));
}

int attach_perf_sampling(struct bpf_program *prog, const struct bcct_run *r)
{
	int ncpu = libbpf_num_possible_cpus();
	bool online[ncpu > 0 ? ncpu : 1];
	int n, err = 0, attached = 0;

	memset(online, 0, sizeof(online));
	n = sys_online_cpus(online, ncpu);
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
		err = bcct_track_link(bpf_program__attach_perf_event(prog, fd));
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

/* core/pmc.h; here beside the software sampling, with the links it tracks. */
int pmc_attach(struct bpf_program *prog, const struct pmc_event *ev, long period)
{
	int ncpu = libbpf_num_possible_cpus(), attached = 0;
	bool *online = calloc(ncpu > 0 ? (size_t)ncpu : 1, sizeof(bool));

	if (!online || sys_online_cpus(online, ncpu) < 0) {
		bcct_err("cannot read the online CPUs");
		free(online);
		return -1;
	}
	for (int cpu = 0; cpu < ncpu; cpu++) {
		int fd, err;

		if (!online[cpu])
			continue;
		fd = pmc_open(ev, period, cpu, false);
		if (fd < 0) {
			bcct_err("%s on CPU %d: %s", ev->name, cpu, pmc_why_now(ev, errno));
			free(online);
			return -1;
		}
		err = bcct_track_link(bpf_program__attach_perf_event(prog, fd));
		if (err) {
			close(fd);
			bcct_err("cannot attach %s to %s: %s", bpf_program__name(prog), ev->name, strerror(-err));
			free(online);
			return -1;
		}
		attached++;
	}
	free(online);
	if (!attached) {
		bcct_err("no online CPU to count %s on", ev->name);
		return -1;
	}
	return 0;
}
