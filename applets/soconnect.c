/* soconnect (BPF Performance Tools, ch. 10): IP connect() calls with the address, port,
 * latency and result, as the book's soconnect.bt: the connect syscall's tracepoints, the
 * caller's sockaddr read at entry. The shared socket-call object, bpf/sockcall.bpf.c. */
#include <errno.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "sockcall.h"
#include "sockcall.skel.h"

BCCT_SKELETON(sockcall_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_FILTERS,
	OPT_END_,
};

/* The book's RESULT wording for connect(2)'s errors; other errors by their errno name. */
static const char *result_str(int ret)
{
	switch (-ret) {
	case 0: return "Success";
	case EPERM: return "Permission denied";
	case EINTR: return "Interrupted";
	case EBADF: return "Invalid sockfd";
	case EAGAIN: return "Routing cache insuff.";
	case EACCES: return "Perm. denied (EACCES)";
	case EFAULT: return "Sock struct addr invalid";
	case ENOTSOCK: return "FD not a socket";
	case EPROTOTYPE: return "Socket protocol error";
	case EAFNOSUPPORT: return "Address family invalid";
	case EADDRINUSE: return "Local addr in use";
	case EADDRNOTAVAIL: return "No port available";
	case ENETUNREACH: return "Network unreachable";
	case EISCONN: return "Already connected";
	case ETIMEDOUT: return "Timeout";
	case ECONNREFUSED: return "Connect refused";
	case EALREADY: return "Not yet completed";
	case EINPROGRESS: return "In progress";
	default: return sys_errno_name(-ret) ?: "";
	}
}

static void header(void *ctx)
{
	out_header("%-6s %-16s FAM %-16s %-5s %8s %s", "PID", "PROCESS", "ADDRESS", "PORT",
		   "LAT(us)", "RESULT");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct sockcall_event *e = data;
	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	sock_call_out_peer(e);
	out_int("lat_us", "%8lld", e->lat_ns / 1000);
	if (env.json)
		json_int("ret", e->ret);
	out_str("result", "%s", result_str(e->ret));
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct sockcall_bpf *s = p;

	s->rodata->mode = SOCKCALL_SOCONNECT;
	sock_programs_only(p, BCCT_NAMES("sys_enter_raw", "sys_exit_raw", "sys_enter__connect", "sys_exit__connect"));
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

BCCT_APPLET(soconnect,
	.category = "network",
	.summary = "Trace IP socket connect() calls with address, latency and result (book)",
	.description =
	"Every connect(2) to an IPv4 or IPv6 address: the address family (FAM), the address and\n"
	"port asked for, the time the call took (LAT(us): a non-blocking connect returns at once,\n"
	"\"In progress\") and its result. The syscall tracepoints, as the book's soconnect.bt.",
	.examples =
	"    soconnect          # trace IP connect() calls until Ctrl-C\n"
	"    soconnect -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockcall_bpf__skeleton,
	.optional_probes = SOCK_CALL_OPTIONAL,
	.run = run);
