/* Loading: the program's maps are created here, their fds patched into the instructions, and
 * the program loaded with bpf_prog_load(). When the verifier says no, the failing instruction's
 * expression is quoted with a caret and the log's tail follows. Attachment of the raw program
 * fds through BPF links (perf events for tracepoints and uprobes). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/features.h"
#include "core/probe/insn.h"
#include "core/probe/internal.h"

#define ENTRY_MAX 10240          /* threads inside the function at once (BCC's BPF_HASH size) */
#define COUNT_MAX 10240          /* distinct argdist keys */
#define RINGBUF_SIZE (256 * 1024)
#define LOG_SIZE (4 * 1024 * 1024)

static int ncpus(void)
{
	int n = libbpf_num_possible_cpus();

	return n > 0 ? n : 1;
}

static int create_map(enum bpf_map_type type, const char *name, unsigned key, unsigned value,
		      unsigned max)
{
	int fd = bpf_map_create(type, name, key, value, max, NULL);

	return fd < 0 ? -errno : fd;
}

static int create_maps(struct probe_program *p, const struct probe_load_opts *lo, struct probe_diag *d)
{
	int fd;

#define MAKE(slot, ...) do { \
		fd = create_map(__VA_ARGS__); \
		if (fd < 0) \
			return probe_error_at(d, NULL, 0, 0, "cannot create the %s map: %s", #slot, strerror(-fd)), fd; \
		p->map_fds[slot] = fd; \
		p->map_owned[slot] = true; \
	} while (0)

	if (p->sink != PROBE_SINK_HIST)
		MAKE(MAP_SCRATCH, BPF_MAP_TYPE_PERCPU_ARRAY, "probe_scratch", 4, p->scratch_size, 1);
	if (p->nentry || p->uses_latency)
		MAKE(MAP_ENTRY, BPF_MAP_TYPE_HASH, "probe_entry", 8, 8 * (1 + p->nentry), ENTRY_MAX);
	if (p->sink != PROBE_SINK_EVENT && lo && lo->sink_fd > 0)
		p->map_fds[MAP_SINK] = lo->sink_fd;   /* shared with another program of the probe */
	else if (p->sink == PROBE_SINK_COUNT)
		MAKE(MAP_SINK, BPF_MAP_TYPE_HASH, "probe_counts", p->layout.size, 8, COUNT_MAX);
	else if (p->sink == PROBE_SINK_HIST)
		MAKE(MAP_SINK, BPF_MAP_TYPE_ARRAY, "probe_hist", 4, 4 * 64, 1);
	if (p->sink == PROBE_SINK_EVENT) {
		if (lo && lo->events_fd > 0) {
			p->map_fds[MAP_EVENTS] = lo->events_fd;
		} else if (p->perf_buffer) {
			MAKE(MAP_EVENTS, BPF_MAP_TYPE_PERF_EVENT_ARRAY, "probe_events", 4, 4, ncpus());
		} else {
			MAKE(MAP_EVENTS, BPF_MAP_TYPE_RINGBUF, "probe_events", 0, 0, RINGBUF_SIZE);
		}
	}
#undef MAKE
	if (lo) {
		p->map_fds[MAP_STACKS] = lo->stack_fd > 0 ? lo->stack_fd : -1;
		p->map_fds[MAP_CGROUP] = lo->cgroup_fd > 0 ? lo->cgroup_fd : -1;
	}
	return 0;
}

/* A copy of the instructions with map slots replaced by fds. */
static struct bpf_insn *patch_maps(const struct probe_program *p, const struct insn_buf *ib,
				   struct probe_diag *d)
{
	struct bpf_insn *insns = malloc(ib->n * sizeof(*insns));

