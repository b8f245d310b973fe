#!/bin/sh
# cpufreq: two marker-named memops threads spin 1.5 s on both CPUs. With a cpufreq driver, the
# marker's histogram (headed by its name, in 200 MHz steps) holds samples at the CPUs' current
# frequency, and so does the system-wide one. Without one (this development machine, most
# guests), the frequencies are unknown: one warning line, no histogram, exit 0, as upstream
# prints nothing for such samples.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "cf$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start cpufreq --comm "$NAME" -f 199
wait_ready
"$TMPD/$NAME" spin 2 1500 || fail "workload failed"
stop
expect "^Sampling CPU freq system-wide & by process. Ctrl-C to end.$"
if [ ! -r /sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq ]; then
	expect_err "^cpufreq: warning: no cpufreq driver"
	expect_not "syswide"
	methods
	pass "no cpufreq driver here: one warning, no histogram"
fi
expect_header "     $(printf '%-13s' "$NAME") : count     distribution"
expect_header "     syswide       : count     distribution"
# Rows: "        %-10d : %-8d |stars|", the low end of a 200 MHz step.
n=$(awk -v c="$NAME" '$1 == c { m = 1; next } m && $2 == ":" && $1 % 200 == 0 { s += $3 } /^$/ { m = 0 } END { print s + 0 }' "$OUT")
[ "$n" -ge 100 ] || fail "samples of $NAME: $n, want >= 100 (2 threads x 1.5 s at 199 Hz)"
methods
pass "$n samples of $NAME"
