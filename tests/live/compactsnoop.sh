#!/bin/sh
# compactsnoop: a marker-named process (fileops: a copied shell would be busybox in the VM
# guests, which dispatches on its name) writes 1 to /proc/sys/vm/compact_memory, which compacts
# every zone in its own context: lines for that PID under BCC's header (-T, -e), order -1,
# SYNC, a zone name, a latency and a result name, in BCC's "%-14.14s %-6s %-4s %-12s %-5s %-7s"
# columns; -e's fragmentation index is unknown (-1.000) for manual compaction.
. "$(dirname "$0")/lib.sh"
[ -w /proc/sys/vm/compact_memory ] || skip "no /proc/sys/vm/compact_memory (CONFIG_COMPACTION off)"
need_workload fileops
NAME=$(printf '%.14s' "co$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
echo 1 >"$TMPD/one"
start compactsnoop -T -e --comm "$NAME"
wait_ready
"$TMPD/$NAME" copy "$TMPD/one" /proc/sys/vm/compact_memory 2 &
SPID=$!
wait "$SPID" || fail "compaction request failed"
sleep 0.5
stop
expect_header "$(printf '%-14s %-14s %-6s %-4s %-12s %-5s %-7s %-8s %-8s %-8s %-8s %-8s %9s %16s' 'TIME(s)' \
	COMM PID NODE ZONE ORDER MODE FRAGIDX MIN LOW HIGH FREE 'LAT(ms)' STATUS)"
row="^[0-9]+\.[0-9]{9} +$(printf '%-14s %-6d' "$NAME" "$SPID") [0-9]+ +ZONE_[A-Z0-9]+ +-1 +SYNC +-1\.000 +([0-9]+ +){4} *[0-9]+\.[0-9]{3} +[a-z_]+$"
expect "$row"
n=$(grep -Ec "$row" "$OUT")
methods
pass "$n zone compactions by $NAME"
