#!/bin/sh
# tplist (no BPF): a kernel tracepoint by exact name and by wildcard, with its fields (-v); the
# USDT probes of a static workload copied under the marker name, by file (-l, -v, -vv, filter,
# --json) and by process (-p); python's function__return when python3.11 is installed.
. "$(dirname "$0")/lib.sh"
need_workload usdt_marker

tplist() { "$BCCT" tplist "$@" >"$OUT" 2>"$ERR" || fail "tplist $* exited with $?"; }

tplist sched:sched_switch
expect "^sched:sched_switch$"
[ "$(wc -l <"$OUT")" -eq 1 ] || fail "expected exactly one tracepoint"

tplist 'sched:sched_*'
expect "^sched:sched_wakeup$"
expect_not "^[^s]"

tplist -v sched:sched_switch
expect "^    [a-z_ ]+ prev_pid;$"
expect "^    char next_comm\[16\];$"
expect_not "common_pid"

# USDT probes of a file; its path carries the marker.
BIN="$TMPD/$MARKER"
cp "$WORKLOADS/usdt_marker" "$BIN"
tplist -l "$BIN"
expect "^$BIN bcct_test:marker$"
expect "^$BIN bcct_test:sema$"

tplist -l "$BIN" -v 'bcct_test:mark*'
expect "^$BIN bcct_test:marker \[sema 0x[0-9a-f]+\]$"
expect "^  2 location\(s\)$"
expect "^  2 argument\(s\)$"
expect_not "bcct_test:sema"

tplist -l "$BIN" -vv bcct_test:marker
expect "^  location #2 0x[0-9a-f]+$"
expect "^    argument #1 8 signed   bytes @ [a-z0-9]+$"
expect "^    argument #2 8 unsigned bytes @ [a-z0-9]+$"

tplist -l "$BIN" --json bcct_test:sema
expect "^\{\"ts\":\"[0-9T:.+-]+\",\"ts_ns\":[0-9]+,\"path\":\"$BIN\",\"provider\":\"bcct_test\",\"name\":\"sema\""

# The same probes through a running process's mappings.
"$BIN" 30 &
WPID=$!
n=50
while [ "$(readlink "/proc/$WPID/exe")" != "$BIN" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
tplist -p "$WPID"
kill "$WPID"
expect "^$BIN bcct_test:marker$"
expect "^$BIN bcct_test:sema$"

if [ -x /usr/bin/python3.11 ]; then
	tplist -l /usr/bin/python3.11 'python:function__*'
	expect "^/usr/bin/python3.11 python:function__return$"
fi
pass
