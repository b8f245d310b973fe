#!/bin/sh
# ustat: every process of the known runtimes, found by name. A CPython 3.11 script collecting
# garbage shows in pythonstat -C with its command line and GC/s; the ruby fixture (named ruby_*,
# ruby's provider) run for 20 calls shows, summed over the intervals, exactly its events per
# column: METHOD 21 (method and cmethod entries), GC 2 (mark, sweep), OBJNEW 42 (20 objects,
# 20 strings, a hash, an array), CLOAD 2 (require, load), EXC 1; --json rows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_python.sh"
need_workload rt_fixture

py_start 10
py_traced --settle 1.2 pythonstat -C 1
expect "^Tracing\.\.\. Output every 1 secs\. Hit Ctrl-C to end$"
expect_header "PID    CMDLINE              METHOD/s   GC/s   OBJNEW/s   CLOAD/s  EXC/s  THR/s "
expect "^[0-9:]{8} loadavg: "
expect "^$WPID +/usr/bin/python3\.11 +[0-9]+ +[1-9][0-9]* +0 +0 +0 +0 *$"
line=$(grep -m1 "^$WPID " "$OUT"); set -- $line
[ "$line" = "$(printf '%-6d %-20s %-10d %-6d %-10d %-8d %-6d %-6d' "$1" "/usr/bin/python3.11 " "$3" "$4" "$5" "$6" "$7" "$8")" ] ||
	fail "the row is not BCC's: '$line'"

cp "$WORKLOADS/rt_fixture" "$TMPD/ruby_fx"
rm -f "$TMPD/go"
"$TMPD/ruby_fx" ruby "$TMPD/go" "m_$MARKER" 20 & FPID=$!
sleep 0.1
start rubystat -C 1
wait_ready
touch "$TMPD/go"; wait "$FPID"
sleep 1.2
stop
sums=$(awk -v p="$FPID" '$1 == p { m += $3; g += $4; o += $5; c += $6; e += $7; t += $8 }
	END { print m, g, o, c, e, t }' "$OUT")
[ "$sums" = "21 2 42 2 1 0" ] || fail "rubystat: expected 21 2 42 2 1 0 over the intervals, got $sums"

rm -f "$TMPD/go"
"$TMPD/ruby_fx" ruby "$TMPD/go" "m_$MARKER" 5 & FPID=$!
sleep 0.1
start ustat -l ruby -C 1 --json
wait_ready
touch "$TMPD/go"; wait "$FPID"
sleep 1.2
stop
expect "\{\"pid\":$FPID,\"cmdline\":\"$TMPD/ruby_fx ruby $TMPD/go m_$MARKER 5\",\"method_per_s\":[0-9]+"
pass
