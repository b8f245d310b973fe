#!/bin/sh
# kvmexits: off a KVM host (no /dev/kvm), one line and exit 1. On one, a marker-named memops runs
# a one-page real-mode guest that writes to an I/O port 200 times: the "io" (SVM) or
# "IO_INSTRUCTION" (VMX) histogram of its vCPU thread counts at least 200 exits.
. "$(dirname "$0")/lib.sh"
need_workload memops
if [ ! -e /dev/kvm ]; then
	"$BCCT" kvmexits >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "without /dev/kvm: exit $rc, want one line and exit 1"
	expect_err "^kvmexits: not a KVM host"
	pass "no /dev/kvm: refused with one line"
fi
NAME=$(printf '%.15s' "kv$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
"$TMPD/$NAME" kvm 1 2>/dev/null || skip "/dev/kvm cannot run a guest here"
start kvmexits --comm "$NAME"
wait_ready
"$TMPD/$NAME" kvm 200 || fail "workload failed"
sleep 0.3
stop
grep -q '^reason = ' "$OUT" || load_only "this KVM emits no kvm:kvm_exit events (an emulated /dev/kvm?)"
expect_header "     nsecs               : count     distribution"
n=$(awk '/^reason = / { f = $3; next } (f == "io" || f == "IO_INSTRUCTION") && $4 == ":" { s += $5 } END { print s + 0 }' "$OUT")
[ "$n" -ge 200 ] || fail "I/O exits: $n, want >= 200"
pass "$n I/O exits"
