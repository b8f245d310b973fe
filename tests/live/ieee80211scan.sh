#!/bin/sh
# ieee80211scan: kprobes on mac80211 only; no test machine has WiFi. Without kprobes, or without
# mac80211 in the kernel: one line naming the kprobe that cannot be placed, exit 1, nothing on
# stdout. With both, the programs load and attach (load-only: no scan to observe).
. "$(dirname "$0")/lib.sh"
if [ "$(feature kprobe)" != yes ] || ! grep -q ' ieee80211_request_scan$' /proc/kallsyms; then
	"$BCCT" ieee80211scan >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "ieee80211scan exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "the refusal is not one line"
	expect_err "^ieee80211scan: .*kprobe ieee80211_request_scan"
	[ ! -s "$OUT" ] || fail "printed on stdout before refusing"
	pass "refused with one line (no kprobes or no mac80211)"
fi
start ieee80211scan
wait_ready
stop
load_only "no WiFi device to scan with"
