# The runqslower_hog workload under a marker name, shared by the scheduler live tests (cpudist.sh,
# runqslower.sh). Source it after lib.sh; it is not a test itself (tests/run and
# tests/vm/guest-run pass over names starting with "_"). It sets HOG, the copy to run, and COMM,
# its name as the kernel keeps it (15 characters); the test puts the PID of the hog it starts in
# HPID, which is killed on exit.
need_workload runqslower_hog

COMM=$(printf '%.15s' "$MARKER")
HOG="$TMPD/$COMM"
cp "$WORKLOADS/runqslower_hog" "$HOG"
HPID=
cleanup() {
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	rm -rf "$TMPD"
}
