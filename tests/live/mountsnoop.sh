#!/bin/sh
# mountsnoop: a tmpfs mounted with mount(2) on a marker directory and unmounted, then mounted
# again through the new mount API (fsopen, fsconfig, fsmount, move_mount, mount_setattr) and
# unmounted; every call is printed as BCC prints mount/umount, with -P's parent columns.
. "$(dirname "$0")/lib.sh"
need_workload newmount
has_cmd mount || skip "no mount command"

D=$(cd "$TMPD" && pwd -P)/$MARKER
mkdir "$D"
start mountsnoop -P
wait_ready
mount -t tmpfs -o size=1m "src$MARKER" "$D" || fail "mount failed"
umount "$D" || fail "umount failed"
"$WORKLOADS/newmount" "$D" 2>"$TMPD/newmount.err" || fail "newmount failed: $(cat "$TMPD/newmount.err")"
# mount_setattr came in 5.12: before, the call fails and mountsnoop shows it failing.
SETATTR_RET=0
grep -q "mount_setattr: Function not implemented" "$TMPD/newmount.err" && SETATTR_RET=-ENOSYS
sleep 0.3
stop
expect_header "COMM             PID     TID     PCOMM            PPID    MNT_NS      CALL"
P="[0-9]+ +[0-9]+ +[^ ]+ +[0-9]+ +[0-9]+ +"
expect "^mount +$P"'mount\("src'"$MARKER\", \"$D\", \"tmpfs\", [^,]+, \"size=1m\"\) = 0$"
expect "^umount +$P"'umount\("'"$D"'", 0x0\) = 0$'
expect "^newmount +$P"'fsopen\("tmpfs", FSOPEN_CLOEXEC\) = [0-9]+$'
expect "^newmount +$P"'fsconfig\([0-9]+, FSCONFIG_SET_STRING, "size", "1m", 0\) = 0$'
expect "^newmount +$P"'fsconfig\([0-9]+, FSCONFIG_CMD_CREATE, NULL, NULL, 0\) = 0$'
expect "^newmount +$P"'fsmount\([0-9]+, FSMOUNT_CLOEXEC, 0x0\) = [0-9]+$'
expect "^newmount +$P"'move_mount\([0-9]+, "", -100, "'"$D"'", MOVE_MOUNT_F_EMPTY_PATH\) = 0$'
expect "^newmount +$P"'mount_setattr\(-100, "'"$D"'", 0x0, \{attr_set=MOUNT_ATTR_RDONLY, attr_clr=0x0\}\) = '"$SETATTR_RET"'$'
expect "^newmount +$P"'umount\("'"$D"'", 0x0\) = 0$'
pass
