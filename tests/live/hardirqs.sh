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

# Names of IRQs that fired between two irq_counts snapshots.
grown() {
	awk 'NR == FNR { before[$1] = $2; next } $2 > before[$1] { print $1 }' "$1" "$2" | sort -u
}

irq_counts >"$TMPD/before"
start hardirqs -C
wait_ready
disk_io
stop
irq_counts >"$TMPD/after"
grown "$TMPD/before" "$TMPD/after" >"$TMPD/fired"
[ -s "$TMPD/fired" ] || load_only "no device interrupts during the test (no disk or network IRQs here)"
expect_header "HARDIRQ                    TOTAL_count"
# Each IRQ seen by the kernel during the whole run was seen by the tracer too, unless it only
# fired outside the traced window: require at least the block device's (or any) to be present.
found=
while read -r name; do
	grep -Eq "^$name +[1-9][0-9]*$" "$OUT" && found="$found $name"
done <"$TMPD/fired"
[ -n "$found" ] || fail "none of the IRQs that fired ($(tr '\n' ' ' <"$TMPD/fired")) was counted"
if grep -q '^virtio.*-req' "$TMPD/fired"; then
	expect "^virtio[0-9]+-req[^ ]* +[1-9][0-9]*$"
fi

# Total time per IRQ, BCC's default.
start hardirqs
wait_ready
disk_io
stop
expect_header "HARDIRQ                    TOTAL_usecs"
expect "^[^ ]+ +[0-9]+$"

# Histograms, in nanoseconds: one section per IRQ name.
start hardirqs -d -N
wait_ready
disk_io
stop
expect "^hardirq = [^ ]+$"
expect "^ +nsecs +: count +distribution$"
pass
