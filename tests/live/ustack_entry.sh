#!/bin/sh
# User stacks taken at a function's entry keep the function's caller, exactly once, in every
# stack tool: stackcount -U (frame pointers, --json, and --unwind=dwarf), trace -U, funcslower -U.
# A uprobe fires on the first instruction, before the function saves its frame pointer, so the
# kernel's frame-pointer walk goes from the function to its caller's caller; kernels from 6.12
# add the caller themselves, but only for functions that begin with "push %rbp". The workload
# (tests/workloads/ustack_entry.c, callers with frame pointers) calls, N times each:
#   glibc's calloc   from bcct_ue_alloc_q9   (first instruction "push %r13": never fixed by the kernel)
#   glibc's malloc   from bcct_ue_alloc_q9   (linked in; begins with "push %rbp": fixed on 6.12+,
#                                             so bcct must not add it a second time)
#   bcct_ue_fp_q9    from bcct_ue_call_fp_q9   (its own function, "push %rbp" first)
#   bcct_ue_nofp_q9  from bcct_ue_call_nofp_q9 (its own function without a frame pointer)
. "$(dirname "$0")/lib.sh"
need_workload ustack_entry
BIN="$WORKLOADS/ustack_entry"
N=5

# Runs bcct APPLET ARGS... while the workload makes its calls ("@PID@" in ARGS: the workload's
# pid); stops it while the workload still runs (symbols are read from /proc/PID at print time).
run_workload() {
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$BIN" "$TMPD/go" "$N" &
	WPID=$!
	applet=$1
	shift
	for a in "$@"; do
		shift
		[ "$a" = @PID@ ] && a=$WPID
		set -- "$@" "$a"
	done
	start "$applet" "$@"
	wait_ready
	touch "$TMPD/go"
	n=300
	while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$TMPD/go.done" ] || fail "workload did not finish its calls"
	sleep 0.3
	stop
	rm -f "$TMPD/go" "$TMPD/go.done"
	wait "$WPID"
}

# One line per printed stack, "frame,frame,...|weight", frames innermost first and reduced to
# their names ("calloc+0x0 [ustack_entry]", "  401ba4   calloc" -> "calloc"). INDENT: the spaces before a frame
# (stackcount 2, funcslower 4, trace 8); a stack ends at any other line. stackcount's count
# line ("    5") is the weight; other tools print one stack per call (weight 1).
stacks() {
	awk -v indent="$1" '
	function flush() { if (s != "") print s "|" (w == "" ? 1 : w); s = ""; w = "" }
	{
		lead = match($0, /[^ ]/) - 1
		# -v (added by start) gives stackcount a raw address column before the name
		if (lead == indent) { f = (NF >= 2 && $1 ~ /^[0-9a-f]+$/) ? $2 : $1; sub(/\+0x[0-9a-f]+$/, "", f); s = s (s == "" ? "" : ",") f; next }
		if (indent == 2 && lead == 4 && $1 ~ /^[0-9]+$/) { w = $1; flush(); next }
		flush()
	}
	END { flush() }
	' "$OUT"
}

# check WHAT INDENT FUNC CALLER: the stacks starting at FUNC that hold CALLER have it right
# after FUNC and only there, and count N calls; no stack of FUNC goes straight to main (the
# caller lost). glibc's malloc is also called from stdio (fopen): those stacks are left alone.
check() {
	what=$1 indent=$2 func=$3 caller=$4
	got=$(stacks "$indent" | awk -F'|' -v f="$func" -v c="$caller" '
		BEGIN { bad = "" }
		index($1, f ",") != 1 && $1 != f { next }
		{ n = split($1, fr, ","); seen = 0
		  for (i = 1; i <= n; i++) if (fr[i] == c) seen++
		  if (fr[2] == "main") bad = bad " lost:" $1
		  if (!seen) next
		  if (seen != 1 || fr[2] != c) bad = bad " wrong:" $1
		  calls += $2 }
		END { print calls + 0 bad }')
	case $got in
	"$N") ;;
	*) fail "$what: stacks of $func: expected $N calls from $caller (once, second frame), got: $got" ;;
	esac
}