	if (!insns)
		return probe_error_at(d, NULL, 0, 0, "out of memory"), NULL;
	memcpy(insns, ib->insns, ib->n * sizeof(*insns));
	for (int i = 0; i < ib->n; i++) {
		if (insns[i].code != LD_IMM64_CODE)
			continue;
		if (insns[i].src_reg == BPF_PSEUDO_MAP_FD) {
			int slot = insns[i].imm;

			if (slot < 0 || slot >= MAP__COUNT || p->map_fds[slot] < 0) {
				probe_error_at(d, NULL, 0, 0, "the program needs a %s map (pass its fd in the load options)",
					slot == MAP_STACKS ? "stack trace" : slot == MAP_CGROUP ? "cgroup array" : "missing");
				free(insns);
				return NULL;
			}
			insns[i].imm = p->map_fds[slot];
		}
		i++;
	}
	return insns;
}

/* The index of the instruction the verifier stopped at: the last "N: (..)" line of the log. */
static int failing_insn(const char *log)
{
	int idx = -1;

	for (const char *line = log; line && *line;) {
		int n, used = 0;

		if (sscanf(line, "%d: (%*x)%n", &n, &used) == 1 && used > 0)
			idx = n;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return idx;
}

/* The last lines of the log (where the verifier says why). */
static char *log_tail(const char *log, int lines)
{
	const char *end = log + strlen(log), *start = end;
	struct sbuf b = {0};

	while (start > log && (start[-1] == '\n' || start[-1] == ' '))
		start--;
	end = start;
	for (int k = 0; k < lines && start > log; start--)
		if (start[-1] == '\n' && ++k == lines)
			break;
	sbuf_printf(&b, "verifier log (last lines):\n");
	for (const char *line = start; line < end;) {
		const char *nl = memchr(line, '\n', end - line);
		int len = nl ? nl - line : end - line;

		sbuf_printf(&b, "  %.*s\n", len, line);
		line += len + 1;
	}
	return b.s;
}

static void prog_name(const struct probe_program *p, bool entry, char *buf, size_t len)
{
	const char *fn = p->name ? p->name : "probe";
	size_t k = 0;

	/* kernel object names: [A-Za-z0-9_.], 15 bytes */
	for (const char *s = entry ? "e_" : "p_"; *s && k + 1 < len; s++)
		buf[k++] = *s;
	for (; *fn && k + 1 < len && k < 15; fn++)
		buf[k++] = (isalnum((unsigned char)*fn) || *fn == '_') ? *fn : '_';
	buf[k] = '\0';
}

int probe_load_insns(struct probe_program *p, const struct insn_buf *ib, bool entry,
		     const struct probe_load_opts *lo, struct probe_diag *d)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	struct bpf_insn *insns = patch_maps(p, ib, d);
	char name[16], *log = NULL;
	int fd, err;

	if (!insns)
		return -EINVAL;
	prog_name(p, entry, name, sizeof(name));
	/* User probes as uprobe_multi links where the kernel has them: a perf-event uprobe's
	 * release waits for the kernel's unregistration serially with every other one (about
	 * 100 ms each), a multi link releases all its sites at once. */
	p->uprobe_multi = p->user && bcct_has(FEAT_UPROBE_MULTI);
	if (p->uprobe_multi)
		opts.expected_attach_type = BPF_TRACE_UPROBE_MULTI;
	fd = bpf_prog_load(p->prog_type, name, "GPL", insns, ib->n, &opts);
	if (fd >= 0) {
		free(insns);
		return fd;
	}
	err = -errno;
	/* again with the verifier's log, to say why */
	if (lo && lo->log_buf && lo->log_size) {
		opts.log_buf = lo->log_buf;
		opts.log_size = lo->log_size;
	} else {
		log = malloc(LOG_SIZE);
		opts.log_buf = log;
		opts.log_size = log ? LOG_SIZE : 0;
	}
	opts.log_level = opts.log_buf ? 1 : 0;
	if (opts.log_buf)
		opts.log_buf[0] = '\0';
	fd = bpf_prog_load(p->prog_type, name, "GPL", insns, ib->n, &opts);
	free(insns);
	if (fd >= 0) {   /* it loaded the second time (a transient failure) */
		free(log);
		return fd;
	}
	if (opts.log_buf && opts.log_buf[0]) {
		int at = failing_insn(opts.log_buf);
		const struct src_range *w = at >= 0 && at < ib->n ? &ib->where[at] : NULL;
		char why[160] = "";
		const char *last = NULL;

		/* the verifier's reason is the last non-empty line before "processed N insns" */
		for (const char *line = opts.log_buf; *line;) {
			const char *nl = strchr(line, '\n');

			if (strncmp(line, "processed ", 10) && line[0] != '\n' && line[0])
				last = line;
			if (!nl)
				break;
			line = nl + 1;
		}
		if (last)
			snprintf(why, sizeof(why), "%.*s", (int)(strchrnul(last, '\n') - last), last);
		if (w && w->pos >= 0)
			probe_error_at(d, p->src, w->pos, w->end, "the kernel verifier rejected the %sprogram at instruction %d, "
				"evaluating '%.*s': %s", entry ? "entry " : "", at, w->end - w->pos, p->src + w->pos,
				why[0] ? why : strerror(-err));
		else
			probe_error_at(d, p->src, -1, 0, "the kernel verifier rejected the %sprogram%s%s: %s",
				entry ? "entry " : "", at >= 0 ? " at instruction " : "",
				at >= 0 ? arena_printf(&p->arena, "%d", at) : "", why[0] ? why : strerror(-err));
		if (d && !d->detail)
			d->detail = log_tail(opts.log_buf, 8);
	} else {
		probe_error_at(d, NULL, 0, 0, "loading the BPF program failed: %s", strerror(-err));
	}
	free(log);
	return err;
}

