#!/bin/sh
# --pprof and --svg of the stack tools (core/stackprof.c, core/pprof.c, core/flamegraph.c):
# - profile of two CPU-bound copies of busyfunc (main -> bcct_busy_outer -> bcct_busy_inner):
#   `go tool pprof -top` names bcct_busy_inner as the top entry, -traces shows its stack, the
#   mapping carries the workload's build id; the SVG is valid XML (xmllint) and each process's
#   frame title has the sample count and percentage its own folded text output gives; rendered by
#   headless chromium (when installed) the DOM still holds them and a screenshot is made;
# - offcputime -U: off-CPU nanoseconds with bcct_block_here on top;
# - stackcount -U on raw_syscalls:sys_enter: counts with bcct_block_here on top;
# - a file that cannot be written: one line, exit 1, before tracing.
. "$(dirname "$0")/lib.sh"
need_workload busyfunc
has_cmd go || skip "go (Debian's golang-go, scripts/deps) not installed: go tool pprof reads the profiles"
has_cmd xmllint || skip "xmllint (libxml2-utils) not installed"
export HOME="$TMPD" GOCACHE="$TMPD/gocache" GOFLAGS=-mod=mod
A=$(printf %.14sa "$MARKER")
B=$(printf %.14sb "$MARKER")
cp "$WORKLOADS/busyfunc" "$TMPD/$A"
cp "$WORKLOADS/busyfunc" "$TMPD/$B"
"$TMPD/$A" spin 30 &
WA=$!
"$TMPD/$B" spin 30 &
WB=$!
"$TMPD/$A" block 30 &
WC=$!
trap 'kill $WA $WB $WC 2>/dev/null; cleanup' EXIT

# pprof_top FILE TYPE FUNCTION: go tool pprof -top of FILE has sample type TYPE and FUNCTION first.
pprof_top() {
	go tool pprof -top "$1" >"$TMPD/top" 2>&1 || { cat "$TMPD/top"; fail "pprof -top $1 failed"; }
	grep -q "^Type: $2$" "$TMPD/top" || { cat "$TMPD/top"; fail "$1: sample type not $2"; }
	top=$(awk '/flat%/ { getline; print $NF; exit }' "$TMPD/top")
	[ "$top" = "$3" ] || { cat "$TMPD/top"; fail "$1: top entry '$top', not $3"; }
}

# ---- profile: pprof and SVG from the same run as the folded text
start profile -p "$WA,$WB" -U -F 199 -f --pprof "$TMPD/cpu.pb.gz" --svg "$TMPD/cpu.svg"
wait_ready
sleep 3
stop
expect "^$A;(.*;)?main;bcct_busy_outer;bcct_busy_inner [0-9]+$"
pprof_top "$TMPD/cpu.pb.gz" cpu bcct_busy_inner
id=$(readelf -n "$WORKLOADS/busyfunc" | sed -n 's/.*Build ID: *//p')
[ -z "$id" ] || grep -q "^Build ID: $id$" "$TMPD/top" || { cat "$TMPD/top"; fail "pprof: build id $id missing"; }
go tool pprof -traces "$TMPD/cpu.pb.gz" >"$TMPD/traces" 2>&1 || fail "pprof -traces failed"
grep -A3 -E "^ +[0-9.]+m?s +bcct_busy_inner$" "$TMPD/traces" | tr -s ' ' | tr '\n' '|' >"$TMPD/chain"
grep -q "bcct_busy_inner| bcct_busy_outer| main|" "$TMPD/chain" ||
	{ head -40 "$TMPD/traces"; fail "pprof -traces: no stack bcct_busy_inner <- bcct_busy_outer <- main"; }
grep -q "comm: *$A$" "$TMPD/traces" || fail "pprof -traces: no comm label $A"
samples=$(go tool pprof -raw "$TMPD/cpu.pb.gz" 2>/dev/null |
	awk '/^Samples:/ { on = 1 } /^Locations/ { on = 0 } on && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+:$/ { s += $1 } END { print s + 0 }')
