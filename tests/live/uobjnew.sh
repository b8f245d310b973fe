#!/bin/sh
# uobjnew: -l c counts malloc by size in a process of the C library (workloads-dynamic/
# memleak_target mallocs 3000 bytes 4 times: "block size 3000" 4 allocations, 12000 bytes);
# javaobjnew on the java fixture (hotspot's object__alloc, class name with its length, size)
# counts exactly 100 BcctObj of 24 bytes; rubyobjnew its four allocation probes, -C 2 keeping
# the two most frequent; tclobjnew "<ALL>"; --json rows.
. "$(dirname "$0")/lib.sh"
DYN="$(dirname "$WORKLOADS")/workloads-dynamic/memleak_target"
. "$(dirname "$0")/_lib_fixture.sh"

if [ -x "$DYN" ]; then
	rm -f "$TMPD/go"
	"$DYN" "$TMPD/go" & WPID=$!
	sleep 0.2
	start cobjnew "$WPID"
	wait_ready
	touch "$TMPD/go"
	n=100; while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	sleep 0.2
	stop
	rm -f "$TMPD/go"; wait "$WPID"
	expect "^Tracing allocations in process $WPID \(language: c\)\.\.\. Ctrl-C to quit\.$"
	expect_header "NAME/TYPE                      # ALLOCS      # BYTES"
	expect "^block size 3000 +4 +12000$"
	# malloc's uprobe as a uprobe_multi link where the kernel has them (perf-event uprobes take
	# about 100 ms each to release at exit: bench/ctrlc).
	[ "$(feature uprobe_multi)" = yes ] && expect_err "uprobes: uprobe_multi links"
else
	echo "note: workloads-dynamic/memleak_target not built: -l c not run"
fi

go_fixture java 100 uobjnew -l java
expect "^BcctObj +100 +2400$"
[ "$(grep BcctObj "$OUT")" = "$(printf '%-30s %8d %12d' BcctObj 100 2400)" ] ||
	fail "the row is not BCC's %-30s %8d %12d"

go_fixture ruby 5 rubyobjnew
expect "^BcctObj +5 +0$"
expect "^string +5 +120$"
expect "^hash +1 +4$"
expect "^array +1 +4$"

go_fixture ruby 5 rubyobjnew -C 2
[ "$(grep -Ec '^(BcctObj|string|hash|array) ' "$OUT")" -eq 2 ] || fail "-C 2: expected 2 rows"
expect "^string +5 +120$"

go_fixture tcl 7 tclobjnew
expect "^<ALL> +7 +0$"

go_fixture java 3 javaobjnew --json
expect "\"rows\":\[\{\"type\":\"BcctObj\",\"allocs\":3,\"bytes\":72\}\]"
pass
