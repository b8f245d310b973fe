#!/bin/sh
# bashfunclat on Debian's bash (its push_context and pop_context, bpf/bashfunc.bpf.c): the script
# of _lib_bashfunc.sh makes a histogram per function: f_MARKER with 5 calls, inner_MARKER (a
# 40 ms sleep) and outer_MARKER (which calls it) one each from the 32 -> 63 ms bucket up, the
# outer one's no lower: its time is not cut short by the inner one's return.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_bashfunc.sh"

start bashfunclat
wait_ready
/bin/bash "$TMPD/f.sh"
sleep 0.2
stop
expect "^Tracing bash function latency, Ctrl-C to end\.$"
# The histogram after "function = NAME": its counts summed, and the bucket of the 40 ms ones.
hist() { awk -v s="function = $1" '$0 ~ /^function = / { on = ($0 == s) } on && /->/ { n += $5 } END { print n + 0 }' "$OUT"; }
bucket() { awk -v s="function = $1" '$0 ~ /^function = / { on = ($0 == s) } on && /->/ && $5 > 0 { print $1 "-" $3 }' "$OUT"; }
[ "$(hist "f_$MARKER")" -eq 5 ] || fail "f_: expected 5 calls: $(cat "$OUT")"
# 40 ms or more (a loaded machine takes longer to start sleep): a bucket from 32 ms up, the
# outer one's no lower than the inner one's.
inner=$(bucket "inner_$MARKER"); outer=$(bucket "outer_$MARKER")
[ -n "$inner" ] && [ "${inner%-*}" -ge 32 ] || fail "inner_: expected one call of 32 ms or more: '$inner'"
[ -n "$outer" ] && [ "${outer%-*}" -ge "${inner%-*}" ] || fail "outer_: expected its call at least as long as inner_'s: '$outer' < '$inner'"
[ "$(hist "outer_$MARKER")" -eq 1 ] || fail "outer_: expected 1 call"
pass
