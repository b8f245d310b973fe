#!/bin/sh
# hostile_debug: an unprivileged user cannot freeze root's tracer. Copies of a workload, stripped
# (so that their symbols are looked for in a debug file) with a .gnu_debuglink naming a file that
# is then replaced by a FIFO, a device node, a directory, a symlink to /dev/zero, a symlink to
# the binary itself, a symlink loop, a sparse file of 8 GiB (above the 4 GiB bound) and a regular
# file with the wrong CRC; every copy's build-id debug file (under BCCT_DEBUG_ROOT) is a FIFO.
# `profile -U` (system-wide), `stackcount -U` and `trace -U` run while the copies run: each must
# end within 5 s of SIGINT with status 0 and its normal output (the copies' stacks), leave none
# of the links it held, and say with -v what it refused.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root"
has_cmd objcopy || skip "objcopy not found"
need_workload busyfunc
has_cmd bpftool || skip "bpftool not found"

CASES="fifo dev dir zero self loop sparse crc"
W="$TMPD/w"
mkdir -p "$W" || fail "mkdir $W"
for c in $CASES; do
	mkdir "$W/$c" || fail "mkdir $W/$c"
	b="$W/$c/hd_$c"
	cp "$WORKLOADS/busyfunc" "$b.full" || fail "copying busyfunc"
	# --add-gnu-debuglink reads the file it names (for its CRC): a regular one first.
	printf 'a debug file\n' >"$b.debug"
	objcopy --strip-all --add-gnu-debuglink="$b.debug" "$b.full" "$b" 2>"$TMPD/objcopy.err" ||
		skip "objcopy --add-gnu-debuglink fails here: $(head -n 1 "$TMPD/objcopy.err")"
	rm -f "$b.debug" "$b.full"
	case $c in
	fifo) mkfifo "$b.debug" ;;
	dev) mknod "$b.debug" c 1 3 ;;        # /dev/null's numbers
	dir) mkdir "$b.debug" ;;
	zero) ln -s /dev/zero "$b.debug" ;;
	self) ln -s "hd_$c" "$b.debug" ;;
	loop) ln -s "hd_$c.debug" "$b.debug" ;;
	sparse) : >"$b.debug" && truncate -s 8G "$b.debug" ;;
	crc) cp "$WORKLOADS/busyfunc" "$b.debug" ;;   # an ELF file, not the one whose CRC was recorded
	esac || fail "making the $c debug file"
done
# Every copy has busyfunc's build-id: its debug file under our debug root is a FIFO.
ID=$(readelf -n "$WORKLOADS/busyfunc" 2>/dev/null | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
if [ -n "$ID" ]; then
	DBG="$TMPD/debugroot"
	mkdir -p "$DBG/.build-id/$(echo "$ID" | cut -c1-2)" &&
		mkfifo "$DBG/.build-id/$(echo "$ID" | cut -c1-2)/$(echo "$ID" | cut -c3-).debug" ||
		fail "making the build-id FIFO"
	export BCCT_DEBUG_ROOT="$DBG"
fi

PIDS=
# run_copies MODE: one copy of each case running MODE (spin: on CPU, niced; block: nanosleep
# every 10 ms) for at most 60 s; killed by stop_copies.
run_copies() {
	for c in $CASES; do
		if [ "$1" = spin ]; then
			nice -n 10 "$W/$c/hd_$c" spin 60 &
		else
			"$W/$c/hd_$c" block 60 &
		fi
		PIDS="$PIDS $!"
	done
}
stop_copies() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	PIDS=
}
cleanup_copies() { stop_copies; cleanup; }
trap 'cleanup_copies' EXIT

# The ids of the bpf links the applet holds.
links_of() {
	for f in /proc/"$1"/fdinfo/*; do
		sed -n 's/^link_id:[[:space:]]*\([0-9]*\)$/\1/p' "$f" 2>/dev/null
	done
}

# stop_quickly WHAT: SIGINT, then at most 5 s to exit 0; none of its links may remain.
stop_quickly() {
	held=$(links_of "$APID")
	[ -n "$held" ] || fail "$1: no bpf link held before the stop"
	kill -INT "$APID"
	n=50
	while kill -0 "$APID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if kill -0 "$APID" 2>/dev/null; then
		echo "--- $1 still running 5 s after SIGINT: its stack"
		cat /proc/"$APID"/stack 2>/dev/null
		kill -9 "$APID"; APID=
		fail "$1 did not end within 5 s of SIGINT"
	fi
	wait "$APID"; rc=$?
	APID=
	[ "$rc" -eq 0 ] || fail "$1 exited with status $rc"
	for id in $held; do
		bpftool link show id "$id" >/dev/null 2>&1 && fail "$1: link $id still attached after exit"
	done
	echo "$1: ended at once, $(echo "$held" | wc -l) links released"
}

# Every refusal is noted with -v (what each case is, once per run at least).
expect_refusals() {
	for what in "a FIFO" "a character device" "a directory" "more than" "symlink loop"; do
		expect_err "skipping .*: .*$what"
	done
}

# profile, system-wide, user stacks only, while the copies spin.
run_copies spin
# (499 Hz for 3 s: on a machine busy with other work the niced copies still get sampled.)
start profile -U -F 499
wait_ready
sleep 3
stop_quickly "profile -U"
stop_copies
expect "hd_(fifo|dev|dir|zero|self|loop|sparse|crc)"
expect_refusals
cp "$OUT" "$TMPD/profile.out"

# stackcount and trace: user stacks of the copies' nanosleep calls.
run_copies block
sleep 0.3
start stackcount -P -U t:syscalls:sys_enter_nanosleep   # -P: a "comm [pid]" line per process
wait_ready
sleep 1.5
stop_quickly "stackcount -U"
expect "hd_(fifo|dev|dir|zero|self|loop|sparse|crc) \[[0-9]+\]"
expect_refusals

start trace -U -n hd_ t:syscalls:sys_enter_nanosleep
wait_ready
sleep 1.5
stop_quickly "trace -U"
expect "hd_(fifo|dev|dir|zero|self|loop|sparse|crc)"
expect_refusals
stop_copies
pass "profile -U, stackcount -U, trace -U past a FIFO, device, directory, /dev/zero, self, loop, 8 GiB sparse and wrong-CRC debug file, and a FIFO build-id debug file"
