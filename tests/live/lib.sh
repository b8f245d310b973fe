# Shared helpers for live tests. POSIX sh: the same tests run on the host and inside the busybox
# initramfs of tests/vm. A test is tests/live/<applet>.sh; it exits 0 (live-tested), 1 (failed),
# 77 (skipped: it must print the reason with `skip`), or 78 (load-only: the applet loaded and
# attached but the kernel gives no workload to observe; `load_only` prints why).
#
#   . "$(dirname "$0")/lib.sh"
#   start execsnoop -T            # runs "$BCCT execsnoop -T" in the background, -v added
#   wait_ready                    # waits until its probes are attached
#   ...workload with a unique $MARKER...
#   stop                          # SIGINT, waits, checks exit status 0
#   expect "$MARKER"              # grep -E on the output, prints it on failure
set -u
: "${BCCT:=$(cd "$(dirname "$0")/../.." && pwd)/build/bcct}"
: "${WORKLOADS:=$(dirname "$BCCT")/tests/workloads}"
TEST_NAME=$(basename "$0" .sh)
TMPD=$(mktemp -d "/tmp/bcct-$TEST_NAME.XXXXXX")
OUT="$TMPD/out"
ERR="$TMPD/err"
MARKER="bcctm$$x$(date +%s)"
APID=
trap 'cleanup' EXIT

cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	rm -rf "$TMPD"
}

fail() {
	echo "FAIL $TEST_NAME: $*"
	echo "--- stdout"; head -c 4000 "$OUT" 2>/dev/null
	# Head and tail: a verifier log in the middle must not push out the final error.
	if [ "$(wc -c <"$ERR" 2>/dev/null || echo 0)" -gt 40000 ]; then
		echo "--- stderr (first 16000 and last 16000 bytes)"; head -c 16000 "$ERR"; echo; echo "[...]"
		tail -c 16000 "$ERR"
	else
		echo "--- stderr"; cat "$ERR" 2>/dev/null
	fi
	exit 1
}

skip() { echo "SKIP $TEST_NAME: $*"; exit 77; }
load_only() { echo "LOAD-ONLY $TEST_NAME: $*"; methods; exit 78; }

# Attach methods the applet chose, from its -v output: "@@METHODS probe=kind,...".
methods() {
	m=$(grep -v -e 'not needed' -e ': skipped' -e ': covered by' "$ERR" | sed -n 's/^[^:]*: probe \([^:]*\): \([a-z_]*\).*/\1=\2/p' | tr '\n' ',' | sed 's/,$//')
	echo "@@METHODS ${m:-none}"
}

# start APPLET ARGS...: background run with -v (for attach methods and readiness).
start() {
	: >"$OUT"; : >"$ERR"   # before the child starts, so wait_ready never sees an older run
	"$BCCT" "$@" -v >"$OUT" 2>"$ERR" &
	APID=$!
}

# Waits until the applet reports its probes attached (or dies). $1: seconds, default 20.
wait_ready() {
	n=$(( ${1:-20} * 10 ))
	while [ "$n" -gt 0 ]; do
		grep -q 'attached [0-9]* links' "$ERR" 2>/dev/null && { sleep 0.2; return 0; }
		kill -0 "$APID" 2>/dev/null || fail "applet exited before attaching"
		sleep 0.1
		n=$((n - 1))
	done
	fail "applet did not attach within ${1:-20}s"
}

# Stops the applet with SIGINT and checks it exits 0 within 10 s.
stop() {
	kill -INT "$APID" 2>/dev/null
	n=100
	while kill -0 "$APID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	kill -0 "$APID" 2>/dev/null && { kill -9 "$APID"; APID=; fail "applet ignored SIGINT"; }
	wait "$APID"; rc=$?
	APID=
	[ "$rc" -eq 0 ] || fail "applet exited with status $rc"
	methods
}

# Waits for a background applet that ends by itself (duration/count); $1 seconds.
wait_exit() {
	n=$(( ${1:-30} * 10 ))
	while kill -0 "$APID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	kill -0 "$APID" 2>/dev/null && { kill -9 "$APID"; APID=; fail "applet did not end by itself"; }
	wait "$APID"; rc=$?
	APID=
	[ "$rc" -eq 0 ] || fail "applet exited with status $rc"
	methods
}

# Runs the applet in the foreground: run_fg SECONDS APPLET ARGS... (timeout as a safety net).
run_fg() {
	t=$1; shift
	timeout -s INT "$t" "$BCCT" "$@" -v >"$OUT" 2>"$ERR"; rc=$?
	methods
	return $rc
}

expect() { grep -Eq -- "$1" "$OUT" || fail "expected output matching: $1"; }
expect_not() { ! grep -Eq -- "$1" "$OUT" || fail "unexpected output matching: $1"; }
expect_err() { grep -Eq -- "$1" "$ERR" || fail "expected stderr matching: $1"; }
# The header line of BCC's columns must appear as is.
expect_header() { grep -Fq -- "$1" "$OUT" || fail "expected header: $1"; }
has_cmd() { command -v "$1" >/dev/null 2>&1; }
# Online CPUs, from /proc/cpuinfo: the guests' busybox has no getconf.
ncpus() { grep -c '^processor' /proc/cpuinfo; }
need_workload() { [ -x "$WORKLOADS/$1" ] || skip "workload $1 not built"; }
pass() { echo "PASS $TEST_NAME${1:+: $1}"; exit 0; }
# feature NAME: "yes" or "no" as `bcct features` lists it (kprobe, fentry, raw_tp, ...).
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
# no_method_test APPLET ARGS...: on a kernel without kprobes and fentry, the applet must stop
# at once with one line on stderr naming what the kernel lacks, and exit 1.
no_method_test() {
	"$BCCT" "$@" >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "$1 without kprobes or fentry exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "$1: the refusal is not one line"
	expect_err "^$1: .*(kprobe|fentry)"
	[ ! -s "$OUT" ] || fail "$1 printed on stdout before refusing"
}
# pingpong_start: two marker threads waking each other through pipes for 30 s (offwaketime,
# wakeuptime), named $PING and $PONG, in process $W, killed at exit.
pingpong_start() {
	need_workload pingpong
	PING=$(printf 'pi%.13s' "${MARKER#bcctm}")
	PONG=$(printf 'po%.13s' "${MARKER#bcctm}")
	"$WORKLOADS/pingpong" 30 "$PING" "$PONG" &
	W=$!
	trap 'kill $W 2>/dev/null; cleanup' EXIT
	sleep 0.3
}
