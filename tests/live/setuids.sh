#!/bin/sh
# setuids: a workload named after the marker, as root, calls setfsuid(4242) and setfsuid(0),
# setresuid(-1, 4242, -1) and back, setuid(4242), then setuid(0), which fails: six lines in the
# book's columns, each with its arguments and result (setfsuid: the previous fsuid), the UID
# column the caller's before the call. -u 0 then shows only calls made as root.
. "$(dirname "$0")/lib.sh"
need_workload setuid_calls
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/setuid_calls" "$TMPD/$COMM"
row() { printf '^[0-9]{2}:[0-9]{2}:[0-9]{2} %-6s %-16s %-6s %-9s %s$' "$1" "$COMM" "$2" "$3" "$4"; }

start setuids
wait_ready
"$TMPD/$COMM" 4242 & P=$!
wait "$P" || fail "the workload failed"
sleep 0.5
stop
expect_header "Tracing setuid(2) family syscalls. Hit Ctrl-C to end."
expect_header "$(printf '%-8s %-6s %-16s %-6s %-9s %s' TIME PID COMM UID SYSCALL 'ARGS (RET)')"
expect "$(row "$P" 0 setfsuid 'uid=4242 \(prevuid=0\)')"
expect "$(row "$P" 0 setfsuid 'uid=0 \(prevuid=4242\)')"
expect "$(row "$P" 0 setresuid 'ruid=-1 euid=4242 suid=-1 \(0\)')"
expect "$(row "$P" 0 setresuid 'ruid=-1 euid=0 suid=-1 \(0\)')"
expect "$(row "$P" 0 setuid 'uid=4242 \(0\)')"
expect "$(row "$P" 4242 setuid 'uid=0 \(-1\)')"
[ "$(grep -c " $COMM " "$OUT")" -eq 6 ] || fail "expected exactly six calls"

start setuids -u 0
wait_ready
"$TMPD/$COMM" 4242 & P=$!
wait "$P"
sleep 0.5
stop
[ "$(grep -c " $COMM " "$OUT")" -eq 5 ] || fail "-u 0: expected the five calls made as root"
pass
