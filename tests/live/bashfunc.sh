#!/bin/sh
# bashfunc on Debian's bash (no execute_function symbol: its push_context, bpf/bashfunc.bpf.c):
# the script of _lib_bashfunc.sh calls f_MARKER 5 times, then outer_MARKER, which calls
# inner_MARKER: one row per call (TIME PID COMM FUNCTION), in the order called.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_bashfunc.sh"

start bashfunc
wait_ready
/bin/bash "$TMPD/f.sh" & BPID=$!
wait "$BPID"
sleep 0.2
stop
expect "^Tracing bash function calls\.\.\. Hit Ctrl-C to end\.$"
expect_header "TIME     PID     COMM             FUNCTION"
rows=$(grep -E "^[0-9:]{8} +$BPID +bash +[a-z]+_$MARKER$" "$OUT" | awk '{ print $4 }' | tr '\n' ' ')
[ "$rows" = "f_$MARKER f_$MARKER f_$MARKER f_$MARKER f_$MARKER outer_$MARKER inner_$MARKER " ] ||
	fail "expected 5 f_, outer_, inner_ calls of bash $BPID: '$rows'"
line=$(grep -m1 "f_$MARKER" "$OUT"); set -- $line
[ "$line" = "$(printf '%-8s %-7d %-16s %s' "$1" "$BPID" bash "f_$MARKER")" ] || fail "columns: '$line'"

pass
