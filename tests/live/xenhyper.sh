#!/bin/sh
# xenhyper: off a Xen guest (no xen:xen_mc_entry tracepoint), one line naming the tracepoint and
# exit 1. In a Xen PV guest: attaches (load-only: no workload makes known hypercalls).
. "$(dirname "$0")/lib.sh"
if [ ! -d /sys/kernel/tracing/events/xen ] && [ ! -d /sys/kernel/debug/tracing/events/xen ]; then
	"$BCCT" xenhyper >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "off Xen: exit $rc, want one line and exit 1"
	expect_err "^xenhyper: .*xen_mc_entry"
	[ ! -s "$OUT" ] || fail "printed on stdout before refusing"
	pass "not a Xen guest: refused with one line"
fi
start xenhyper
wait_ready
stop
expect_header "HYPERCALL                     COUNT"
load_only "no workload makes known hypercalls"
