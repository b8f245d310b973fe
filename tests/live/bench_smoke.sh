#!/bin/sh
# The benchmarks cannot rot: bench/startup, bench/probe_startup, bench/symbolize, bench/ctrlc,
# bench/storm, bench/serve, bench/syscall_overhead, bench/file_overhead, bench/net_overhead and
# bench/memleak_overhead run in their --smoke mode (one repetition, the same tables, no verdict
# on speed) with this build's bench programs (build/bench/: launchtime, floor, symbolize_bench,
# syscall_storm, tcp_pump, tls_pump, malloc_loop). Fails when a script or a program
# is broken; absent peers (libbpf-tools, bpftrace, addr2line) only leave their columns empty.
. "$(dirname "$0")/lib.sh"

command -v bash >/dev/null 2>&1 || skip "bash not found (the bench scripts are bash)"
ROOT=${BCCT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=$(cd "$(dirname "$BCCT")" && pwd)
[ -d "$ROOT/bench" ] || skip "no bench/ next to this test (a guest without the sources)"
for p in launchtime floor symbolize_bench syscall_storm tcp_pump tls_pump malloc_loop; do
	[ -x "$BUILD/bench/$p" ] || fail "$BUILD/bench/$p is missing: the default build makes every bench/*.c"
done

# smoke NAME ARGS...: bench/NAME --smoke, its output in $OUT (shown on failure).
smoke() {
	name=$1
	shift
	timeout 90 bash "$ROOT/bench/$name" --smoke --build "$BUILD" "$@" >"$OUT" 2>"$ERR" ||
		fail "bench/$name --smoke exited with status $?"
}

smoke startup --bcct "$BCCT" --only exitsnoop,runqlat
# A row per applet with bcct's time and the floor's time (the peer's column may be empty).
for t in exitsnoop runqlat; do
	grep -Eq "^$t +line +[0-9.]+ +[0-9.]+ +[0-9.]+ " "$OUT" || fail "bench/startup: no bcct and floor times for $t"
done
smoke probe_startup --bcct "$BCCT"
grep -Eq '^trace openat .* [0-9.]+ ' "$OUT" || fail "bench/probe_startup: no time for trace"
smoke symbolize
grep -Eq '^total +[0-9]+ \| +[0-9]+ ' "$OUT" || fail "bench/symbolize: no total row"
smoke ctrlc --bcct "$BCCT" --only opensnoop,runqlat
for t in opensnoop runqlat; do
	grep -Eq "^$t +[0-9.]+" "$OUT" || fail "bench/ctrlc: no time for $t"
done
smoke ulang --bcct "$BCCT"
if [ -x /usr/bin/python3.11 ]; then
	grep -Eq '^ucalls +[0-9.]+ +-?[0-9]+ +[0-9.]+' "$OUT" || fail "bench/ulang: no time for ucalls"
fi
smoke storm --bcct "$BCCT" --only bcct
grep -Eq '^bcct +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +[0-9.]+$' "$OUT" || fail "bench/storm: no row for bcct"
smoke serve --bcct "$BCCT"
grep -Eq '^scrape latency +median [0-9.]+ ms' "$OUT" || fail "bench/serve: no scrape latency"
smoke syscall_overhead --bcct "$BCCT"
for t in alone bcct; do
	grep -Eq "^getppid +$t +[0-9.]+ +[0-9.]+$" "$OUT" || fail "bench/syscall_overhead: no getppid row for $t"
done
smoke file_overhead --bcct "$BCCT"
for t in bare "bcct fileslower" "bcct filetop"; do
	grep -Eq "^$t +[0-9]+ +[0-9.]+$" "$OUT" || fail "bench/file_overhead: no row for $t"
done
smoke net_overhead --bcct "$BCCT"
for t in bare "bcct tcptop" "bcct sslsniff"; do
	grep -Eq "^$t +[0-9]+ +[0-9]+ +[0-9.]+$" "$OUT" || fail "bench/net_overhead: no row for $t"
done
[ "$(grep -Ec '^bare +[0-9]+ ' "$OUT")" -eq 2 ] || fail "bench/net_overhead: no bare row for each pump"
smoke memleak_overhead --bcct "$BCCT"
for t in bare memleak; do
	grep -Eq "^$t +[0-9.]+ +-?[0-9.]+$" "$OUT" || fail "bench/memleak_overhead: no row for $t"
done
echo "PASS $TEST_NAME: bench/startup, bench/probe_startup, bench/symbolize, bench/ctrlc, bench/storm, bench/serve, bench/syscall_overhead, bench/file_overhead, bench/net_overhead and bench/memleak_overhead work in --smoke mode"
