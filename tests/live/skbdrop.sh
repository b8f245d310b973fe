#!/bin/sh
# skbdrop (stackcount -K t:skb:kfree_skb): a marker-named workload connects to a closed loopback
# port; the kernel drops the SYN (no socket) in tcp_v4_rcv, in the workload's own context on
# loopback: --comm keeps its drops, whose kernel stacks pass through tcp_v4_rcv.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start skbdrop --comm "$SNAME"
wait_ready
sock refused; sock refused; sock refused
sleep 0.3
stop
expect "^ +([0-9a-f]+ )?tcp_v4_rcv$"
expect "^ +[0-9]+$"
pass
