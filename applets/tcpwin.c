/* tcpwin (BPF Performance Tools, ch. 10): TCP send congestion window parameters at each segment
 * an established socket receives, as comma-separated values for plotting, as the book's
 * tcpwin.bt: event, socket, microseconds since start, snd_cwnd, snd_ssthresh, sk_sndbuf,
 * sk_wmem_queued. */
#include <stdio.h>
#include <time.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpwin.h"
#include "tcpwin.skel.h"

BCCT_SKELETON(tcpwin_bpf);

static struct {
	unsigned long long start_ns;    /* CLOCK_MONOTONIC, bpf_ktime_get_ns()'s clock */
} o;

static const struct bcct_opt opts[] = {
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static void header(void *ctx)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	o.start_ns = ts.tv_sec * 1000000000ull + ts.tv_nsec;
	out_text("event,sock,time_us,snd_cwnd,snd_ssthresh,sk_sndbuf,sk_wmem_queued\n");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct tcpwin_event *e = data;
	long long us = ((long long)e->ts_ns - (long long)o.start_ns) / 1000;
	char sock[24];

	if (size < sizeof(*e))
		return 0;
	if (!env.json) {
		out_text("rcv,0x%llx,%lld,%u,%u,%d,%d\n", e->sock, us, e->snd_cwnd, e->snd_ssthresh,
			 e->sk_sndbuf, e->sk_wmem_queued);
		return 0;
	}
	/* the address as text, as printed: it is an identity, and above JSON's safe integers */
	snprintf(sock, sizeof(sock), "0x%llx", e->sock);
	out_event_time(e->ts_ns);
	out_begin();
	json_str("event", "rcv");
	json_str("sock", sock);
	json_int("time_us", us);
	json_uint("snd_cwnd", e->snd_cwnd);
	json_uint("snd_ssthresh", e->snd_ssthresh);
	json_int("sk_sndbuf", e->sk_sndbuf);
	json_int("sk_wmem_queued", e->sk_wmem_queued);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.on_start = header,
		.on_event = on_event,
	});
}

SOCK_KPROBE_FALLBACK(win_falls_back, "tcp_rcv_established")

BCCT_APPLET(tcpwin,
	.category = "network",
	.summary = "TCP congestion window and send buffer at each received segment, as CSV (book)",
	.description =
	"One comma-separated line per segment an established TCP socket receives: the socket's\n"
	"address (an identity), microseconds since the start, snd_cwnd, snd_ssthresh (in\n"
	"segments), sk_sndbuf and sk_wmem_queued (bytes). A kprobe on tcp_rcv_established, as\n"
	"the book's tcpwin.bt; without kprobes, the tcp:tcp_probe tracepoint that function fires\n"
	"with the same socket. -v shows the method.",
	.examples =
	"    tcpwin          # CSV lines until Ctrl-C, for plotting\n"
	"    tcpwin --json   # one JSON object per segment\n",
	.opts = opts,
	.skeleton = &tcpwin_bpf__skeleton,
	.fallback = "tcp:tcp_probe, fired by tcp_rcv_established itself: the same segments",
	.falls_back = win_falls_back,
	.run = run);
