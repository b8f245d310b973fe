#!/bin/sh
# vmscan: a marker-named hog touching 256 MiB in a memory cgroup limited to 32 MiB (no swap)
# makes that cgroup reclaim before the OOM killer ends it: the per-second lines in the book's
# columns, and at the end a mem_cgroup_reclaim histogram with at least one reclaim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_oom.sh"
cleanup() { [ -n "$APID" ] && kill -9 "$APID" 2>/dev/null; oom_cleanup; rm -rf "$TMPD"; }
oom_setup || skip "$OOM_NONE"
start vmscan
wait_ready
oom_kill_one || fail "the hog was not killed by the OOM killer"
sleep 1.2
stop
expect_header "TIME         S-SLABms  D-RECLAIMms  M-RECLAIMms KSWAPD WRITEPAGE"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$"
expect "^reclaim = mem_cgroup_reclaim$"
n=$(awk '/^reclaim = / { f = $3; next } f == "mem_cgroup_reclaim" && $4 == ":" { s += $5 } END { print s + 0 }' "$OUT")
[ "$n" -ge 1 ] || fail "memory cgroup reclaims: $n, want >= 1"
pass "$n memory cgroup reclaims"