total=$(awk '{ s += $NF } END { print s + 0 }' "$OUT")
[ "$samples" = "$total" ] || fail "pprof holds $samples samples, the folded output $total"

xmllint --noout "$TMPD/cpu.svg" || fail "the SVG is not well-formed XML"
# each process's share, from the folded text of the same run
for c in "$A" "$B"; do
	want=$(awk -v c="$c" '{ n = $NF; t += n; if (index($0, c ";") == 1) m += n }
		END { s = sprintf("%d", m); while (match(s, /[0-9][0-9][0-9][0-9]/)) s = substr(s, 1, RSTART) "," substr(s, RSTART + 1);
		      printf "%s (%s samples, %.2f%%)", c, s, 100 * m / t }' "$OUT")
	grep -qF "<title>$want</title>" "$TMPD/cpu.svg" ||
		{ grep -o "<title>[^<]*</title>" "$TMPD/cpu.svg" | head; fail "SVG: no title '$want'"; }
done
grep -q "<title>bcct_busy_inner ([0-9,]* samples, [0-9.]*%)</title>" "$TMPD/cpu.svg" || fail "SVG: no bcct_busy_inner frame"
grep -q "<title>all ($(awk '{ s += $NF } END { print s }' "$OUT" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') samples, 100.00%)</title>" "$TMPD/cpu.svg" ||
	fail "SVG: root frame does not hold every sample"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	"$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$TMPD/cpu.svg" >"$TMPD/dom" 2>"$TMPD/chromium.err" ||
		{ cat "$TMPD/chromium.err"; fail "chromium --dump-dom failed"; }
	grep -qF "$want" "$TMPD/dom" || fail "chromium's DOM lacks '$want'"
	# the script ran: it fitted the frames' labels ("bcct_busy_inner" fits in a ~50% frame)
	grep -q ">bcct_busy_inner</text>" "$TMPD/dom" || fail "chromium's DOM: bcct_busy_inner label missing"
	(cd "$TMPD" && "$browser" --headless --no-sandbox --disable-gpu --window-size=1200,400 \
		--screenshot="$TMPD/cpu.png" "file://$TMPD/cpu.svg") >/dev/null 2>&1
	[ -s "$TMPD/cpu.png" ] || fail "chromium made no screenshot"
	rendered="rendered by chromium"
else
	rendered="chromium not installed: not rendered"
fi

# ---- offcputime: off-CPU nanoseconds
start offcputime -U -p "$WC" --pprof "$TMPD/off.pb.gz"
wait_ready
sleep 2
stop
pprof_top "$TMPD/off.pb.gz" off_cpu bcct_block_here
# 2 s of 10 ms sleeps: well over a second blocked
grep -Eq "Total samples = ([1-9][0-9.]*s|[1-9][0-9]*\.[0-9]+mins)" "$TMPD/top" || { cat "$TMPD/top"; fail "offcputime: blocked time not in seconds"; }

# ---- stackcount: counts
start stackcount -U -p "$WC" --pprof "$TMPD/count.pb.gz" --svg "$TMPD/count.svg" t:raw_syscalls:sys_enter
wait_ready
sleep 1
stop
pprof_top "$TMPD/count.pb.gz" count bcct_block_here
xmllint --noout "$TMPD/count.svg" || fail "stackcount's SVG is not well-formed"
grep -q "<title>bcct_block_here ([0-9,]* counts, " "$TMPD/count.svg" || fail "stackcount SVG: no bcct_block_here frame"

# ---- a file that cannot be written
"$BCCT" profile --pprof "$TMPD/no/such/dir/x.pb.gz" 1 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] || fail "unwritable --pprof: exit $rc, expected 1"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "unwritable --pprof: not one line"
expect_err "x.pb.gz: No such file or directory"
pass "$rendered"
