#!/bin/sh
# hardirqs: direct writes with fsync to a file on a disk raise the block device's interrupts;
# every device IRQ whose /proc/interrupts count grew meanwhile must appear by name: with -C
# (event counts) under BCC's header, by default as total time, and with -d as a "hardirq = NAME" histogram section. A guest
# without disk or network interrupts (the VM initramfs) is load-only.
. "$(dirname "$0")/lib.sh"

# Sum of each numbered IRQ's per-CPU counts, "NAME COUNT" (the handler name is the last field).
irq_counts() {
	awk 'NR == 1 { ncpu = NF; next }
	     $1 ~ /^[0-9]+:$/ { s = 0; for (i = 2; i <= ncpu + 1; i++) s += $i; print $NF, s }' /proc/interrupts
}

# Makes block I/O on a disk-backed directory (the test dir, or /var/tmp, when not tmpfs).
disk_io() {
	for d in "$TMPD" /var/tmp; do
		f="$d/hardirqs.$$"
		dd if=/dev/zero of="$f" bs=64k count=32 oflag=direct conv=fsync 2>/dev/null ||
			dd if=/dev/zero of="$f" bs=64k count=32 conv=fsync 2>/dev/null
		sync
		rm -f "$f"
	done
}

# In the VM guests there is no disk IRQ (a loop device): writes to the serial console raise
# the UART's.
serial_io() {
	[ -n "${BCCT_VM:-}" ] && [ -w /dev/ttyS0 ] || return 0
	i=0
	while [ $i -lt 100 ]; do echo "hardirqs test line $i" >/dev/ttyS0; i=$((i + 1)); done
}

# Names of IRQs that fired at least 10 times between two irq_counts snapshots. (A device that
# fired once or twice is not required: /proc/interrupts also counts interrupts whose handler
# never ran, e.g. a line found masked or in progress.)
grown() {
	awk 'NR == FNR { before[$1] = $2; next } $2 >= before[$1] + 10 { print $1 }' "$1" "$2" | sort -u
}

# Snapshots inside the traced window, so an IRQ that fired only while the probes were being
# attached (slow in an emulated guest) is not expected.
start hardirqs -C
wait_ready
irq_counts >"$TMPD/before"
disk_io
serial_io
irq_counts >"$TMPD/after"
stop
grown "$TMPD/before" "$TMPD/after" >"$TMPD/fired"
[ -s "$TMPD/fired" ] || load_only "no device raised 10 interrupts during the test (no disk, network or serial IRQs here)"
expect_header "HARDIRQ                    TOTAL_count"
# Every IRQ the kernel counted 10 times inside the traced window was seen by the tracer too.
while read -r name; do
	grep -Eq "^$name +[1-9][0-9]*$" "$OUT" || fail "IRQ $name fired 10+ times but was not counted"
done <"$TMPD/fired"
if grep -q '^virtio.*-req' "$TMPD/fired"; then
	expect "^virtio[0-9]+-req[^ ]* +[1-9][0-9]*$"
fi

# Total time per IRQ, BCC's default.
start hardirqs
wait_ready
disk_io
serial_io
stop
expect_header "HARDIRQ                    TOTAL_usecs"
expect "^[^ ]+ +[0-9]+$"

# Histograms, in nanoseconds: one section per IRQ name.
start hardirqs -d -N
wait_ready
disk_io
serial_io
stop
expect "^hardirq = [^ ]+$"
expect "^ +nsecs +: count +distribution$"
pass
