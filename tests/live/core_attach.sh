#!/bin/sh
# Core attach layer: one logical probe on hrtimer_nanosleep with fentry -> kprobe -> tracepoint
# candidates, and uprobe, uretprobe (by symbol) and USDT on the test driver. Run with the best
# method, then with fentry disabled (kprobe where the kernel has it), then with both disabled
# (the tracepoint): each must fire exactly for the driver's three sleeps and calls.
. "$(dirname "$0")/lib.sh"
need_workload attach_probe
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
has_fentry=$(feature fentry) has_kprobe=$(feature kprobe)
for disable in "" fentry fentry,kprobe; do
	BCCT_DISABLE=$disable "$WORKLOADS/attach_probe" -v >"$OUT" 2>"$ERR" || fail "attach_probe failed (BCCT_DISABLE=$disable)"
	expect "^sleep hits=3$"
	expect "^uprobe hits=3 arg=22$"
	expect "^uretprobe hits=3 ret=45$"
	expect "^usdt hits=3 arg=42$"
	# A candidate the verifier refuses: core retries with the next one.
	expect "^fallback hits=3$"
	expect_err "probe fallback: fallback_btf failed to load; falling back"
	expect_err "probe fallback: tracepoint syscalls/sys_enter_clock_nanosleep"
	# The kernel's best method must be the one chosen.
	case $disable in
	"") [ "$has_fentry" = yes ] && expect_err "probe nanosleep: fentry hrtimer_nanosleep" ;;
	fentry) [ "$has_kprobe" = yes ] && expect_err "probe nanosleep: kprobe hrtimer_nanosleep" ;;
	fentry,kprobe) expect_err "probe nanosleep: tracepoint syscalls/sys_enter_clock_nanosleep" ;;
	esac
	methods
done
pass
