#!/bin/sh
# runqslower: three marker-named busy loops pinned to CPU 0 wait for each other on its run queue
# for milliseconds at a time. Above a 1000 us threshold their waits must appear with BCC's columns
# (and -P's previous-task columns); -p must keep only the waits of the given process.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_hog.sh"

# hog SECONDS: three pinned loops in the background, the parent's PID in HPID (killed when done
# with: attaching takes a while in an emulated guest, so they outlive it).
hog() {
	"$HOG" -c 0 -n 3 "$1" &
	HPID=$!
}

# A slow wait of the hog: "HH:MM:SS COMM TID LAT(us)", LAT above the threshold.
row="^[0-9:]{8} $COMM +[0-9]+ +[0-9]{4,}"

hog 60
start runqslower -P 1000
wait_ready
sleep 2
stop
expect_header "Tracing run queue latency higher than 1000 us"
expect_header "TIME     COMM             TID           LAT(us) PREV COMM        PREV TID"
expect "$row +[^ ].* [0-9]+ *$"
kill "$HPID" 2>/dev/null

hog 60
start runqslower -p "$HPID" 1000
wait_ready
sleep 2
stop
expect_header "TIME     COMM             TID           LAT(us)"
expect "^[0-9:]{8} $COMM +$HPID +[0-9]{4,}$"
# The hog's two children are other processes: -p leaves them out.
# TID follows "TIME COMM " (26 characters); comms may hold spaces.
awk -v pid="$HPID" 'NR > 2 { split(substr($0, 27), f, " "); if (f[1] != pid) bad = 1 }
	END { exit bad }' "$OUT" ||
	fail "-p $HPID let other processes through"
pass
