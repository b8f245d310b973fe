#!/bin/sh
# uflow: on CPython 3.11 a script calls its marker function 1000 times; uflow -l python -M
# (method prefix) prints exactly 1000 returns "<- FILE.FUNCTION" in BCC's columns (3.11 fires no
# function__entry for Python functions, so no "->" lines and depth stays 0). On the ruby
# fixture (tests/workloads/rt_fixture: ruby's provider and argument layout) rubyflow shows
# entries and returns paired with their depth; -C with another class prefix shows nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_python.sh"

py_start 1000
start uflow -l python -M "$PYFN" "$WPID"
wait_ready
py_go
stop
py_end
expect "^Tracing method calls in python process $WPID\.\.\. Ctrl-C to quit\.$"
expect_header "CPU PID    TID    TIME(us) METHOD"
n=$(grep -Ec "^[0-9]+ +$WPID +$WPID +[0-9]+\.[0-9]{3} +<- $PYSCRIPT\.$PYFN *$" "$OUT")
[ "$n" -eq 1000 ] || fail "expected 1000 returns of $PYFN, got $n"
expect_not "^[0-9]+ .*-> "
line=$(grep -m1 "<- $PYSCRIPT" "$OUT"); set -- $line
[ "$line" = "$(printf '%-3d %-6d %-6d %-8s %-40s' "$1" "$2" "$3" "$4" "$5 $6")" ] ||
	fail "the row is not BCC's %-3d %-6d %-6d %-8.3f %-40s: '$line'"

. "$(dirname "$0")/_lib_fixture.sh"
go_fixture ruby 3 rubyflow
[ "$(grep -Ec "^[0-9]+ +$FPID +$FPID +[0-9.]+ +-> BcctClass\.m_$MARKER *$" "$OUT")" -eq 3 ] ||
	fail "rubyflow: expected 3 entries at depth 1"
[ "$(grep -Ec "^[0-9]+ +$FPID +$FPID +[0-9.]+ +<- BcctClass\.m_$MARKER *$" "$OUT")" -eq 3 ] ||
	fail "rubyflow: expected 3 returns"
expect "^[0-9]+ +$FPID +$FPID +[0-9.]+ +-> BcctClass\.c_method *$"

go_fixture ruby 3 rubyflow -C Other --json
expect_not "m_$MARKER"
pass
