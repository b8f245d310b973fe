#!/bin/sh
# criticalstat: needs the preemptirq tracepoints (CONFIG_PREEMPTIRQ_TRACEPOINTS), which most
# kernels lack: there it must refuse in one line naming the missing tracepoint, exit 1, nothing
# on stdout. Where they exist, with no threshold (-d 0) every IRQ-off section is a report in
# BCC's layout: the task, the section's start and end functions, the stack.
. "$(dirname "$0")/lib.sh"

tp_dir=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events/preemptirq" ] && tp_dir=$d
done
if [ -z "$tp_dir" ]; then
	"$BCCT" criticalstat >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "without preemptirq tracepoints: exit $rc, want 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "the refusal is not one line"
	expect_err "^criticalstat: .*irq_disable"
	[ ! -s "$OUT" ] || fail "printed on stdout before refusing"
	"$BCCT" criticalstat -p >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && expect_err "^criticalstat: .*preempt_disable"
	pass "refused in one line: no preemptirq tracepoints"
fi

start criticalstat -d 0
wait_ready
sleep 1
stop
expect_header "Finding critical section with IRQ disabled for > 0us"
expect "^TASK: .* \(pid +[0-9]+ tid +[0-9]+\) Total Time: [0-9]+\.[0-9]{3} *us$"
expect "^Section start: [^ ]+ -> [^ ]+$"
expect "^Section end:   [^ ]+ -> [^ ]+$"
pass
