#!/bin/sh
# --ebpf (BCC's option, in every applet where BCC's tool has it): print the BPF programs these
# options load on this kernel, as instructions (core/disasm.c), one section per program naming its
# attach point, then exit 0 with nothing attached. Checked for each of those applets: exit 0,
# sections "; NAME: KIND TARGET, N instructions" with N numbered instructions and an exit,
# helpers and maps by name, and no "attached" line. The listing follows the options and the kernel:
# syscount loads sys_enter only with -L, opensnoop -F loads another object. trace and
# argdist (and funccount) print the programs they compiled, annotated with their expressions.
. "$(dirname "$0")/lib.sh"
need_workload funclat_target
# User functions in the test's own static workload: the VM guests have no libc to probe.
T="$WORKLOADS/funclat_target"

# The applet's --ebpf listing: exit 0, sane sections, nothing attached. $1: applet, then its args.
listing() {
	"$BCCT" "$@" --ebpf -v >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 0 ] || fail "$* --ebpf: exit status $rc"
	grep -q 'attached [0-9]* links' "$ERR" && fail "$* --ebpf attached probes"
	awk -v what="$*" '
	function bad(m) { print "FAIL: " what ": " m; err = 1; exit 1 }
	# A section: an exit among its instructions, its last index N-1 (N-2 for a 64-bit load).
	function close_section() {
		if (!sections) return
		if (!exits) bad("a section has no exit")
		if (last < n - 2 || last > n - 1) bad("last instruction " last " of " n)
	}
	/^; / { close_section(); sections++; exits = 0; last = -1
		n = $0; sub(/ instructions$/, "", n); sub(/.*, /, "", n); next }
	/^ *[0-9]+: / { last = $1 + 0; if ($2 == "exit") exits++; next }
	/^$/ { next }
	{ bad("unexpected line: " $0) }
	END { if (err) exit 1
	      if (!sections) bad("no program section")
	      close_section() }
	' "$OUT" || fail "$* --ebpf: bad listing"
}

# Every applet whose BCC tool has --ebpf, with the arguments it needs.
for t in biolatency biosnoop cpudist execsnoop exitsnoop hardirqs killsnoop offcputime opensnoop \
	 profile runqlat runqlen runqslower softirqs statsnoop syscount tcplife \
	 "funclatency $T:bcct_fl_fast" "funcslower $T:bcct_fl_fast"; do
	listing $t
done

# Sections name their attach point; calls and maps appear by name.
listing opensnoop
expect "^; sys_enter_raw: raw_tp sys_enter, [0-9]+ instructions$"
expect "^ +[0-9]+: call get_current_pid_tgid$"
expect "^ +[0-9]+: call ringbuf_output$"
expect "^ +[0-9]+: r[0-9] = map\\[opensnoo.rodata\\] \\+ 0$"
# --cgroupmap/--mntnsmap off: libbpf did not create their maps; the code is unreachable.
expect "unreachable: map\\[cgroupmap_filter\\] not created$"
# The options choose what is printed: opensnoop -F loads its other object (longer exits), syscount
# loads sys_enter only with -L.
short=$(sed -n 's/^; sys_exit_raw: .*, \([0-9]*\) instructions$/\1/p' "$OUT")
listing opensnoop -F
full=$(sed -n 's/^; sys_exit_raw: .*, \([0-9]*\) instructions$/\1/p' "$OUT")
[ -n "$short" ] && [ -n "$full" ] && [ "$full" -gt "$short" ] ||
	fail "opensnoop -F --ebpf: sys_exit_raw has $full instructions, without -F $short"
listing syscount
expect "^; sys_exit_raw: raw_tp sys_exit, "
expect_not "^; sys_enter"
listing syscount -L
expect "^; sys_enter_raw: raw_tp sys_enter, "
listing profile
expect "^; profile_sample: perf_event \\(cpu-clock sampling\\), [0-9]+ instructions$"
listing funclatency "$T:bcct_fl_fast"
expect "^; entry_probe: kprobe/uprobe \\(target given at run time\\), "
# Kernel functions where the kernel has kprobes (the VM guests): the chosen attach kind shows.
if [ "$("$BCCT" features 2>/dev/null | awk '$1 == "kprobe" { print $2 }')" = yes ]; then
	listing funclatency vfs_read
	expect "^; entry_(probe: kprobe/uprobe|fentry: fentry) \\(target given at run time\\), "
	listing trace 'r::vfs_read "%d", retval'
	expect "^; probe 'r::vfs_read \"%d\", retval': kretprobe "
fi

# Probes compiled at run time: trace, argdist, funccount.
listing trace 't:syscalls:sys_enter_openat "%s", args->filename' "r:$T:bcct_fl_fast \"%d\", retval"
expect "^; probe 't:syscalls:sys_enter_openat \"%s\", args->filename': tracepoint syscalls:sys_enter_openat, 1 site, [0-9]+ instructions$"
expect "^ +[0-9]+: r0 = \\*\\(u64 \\*\\)\\(r6 \\+24\\) +; args->filename$"
expect "^; probe 'r:$T:bcct_fl_fast \"%d\", retval': uretprobe $T:bcct_fl_fast, 1 site, [0-9]+ instructions$"
expect "^ +[0-9]+: r1 = map\\[events\\]$"
listing argdist -C "p:$T:bcct_fl_sleep_ms(int ms):int:ms"
expect "^; probe 'p:$T:bcct_fl_sleep_ms\\(int ms\\):int:ms': uprobe $T:bcct_fl_sleep_ms, 1 site, [0-9]+ instructions$"
listing funccount "$T:bcct_fl_*"
expect "^; count_probe: kprobe/uprobe \\(target given at run time\\), "
# Not an option of BCC's sigsnoop-less bcct sigsnoop: a usage error.
"$BCCT" sigsnoop --ebpf >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "sigsnoop --ebpf: status $rc, want 2"
pass
