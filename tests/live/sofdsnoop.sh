#!/bin/sh
# sofdsnoop: a copy of tests/workloads/scm_pass under a marker name passes two descriptors of a
# marker file in one sendmsg over a Unix socketpair, receives them with recvmsg, then sends the
# first again in each of two messages of one sendmmsg, received by one recvmmsg. sofdsnoop
# prints BCC's header and one line per descriptor: SEND with the sender's numbers and the
# marker file's path, RECV with the numbers the receiver got, the sockets as FD:socket:[INODE];
# -T's time column, -n's substring filter (another name is left out), -p (another PID's
# passing is left out), --json.
. "$(dirname "$0")/lib.sh"
need_workload scm_pass
COMM=$(printf '%.15s' "scm$$x$MARKER")
cp "$WORKLOADS/scm_pass" "$TMPD/$COMM"
D=$(cd "$TMPD" && pwd -P)
F="$D/$MARKER.file"
: >"$F"

start sofdsnoop -T -n "$COMM"
wait_ready
set -- $("$TMPD/$COMM" "$F") || fail "the workload failed"
[ $# -eq 8 ] || fail "the workload printed no descriptors"
S=$1 R=$2 A=$3 B=$4 C=$5 D2=$6 E=$7 F2=$8
# Another name (the workload as "other") is left out by -n.
cp "$WORKLOADS/scm_pass" "$TMPD/other$$"
"$TMPD/other$$" "$F" >/dev/null || fail "the second workload failed"
sleep 0.3
stop
expect_header "TIME(s)       ACTION TID    COMM             SOCKET                    FD    NAME"
sock="$S:socket:\[[0-9]+\]"
rsock="$R:socket:\[[0-9]+\]"
line() {   # ACTION SOCKET FD NAME: the line's columns after the time, as BCC pads them
	printf '^[0-9]+\\.[0-9]{9} +%-6s [0-9]+ +%-16s %s +%-5s %s$' "$1" "$COMM" "$2" "$3" "$4"
}
expect "$(line SEND "$sock" "$A" "$F")"
expect "$(line SEND "$sock" "$B" "$F")"
expect "$(line RECV "$rsock" "$C" "")"
expect "$(line RECV "$rsock" "$D2" "")"
expect "$(line RECV "$rsock" "$E" "")"
expect "$(line RECV "$rsock" "$F2" "")"
[ "$(grep -c " SEND .* $COMM " "$OUT")" -eq 4 ] || fail "expected 4 SEND lines (sendmsg 2, sendmmsg 2)"
[ "$(grep -c " RECV .* $COMM " "$OUT")" -ge 4 ] || fail "expected 4 RECV lines (recvmsg 2, recvmmsg 2)"
expect_not "other$$"

# -p: another process's passing is left out.
start sofdsnoop -p 1
wait_ready
"$TMPD/$COMM" "$F" >/dev/null || fail "the workload failed"
sleep 0.3
stop
expect_header "ACTION TID    COMM             SOCKET                    FD    NAME"
expect_not "$COMM"

# --json: one object per descriptor.
start sofdsnoop --json --comm "$COMM"
wait_ready
set -- $("$TMPD/$COMM" "$F") || fail "the workload failed"
sleep 0.3
stop
[ "$(grep -c "\"comm\":\"$COMM\"" "$OUT")" -eq 8 ] || fail "--json: expected 8 objects"
expect '^\{"ts":"[^"]+","ts_ns":[0-9]+,"action":"SEND","tid":[0-9]+,"comm":"'"$COMM"'","sock_fd":'"$1"',"socket":"socket:\[[0-9]+\]","fd":'"$3"',"name":"'"$F"'"\}$'
expect '^\{"ts":"[^"]+","ts_ns":[0-9]+,"action":"RECV","tid":[0-9]+,"comm":"'"$COMM"'","sock_fd":'"$2"',"socket":"socket:\[[0-9]+\]","fd":'"$5"'\}$'
pass
