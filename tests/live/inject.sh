#!/bin/sh
# inject: BCC's spec grammar and options are checked before anything else (each error one line on
# stderr, exit 2); predicates that do not compile are errors with a caret (exit 2); -v and --ebpf
# print the generated programs (kprobe, kretprobe and base programs, the override in the base);
# a valid spec on a kernel without bpf_override_return (every test kernel: Debian builds none with
# CONFIG_BPF_KPROBE_OVERRIDE) is refused in one line naming override_return, exit 1, and
# `bcct features` says inject cannot run.
# Where kprobes work (the VM guests), the chain runs for real in the test-only count mode
# (BCCT_INJECT_DRY_RUN=1: the same programs without the override): the workload makes getcwd
# calls, each allocating one 4096-byte names_cache object (one should_failslab call), with a
# marker size the top frame's predicate matches and with another size it does not; the counts
# of would-be failures are asserted for a true chain, a false predicate, -c and -P 0. A kernel
# that can override gets the same chain for real: the marked getcwd calls fail with ENOMEM.
. "$(dirname "$0")/lib.sh"

usage() { # ARGS...: must be a one-line usage error
	"$BCCT" inject "$@" >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && [ ! -s "$OUT" ] ||
		fail "inject $*: want one line and exit 2, got exit $rc: $(cat "$ERR")"
}
usage nomode 'SyS_mount()'
expect_err "invalid choice: 'nomode'"
usage kmalloc
usage kmalloc 'SyS_mount('
expect_err "after last frame"
usage kmalloc 'f() => g())'
expect_err "parentheses"
usage kmalloc 'SyS_mount())('
expect_err "parentheses"
usage kmalloc '9lives() => SyS_mount()'
expect_err "invalid function identifier '9lives\(\)'"
usage kmalloc 'SyS_mount() junk'
expect_err "after last frame"
usage kmalloc '=> SyS_mount()'
expect_err "missing parens"
usage kmalloc -P 1.5 'SyS_mount()'
usage kmalloc --json 'SyS_mount()'

# A predicate is compiled against the frame's declared parameters and the kernel's BTF.
"$BCCT" inject kmalloc '(s->object_sise == 4096) => SyS_mount()' >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "a predicate naming no field: exit $rc, want 2"
expect_err "struct kmem_cache has no field 'object_sise'; did you mean 'object_size'"
expect_err '^ +\^~+$'
"$BCCT" inject kmalloc '(nosuch > 1) => SyS_mount()' >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "a predicate naming no parameter: exit $rc, want 2"

case $(uname -m) in
aarch64) sys=__arm64_sys_getcwd ;;
*) sys=__x64_sys_getcwd ;;
esac
SIZE=3131       # the marker: getcwd calls of this size are the chain's
chain() { # BASEPRED TOPSIZE: the spec, innermost (the base's predicate) first, as BCC's
	echo "($1) => $sys(char *buf, unsigned long size)(size == $2)"
}

# The generated programs: the top frame's kprobe and kretprobe, the base's kprobe calling
# bpf_override_return (not in the count mode).
"$BCCT" inject --ebpf kmalloc -P 0.5 -c 7 "$(chain 's->object_size == 4096' $SIZE)" >"$OUT" 2>"$ERR" ||
	fail "inject --ebpf: exit $?"
expect "^; kprobe $sys \(entry\): $sys\(char \*buf, unsigned long size\) \(size == $SIZE\), [0-9]+ instructions$"
expect "^; kretprobe $sys \(return\): "
expect "^; kprobe should_failslab \(base\): should_failslab\(struct kmem_cache \*s, gfp_t gfpflags\) \(s->object_size == 4096\)"
expect "get_prandom_u32"              # -P 0.5, at frame 0's entry
expect "map\[chain\]"
expect "r2 = 0xfffffffffffffff4"      # -ENOMEM
expect "override_return"
expect "; s->object_size == 4096"     # listing lines say what they evaluate
BCCT_INJECT_DRY_RUN=1 "$BCCT" inject --ebpf kmalloc "$(chain true $SIZE)" >"$OUT" 2>"$ERR" ||
	fail "inject --ebpf in count mode: exit $?"
expect "^; kprobe should_failslab \(base\)"
expect_not "override_return"
expect_not "get_prandom_u32"          # -P 1: no draw

"$BCCT" features | grep -Eq '^inject +no +needs .*override_return' ||
	[ "$(feature override_return)" = yes ] ||
	fail "bcct features does not say inject needs override_return"
