#!/bin/sh
# faults (stackcount -U -P t:exceptions:page_fault_user): a marker-named memops touches 300 fresh
# anonymous pages from bcct_mo_touch; the user stack through that function, under the marker's
# "comm [pid]" line, counts at least 300 faults (one per page: the 1.2 MB mapping is too small to
# hold an aligned transparent huge page).
. "$(dirname "$0")/lib.sh"
need_workload memops
# exceptions:page_fault_user is x86's (arm64 has no such tracepoint): faults then stops in one
# line, as BCC's stackcount does for a pattern that matches nothing.
if ! "$BCCT" tplist 'exceptions:page_fault_user' 2>/dev/null | grep -qx 'exceptions:page_fault_user'; then
	"$BCCT" faults >"$OUT" 2>"$ERR" && fail "faults ran without exceptions:page_fault_user"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "not one line: $(cat "$ERR")"
	skip "no exceptions:page_fault_user tracepoint (x86 only); faults refused in one line"
fi
NAME=$(printf '%.15s' "pf$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start faults --comm "$NAME"
wait_ready
"$TMPD/$NAME" fault 300 3000 &
WPID=$!
sleep 1
stop
wait "$WPID" || fail "workload failed"
expect "^  ([0-9a-f]+ +)?bcct_mo_touch$"
expect "^    $NAME \[$WPID\]$"
n=$(awk '$NF == "bcct_mo_touch" { s = 1 } s && /^    [0-9]+$/ { print $1; exit }' "$OUT")
[ "${n:-0}" -ge 300 ] || fail "bcct_mo_touch stack counted ${n:-none}, want >= 300"
pass "$n faults from bcct_mo_touch"
