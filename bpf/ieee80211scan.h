#ifndef IEEE80211SCAN_H
#define IEEE80211SCAN_H

enum ieee80211scan_kind { IEEE80211SCAN_STARTED = 1, IEEE80211SCAN_CHANNEL, IEEE80211SCAN_COMPLETED };

struct ieee80211scan_event {
	unsigned long long ts_ns;
	unsigned long long duration_ns;  /* COMPLETED: since the scan started */
	unsigned int kind;
	unsigned int pid;                /* STARTED: the task on CPU */
	int band;                        /* CHANNEL: enum nl80211_band */
	unsigned short center_freq;      /* CHANNEL: MHz */
	unsigned char beacon_found;      /* CHANNEL */
	char comm[16];
};
#endif
