#!/bin/sh
# pidpersec: a copy of tests/workloads/forker under a marker name forks 37 children, twice, a
# second apart; pidpersec --comm that name prints BCC's "HH:MM:SS: PIDs/sec: N" lines whose
# counts add up to exactly 74, and nothing for the second Ctrl-C cuts short; --json the same as
# "pids_per_s" members of each interval's object.
. "$(dirname "$0")/lib.sh"
need_workload forker
COMM=$(printf '%.15s' "pidq$$")
cp "$WORKLOADS/forker" "$TMPD/$COMM"

for mode in text json; do
	if [ "$mode" = json ]; then start pidpersec --comm "$COMM" --json; else start pidpersec --comm "$COMM"; fi
	wait_ready
	"$TMPD/$COMM" 37
	sleep 1
	"$TMPD/$COMM" 37
	sleep 2.2
	stop
	if [ "$mode" = text ]; then
		expect_header "Tracing... Ctrl-C to end."
		expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}: PIDs/sec: [0-9]+$"
		total=$(sed -n 's/^[0-9:]*: PIDs\/sec: \([0-9]*\)$/\1/p' "$OUT" | awk '{ s += $1 } END { print s + 0 }')
	else
		expect '^\{"ts":"[^"]+","ts_ns":[0-9]+,"pids_per_s":[0-9]+\}$'
		total=$(sed -n 's/.*"pids_per_s":\([0-9]*\)}$/\1/p' "$OUT" | awk '{ s += $1 } END { print s + 0 }')
	fi
	[ "$total" -eq 74 ] || fail "$mode: $total forks counted, expected 74"
done
pass
