/* ieee80211scan (BPF Performance Tools, ch. 10): WiFi scans, each channel scanned and the
 * scan's duration, as the book's ieee80211scan.bt. Kprobes on mac80211 only: without kprobes, or
 * on a kernel without mac80211, the tool refuses in one line. */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "ieee80211scan.h"
#include "ieee80211scan.skel.h"

BCCT_SKELETON(ieee80211scan_bpf);

static const struct bcct_opt opts[] = {
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static const char *band_str(int band)
{
	static const char *const names[] = { "2GHZ", "5GHZ", "60GHZ" };

	return band >= 0 && band < 3 ? names[band] : "";
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct ieee80211scan_event *e = data;

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	out_time("time");
	if (e->kind == IEEE80211SCAN_STARTED) {
		out_str("event", "%s", "scan started");
		out_int("pid", "(on-CPU PID %lld,", e->pid);
		out_str("comm", "%s)", e->comm);
	} else if (e->kind == IEEE80211SCAN_CHANNEL) {
		out_str("event", "%s", "scanning channel");
		out_str("band", "%s", band_str(e->band));
		out_int("freq", "freq %lld:", e->center_freq);
		out_int("beacon_found", "beacon_found %lld", e->beacon_found);
	} else {
		/* the book's spelling */
		out_str("event", "%s", "scan compeleted:");
		out_int("duration_ms", "%lld ms", e->duration_ns / 1000000);
	}
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing ieee80211 SSID scans. Hit Ctrl-C to end.",
		.on_event = on_event,
	});
}

BCCT_APPLET(ieee80211scan,
	.category = "network",
	.summary = "Trace IEEE 802.11 WiFi scans: channels and duration (book)",
	.description =
	"Kprobes on mac80211's ieee80211_request_scan, ieee80211_scan_completed and (return)\n"
	"ieee80211_get_channel, as the book's ieee80211scan.bt. mac80211 has no tracepoints for\n"
	"these: without kprobes, or without mac80211 in the kernel, the tool refuses.",
	.examples =
	"    ieee80211scan   # trace WiFi scans until Ctrl-C\n",
	.opts = opts,
	.skeleton = &ieee80211scan_bpf__skeleton,
	.run = run);