if [ "$(feature override_return)" != yes ]; then
	# The plan (-v, on stderr) and the programs (stdout) come before the refusal: the base
	# frame completes the chain.
	"$BCCT" inject -v kmalloc -P 0.5 -c 3 '(true) => d_alloc_parallel(struct dentry *parent)(true)' \
		>"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "a valid spec on this kernel: exit $rc, want 1"
	expect_err "^inject: frame 0: d_alloc_parallel\(struct dentry \*parent\) if \(true\)$"
	expect_err "^inject: frame 1: should_failslab\(struct kmem_cache \*s, gfp_t gfpflags\) if \(true\)$"
	expect "^; kprobe d_alloc_parallel \(entry\)"
	"$BCCT" inject bio 'submit_bio()' >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && [ ! -s "$OUT" ] ||
		fail "inject bio: want one line and exit 1, got exit $rc: $(cat "$ERR")"
	expect_err "^inject: this kernel lacks .*override_return \(kernel lacks bpf_override_return"
fi

if [ "$(feature kprobe)" != yes ]; then
	BCCT_INJECT_DRY_RUN=1 "$BCCT" inject kmalloc "$(chain true $SIZE)" >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] ||
		fail "count mode without kprobes: want one line and exit 1, got exit $rc"
	expect_err "^inject: this kernel lacks kprobe"
	pass "spec, predicates and options checked, programs printed; refused in one line: no bpf_override_return (the chain runs where kprobes work: the VM guests)"
fi

need_workload inject_getcwd
cd / || fail "cannot cd to /"
CALLS=20
# run_chain NAME ARGS...: inject ARGS around the workload: $CALLS marked calls and $CALLS others.
run_chain() {
	name=$1; shift
	start inject "$@"
	wait_ready
	"$WORKLOADS/inject_getcwd" $CALLS $SIZE >"$TMPD/marked" 2>&1 || fail "$name: workload: $(cat "$TMPD/marked")"
	"$WORKLOADS/inject_getcwd" $CALLS $((SIZE + 1)) >"$TMPD/other" 2>&1 || fail "$name: workload: $(cat "$TMPD/other")"
	stop
}
# would_fail NAME N: the count mode's last line
would_fail() {
	grep -Eq "^BCCT_INJECT_DRY_RUN=1: $2 calls? would have failed$" "$OUT" ||
		fail "$1: want $2 would-be failures"
}

# Newer kernels build should_failslab only with fault or error injection configured, which
# Debian's 6.12 lacks (the kprobe found no such function there): no base function to probe.
grep -qw should_failslab /proc/kallsyms ||
	skip "no should_failslab in this kernel (newer kernels build it only with fault injection); spec checks and refusals above passed"
export BCCT_INJECT_DRY_RUN=1
run_chain "true chain" kmalloc "$(chain 's->object_size == 4096' $SIZE)"
would_fail "true chain" $CALLS
grep -q "enomem=0" "$TMPD/marked" || fail "the count mode failed calls: $(cat "$TMPD/marked")"
run_chain "false top predicate" kmalloc "$(chain 's->object_size == 4096' $((SIZE + 2)))"
would_fail "false top predicate" 0
run_chain "false base predicate" kmalloc "$(chain 's->object_size == 4095' $SIZE)"
would_fail "false base predicate" 0
run_chain "-c 3" kmalloc -c 3 "$(chain 's->object_size == 4096' $SIZE)"
would_fail "-c 3" 3
run_chain "-P 0" kmalloc -P 0 "$(chain 's->object_size == 4096' $SIZE)"
would_fail "-P 0" 0
unset BCCT_INJECT_DRY_RUN

if [ "$(feature override_return)" != yes ]; then
	pass "count mode: $CALLS of $CALLS marked getcwd calls counted, none of the others, 0 for false predicates and -P 0, 3 with -c 3; no bpf_override_return here, so no call was failed"
fi
run_chain "override" kmalloc -c 5 "$(chain 's->object_size == 4096' $SIZE)"
grep -q "enomem=5" "$TMPD/marked" || fail "want 5 marked getcwd calls failed with ENOMEM: $(cat "$TMPD/marked")"
grep -q "enomem=0" "$TMPD/other" || fail "unmarked getcwd calls failed: $(cat "$TMPD/other")"
pass "count mode as above; with bpf_override_return 5 of $CALLS marked getcwd calls failed with ENOMEM (-c 5), none of the others"
