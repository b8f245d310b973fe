#!/bin/sh
# fsdist / ext4dist / xfsdist: a shell waits on a fifo, then execs dd reading a 64-block marker
# file on the file system; fsdist -p on that pid shows BCC's "operation = read" histogram with
# at least the 65 reads of the file and an "operation = open" one, and no write histogram (dd
# writes to /dev/null). On ext4 (the test directory or an image) and on xfs (a loop device).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
has_cmd dd || skip "no dd"
has_cmd mkfifo || skip "no mkfifo"

hist_total() {   # the counts of section $1's histogram, summed
	awk -v s="operation = $1" '$0 == s { on = 1; next } /^operation = / { on = 0 }
		on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT"
}

for fs in ext4 xfs; do
	fs_dir $fs
	F="$FSDIR/$MARKER"
	dd if=/dev/zero of="$F" bs=4096 count=64 2>/dev/null || fail "cannot write on $fs"
	rm -f "$TMPD/gate"; mkfifo "$TMPD/gate"
	sh -c 'read x <"$1"; exec dd if="$2" of=/dev/null bs=4096 2>/dev/null' sh "$TMPD/gate" "$F" &
	WPID=$!
	if [ $fs = ext4 ]; then start ext4dist -p $WPID; else start fsdist -t $fs -p $WPID -m; fi
	wait_ready
	echo go >"$TMPD/gate"
	wait $WPID || fail "dd on $fs failed"
	sleep 0.3
	stop
	case $fs in
	ext4) expect_header "Tracing ext4 operation latency... Hit Ctrl-C to end."
	      expect_header "     usecs               : count     distribution" ;;
	xfs) expect_header "Tracing XFS operation latency... Hit Ctrl-C to end."
	     expect_header "     msecs               : count     distribution" ;;
	esac
	expect "^operation = read$"
	expect "^operation = open$"
	expect_not "^operation = write$"
	n=$(hist_total read)
	[ "$n" -ge 65 ] || fail "$fs: expected at least 65 reads, histogram has $n"
done
pass "ext4 and xfs"