check_all() {
	check "$1" "$2" calloc bcct_ue_alloc_q9
	check "$1" "$2" malloc bcct_ue_alloc_q9
	check "$1" "$2" bcct_ue_fp_q9 bcct_ue_call_fp_q9
	check "$1" "$2" bcct_ue_nofp_q9 bcct_ue_call_nofp_q9
}

# 1. stackcount -U, frame pointers. Whether the kernel added the caller of the push-%rbp
# functions itself is reported (bcct adds it otherwise; either way it is printed once).
run_workload stackcount -U -p @PID@ "$BIN:calloc"
check "stackcount -U" 2 calloc bcct_ue_alloc_q9
run_workload stackcount -U -p @PID@ -r "$BIN:^(malloc|bcct_ue_(no)?fp_q9)\$"
check "stackcount -U" 2 malloc bcct_ue_alloc_q9
check "stackcount -U" 2 bcct_ue_fp_q9 bcct_ue_call_fp_q9
check "stackcount -U" 2 bcct_ue_nofp_q9 bcct_ue_call_nofp_q9

# 2. stackcount -U --json: the same stack through core's printer.
run_workload stackcount -U --json -p @PID@ "$BIN:calloc"
expect "\"count\":$N,\"user_stack\":\\[\"calloc\",\"bcct_ue_alloc_q9\",\"main\""

# 3. stackcount -U --unwind=dwarf: the unwinder starts at the entry's CFA (sp + 8), where the
# return address is: the caller comes from the CFI, never twice.
run_workload stackcount -U --unwind=dwarf -p @PID@ -r "$BIN:^(calloc|malloc|bcct_ue_(no)?fp_q9)\$"
check_all "stackcount --unwind=dwarf" 2

# 4. trace -U: the probe compiler's programs.
run_workload trace -U -p @PID@ "p:$BIN:calloc" "p:$BIN:malloc" "p:$BIN:bcct_ue_fp_q9" "p:$BIN:bcct_ue_nofp_q9"
check_all "trace -U" 8

# 5. funcslower -U (stacks taken at entry, as BCC): every call (-m 0). Kernels without attach
# cookies (before 5.15) take one function per run.
if "$BCCT" features | awk '$1 == "attach_cookie" { exit $2 != "yes" }'; then
	run_workload funcslower -U -m 0 -p @PID@ "$BIN:calloc" "$BIN:malloc" "$BIN:bcct_ue_fp_q9" "$BIN:bcct_ue_nofp_q9"
	check_all "funcslower -U" 4
else
	for f in calloc:bcct_ue_alloc_q9 malloc:bcct_ue_alloc_q9 bcct_ue_fp_q9:bcct_ue_call_fp_q9 \
		 bcct_ue_nofp_q9:bcct_ue_call_nofp_q9; do
		run_workload funcslower -U -m 0 -p @PID@ "$BIN:${f%%:*}"
		check "funcslower -U" 4 "${f%%:*}" "${f#*:}"
	done
fi

# 6. The issue's own case: libc.so.6's malloc (first instruction "push %r12": no kernel fix-up)
# as c:malloc, in the same workload linked dynamically (not in the VM guests: no libc there).
BIN="$(dirname "$WORKLOADS")/workloads-dynamic/ustack_entry"
if [ -x "$BIN" ] && "$BIN" 2>/dev/null; [ $? -eq 2 ]; then
	run_workload stackcount -U -p @PID@ -r 'c:^(malloc|calloc)$'
	check "stackcount -U c:malloc" 2 malloc bcct_ue_alloc_q9
	check "stackcount -U c:calloc" 2 calloc bcct_ue_alloc_q9
	run_workload trace -U -p @PID@ 'p:c:malloc' 'p:c:calloc'
	check "trace -U p:c:malloc" 8 malloc bcct_ue_alloc_q9
	check "trace -U p:c:calloc" 8 calloc bcct_ue_alloc_q9
	SHARED="; c:malloc, c:calloc of libc.so.6"
else
	SHARED="; libc.so.6 not tested (no dynamically linked workload runs here)"
fi

pass "caller kept once at function entry: stackcount (fp, json, dwarf), trace -U, funcslower -U$SHARED"
