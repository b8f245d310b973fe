# Python for the language-runtime tests; source it after lib.sh, it is not a test itself. Shared by the language-runtime tests on CPython 3.11 (sourced after lib.sh): a script that
# waits for $TMPD/go, calls the marker function $PYFN 1000 times, collects garbage 3 times,
# writes $TMPD/done and waits to be killed; Debian's /usr/bin/python3.11 carries the python
# provider's USDT probes (function__entry/return, gc__start/done; on 3.11 function__entry does
# not fire for Python functions: the specializing interpreter bypasses it, cpython gh-98894).
PY=/usr/bin/python3.11
[ -x "$PY" ] || skip "no /usr/bin/python3.11 (scripts/deps installs it)"
"$BCCT" tplist -l "$PY" 2>/dev/null | grep -q 'python:function__return' ||
	skip "$PY has no python:function__return USDT probe"
PYFN="f_$MARKER"
PYSCRIPT="$TMPD/w_$MARKER.py"
cat >"$PYSCRIPT" <<PYEOF
import gc, os, sys, time
def $PYFN():
    return 1
while not os.path.exists("$TMPD/go"):
    time.sleep(0.01)
for i in range(int(sys.argv[1])):
    $PYFN()
for i in range(3):
    gc.collect()
open("$TMPD/done", "w").close()
time.sleep(60)
PYEOF
# py_start N: the script in the background as $WPID, N calls.
py_start() { rm -f "$TMPD/go" "$TMPD/done"; "$PY" "$PYSCRIPT" "${1:-1000}" & WPID=$!; sleep 0.3; }
# py_go: lets it run and waits until it is done (10 s at most).
py_go() {
	touch "$TMPD/go"
	n=100
	while [ ! -e "$TMPD/done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$TMPD/done" ] || fail "the python workload did not finish"
	sleep 0.3
}
py_end() { kill "$WPID" 2>/dev/null; wait "$WPID" 2>/dev/null; }
# py_traced [--settle SECONDS] APPLET ARGS...: the applet started and attached, the started
# script let run to its end, SECONDS more (an interval tool's last interval), the applet stopped.
py_traced() {
	settle=0
	[ "$1" = --settle ] && { settle=$2; shift 2; }
	start "$@"; wait_ready; py_go; sleep "$settle"; stop; py_end
}
