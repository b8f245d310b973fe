/* Attachments: every probe is a bpf_link or an fd core tracks, so teardown (and a killed
 * process) leaves nothing attached. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/runtime.h"

static struct bpf_link **links;
static size_t nlinks, caplinks;
static int *fds;
static size_t nfds, capfds;

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

void release_attachments(void)
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

	return bcct_track_link(bpf_program__attach_uprobe_opts(prog, pid ? pid : -1, binary, offset, &o));
}

int bcct_attach_usdt(struct bpf_program *prog, pid_t pid, const char *binary, const char *provider,
		     const char *name)
{
	return bcct_track_link(bpf_program__attach_usdt(prog, pid ? pid : -1, binary, provider, name, NULL));
}

/* Online CPUs from a list like "0-3,8,10-11"; returns one past the highest, or -errno. */
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

int attach_perf_sampling(struct bpf_program *prog, const struct bcct_run *r)
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
