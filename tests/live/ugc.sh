#!/bin/sh
# ugc: a CPython 3.11 script collects garbage 3 times (gc.collect(): generation 2); ugc -l python
# prints each with its duration and "gen 2 GC collected N objects"; -F filters on the
# description; --json has elapsed_ns. The java fixture (hotspot's mem__pool__gc probes, strings
# with lengths) gives javagc's "MANAGER POOL used=U0->U1 max=M0->M1".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_python.sh"

py_start 10
start ugc -l python "$WPID"
wait_ready
py_go
stop
py_end
expect "^Tracing garbage collections in python process $WPID\.\.\. Ctrl-C to quit\.$"
expect_header "START    TIME (us) DESCRIPTION"
n=$(grep -Ec "^[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{2} +gen 2 GC collected [0-9]+ objects$" "$OUT")
[ "$n" -ge 3 ] || fail "expected at least 3 generation-2 collections, got $n"
line=$(grep -m1 "gen 2 GC" "$OUT"); set -- $line; shift 2
[ "$line" = "$(printf '%-8s %-8s %s' "${line%% *}" "$(echo "$line" | awk '{ print $2 }')" "$*")" ] ||
	fail "the row is not BCC's %-8.3f %-8.2f %s: '$line'"

py_start 10
start pythongc -m -F "gen 1 " "$WPID" --json
wait_ready
py_go
stop
py_end
expect_not "gen 2 GC"

py_start 10
start ugc -l python "$WPID" --json
wait_ready
py_go
stop
py_end
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"time_s\":[0-9.e-]+,\"elapsed_ns\":[0-9]+,\"description\":\"gen 2 GC collected [0-9]+ objects\"\}$"

. "$(dirname "$0")/_lib_fixture.sh"
go_fixture java 1 javagc
expect "^[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{2} +BcctGC BcctPool used=4096->1024 max=65536->65536$"
expect "^[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{2} +no additional info available$"
pass
