#!/bin/sh
# biopattern: on a loop device nothing else uses, one dd makes 40 direct 4 KiB writes at
# consecutive offsets, then 10 dds write one block each at offsets that never follow the
# previous write. With -d on that disk and one summary at Ctrl-C, the 49 I/O after the first
# (which only sets the position) must be 39 sequential and 10 random: %RND 20 (10/49), %SEQ 80,
# COUNT 49, KBYTES 196 (exact on 6.18), within one I/O either way (%RND 18-22, COUNT 48-50,
# KBYTES 192-200). No fsync: a flush completes twice without bytes (sectors -1 and 0) and is
# classified too. Then a sequential run alone, per second: %SEQ 100. JSON: json.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"

DIO="$TMPD/writer"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
setup_disk loop

start biopattern -d "$DISK"
wait_ready
dd if=/dev/zero of="$TARGET" bs=4096 count=40 oflag=direct conv=notrunc 2>/dev/null ||
	fail "the sequential dd failed"
for off in 1000 300 1500 700 100 1800 500 1200 900 1600; do   # 4 KiB blocks, never adjacent
	dd if=/dev/zero of="$TARGET" bs=4096 count=1 seek="$off" oflag=direct conv=notrunc 2>/dev/null ||
		fail "dd at block $off failed"
done
sleep 0.5
stop
expect_header "TIME      DISK     %RND  %SEQ    COUNT     KBYTES"
# "%-9s %-7s %5d %5d %8d %10d"
line=$(grep -E "^[0-9]{2}:[0-9]{2}:[0-9]{2} +$DISK " "$OUT") || fail "no row for $DISK"
[ "$(echo "$line" | wc -l)" -eq 1 ] || fail "more than one row for $DISK in one summary"
expect "^[0-9:]{8}  $(printf '%-7s' "$DISK") +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$"
set -- $line
rnd=$3 seq=$4 count=$5 kb=$6
[ "$((rnd + seq))" -eq 100 ] || fail "%RND $rnd + %SEQ $seq is not 100"
[ "$rnd" -ge 18 ] && [ "$rnd" -le 22 ] || fail "%RND $rnd, want 20 (18-22)"
[ "$count" -ge 48 ] && [ "$count" -le 50 ] || fail "COUNT $count, want 49 (48-50)"
[ "$kb" -ge 192 ] && [ "$kb" -le 200 ] || fail "KBYTES $kb, want 196 (192-200)"
[ "$(grep -c "^[0-9:]\{8\} " "$OUT")" -eq 1 ] || fail "-d $DISK let other disks through"

# Per interval: the consecutive writes alone are all sequential.
start biopattern -d "$DISK" 1
wait_ready
"$DIO" "$TARGET" 200 || fail "the direct-I/O workload failed"
sleep 1.2
stop
awk -v disk="$DISK" '$2 == disk { n++; io += $5; if ($3 + 0 > 2) { print "random: " $0; exit 1 } }
	END { if (n == 0 || io < 190) { print n " rows, " io " I/O"; exit 1 } }' "$OUT" >"$TMPD/r" ||
	fail "sequential run: $(cat "$TMPD/r")"
pass "39 sequential + 10 random writes: %RND $rnd, COUNT $count, KBYTES $kb; a sequential run per second"