int probe_load(struct probe_program *p, const struct probe_load_opts *lo, struct probe_diag *d)
{
	int err;

	if (p->prog_fd >= 0)
		return 0;
	err = create_maps(p, lo, d);
	if (err)
		return err;
	if (p->entry.n) {
		p->entry_fd = probe_load_insns(p, &p->entry, true, lo, d);
		if (p->entry_fd < 0)
			return p->entry_fd;
	}
	p->prog_fd = probe_load_insns(p, &p->main, false, lo, d);
	return p->prog_fd < 0 ? p->prog_fd : 0;
}

int probe_program_fd(const struct probe_program *p, bool entry) { return entry ? p->entry_fd : p->prog_fd; }
int probe_events_fd(const struct probe_program *p) { return p->map_fds[MAP_EVENTS]; }
int probe_sink_map_fd(const struct probe_program *p) { return p->map_fds[MAP_SINK]; }

uint64_t probe_lost_events(const struct probe_program *p)
{
	int n = ncpus();
	size_t stride = (p->scratch_size + 7) & ~7u;
	unsigned char *values;
	uint32_t key = 0;
	uint64_t lost = 0;

	if (p->map_fds[MAP_SCRATCH] < 0 || p->sink != PROBE_SINK_EVENT)
		return 0;
	values = calloc(n, stride);
	if (!values)
		return 0;
	if (bpf_map_lookup_elem(p->map_fds[MAP_SCRATCH], &key, values) == 0)
		for (int cpu = 0; cpu < n; cpu++) {
			uint64_t v;

			memcpy(&v, values + cpu * stride + p->lost_off, sizeof(v));
			lost += v;
		}
	free(values);
	return lost;
}

void probe_program_free(struct probe_program *p)
{
	if (!p)
		return;
	if (p->prog_fd >= 0)
		close(p->prog_fd);
	if (p->entry_fd >= 0)
		close(p->entry_fd);
	for (int i = 0; i < MAP__COUNT; i++)
		if (p->map_owned[i] && p->map_fds[i] >= 0)
			close(p->map_fds[i]);
	ib_free(&p->main);
	ib_free(&p->entry);
	arena_free(&p->arena);
	free(p);
}

/* ---- attachment ----------------------------------------------------------------------------- */
static long perf_event_open(struct perf_event_attr *attr, int pid, int cpu)
{
	return syscall(__NR_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A BPF link on the perf event (detached when its fd closes); kernels before 5.15 lack perf
 * links, so there the perf event itself carries the program. */
static int link_perf_event(int prog_fd, int pfd)
{
	int link = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, NULL);

	if (link >= 0) {
		close(pfd);
		return link;
	}
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 || ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = -errno;

		close(pfd);
		return err;
	}
	return pfd;
}

