#!/bin/sh
# modsnoop: where modules can be loaded, it attaches (load-only: loading a module is no test
# workload); on a kernel without module support (no do_init_module, no module:module_load)
# it refuses in one line, exit 1, printing nothing on stdout.
. "$(dirname "$0")/lib.sh"
if [ "$(feature modsnoop)" = no ] || ! grep -qw do_init_module /proc/kallsyms 2>/dev/null; then
	"$BCCT" modsnoop >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "without module support: exit $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "the refusal is not one line"
	[ ! -s "$OUT" ] || fail "printed on stdout before refusing"
	expect_err "^modsnoop: .*do_init_module"
	pass "refused in one line (no module support here)"
fi
start modsnoop
wait_ready
stop
expect_header "Tracing kernel module loads. Hit Ctrl-C to end."
load_only "attached; no module is loaded by the test"
