#!/bin/sh
# nvmelatency: 40 direct 4 KiB reads of an NVMe namespace are 40 nvme_cmd_read commands, so its
# histogram counts at least 40, under the namespace's name; the admin commands line is printed.
# Without an NVMe disk (this host): the one-line refusal, then a skip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_hwdisk.sh"
hwdisk nvme NVMe nvmelatency
reads() { awk -v s="disk, opcode = $HWDISK, nvme_cmd_read" '/^disk, opcode = / { on = ($0 == s); next } on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT"; }

start nvmelatency
wait_ready
hwdisk_read 40
sleep 0.5
stop
expect "^Tracing nvme command latency\. Hit Ctrl-C to end\.$"
expect "^ +usecs +: count +distribution$"
expect "^admin commands: [0-9]+$"
[ "$(reads)" -ge 40 ] || fail "expected at least 40 nvme_cmd_read on $HWDISK, got $(reads)"
pass "$(reads) reads on $HWDISK"
