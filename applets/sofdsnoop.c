/* sofdsnoop: file descriptors passed over Unix sockets (SCM_RIGHTS), as BCC's sofdsnoop. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/family/sock.h"
#include "core/output.h"
#include "core/run.h"
#include "sofdsnoop.skel.h"
#include "sofdsnoop.h"

BCCT_SKELETON(sofdsnoop_bpf);

static struct {
	const char *name;
	unsigned long long first_ts;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_PID('p'),
	STD_TID('t'),
	OPT_STR_('n', "name", &o.name, "NAME", "only print process names containing this name"),
	STD_DURATION('d'),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

SOCK_KPROBE_FALLBACK(send_falls_back, "__scm_send")
SOCK_KPROBE_FALLBACK(recv_falls_back, "scm_detach_fds")

/* BCC's kprobes, when both functions can be probed; else the syscalls read the messages (one
 * method for both directions, so sends and receives are seen alike). */
static bool scm_falls_back(void)
{
	return send_falls_back() || recv_falls_back();
}

static int configure(void *skel)
{
	struct sofdsnoop_bpf *s = skel;
	bool kprobes = !scm_falls_back();

	s->rodata->read_syscalls = !kprobes;
	bcct_probe_enable(skel, "scm_send", kprobes);
	bcct_probe_enable(skel, "scm_detach", kprobes);
	bcct_probe_enable(skel, "scm_detach_ret", kprobes);
	return 0;
}

static void header(void *ctx)
{
	out_header("%s%-6s %-6s %-16s %-25s %-5s %s", env.timestamp ? "TIME(s)       " : "",
		   "ACTION", "TID", "COMM", "SOCKET", "FD", "NAME");
}

/* One line per descriptor, as BCC: the socket as "FD:PATH" and, for a sent descriptor, what it
 * is (both through /proc/TID/fd while the caller still holds them: "N/A" once gone). */
static int on_event(void *ctx, const void *data, size_t size)
{
	const struct sofdsnoop_event *e = data;
	const char *action = e->action == SOFDSNOOP_SEND ? "SEND" : "RECV";
	char sock_path[256], sock[300], path[4096];
	int n;

	if (size < sizeof(*e))
		return 0;
	if (o.name && !strstr(e->comm, o.name))   /* BCC: a substring, in user space */
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;
	if (fs_fd_path(e->tid, e->sock_fd, sock_path, sizeof(sock_path)) < 0 && !sock_path[0])
		snprintf(sock_path, sizeof(sock_path), "N/A");
	snprintf(sock, sizeof(sock), "%d:%s", e->sock_fd, sock_path);
	n = e->fd_cnt < SOFDSNOOP_MAX_FD ? e->fd_cnt : SOFDSNOOP_MAX_FD;
	for (int i = 0; i < n; i++) {
		path[0] = 0;
		if (e->action == SOFDSNOOP_SEND &&
		    fs_fd_path(e->tid, e->fd[i], path, sizeof(path)) < 0 && !path[0])
			snprintf(path, sizeof(path), "N/A");
		out_event_time(e->ts);
		if (!env.json) {
			if (env.timestamp)
				printf("%-14.9f", (e->ts - o.first_ts) / 1e9);
			printf("%-6s %-6u %-16s %-25s %-5d %s\n", action, e->tid, e->comm, sock,
			       e->fd[i], path);
			continue;
		}
		out_begin();
		if (env.timestamp)
			out_float("time_s", "%f", (e->ts - o.first_ts) / 1e9);
		out_str("action", "%s", action);
		out_int("tid", "%lld", e->tid);
		out_str("comm", "%s", e->comm);
		out_int("sock_fd", "%lld", e->sock_fd);
		out_str("socket", "%s", sock_path);
		out_int("fd", "%lld", e->fd[i]);
		if (e->action == SOFDSNOOP_SEND)
			out_str("name", "%s", path);
		out_end();
	}
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(sofdsnoop,
	.category = "network",
	.summary = "Trace file descriptors passed via socket",
	.description =
	"One line per descriptor passed in an SCM_RIGHTS message: SEND with the sender's number\n"
	"and what it is, RECV with the number the receiver got; the socket as FD:PATH. Kprobes on\n"
	"__scm_send and scm_detach_fds, as BCC; without kprobes, the control messages of\n"
	"sendmsg/sendmmsg and recvmsg/recvmmsg read from the caller's memory at the syscalls.",
	.fallback = "sendmsg/sendmmsg and recvmsg/recvmmsg at raw_syscalls sys_enter/sys_exit, the "
		    "control messages read from the caller's memory: a send the kernel then refuses "
		    "is shown too, and descriptors passed by other paths (io_uring) are missed",
	.examples =
	"    sofdsnoop           # trace passed file descriptors\n"
	"    sofdsnoop -T        # include timestamps\n"
	"    sofdsnoop -p 181    # only trace PID 181\n"
	"    sofdsnoop -t 123    # only trace TID 123\n"
	"    sofdsnoop -d 10     # trace for 10 seconds only\n"
	"    sofdsnoop -n main   # only print process names containing \"main\"\n",
	.opts = opts,
	.skeleton = &sofdsnoop_bpf__skeleton,
	/* Absent where kprobes are: configure then reads the syscalls instead. */
	.optional_probes = BCCT_NAMES("scm_send", "scm_detach", "scm_detach_ret"),
	.falls_back = scm_falls_back,
	.run = run);
