# The book's socket tool tests (soconnect.sh, soaccept.sh, sofamily.sh, ...): the sockcalls
# workload copied under a marker name, and a loopback port of its own. Source it after lib.sh.
#
#   SOCK                 # the marker-named copy of the sockcalls workload (its comm: $SNAME)
#   PORT                 # a loopback TCP port nothing listens on, from our pid; PORT+1 too
#   sock MODE [6] [BYTES]  # one run of the workload on $PORT (refused: on PORT+1); P is its pid
#   sock_ipv6            # true when IPv6 loopback works here
need_workload sockcalls
SNAME=$(printf '%.15s' "so$MARKER")
SOCK="$TMPD/$SNAME"
cp "$WORKLOADS/sockcalls" "$SOCK"
PORT=
for i in 0 1 2 3 4 5 6 7; do
	p=$((20000 + ($$ + i * 997) % 30000))
	"$WORKLOADS/sockcalls" refused "$p" >/dev/null 2>&1 &&
		"$WORKLOADS/sockcalls" refused "$((p + 1))" >/dev/null 2>&1 && { PORT=$p; break; }
done
[ -n "$PORT" ] || fail "no free loopback port pair for the workload"

sock() {
	mode=$1; shift
	port=$PORT
	[ "$mode" = refused ] && port=$((PORT + 1))
	"$SOCK" "$mode" "$port" "$@" >/dev/null 2>"$TMPD/sockerr" &
	P=$!
	wait "$P" || { cat "$TMPD/sockerr"; fail "workload sockcalls $mode $port $* failed"; }
}

sock_ipv6() { [ -e /proc/net/if_inet6 ] && "$WORKLOADS/sockcalls" tcp "$PORT" 6 >/dev/null 2>&1; }
