#!/bin/sh
# ucalls on CPython 3.11 (/usr/bin/python3.11, its python USDT probes): a script calls its
# marker function 1000 times; ucalls -l python PID counts exactly 1000 calls of
# FILE.FUNCTION in BCC's columns, pythoncalls (the wrapper) the same, --json one interval with
# the row split into class and method; -S adds the process's syscalls by name. ucalls -L
# needs function__entry, which CPython 3.11 does not fire for Python functions: not asserted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_python.sh"

py_start 1000
start ucalls -l python "$WPID"
wait_ready
py_go
stop
py_end
expect_header "$(printf "%-50s %8s" METHOD "# CALLS")"
expect "^Tracing calls in process $WPID \(language: python\)\.\.\. Ctrl-C to quit\.$"
expect "^$PYSCRIPT\.$PYFN +1000$"
[ "$(grep "$PYFN" "$OUT")" = "$(printf '%-50s %8d' "$PYSCRIPT.$PYFN" 1000)" ] ||
	fail "the row is not BCC's %-50s %8d"
[ "$(grep -c "$PYFN" "$OUT")" -eq 1 ] || fail "expected one row for $PYFN"

py_start 1000
start pythoncalls -S "$WPID"
wait_ready
py_go
stop
py_end
expect "^Attached kernel tracepoints for syscall tracing\.$"
expect "^$PYSCRIPT\.$PYFN +1000$"
expect "^openat +[1-9][0-9]*$"
expect "^Detaching kernel probes, please wait\.\.\.$"

py_start 500
start ucalls -l python "$WPID" --json
wait_ready
py_go
stop
py_end
grep -q "^{\"ts\":\"[^\"]*\",\"ts_ns\":[0-9]*,\"rows\":\[.*{\"class\":\"$PYSCRIPT\",\"method\":\"$PYFN\",\"calls\":500}.*\]}$" "$OUT" ||
	fail "--json: expected the interval's row class/method/calls 500"

"$BCCT" ucalls -l cobol 1 >/dev/null 2>"$ERR" && fail "-l cobol accepted"
[ $? -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-l cobol: expected one line and exit 2"
pass
