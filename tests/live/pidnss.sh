#!/bin/sh
# pidnss: a shell in new PID and UTS namespaces (unshare) names its host after the marker and
# sleeps 20 times: each sleep switches its task out for one of another PID namespace (the idle
# task, or the host's): a row for that namespace, the marker as node name, at least 20 switches.
. "$(dirname "$0")/lib.sh"
has_cmd unshare || skip "no unshare"
unshare --pid --uts --fork true 2>/dev/null || skip "unshare --pid --uts refused here"
NODE=$(printf '%.24s' "ns$MARKER")
start pidnss
wait_ready
unshare --pid --uts --fork sh -c "hostname $NODE; i=0; while [ \$i -lt 20 ]; do sleep 0.01; i=\$((i + 1)); done" ||
	fail "workload failed"
sleep 0.3
stop
expect_header "PIDNS        NODENAME                   SWITCHES"
n=$(awk -v h="$NODE" '$2 == h { s += $3 } END { print s + 0 }' "$OUT")
[ "$n" -ge 20 ] || fail "switches out of the marker's namespace: $n, want >= 20"
pass "$n switches"
