/* ieee80211scan: WiFi (IEEE 802.11) scans as mac80211 runs them, as the book's
 * ieee80211scan.bt: kprobes on ieee80211_request_scan (start) and ieee80211_scan_completed (end,
 * with the duration) and a kretprobe on ieee80211_get_channel (each channel looked at). mac80211
 * has no tracepoints for these: without kprobes (or without mac80211) the tool refuses. */
#include "bcct.bpf.h"
#include "ieee80211scan.h"

/* struct ieee80211_channel's leading fields (include/net/cfg80211.h), relocated against the
 * kernel's own type where mac80211 is built. */
struct ieee80211_channel___scan {
	int band;
	u16 center_freq;
	bool beacon_found;
} __attribute__((preserve_access_index));

static u64 scan_start;

static __always_inline void emit(void *ctx, struct ieee80211scan_event *e)
{
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_output(ctx, e, sizeof(*e));
}

SEC("kprobe/ieee80211_request_scan")
int BPF_KPROBE(request_scan_kprobe)
{
	struct ieee80211scan_event e = { .kind = IEEE80211SCAN_STARTED };

	emit(ctx, &e);
	scan_start = e.ts_ns;
	return 0;
}

SEC("kretprobe/ieee80211_get_channel")
int BPF_KRETPROBE(get_channel_kretprobe, struct ieee80211_channel___scan *ch)
{
	struct ieee80211scan_event e = { .kind = IEEE80211SCAN_CHANNEL };

	if (!ch)
		return 0;
	e.band = BPF_CORE_READ(ch, band);
	e.center_freq = BPF_CORE_READ(ch, center_freq);
	e.beacon_found = BPF_CORE_READ(ch, beacon_found);
	emit(ctx, &e);
	return 0;
}

SEC("kprobe/ieee80211_scan_completed")
int BPF_KPROBE(scan_completed_kprobe)
{
	struct ieee80211scan_event e = { .kind = IEEE80211SCAN_COMPLETED };
	u64 start = scan_start;

	if (!start)
		return 0;
	scan_start = 0;
	e.duration_ns = bpf_ktime_get_ns() - start;
	emit(ctx, &e);
	return 0;
}
