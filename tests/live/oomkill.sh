#!/bin/sh
# oomkill: a process of the test's own name (tests/live/_lib_oom.sh: a copy of oom_hog) touches
# 256 MiB in a memory cgroup limited to 32 MiB: the OOM killer kills it, and oomkill prints BCC's
# line naming it as both the trigger and the victim, the pages (oom_kill_process: the cgroup's
# 32 MiB = 8192 pages; the mark_victim fallback: the victim's resident set, about the limit plus
# its file pages) and /proc/loadavg; --json the same as keys.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_oom.sh"
trap 'oom_cleanup; cleanup' EXIT
oom_setup || skip "$OOM_NONE"
COMM=$OOM_COMM

start oomkill
wait_ready
oom_kill_one || fail "the hog was not killed by the OOM killer"
sleep 0.5
stop
expect_header "Tracing OOM kills... Ctrl-C to stop."
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} Triggered by PID $OOM_PID \(\"$COMM\"\), OOM kill of PID $OOM_PID \(\"$COMM\"\), [0-9]+ pages, loadavg: [0-9.]+ [0-9.]+ [0-9.]+ [0-9]+/[0-9]+ [0-9]+$"
pages=$(sed -n "s/.*OOM kill of PID $OOM_PID .*, \([0-9]*\) pages, .*/\1/p" "$OUT" | head -n 1)
if grep -q "probe oom_kill_process: tracepoint" "$ERR"; then
	# anonymous pages up to the limit, plus the file pages of its binary
	[ "$pages" -gt 4096 ] && [ "$pages" -le 9216 ] || fail "mark_victim: $pages resident pages, expected 4097..9216"
else
	[ "$pages" -eq 8192 ] || fail "oom_kill_process: $pages pages, expected the cgroup's 8192"
fi

start oomkill --json
wait_ready
oom_kill_one || fail "the hog was not killed by the OOM killer"
sleep 0.5
stop
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"pid\":$OOM_PID,\"comm\":\"$COMM\",\"tpid\":$OOM_PID,\"tcomm\":\"$COMM\",\"pages\":[0-9]+,\"loadavg\":\"[^\"]+\"\}$"
pass
