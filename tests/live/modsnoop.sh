#!/bin/sh
# modsnoop: where an unloaded dummy.ko is at hand (the VM guests), the test loads it and
# modsnoop must name it; where modules work but none can be loaded, load-only; on a kernel without module support (no do_init_module, no module:module_load)
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
# A module the test may load: the VM guests carry dummy.ko unloaded (tests/vm/modules.list);
# a host whose kernel has it as a module and has not loaded it serves as well.
KO=/lib/modules/$(uname -r)/dummy.ko
[ -f "$KO" ] || KO=$(find "/lib/modules/$(uname -r)" -name 'dummy.ko*' 2>/dev/null | head -n 1)
if [ -z "$KO" ] || grep -q '^dummy ' /proc/modules; then
	start modsnoop
	wait_ready
	stop
	expect_header "Tracing kernel module loads. Hit Ctrl-C to end."
	load_only "attached; no unloaded dummy.ko here to load (the VM guests have one)"
fi
# (insmod by its own name: the guests' is busybox, which runs applets by the name called)
case $KO in *.ko) LOADER="insmod $KO" ;; *) LOADER="modprobe dummy" ;; esac
start modsnoop
wait_ready
$LOADER || fail "could not load $KO"
sleep 0.5
stop
rmmod dummy 2>/dev/null
expect_header "Tracing kernel module loads. Hit Ctrl-C to end."
expect "module init: dummy, by "
pass "dummy loaded: $(grep -m 1 'module init: dummy' "$OUT")"
