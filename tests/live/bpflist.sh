#!/bin/sh
# bpflist: with a bcct runqlat running (three programs: sched_wakeup, sched_wakeup_new,
# sched_switch, and its maps), bpflist lists that process by PID and comm with "prog 3" and its
# maps, in BCC's columns; -vv prints the kprobe/uprobe sections; --json one object per row.
. "$(dirname "$0")/lib.sh"
start runqlat
wait_ready
RPID=$APID
"$BCCT" bpflist >"$TMPD/list" 2>"$TMPD/list.err" || fail "bpflist failed: $(cat "$TMPD/list.err")"
head -n 1 "$TMPD/list" | grep -Eq '^PID    COMM             TYPE +COUNT$' || fail "header: $(head -n 1 "$TMPD/list")"
grep -Eq "^$RPID +bcct +prog +3$" "$TMPD/list" || fail "runqlat's 3 programs not listed: $(cat "$TMPD/list")"
grep -Eq "^$RPID +bcct +map +[1-9][0-9]*$" "$TMPD/list" || fail "runqlat's maps not listed"
"$BCCT" bpflist -vv >"$TMPD/vv" 2>&1 || fail "bpflist -vv failed"
grep -q '^open kprobes:$' "$TMPD/vv" && grep -q '^open uprobes:$' "$TMPD/vv" || fail "-vv sections missing"
"$BCCT" bpflist --json >"$TMPD/json" 2>&1 || fail "bpflist --json failed"
grep -Eq "\"pid\":$RPID,\"comm\":\"bcct\",\"type\":\"prog\",\"count\":3}" "$TMPD/json" || fail "JSON row missing"
stop
"$BCCT" bpflist >"$TMPD/after" 2>&1
! grep -Eq "^$RPID " "$TMPD/after" || fail "the stopped runqlat is still listed"
pass
