#!/bin/sh
# tcpstates: a loopback session by a workload named after the marker. -D keeps the client end:
# CLOSE -> SYN_SENT in the workload's own context (its pid and comm) through FIN_WAIT2 -> CLOSE,
# each change with the time spent in the old state; -L keeps the server end (listener, accepted
# socket). -s -t: CSV with TIME(s); -w -6: IPv6 in wide columns and no IPv4 line. -Y: BCC's
# journal fields, received by a stand-in journald when the host has none (python3 needed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
S='[0-9a-f]{16}'

start tcpstates -D "$PORT"
wait_ready
conn "$TMPD/$MARKER" 20
wait_out "FIN_WAIT2   -> CLOSE"
stop
expect_header "SKADDR           C-PID C-COMM     LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS"
expect "^$S $W +$M10 127\.0\.0\.1 +0 +127\.0\.0\.1 +$PORT +CLOSE +-> SYN_SENT +0\.000$"
expect "^$S [0-9]+ +[^ ]+ +127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT +SYN_SENT +-> ESTABLISHED [0-9]+\.[0-9]{3}$"
expect "^$S $W +$M10 127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT +ESTABLISHED -> FIN_WAIT1 +[0-9]+\.[0-9]{3}$"
expect "FIN_WAIT2   -> CLOSE +[0-9]+\.[0-9]{3}$"
expect_not "LISTEN"
# One socket: the same SKADDR on every line.
[ "$(sed -n '2,$p' "$OUT" | cut -d' ' -f1 | sort -u | wc -l)" -eq 1 ] || fail "more than one SKADDR"

start tcpstates -s -t -L "$PORT"
wait_ready
conn "$TMPD/$MARKER" 20
wait_out ",LAST_ACK,CLOSE,"
stop
expect_header "TIME(s),SKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS"
expect "^0\.000000,[0-9a-f]+,$W,$M15,4,127\.0\.0\.1,$PORT,0\.0\.0\.0,0,CLOSE,LISTEN,0\.000$"
expect "^[0-9]+\.[0-9]{6},[0-9a-f]+,[0-9]+,[^,]*,4,127\.0\.0\.1,$PORT,127\.0\.0\.1,[0-9]+,SYN_RECV,ESTABLISHED,[0-9]+\.[0-9]{3}$"
expect ",127\.0\.0\.1,$PORT,127\.0\.0\.1,[0-9]+,CLOSE_WAIT,LAST_ACK,[0-9]+\.[0-9]{3}$"
expect_not "SYN_SENT"

if net_ipv6; then
	start tcpstates -w -6 -D "$PORT"
	wait_ready
	conn "$TMPD/$MARKER" 10
	conn "$TMPD/$MARKER" 10 6
	wait_out "FIN_WAIT2   -> CLOSE"
	stop
	expect_header "SKADDR           C-PID C-COMM           IP LADDR                      LPORT RADDR                      RPORT OLDSTATE    -> NEWSTATE    MS"
	expect "^$S $W +$M15 +6  ::1 +0 +::1 +$PORT +CLOSE +-> SYN_SENT +0\.000$"
	expect_not "127\.0\.0\.1"
fi

# -Y: the journal. Without one, one line and exit 1.
JSOCK=/run/systemd/journal/socket
if [ ! -S "$JSOCK" ]; then
	"$BCCT" tcpstates -Y >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-Y without a journal: exit $rc, want 1 and one line"
	expect_err "^tcpstates: -Y: .*/run/systemd/journal/socket"
	has_cmd python3 || pass "(-Y with a journal not checked: no journald and no python3)"
	# A stand-in journald: prints each datagram's fields, binary-framed values decoded.
	[ -d /run/systemd/journal ] || { mkdir -p /run/systemd/journal && MADE_JDIR=1; }
	python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
open(sys.argv[2], "w").close()
while True:
    d = s.recv(65536); out = []
    while d:
        k, d = d.split(b"\n", 1)
        n = struct.unpack("<Q", d[:8])[0]; v = d[8:8 + n]; d = d[9 + n:]
        out.append(k.decode() + "=" + v.decode())
    print("|".join(out), flush=True)
' "$JSOCK" "$TMPD/jready" >"$TMPD/journal" 2>&1 &
	JPID=$!
	trap 'kill $JPID 2>/dev/null; rm -f "$JSOCK"; [ -n "${MADE_JDIR:-}" ] && rmdir /run/systemd/journal 2>/dev/null; cleanup' EXIT
	n=50; while [ ! -e "$TMPD/jready" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
fi
start tcpstates -Y -D "$PORT"
wait_ready
conn "$TMPD/$MARKER" 10
wait_out "FIN_WAIT2   -> CLOSE"
stop
if [ -n "${JPID:-}" ]; then
	sleep 0.3
	grep -Eq "^SYSLOG_IDENTIFIER=tcpstates\|PRIORITY=5\|OBJECT_PID=$W\|OBJECT_IPV4_SOURCE_ADDRESS=127\.0\.0\.1\|OBJECT_TCP_SOURCE_PORT=0\|OBJECT_IPV4_DESTINATION_ADDRESS=127\.0\.0\.1\|OBJECT_TCP_DESTINATION_PORT=$PORT\|OBJECT_TCP_OLD_STATE=CLOSE\|OBJECT_TCP_NEW_STATE=SYN_SENT\|OBJECT_TCP_SPAN_TIME=0\|MESSAGE=$M15 127\.0\.0\.1 0 → 127\.0\.0\.1 $PORT CLOSE → SYN_SENT$" "$TMPD/journal" ||
		{ cat "$TMPD/journal"; fail "-Y: no journal entry for the connect"; }
else
	has_cmd journalctl && { journalctl -t tcpstates --since "-1min" 2>/dev/null | grep -q "$M15 127\.0\.0\.1 0 → 127\.0\.0\.1 $PORT CLOSE → SYN_SENT" ||
		fail "-Y: no journal entry for the connect"; }
fi
expect "CLOSE +-> SYN_SENT"
pass
