#!/bin/sh
# hfaults: 4 huge pages reserved for the test (vm.nr_hugepages, restored after); a marker-named
# memops touches 3 huge pages of a MAP_HUGETLB mapping: its row counts at least 3 faults.
. "$(dirname "$0")/lib.sh"
need_workload memops
HP=/proc/sys/vm/nr_hugepages
[ -w "$HP" ] || skip "no hugetlb support ($HP)"
OLD_HP=$(cat "$HP")
cleanup() { [ -n "$APID" ] && kill -9 "$APID" 2>/dev/null; echo "$OLD_HP" >"$HP"; rm -rf "$TMPD"; }
echo $((OLD_HP + 4)) >"$HP"
NAME=$(printf '%.15s' "hf$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
"$TMPD/$NAME" hfault 1 2>/dev/null || skip "no huge page could be mapped (vm.nr_hugepages: $(cat "$HP"))"
start hfaults --comm "$NAME"
wait_ready
"$TMPD/$NAME" hfault 3 || fail "workload failed"
sleep 0.3
stop
expect_header "COMM             PID     COUNT"
n=$(awk -v c="$NAME" '$1 == c { s += $3 } END { print s + 0 }' "$OUT")
[ "$n" -ge 3 ] || fail "huge page faults of $NAME: $n, want >= 3"
pass "$n huge page faults"
