#!/bin/sh
# brkstack (stackcount -U -P t:syscalls:sys_enter_brk): a marker-named memops grows its heap 50
# times from bcct_mo_brk_grow (its own syscall instruction, one more call asking the break first):
# the printed user stacks through that function (one per call site), under the marker's
# "comm [pid]" line, count exactly 51 brk calls together. (Frames carry their address: start adds -v, stackcount's raw addresses.)
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "bk$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start brkstack --comm "$NAME"
wait_ready
"$TMPD/$NAME" brk 50 3000 &
WPID=$!
sleep 1
stop
wait "$WPID" || fail "workload failed"
expect "^  ([0-9a-f]+ +)?bcct_mo_brk_grow$"
expect "^    $NAME \[$WPID\]$"
n=$(awk '$NF == "bcct_mo_brk_grow" { s = 1 } s && /^    [0-9]+$/ { n += $1; s = 0 } END { print n + 0 }' "$OUT")
[ "${n:-0}" -eq 51 ] || fail "bcct_mo_brk_grow stacks counted ${n:-none}, want 51"
pass "$n brk calls from bcct_mo_brk_grow"
