#!/bin/sh
# solisten: a workload listens on TCP 127.0.0.1:PORT (bind_target's first socket, backlog 1):
# BCC's columns with the PID, TCPv4, the backlog, port and address; --show-netns adds this
# network namespace's inode; -n with another namespace's number shows nothing of it.
. "$(dirname "$0")/lib.sh"
need_workload bind_target
PORT=$((20000 + $$ % 30000))
NETNS=$(stat -L -c %i /proc/self/ns/net 2>/dev/null) || skip "no /proc/self/ns/net"

start solisten --show-netns
wait_ready
"$WORKLOADS/bind_target" "$PORT" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "PID     COMM         NETNS        PROTO  BACKLOG  PORT  ADDR                                   "
expect "^$P +bind_target +$NETNS +TCPv4  1        $PORT 127\\.0\\.0\\.1 +$"

start solisten -n "$((NETNS + 1))"
wait_ready
"$WORKLOADS/bind_target" "$PORT" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "PID     COMM         PROTO  BACKLOG  PORT  ADDR"
expect_not "^$P "
pass "--show-netns, -n"
