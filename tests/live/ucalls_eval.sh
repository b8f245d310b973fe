#!/bin/sh
# The u* engines on a python without USDT probes: a copy of /usr/bin/python3.11 without its
# .note.stapsdt section. Its script maps f over 1000 numbers (1000 calls entered from C); f maps
# g over one number (entered from C, one level deeper), g calls h directly (Python calling
# Python: inside g's eval invocation, so not seen). ucalls counts exactly 1000 f and 1000 g and
# no h through uprobes on _PyEval_EvalFrameDefault, -v says so; -L times them; uflow shows the
# entries and returns of f and g, g indented below f, and of a recursion 100 deep through C the
# 100 entries and the 64 returns the kernel fires, at their own depths; pythonstat counts 2000
# methods. A copy whose Py_Version says 3.99 is refused in one line. pyenv's 3.12 and 3.13 (no
# USDT, shared libpython), where present, count the same; its 3.10 (no Py_Version) is refused.
# On the real python3.11 ucalls still takes the USDT probes (-v names them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_python.sh"
has_cmd objcopy || skip "no objcopy (binutils, scripts/deps installs it)"

PYX="$TMPD/python3.11"
objcopy --remove-section .note.stapsdt "$PY" "$PYX" || fail "objcopy failed"
"$BCCT" tplist -l "$PYX" 2>/dev/null | grep -q 'python:function__' && fail "the fixture still has USDT probes"
EVSCRIPT="$TMPD/e_$MARKER.py"
cat >"$EVSCRIPT" <<PYEOF
import os, sys, time
def h_$MARKER(i):
    return i
def g_$MARKER(i):
    return h_$MARKER(i)
def f_$MARKER(i):
    return list(map(g_$MARKER, (i,)))
while not os.path.exists("$TMPD/go"):
    time.sleep(0.01)
list(map(f_$MARKER, range(int(sys.argv[1]))))
os.close(os.open("$TMPD/done", os.O_CREAT | os.O_WRONLY))   # open() would call codecs' Python
time.sleep(60)
PYEOF
# ev_start PYTHON N: the script under that interpreter in the background as $WPID.
ev_start() { rm -f "$TMPD/go" "$TMPD/done"; "$1" "$EVSCRIPT" "$2" & WPID=$!; sleep 0.3; }

ev_start "$PYX" 1000
py_traced ucalls -l python "$WPID"
expect_err "python calls: no USDT probe python:function__return in $PYX; uprobes on _PyEval_EvalFrameDefault \(CPython 3\.11\.[0-9]+\): only calls entered from C"
expect_err "fallback: python without USDT probes: a uprobe on _PyEval_EvalFrameDefault sees only the calls entered from C"
expect_header "$(printf "%-50s %8s" METHOD "# CALLS")"
[ "$(grep "f_$MARKER" "$OUT")" = "$(printf '%-50s %8d' "$EVSCRIPT.f_$MARKER" 1000)" ] ||
	fail "expected BCC's row '%-50s %8d' with 1000 calls of f_$MARKER"
expect "^$EVSCRIPT\.g_$MARKER +1000$"
expect_not "h_$MARKER"

ev_start "$PYX" 200
py_traced pythoncalls -L "$WPID"
expect_header "$(printf "%-50s %8s %8s" METHOD "# CALLS" "TIME (us)")"
expect "^$EVSCRIPT\.f_$MARKER +200 +[0-9]+\.[0-9]{2}$"
expect "^$EVSCRIPT\.g_$MARKER +200 +[0-9]+\.[0-9]{2}$"
# f's time holds g's: each f invocation runs the g one it maps
f=$(awk -v n="$EVSCRIPT.f_$MARKER" '$1 == n { print $3 }' "$OUT")
g=$(awk -v n="$EVSCRIPT.g_$MARKER" '$1 == n { print $3 }' "$OUT")
awk -v f="$f" -v g="$g" 'BEGIN { exit !(f > g && g > 0) }' || fail "-L: expected f's time ($f) above g's ($g) above 0"

ev_start "$PYX" 1000
py_traced uflow -l python -C "$EVSCRIPT" "$WPID"
expect_header "CPU PID    TID    TIME(us) METHOD"
# the METHOD column starts after the time's 8 columns and a space: f at depth 1, g two spaces in
for pat in "-> $EVSCRIPT\.f_$MARKER" "<- $EVSCRIPT\.f_$MARKER" "  -> $EVSCRIPT\.g_$MARKER" \
	   "  <- $EVSCRIPT\.g_$MARKER"; do
	n=$(grep -E "^[0-9]+ +$WPID +$WPID +[0-9]+\.[0-9]{3} " "$OUT" |
		sed -E 's/^[0-9]+ +[0-9]+ +[0-9]+ +.{9}//' | grep -Ec "^$pat *$")
	[ "$n" -eq 1000 ] || fail "uflow: expected 1000 lines '$pat', got $n"
