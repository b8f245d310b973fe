#!/bin/sh
# CO-RE against the trimmed kernel BTF (core/btf.c): for every BPF object with CO-RE relocations,
# libbpf patches the same instructions, to the same offsets and values, whether it relocates
# against the few hundred types bcct hands it or against all of vmlinux BTF (BCCT_FULL_BTF=1),
# and with the trimmed target libbpf never reads /sys/kernel/btf/vmlinux itself.
. "$(dirname "$0")/lib.sh"

[ -r /sys/kernel/btf/vmlinux ] || skip "this kernel has no BTF: there is no CO-RE target to trim"

# libbpf's debug lines for relocation outcomes (instruction, old -> new value), without the
# type ids, which differ between the two BTFs by design.
outcomes() {
	grep -E 'relo #[0-9]+: (patched|substituting) insn' "$ERR" | sed 's/^.*prog /prog /' | sort
}

# Loads the applet (args as given, -v twice for libbpf's debug output) and stops it.
load() {
	start "$@" -v
	wait_ready 60
	stop >/dev/null
}

total=0
objects=0
check() {
	export BCCT_FULL_BTF=1
	load "$@"
	unset BCCT_FULL_BTF
	grep -q "loaded kernel BTF from '/sys/kernel/btf/vmlinux'" "$ERR" ||
		fail "$*: with BCCT_FULL_BTF=1 libbpf did not read vmlinux BTF"
	outcomes >"$TMPD/full"
	[ -s "$TMPD/full" ] || fail "$*: libbpf logged no CO-RE relocation"

	load "$@"
	grep -q "CO-RE target: " "$ERR" || fail "$*: no trimmed CO-RE target was built"
	! grep -q "loaded kernel BTF from" "$ERR" || fail "$*: libbpf read vmlinux BTF despite the trimmed target"
	outcomes >"$TMPD/trim"
	if ! cmp -s "$TMPD/full" "$TMPD/trim"; then
		echo "--- relocation outcomes, full vmlinux BTF (-) vs trimmed (+)"
		diff "$TMPD/full" "$TMPD/trim" | head -40
		fail "$*: relocations differ between the full and the trimmed kernel BTF"
	fi
	total=$((total + $(wc -l <"$TMPD/trim")))
	objects=$((objects + 1))
}

check exitsnoop
check sigsnoop
check syscount -L
check runqlat
check runqslower
check cpudist
check runqlen
check offcputime --unwind=dwarf
check profile --unwind=dwarf
check biolatency -D
check biosnoop -Q
check tcplife
check opensnoop -F
check hardirqs
check execsnoop
pass "$total relocations in $objects applet runs identical against the trimmed and the full kernel BTF"
