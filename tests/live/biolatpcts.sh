#!/bin/sh
# biolatpcts: on a loop device nothing else uses, direct 4 KiB writes: every interval's table has
# BCC's header (the disk, the percentiles as given) and a write row of latencies, the read,
# discard and flush rows "-". -i -1 -j: a line of zeros when ready; SIGUSR2 reports the writes
# so far, SIGUSR1 reports them again and starts a new period, so the next SIGUSR2 reports
# nothing; Ctrl-C reports at exit. -i 0 exits once set up, printing nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
setup_disk loop

writes() { dd if=/dev/zero of="$TARGET" bs=4096 count="$1" oflag=direct conv=notrunc 2>/dev/null ||
	fail "the direct writes failed"; }

start biolatpcts -i 1 -p 99,50,99.9 "$DISK"
wait_ready
writes 50
sleep 1.5
stop
# "\n{:<7}" then " {:>5}" per percentile, sorted by value.
expect_header "$(printf '%-7s %5s %5s %5s' "$DISK" 50 99 99.9)"
expect "^write   +[0-9.]+(us|ms|s) +[0-9.]+(us|ms|s) +[0-9.]+(us|ms|s)$"
expect "^read +- +- +-$"
expect "^discard +- +- +-$"
expect "^flush +- +- +-$"

# BCC's -j layout, and the signals.
start biolatpcts -i -1 -j -p 50,100 "$DISK"
wait_ready
writes 20
kill -USR2 "$APID"; sleep 0.5
kill -USR1 "$APID"; sleep 0.5
kill -USR2 "$APID"; sleep 0.5
stop
zero='{"read": {"50": 0.0, "100": 0.0}, "write": {"50": 0.0, "100": 0.0}, "discard": {"50": 0.0, "100": 0.0}, "flush": {"50": 0.0, "100": 0.0}}'
[ "$(wc -l <"$OUT")" -eq 5 ] || fail "-i -1: expected 5 reports (ready, USR2, USR1, USR2, exit)"
[ "$(sed -n 1p "$OUT")" = "$zero" ] || fail "-i -1: the first report is not all zeros"
w2=$(sed -n 2p "$OUT"); w3=$(sed -n 3p "$OUT")
echo "$w2" | grep -Eq '"write": \{"50": [0-9.e-]+, "100": [0-9.e-]+\}' || fail "no write latencies after SIGUSR2"
# exactly 0.0: a slow guest's 2.5 ms is 0.0025 (an unloaded one prints 4.5e-05)
echo "$w2" | grep -q '"write": {"50": 0.0,' && fail "SIGUSR2: write latencies are zero"
[ "$w2" = "$w3" ] || fail "SIGUSR1 did not report what SIGUSR2 had (no new I/O between)"
[ "$(sed -n 4p "$OUT")" = "$zero" ] || fail "SIGUSR1 did not start a new period"

# -i 0: exits once set up, no output.
run_fg 20 biolatpcts -i 0 "$DISK" || fail "-i 0 exited with $?"
[ ! -s "$OUT" ] || fail "-i 0 printed something"
"$BCCT" biolatpcts -w sometime "$DISK" 2>"$ERR"; [ $? -eq 2 ] || fail "bad -w: expected exit 2"
"$BCCT" biolatpcts -p 50,x "$DISK" 2>"$ERR"; [ $? -eq 2 ] || fail "bad -p: expected exit 2"
pass
