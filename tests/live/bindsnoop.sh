#!/bin/sh
# bindsnoop: a workload binds TCP 127.0.0.1:PORT with SO_REUSEADDR, UDP [::1]:PORT+1, then TCP
# 127.0.0.1:PORT again (EADDRINUSE). Default columns: both successful binds with protocol,
# address, port, the R option; not the failed one. -t -U -E -w: the failure too, BCC's wide RC.
# -P: only the port asked. --count: binds per address and port at the end.
. "$(dirname "$0")/lib.sh"
need_workload bind_target
PORT=$((20000 + $$ % 30000))

start bindsnoop
wait_ready
"$WORKLOADS/bind_target" "$PORT" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "     PID COMM         PROT ADDR            PORT   OPTS IF"
expect "^ +$P bind_target  TCP  127\\.0\\.0\\.1 +$PORT \\.\\.\\.R\\.  0$"
if [ -e /proc/net/if_inet6 ]; then
	expect "^ +$P bind_target  UDP  ::1 +$((PORT + 1)) \\.\\.\\.\\.\\.  0$"
fi
[ "$(grep -c "^ *$P " "$OUT")" -eq "$([ -e /proc/net/if_inet6 ] && echo 2 || echo 1)" ] ||
	fail "a failed bind is shown without -E"

start bindsnoop -t -U -E -w
wait_ready
"$WORKLOADS/bind_target" "$PORT" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "TIME(s)      UID RC                               PID COMM         PROT ADDR                                    PORT   OPTS IF"
expect "^[0-9]+\\.[0-9]{6} +0 Success +$P bind_target  TCP  127\\.0\\.0\\.1 +$PORT \\.\\.\\.R\\.  0$"
expect "^[0-9.]+ +0 Unknown error -98 +$P bind_target  TCP  "

start bindsnoop -P "$((PORT + 1))"
wait_ready
"$WORKLOADS/bind_target" "$PORT" & P=$!
wait "$P"
sleep 0.5
stop
expect_not " $PORT \\."

start bindsnoop --count
wait_ready
"$WORKLOADS/bind_target" "$PORT"
"$WORKLOADS/bind_target" "$PORT"
sleep 0.5
stop
expect_header "LADDR                                           LPORT     BINDS     "
expect "^127\\.0\\.0\\.1 +$PORT     2 +$"
pass "default, -t -U -E -w, -P, --count"
