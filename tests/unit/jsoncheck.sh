#!/bin/sh
# jsoncheck (the validator of tests/live/json.sh) rejects what the --json contract forbids and
# accepts what it allows, so that json.sh failing or passing means something. No privileges.
set -u
JC=${WORKLOADS:-$(cd "$(dirname "$0")/../.." && pwd)/build/tests/workloads}/jsoncheck
[ -x "$JC" ] || { echo "jsoncheck: skipped: $JC not built"; exit 77; }
pass=0 fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# verdict DESC WANT SPEC TEXT: jsoncheck SPEC on TEXT (printf format, so \n ends lines) exits WANT.
verdict() {
	printf "$4" >"$t/in"
	"$JC" "$3" "$t/in" >"$t/out" 2>&1; rc=$?
	if [ "$rc" = "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: status $rc, want $2"; cat "$t/out"; fi
}
S='pid:number,comm:string,?stack:array,?stack[]:string'
verdict "valid" 0 "$S" '{"pid":1,"comm":"a b"}\n{"pid":-2.5e3,"comm":"\\u00e9\\"","stack":["x"]}\n'
verdict "optional key absent" 0 "$S" '{"pid":1,"comm":"x"}\n'
verdict "quoted number" 1 "$S" '{"pid":"1","comm":"x"}\n'
verdict "missing key" 1 "$S" '{"comm":"x"}\n'
verdict "undocumented key" 1 "$S" '{"pid":1,"comm":"x","extra":0}\n'
verdict "duplicate key" 1 "$S" '{"pid":1,"pid":2,"comm":"x"}\n'
verdict "header line" 1 "$S" 'PID COMM\n{"pid":1,"comm":"x"}\n'
verdict "blank line" 1 "$S" '{"pid":1,"comm":"x"}\n\n'
verdict "two objects on a line" 1 "$S" '{"pid":1,"comm":"x"}{"pid":1,"comm":"x"}\n'
verdict "trailing space" 1 "$S" '{"pid":1,"comm":"x"} \n'
verdict "no final newline" 1 "$S" '{"pid":1,"comm":"x"}'
verdict "nan" 1 "$S" '{"pid":nan,"comm":"x"}\n'
verdict "leading zero" 1 "$S" '{"pid":01,"comm":"x"}\n'
verdict "invalid utf-8" 1 "$S" '{"pid":1,"comm":"\377"}\n'
verdict "raw control character" 1 "$S" '{"pid":1,"comm":"a\tb"}\n'
verdict "array element type" 1 "$S" '{"pid":1,"comm":"x","stack":[1]}\n'
verdict "top level array" 1 "$S" '[1]\n'
verdict "nothing printed" 1 "$S" ''
verdict "union type" 0 'mode:number|string' '{"mode":"n/a"}\n{"mode":420}\n'
verdict "nested path" 1 'h:object,h.b[].n:number' '{"h":{"b":[{"n":1},{"n":"2"}]}}\n'
T='ts:time,ts_ns:int,n:int'
verdict "time and int" 0 "$T" '{"ts":"2026-12-07T06:15:24.123456+00:00","ts_ns":1796624029306778725,"n":-3}\n'
verdict "time without the date" 1 "$T" '{"ts":"06:15:24","ts_ns":1,"n":1}\n'
verdict "time without the zone" 1 "$T" '{"ts":"2026-12-07T06:15:24.123456","ts_ns":1,"n":1}\n'
verdict "int with a fraction" 1 "$T" '{"ts":"2026-12-07T06:15:24.123456+00:00","ts_ns":1,"n":1.5}\n'
verdict "int in exponent form" 1 "$T" '{"ts":"2026-12-07T06:15:24.123456+00:00","ts_ns":1,"n":1.31124e+07}\n'
verdict "undocumented nested key" 1 'h:array,h[].n:number' '{"h":[{"n":1,"x":2}]}\n'
verdict "surrogate escape" 0 "$S" '{"pid":1,"comm":"a\\udcffb"}\n'
N='h:array,!h[].n:int'
verdict "needed path present" 0 "$N" '{"h":[]}\n{"h":[{"n":1}]}\n'
verdict "needed path never present" 1 "$N" '{"h":[]}\n{"h":[]}\n'
echo "jsoncheck: $pass passed, $fail failed"
[ "$fail" = 0 ]
