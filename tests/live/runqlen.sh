#!/bin/sh
# runqlen: four marker-named busy loops pinned to CPU 0 keep three or more tasks waiting in its
# run queue (a fifth keeps CPU 1 busy). The histogram must show queue lengths of 3 and more;
# -C must give CPU 0 (and CPU 1) its own "cpu = N" section, CPU 0's with those lengths; -O -C
# must report CPU 0 as occupied (nearly) all the time; -O alone prints one "runqocc:" line.
. "$(dirname "$0")/lib.sh"
need_workload runqslower_hog

HOG="$TMPD/$(printf '%.15s' "$MARKER")"
cp "$WORKLOADS/runqslower_hog" "$HOG"
HPID=
HPID1=
cleanup() {
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	[ -n "$HPID1" ] && kill "$HPID1" 2>/dev/null
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	rm -rf "$TMPD"
}
"$HOG" -c 0 -n 4 120 &
HPID=$!
# The cpu-clock timer hardly fires on an idle CPU here: one loop keeps CPU 1 sampled.
ncpu=$(grep -c '^processor' /proc/cpuinfo)
if [ "$ncpu" -ge 2 ]; then
	"$HOG" -c 1 120 &
	HPID1=$!
fi
sleep 0.5

# A queue length of N has its row "        N          : COUNT ..." (BCC's linear histogram).
long_queue='^ +([3-9]|[1-9][0-9]+) +: +[1-9]'

start runqlen 1 2
wait_exit 15
expect_header "Sampling run queue length... Hit Ctrl-C to end."
expect_header "     runqlen       : count     distribution"
expect "$long_queue"

start runqlen -C 1 1
wait_exit 15
expect "^cpu = 0$"
[ "$ncpu" -lt 2 ] || expect "^cpu = 1$"
awk '/^cpu = 0$/ { s = 1; next } /^$/ { s = 0 } s' "$OUT" | grep -Eq "$long_queue" ||
	fail "no queue of 3 or more in CPU 0's section"

start runqlen -O -C -T 1 1
wait_exit 15
expect "^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$"
expect "^runqocc, CPU 0 +(9[0-9]|100)\.[0-9][0-9]%$"

start runqlen -O 1 1
wait_exit 15
expect "^runqocc: [0-9]+\.[0-9][0-9]%$"
pass
