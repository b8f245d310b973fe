#!/bin/sh
# biotop: a workload named after the marker makes 50 direct 4 KiB writes to a loop device: summed
# over the intervals, its W row must count exactly 50 I/O and 200.0 Kbytes on that disk (its
# major and minor), under BCC's header and title. Then -p (a process started after biotop, whose
# PID is known before: only its rows, beside another writer), the order of -s io and the default
# (bytes), -r 1, and a bad -s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"

NAME=$(printf '%.15s' "$MARKER")    # the kernel keeps 15 characters of comm
DIO="$TMPD/$NAME"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
setup_disk loop
IFS=: read -r MAJ MIN <"/sys/class/block/$DISK/dev" || fail "no dev number for $DISK"

# sum PID: "IO KBYTES" over every interval's W rows of PID on DISK, checking each row's columns.
sum() {
	awk -v pid="$1" -v comm="$NAME" -v maj="$MAJ" -v min="$MIN" -v disk="$DISK" '
		$1 == pid && $3 == "W" {
			if ($2 != comm || $4 != maj || $5 != min || $6 != disk ||
			    $8 !~ /^[0-9]+\.[0-9]+$/ || $9 !~ /^[0-9]+\.[0-9][0-9]$/) { print "bad row: " $0; exit 1 }
			io += $7; kb += $8
		}
		END { printf "%d %.1f\n", io, kb }' "$OUT"
}

start biotop -C 1
wait_ready
"$DIO" "$TARGET" 50 &
DPID=$!
wait "$DPID" || fail "the direct-I/O workload failed"
sleep 1.5
stop
expect_header "PID     COMM             D MAJ MIN DISK       I/O  Kbytes  AVGms"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} loadavg: [0-9.]+ "
expect "^Detaching...$"
# PID, COMM, D, MAJ, MIN, DISK as BCC's "%-7d %-16s %1s %-3d %-3d %-8s %5s %7s %6.2f"
expect "^$(printf '%-7d %-16s W %-3d %-3d %-8s' "$DPID" "$NAME" "$MAJ" "$MIN" "$DISK") +[0-9]+ +[0-9]+\.[0-9]+ +[0-9]+\.[0-9]{2}$"
got=$(sum "$DPID") || fail "$got"
[ "$got" = "50 200.0" ] || fail "the writer's rows sum to '$got' (I/O, Kbytes), want '50 200.0'"
! grep -q "$(printf '\033')" "$OUT" || fail "escape sequences in output to a file"

# -p: a writer held at a FIFO until biotop runs, so that its PID is known first; a dd to the same
# disk beside it must not appear.
mkfifo "$TMPD/go"
sh -c 'read x <"$1"; exec "$2" "$3" 20' sh "$TMPD/go" "$DIO" "$TARGET" &
PPID_W=$!
start biotop -C -p "$PPID_W" 1
wait_ready
echo go >"$TMPD/go"
dd if=/dev/zero of="$TARGET" bs=4096 count=20 seek=200 oflag=direct conv=notrunc 2>/dev/null
wait "$PPID_W" || fail "the direct-I/O workload failed"
sleep 1.5
stop
got=$(sum "$PPID_W") || fail "$got"
[ "$got" = "20 80.0" ] || fail "-p: the writer's rows sum to '$got', want '20 80.0'"
awk -v pid="$PPID_W" '$1 ~ /^[0-9]+$/ && NF >= 9 && $1 != pid { exit 1 }' "$OUT" ||
	fail "-p $PPID_W let other processes through"

# Order: -s io by the I/O column, the default by Kbytes, largest first in each interval; -r 1 at
# most one row an interval. ($7: I/O, $8: Kbytes; a header starts each interval.)
order() { # COLUMN: 0 when every interval is sorted on it, descending
	awk -v c="$1" '/^PID / { last = -1; next } $1 ~ /^[0-9]+$/ && NF >= 9 {
		if (last >= 0 && $c + 0 > last) { print "unsorted: " $0; exit 1 } last = $c + 0 }' "$OUT"
}
two_writers() { # many small writes beside a few large ones
	"$DIO" "$TARGET" 30 &
	w=$!
	"$DIO" "$TARGET" 5 65536 || fail "the direct-I/O workload failed"
	wait "$w" || fail "the direct-I/O workload failed"
	sleep 1.2
}
for args in "-s io:7" ":8"; do
	start biotop -C ${args%:*} 1
	wait_ready
	two_writers
	stop
	expect "^[0-9]+ +$NAME +W "
	r=$(order "${args#*:}") || fail "biotop ${args%:*}: $r"
done
start biotop -C -r 1 1
wait_ready
two_writers
stop
awk '/^PID / { n = 0; next } $1 ~ /^[0-9]+$/ && NF >= 9 { if (++n > 1) exit 1 }' "$OUT" ||
	fail "-r 1 printed more than one row in an interval"

"$BCCT" biotop -s nope 2>"$ERR" >"$OUT"; rc=$?
[ "$rc" -eq 2 ] || fail "bad -s exited $rc, expected 2"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "bad -s printed more than one line"
expect_err "invalid choice 'nope'"
pass "50 writes counted exactly, -p, -s io and bytes order, -r 1"
