#!/bin/sh
# sockstat: a marker-named workload makes one loopback TCP session (2 socket, 1 bind, 1 connect,
# 1 accept4, 2 sends and at least 2 receives) and one UDP connect (a third socket and connect,
# one send): --comm keeps exactly those counts in the one interval printed at Ctrl-C.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start sockstat --comm "$SNAME" 60
wait_ready
sock tcp
sock udp
sleep 0.3
stop
expect "^Tracing sock statistics. Output every 1 second.$"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
expect_header "$(printf '%-40s %10s' PROBE COUNT)"
expect "^tracepoint:syscalls:sys_enter_socket +3$"
expect "^tracepoint:syscalls:sys_enter_bind +1$"
expect "^tracepoint:syscalls:sys_enter_connect +2$"
expect "^tracepoint:syscalls:sys_enter_accept4 +1$"
# The kprobe's sends: the two writes and the UDP send, as the tracepoint's (sock_sendmsg itself
# no longer sees user sends on 6.6+ and 6.1.57+).
expect "^(kprobe:security_socket_sendmsg|tracepoint:sock:sock_send_length) +3$"
expect "^(kprobe:sock_recvmsg|tracepoint:sock:sock_recv_length) +[2-9]$"
pass
