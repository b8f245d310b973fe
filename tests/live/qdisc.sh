#!/bin/sh
# qdisc: a veth pair into a network namespace of the test's own, a tbf qdisc (1 Mbit/s) on our
# end; 20 datagrams of 1000 bytes sent at once queue behind each other: "qdisc tbf" counts them
# (ARP's packets too) in its usecs histogram, some waiting 8 ms or more (a 1000-byte packet takes
# 8 ms at 1 Mbit/s), through the book's kprobe tbf_enqueue/kretprobe tbf_dequeue where the
# kernel allows kprobes, else the qdisc tracepoints; "qdisc pfifo" (no such qdisc there; it has
# no pfifo_dequeue to probe, so it takes the tracepoints) counts nothing from them, or, where the
# kernel has no qdisc tracepoints (before 5.16), is refused in one line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
# iproute2's ip and tc by their paths: busybox's shell (the VM guests) runs its own ip and tc
# applets before any on PATH, and those have no network namespaces, veth or tbf.
iproute2() {
	for p in /usr/sbin/$1 /usr/bin/$1 /sbin/$1 /bin/$1; do
		[ -x "$p" ] && "$p" -V 2>/dev/null | grep -q iproute2 && { echo "$p"; return 0; }
	done
	return 1
}
IP=$(iproute2 ip) || skip "no ip command of iproute2 for the veth pair"
TC=$(iproute2 tc) || skip "no tc command of iproute2 for the tbf qdisc"
NS="bcctq$$"; A="bq$$a"; B="bq$$b"; NET="10.$((200 + $$ % 50)).$(($$ / 50 % 250)).0"
trap '"$IP" link del "$A" 2>/dev/null; "$IP" netns del "$NS" 2>/dev/null; cleanup' EXIT
"$IP" netns add "$NS" && "$IP" link add "$A" type veth peer name "$B" netns "$NS" ||
	skip "cannot make a veth pair into a network namespace here"
"$IP" addr add "${NET%.0}.1/30" dev "$A" && "$IP" link set "$A" up &&
	"$IP" -n "$NS" addr add "${NET%.0}.2/30" dev "$B" && "$IP" -n "$NS" link set "$B" up ||
	fail "cannot set up the veth pair"
"$TC" qdisc add dev "$A" root tbf rate 1mbit burst 5kb latency 500ms 2>/dev/null ||
	skip "no tbf qdisc in this kernel"

start qdisc tbf
wait_ready
"$SOCK" udpto "$PORT" "${NET%.0}.2" 20 || fail "the datagrams were not sent"
sleep 0.6
stop
expect "^Tracing qdisc tbf latency. Hit Ctrl-C to end.$"
expect '^ +usecs +: count +distribution$'
n=$(awk -F: '/->/ { split($2, a, "|"); s += a[1] } END { print s + 0 }' "$OUT")
[ "$n" -ge 20 ] || fail "only $n packets timed through tbf, expected the 20 datagrams"
awk '/->/ { split($0, f, ":"); split(f[2], c, "|"); if (c[1] + 0 > 0 && $1 + 0 >= 8192) ok = 1 }
     END { exit !ok }' "$OUT" || fail "no packet waited 8 ms behind the others"

tp=/sys/kernel/tracing/events/qdisc/qdisc_enqueue
[ -d /sys/kernel/tracing/events ] || tp=/sys/kernel/debug/tracing/events/qdisc/qdisc_enqueue
if [ ! -d "$tp" ]; then
	run_fg 20 qdisc pfifo; rc=$?
	[ "$rc" -eq 1 ] || fail "qdisc pfifo exited $rc without the qdisc tracepoints (expected a refusal, 1)"
	expect_err "qdisc_enqueue"
	pass "$n packets; pfifo refused (no qdisc tracepoints)"
fi
start qdisc pfifo
wait_ready
"$SOCK" udpto "$PORT" "${NET%.0}.2" 5 || fail "the datagrams were not sent"
sleep 0.3
stop
expect_not '^ +usecs +: count'
pass "$n packets"
