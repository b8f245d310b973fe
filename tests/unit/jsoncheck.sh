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
echo "jsoncheck: $pass passed, $fail failed"
[ "$fail" = 0 ]
