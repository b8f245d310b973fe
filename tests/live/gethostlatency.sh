#!/bin/sh
# gethostlatency: resolver calls timed from entry to return, with the name asked for, in BCC's
# columns. -l points it at a workload standing in for the C library (its getaddrinfo,
# gethostbyname and gethostbyname2 each take 30 ms; also where there is no libc, the VM guests);
# -p keeps one of two such processes; then the host's real libc (BCC's default) through getent,
# run under a name of its own, looking up localhost (/etc/hosts: no DNS query leaves).
. "$(dirname "$0")/lib.sh"
need_workload resolve_target
R="$WORKLOADS/resolve_target"
LAT='[ ]+(3[0-9]|[4-9][0-9]|[0-9]{3,})\.[0-9]{2}'   # 30 ms and more, two decimals, %10.2f

start gethostlatency -l "$R"
wait_ready
"$R" "$MARKER.example" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "TIME      PID     COMM                  LATms HOST"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}  $P +resolve_target  $LAT $MARKER\\.example$"
[ "$(grep -c " $MARKER\\.example\$" "$OUT")" -eq 3 ] || fail "expected 3 lookups (one per resolver)"

# -p: the first of two processes only (both wait for the go file until the tracer is ready).
rm -f "$TMPD/go"
"$R" "kept-$MARKER" "$TMPD/go" & P1=$!
"$R" "other-$MARKER" "$TMPD/go" & P2=$!
start gethostlatency -l "$R" -p "$P1"
wait_ready
touch "$TMPD/go"
wait "$P1" "$P2"
sleep 0.5
stop
expect "^[0-9:]{8}  $P1 +resolve_target  $LAT kept-$MARKER$"
expect_not "other-$MARKER"

# The C library, as BCC finds it ("c").
[ -n "${BCCT_VM:-}" ] && ! ls /lib/*/libc.so.6 /usr/lib/*/libc.so.6 >/dev/null 2>&1 &&
	pass "-l, -p (the guest has no libc)"
GETENT=$(command -v getent) || pass "-l, -p (no getent to call libc's resolvers)"
NAME="gh$$"   # the comm: a process name of this run
cp "$GETENT" "$TMPD/$NAME"
start gethostlatency
wait_ready
"$TMPD/$NAME" ahostsv4 localhost >/dev/null   # getaddrinfo
"$TMPD/$NAME" hosts localhost >/dev/null      # gethostbyname2
sleep 0.5
stop
expect "^[0-9:]{8}  [0-9]+ +$NAME +[ ]+[0-9]+\\.[0-9]{2} localhost$"
[ "$(grep -c " $NAME .* localhost\$" "$OUT")" -ge 2 ] || fail "expected a getaddrinfo and a gethostbyname2 lookup"
pass "-l stand-in library, -p, libc's resolvers"
