#!/bin/sh
# scsiresult: 40 direct 4 KiB reads of a SCSI disk complete as 40 commands with DID_OK and
# SAM_STAT_GOOD, so that row counts at least 40. Without a SCSI disk (this host): the one-line
# refusal, then a skip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_hwdisk.sh"
hwdisk scsi_disk SCSI scsiresult
good() { awk '$1 == "DID_OK" && $2 == "SAM_STAT_GOOD" { print $3; exit }' "$OUT"; }

start scsiresult
wait_ready
hwdisk_read 40
sleep 0.5
stop
expect "^Tracing scsi command results\. Hit Ctrl-C to end\.$"
expect_header "HOST                     STATUS                                  COUNT"
[ "$(good)" -ge 40 ] 2>/dev/null || fail "expected at least 40 DID_OK SAM_STAT_GOOD commands, got '$(good)'"
pass "$(good) good commands on $HWDISK"
