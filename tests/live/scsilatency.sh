#!/bin/sh
# scsilatency: 40 direct 4 KiB reads of a SCSI disk are 40 READ_10 (or READ_16) commands, so the
# histograms of the READ opcodes count at least 40 (the idle guest's own reads may add some).
# Without a SCSI disk (this host): the one-line refusal, then a skip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_hwdisk.sh"
hwdisk scsi_disk SCSI scsilatency
reads() { awk '/^opcode = / { on = ($3 ~ /^READ_(10|16)$/); next } on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT"; }

start scsilatency
wait_ready
hwdisk_read 40
sleep 0.5
stop
expect "^Tracing scsi latency\. Hit Ctrl-C to end\.$"
expect "^opcode = READ_(10|16)$"
expect "^ +usecs +: count +distribution$"
[ "$(reads)" -ge 40 ] || fail "expected at least 40 READ commands on $HWDISK, got $(reads)"
pass "$(reads) READ commands on $HWDISK"