done
expect_not "h_$MARKER"
line=$(grep -m1 -- "-> $EVSCRIPT" "$OUT"); set -- $line
[ "$line" = "$(printf '%-3d %-6d %-6d %-8s %-40s' "$1" "$2" "$3" "$4" "$5 $6")" ] ||
	fail "uflow: the row is not BCC's %-3d %-6d %-6d %-8.3f %-40s: '$line'"

# Recursion through C, 100 deep: the kernel fires no uretprobe nested deeper than 64, so only
# the outer 64 returns show, each at its own entry's depth (kept frames pair with their returns).
RSCRIPT="$TMPD/r_$MARKER.py"
cat >"$RSCRIPT" <<PYEOF
import os, time
def r_$MARKER(n):
    return n if n == 0 else list(map(r_$MARKER, (n - 1,)))[0]
while not os.path.exists("$TMPD/go"):
    time.sleep(0.01)
list(map(r_$MARKER, (99,)))
os.close(os.open("$TMPD/done", os.O_CREAT | os.O_WRONLY))
time.sleep(60)
PYEOF
rm -f "$TMPD/go" "$TMPD/done"; "$PYX" "$RSCRIPT" & WPID=$!; sleep 0.3
py_traced uflow -l python -M "r_$MARKER" "$WPID" --json
[ "$(grep -c '"direction":"entry"' "$OUT")" -eq 100 ] || fail "recursion: expected 100 entries"
[ "$(grep -c '"direction":"return"' "$OUT")" -eq 64 ] || fail "recursion: expected 64 returns"
[ "$(grep '"direction":"return"' "$OUT" | grep -o '"depth":[0-9]*' | sort -t: -k2 -n | sed -n '1p;$p' | tr '\n' ' ')" = '"depth":1 "depth":64 ' ] ||
	fail "recursion: expected the returns at depths 1 to 64"

ev_start "$PYX" 1000
py_traced --settle 1.2 pythonstat -C 1
expect_err "$WPID: no USDT probes in $PYX; METHOD/s counts _PyEval_EvalFrameDefault, calls entered from C"
sum=$(awk -v p="$WPID" '$1 == p { m += $3 } END { print m + 0 }' "$OUT")
[ "$sum" -eq 2000 ] || fail "pythonstat: expected 2000 methods over the intervals (f and g), got $sum"

# A version whose frames are not known: Py_Version's bytes say 3.99.
off=$("$PY" -c "
import re, subprocess
sym = subprocess.run(['readelf', '-Ws', '--dyn-syms', '$PYX'], capture_output=True, text=True).stdout
vaddr = next(int(l.split()[1], 16) for l in sym.splitlines() if l.split()[-1:] == ['Py_Version'])
for l in subprocess.run(['readelf', '-Wl', '$PYX'], capture_output=True, text=True).stdout.splitlines():
    f = l.split()
    if f[:1] == ['LOAD'] and int(f[2], 16) <= vaddr < int(f[2], 16) + int(f[4], 16):
        print(vaddr - int(f[2], 16) + int(f[1], 16))
" 2>/dev/null)
[ -n "$off" ] || fail "cannot find Py_Version in the fixture"
cp "$PYX" "$TMPD/python3.99"
printf '\360\000\143\003' | dd of="$TMPD/python3.99" bs=1 seek="$off" conv=notrunc 2>/dev/null
ev_start "$TMPD/python3.99" 10
"$BCCT" ucalls -l python "$WPID" >"$OUT" 2>"$ERR"; rc=$?
py_end
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "CPython 3.99: expected one line and exit 1, got $rc"
expect_err "no USDT probe python:function__return, and the frames of CPython 3\.99 are not known here"

# Other builds without USDT where this machine has them (pyenv's, with a shared libpython): 3.12
# and 3.13 through their own layouts; 3.10 states no version and is refused in one line.
for pyv in "$HOME"/.pyenv/versions/3.1[23].*/bin/python3.1[23]; do
	[ -x "$pyv" ] || { echo "note: no pyenv python 3.12/3.13 here, only 3.11 tested"; break; }
	ev_start "$pyv" 300
	py_traced ucalls -l python "$WPID"
	expect_err "python calls: no USDT probe python:function__return in .*/libpython3\.1[23]\.so[.0-9]*; uprobes on _PyEval_EvalFrameDefault \(CPython 3\.1[23]\.[0-9]+\)"
	expect "^$EVSCRIPT\.f_$MARKER +300$"
	expect "^$EVSCRIPT\.g_$MARKER +300$"
done
for pyv in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10; do
	[ -x "$pyv" ] || break
	ev_start "$pyv" 10
	"$BCCT" ucalls -l python "$WPID" >"$OUT" 2>"$ERR"; rc=$?
	py_end
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "CPython 3.10: expected one line and exit 1, got $rc"
	expect_err "no Py_Version to tell the interpreter's version"
done

# The real python3.11 keeps its USDT probes.
py_start 10
py_traced ucalls -l python "$WPID"
expect_err "python calls: USDT python:function__return$"
! grep -q "fallback:" "$ERR" || fail "the USDT run says fallback"
expect "^$PYSCRIPT\.$PYFN +10$"
pass
