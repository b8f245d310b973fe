#!/bin/sh
# Uprobes through uprobe_multi links (core/attach.c): an applet's uprobe programs load for them
# where the kernel has them, because a perf-event uprobe waits serially in its release (about
# 100 ms each: sslsniff took 2 s after Ctrl-C). threadsnoop's pthread_create uprobe must be such
# a link (its fdinfo says link_type uprobe_multi), found by our own symbol lookup in libc, and
# must report the workload's threads; with BCCT_DISABLE=uprobe_multi the same run goes through
# a perf-event link and reports the same. The probe-language tools (trace's compiled programs,
# funclatency's pair on one function) hold uprobe_multi links too.
. "$(dirname "$0")/lib.sh"
[ "$(feature uprobe_multi)" = yes ] || skip "kernel without uprobe_multi links"
DYN="$(dirname "$WORKLOADS")/workloads-dynamic/threads"
[ -x "$DYN" ] || skip "workload workloads-dynamic/threads not built"
COMM=$(printf '%.15s' "umq$$")
cp "$DYN" "$TMPD/$COMM"

# The link types among the applet's fds, sorted, one per line.
link_types() {
	for f in /proc/"$APID"/fdinfo/*; do
		sed -n 's/^link_type:[[:space:]]*//p' "$f" 2>/dev/null
	done | sort -u
}

for disable in "" uprobe_multi; do
	BCCT_DISABLE=$disable start threadsnoop --comm "$COMM"
	wait_ready
	types=$(link_types)
	"$TMPD/$COMM" 3 300 &
	WPID=$!
	wait "$WPID"
	sleep 0.5
	stop
	n=$(grep -Ec "^[0-9]+ +$WPID +$COMM +bcct_ts_worker_q5$" "$OUT")
	[ "$n" -eq 3 ] || fail "BCCT_DISABLE=$disable: $n of 3 threads reported"
	case $disable in
	"") echo "$types" | grep -qx uprobe_multi || fail "no uprobe_multi link (links: $types)"
	    echo "$types" | grep -qx perf && fail "a perf-event link besides uprobe_multi"
	    expect_err "uprobes: uprobe_multi links" ;;
	*)  echo "$types" | grep -qx perf || fail "BCCT_DISABLE=uprobe_multi: no perf-event link (links: $types)"
	    echo "$types" | grep -qx uprobe_multi && fail "BCCT_DISABLE=uprobe_multi: a uprobe_multi link"
	    expect_err "uprobes: perf-event links" ;;
	esac
done
for run in "trace r:c:malloc" "funclatency c:malloc" "argdist -C p:c:free()"; do
	# shellcheck disable=SC2086
	start $run
	wait_ready
	types=$(link_types)
	stop
	# (the kernel names a return probe's link uretprobe_multi)
	echo "$types" | grep -Evqx 'u(ret)?probe_multi' && fail "$run: links are '$types', not uprobe_multi"
	[ -n "$types" ] || fail "$run: no links"
done
pass "uprobe_multi link, perf-event link with BCCT_DISABLE; trace, funclatency, argdist"
