# Shared by bench/file_overhead and bench/net_overhead (sourced, bash): one tracer running in
# the background while a load is timed. The caller sets TMP (a scratch directory) and APID=
# (and kills "$APID" in its EXIT trap, so an interrupted run leaves nothing attached).

# start_tracer NAME CMD...: in the background; ready when bcct says it attached (NAME "bcct...",
# CMD run with -v) or, for a peer, when it still runs after 2 s. Returns 1 when it never got there.
start_tracer() {
	local name=$1 n=100
	shift
	"$@" >/dev/null 2>"$TMP/err" &
	APID=$!
	while [ $n -gt 0 ]; do
		kill -0 "$APID" 2>/dev/null || { APID=; return 1; }
		case $name in
		bcct*) grep -q 'attached [0-9]* links' "$TMP/err" && { sleep 0.2; return 0; } ;;
		*) [ $n -le 80 ] && return 0 ;;
		esac
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# Ends the tracer with SIGINT (its normal exit, links released) and reaps it.
stop_tracer() { [ -n "$APID" ] && kill -INT "$APID" 2>/dev/null && wait "$APID" 2>/dev/null; APID=; }
