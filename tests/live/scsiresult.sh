#!/bin/sh
# scsiresult: 40 direct 4 KiB reads of a SCSI disk complete as 40 commands with DID_OK and
# SAM_STAT_GOOD, so that row counts at least 40, by its best probe and, where that is a kprobe,
# again through the classic tracepoint (its record's field placed by the tracefs format: 5.10
# has no BTF for the scsi_mod record). Without a SCSI disk (this host): the one-line refusal,
# then a skip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_hwdisk.sh"
hwdisk scsi_disk SCSI scsiresult
good() { awk '$1 == "DID_OK" && $2 == "SAM_STAT_GOOD" { print $3; exit }' "$OUT"; }

# count_good WHAT: scsiresult around 40 reads; its DID_OK SAM_STAT_GOOD row must count 40.
count_good() {
	start scsiresult -v
	wait_ready
	hwdisk_read 40
	sleep 0.5
	stop
	expect "^Tracing scsi command results\. Hit Ctrl-C to end\.$"
	expect_header "HOST                     STATUS                                  COUNT"
	[ "$(good)" -ge 40 ] 2>/dev/null || fail "$1: expected at least 40 DID_OK SAM_STAT_GOOD commands, got '$(good)'"
}
count_good "best probe"
best=$(good)
grep -q "probe cmd_done: kprobe" "$ERR" || pass "$best good commands on $HWDISK"
export BCCT_DISABLE=kprobe,raw_tp,tp_btf
count_good "tracepoint"
unset BCCT_DISABLE
expect_err "probe cmd_done: tracepoint"
pass "$best good commands on $HWDISK (kprobe), $(good) through the tracepoint"
