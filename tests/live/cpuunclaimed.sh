#!/bin/sh
# cpuunclaimed: -J while a marker-named memops runs 2 spinning threads per CPU, each pinned:
# BCC's CSV header (TIMESTAMP_ns, CPUn, OFFSET_ns_CPUn), one row per sample group with a
# run-queue length per CPU, and for most of the spin every CPU at 2 or more. Then the summary
# mode ends by itself after 2 intervals with BCC's "%CPU ..., unclaimed idle ...%" lines, and
# an interval with -j is refused.
. "$(dirname "$0")/lib.sh"
need_workload memops
NCPU=$(ncpus)
NAME=$(printf '%.15s' "cu$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start cpuunclaimed -J
wait_ready
"$TMPD/$NAME" spin $((NCPU * 2)) 1500 || fail "workload failed"
stop
hdr="TIMESTAMP_ns"
c=0; while [ "$c" -lt "$NCPU" ]; do hdr="$hdr,CPU$c"; c=$((c + 1)); done
c=0; while [ "$c" -lt "$NCPU" ]; do hdr="$hdr,OFFSET_ns_CPU$c"; c=$((c + 1)); done
[ "$(head -n 1 "$OUT")" = "$hdr" ] || fail "CSV header: want $hdr"
busy=$(awk -F, -v n="$NCPU" 'NR > 1 {
		if (NF != 1 + 2 * n) { print "bad row: " $0; exit 1 }
		all = 1; for (c = 2; c <= n + 1; c++) if ($c < 2) all = 0
		rows++; busy += all }
	END { print busy + 0, rows + 0 }' "$OUT") || fail "$busy"
set -- $busy
[ "$1" -ge 50 ] || fail "sample groups with every CPU at >= 2 tasks: $1 of $2, want >= 50 (1.5 s at 99 Hz)"
"$BCCT" cpuunclaimed 1 2 >"$OUT" 2>"$ERR" || fail "cpuunclaimed 1 2 failed"
expect "^Sampling run queues... Output every 1 seconds. Hit Ctrl-C to end.$"
[ "$(grep -Ec '^%CPU +[0-9]+\.[0-9]{2}%, unclaimed idle [0-9]+\.[0-9]{2}%$' "$OUT")" -eq 2 ] ||
	fail "want 2 summary lines"
"$BCCT" cpuunclaimed -j 1 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-j 1: exit $rc, want 2 and one line"
methods
pass "$1 of $2 sample groups with every CPU queued"