static long read_number_file(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	/* "config:0" (format/retprobe) or a plain number */
	return strtol(strchr(buf, ':') ? strchr(buf, ':') + 1 : buf, NULL, 10);
}

int probe_attach_tracepoint(int prog_fd, const char *category, const char *name)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
					.sample_period = 1, .wakeup_events = 1 };
	const char *tracefs = bcct_tracefs();
	char path[512];
	long id, pfd;

	if (!tracefs)
		return -ENOENT;
	if (strchr(category, '/') || strchr(name, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tracefs, category, name);
	id = read_number_file(path);
	if (id < 0)
		return id;
	attr.config = id;
	pfd = perf_event_open(&attr, -1, 0);   /* one event fires the program on every CPU */
	if (pfd < 0)
		return -errno;
	return link_perf_event(prog_fd, pfd);
}

/* A kprobe or uprobe perf event of the PMU named pmu; name_or_path and offset go in config1/2. */
static int attach_probe_pmu(const char *pmu, int prog_fd, bool retprobe, const char *name_or_path,
			    uint64_t offset, uint64_t ref_ctr_offset, int pid)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .sample_period = 1, .wakeup_events = 1 };
	char path[128];
	long type, bit, pfd;

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	type = read_number_file(path);
	if (type < 0)
		return type;
	attr.type = type;
	if (retprobe) {
		snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/format/retprobe", pmu);
		bit = read_number_file(path);
		if (bit < 0)
			return bit;
		attr.config |= 1ULL << bit;
	}
	if (ref_ctr_offset) {
		/* USDT semaphore: the kernel counts tracers in it ("config:32-63") */
		snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/format/ref_ctr_offset", pmu);
		bit = read_number_file(path);
		if (bit < 0)
			return bit;
		attr.config |= ref_ctr_offset << bit;
	}
	attr.config1 = (uint64_t)(uintptr_t)name_or_path;
	attr.config2 = offset;
	pfd = perf_event_open(&attr, pid >= 0 ? pid : -1, pid >= 0 ? -1 : 0);
	if (pfd < 0)
		return -errno;
	return link_perf_event(prog_fd, pfd);
}

int probe_attach_uprobe(int prog_fd, bool retprobe, const char *path, uint64_t offset, int pid)
{
	return attach_probe_pmu("uprobe", prog_fd, retprobe, path, offset, 0, pid);
}

int probe_attach_usdt(int prog_fd, const char *path, uint64_t offset, uint64_t semaphore_offset,
		      int pid)
{
	return attach_probe_pmu("uprobe", prog_fd, false, path, offset, semaphore_offset, pid);
}

int probe_attach_uprobe_multi(int prog_fd, bool retprobe, const char *path,
			      const unsigned long *offsets, const unsigned long *ref_ctr_offsets,
			      size_t n, int pid)
{
	LIBBPF_OPTS(bpf_link_create_opts, o);
	int link;

	o.uprobe_multi.path = path;
	o.uprobe_multi.offsets = offsets;
	o.uprobe_multi.ref_ctr_offsets = ref_ctr_offsets;
	o.uprobe_multi.cnt = (__u32)n;
	o.uprobe_multi.flags = retprobe ? BPF_F_UPROBE_MULTI_RETURN : 0;
	o.uprobe_multi.pid = pid > 0 ? pid : 0;
	link = bpf_link_create(prog_fd, 0, BPF_TRACE_UPROBE_MULTI, &o);
	return link < 0 ? -errno : link;
}

bool probe_program_uprobe_multi(const struct probe_program *p) { return p->uprobe_multi; }

int probe_attach_kprobe(int prog_fd, bool retprobe, const char *func, uint64_t offset)
{
	return attach_probe_pmu("kprobe", prog_fd, retprobe, func, offset, 0, -1);
}
