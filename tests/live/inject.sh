#!/bin/sh
# inject: BCC's spec grammar and options are checked before anything else (each error one line on
# stderr, exit 2); a valid spec on a kernel without bpf_override_return (every test kernel: Debian
# builds none with CONFIG_BPF_KPROBE_OVERRIDE) is refused in one line naming override_return,
# exit 1, and `bcct features` says inject cannot run.
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

[ "$(feature override_return)" = yes ] &&
	skip "this kernel has bpf_override_return, which inject does not use yet (it refuses there too)"
"$BCCT" features | grep -Eq '^inject +no +needs .*override_return' ||
	fail "bcct features does not say inject needs override_return"
# The plan (-v, on stderr) comes before the refusal: the base frame completes the chain.
"$BCCT" inject -v kmalloc -P 0.5 -c 3 '(true) => d_alloc_parallel(struct dentry *parent)(true)' \
	>"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] || fail "a valid spec on this kernel: exit $rc, want 1"
expect_err "^inject: frame 0: d_alloc_parallel\(struct dentry \*parent\) if \(true\)$"
expect_err "^inject: frame 1: should_failslab\(struct kmem_cache \*s, gfp_t gfpflags\) if \(true\)$"
"$BCCT" inject bio 'submit_bio()' >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && [ ! -s "$OUT" ] ||
	fail "inject bio: want one line and exit 1, got exit $rc: $(cat "$ERR")"
expect_err "^inject: this kernel lacks .*override_return \(kernel lacks bpf_override_return"
pass "spec and options checked; refused in one line: no bpf_override_return"
