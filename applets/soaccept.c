/* soaccept (BPF Performance Tools, ch. 10): IP accept() calls with the peer's address and port
 * and the result, as the book's soaccept.bt: the accept and accept4 syscall tracepoints, the
 * caller's sockaddr read once the kernel has filled it. The shared object bpf/sockcall.bpf.c. */
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

/* The book's RESULT wording for accept(2)'s errors; other errors by their errno name. */
static const char *result_str(int ret)
{
	switch (ret > 0 ? 0 : -ret) {
	case 0: return "Success";
	case EPERM: return "Permission denied";
	case EINTR: return "Interrupted";
	case EBADF: return "Invalid sockfd";
	case EAGAIN: return "None to accept";
	case ENOMEM: return "Out of memory";
	case EFAULT: return "Sock struct addr invalid";
	case EINVAL: return "Args invalid";
	case ENFILE: return "System FD limit";
	case EMFILE: return "Process FD limit";
	case EPROTO: return "Protocol error";
	case ENOTSOCK: return "FD not a socket";
	case EOPNOTSUPP: return "Not SOCK_STREAM";
	case ECONNABORTED: return "Aborted";
	case ENOBUFS: return "Memory (ENOBUFS)";
	default: return sys_errno_name(-ret) ?: "";
	}
}

static void header(void *ctx)
{
	out_header("%-6s %-16s FAM %-16s %-5s %s", "PID", "PROCESS", "ADDRESS", "PORT", "RESULT");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct sockcall_event *e = data;
	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	sock_call_out_peer(e);
	if (env.json)
		json_int("ret", e->ret);
	out_str("result", "%s", result_str(e->ret));
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct sockcall_bpf *s = p;

	s->rodata->mode = SOCKCALL_SOACCEPT;
	sock_programs_only(p, BCCT_NAMES("sys_enter_raw", "sys_exit_raw", "sys_enter__accept", "sys_exit__accept"));
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

BCCT_APPLET(soaccept,
	.category = "network",
	.summary = "Trace IP socket accept() calls with the peer's address and result (book)",
	.description =
	"Every accept(2) and accept4(2) that returns an IPv4 or IPv6 peer address: the address\n"
	"family (FAM), the peer's address and port, and the result (failed calls whose address\n"
	"buffer the kernel left as it was are shown too when it held an IP family, as the book's\n"
	"soaccept.bt). The syscall tracepoints; a call made with a NULL address is not seen.",
	.examples =
	"    soaccept          # trace IP accept() calls until Ctrl-C\n"
	"    soaccept -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockcall_bpf__skeleton,
	.optional_probes = SOCK_CALL_OPTIONAL,
	.run = run);
