#!/bin/sh
# BCC's pinned-map filters (core/mapfilter.c, bpf/bcct.bpf.h): --cgroupmap PATH keeps only tasks
# whose cgroup id is a key of the pinned hash map at PATH, --mntnsmap PATH only tasks whose mount
# namespace inode number is. The maps are made and pinned by tests/workloads/pin_map on a BPF file
# system mounted for the test. Shown through opensnoop (--mntnsmap: the test's own namespace in,
# an unshare -m one out), execsnoop (--cgroupmap: a new cgroup in, the test's own out) and profile
# (--cgroupmap with two CPU hogs). A map of the wrong type or key size, a missing path and a path
# outside a BPF file system are usage errors (exit 2, one line).
. "$(dirname "$0")/lib.sh"
need_workload pin_map
need_workload opensnoop_open
need_workload cpuhog
PIN="$WORKLOADS/pin_map"
FS="$TMPD/bpffs"
mkdir "$FS"
mount -t bpf bpf "$FS" 2>"$ERR" || skip "cannot mount a BPF file system: $(cat "$ERR")"
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
cg="${cg2:+$cg2/bcct-$MARKER}"
trap 'umount "$FS"; [ -n "$cg" ] && rmdir "$cg" 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM   # a timeout's SIGTERM still unmounts (through the EXIT trap)
"$PIN" "$FS/probe" hash 8 2>"$ERR" || skip "this kernel refuses to pin a BPF map: $(cat "$ERR")"

W="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/opensnoop_open" "$W"
D=$(cd "$TMPD" && pwd -P)
: >"$D/$MARKER.in"; : >"$D/$MARKER.out"

# --mntnsmap: the map lists this test's mount namespace.
"$PIN" "$FS/mntns" hash 8 "$(stat -L -c %i /proc/self/ns/mnt)" || fail "pin_map mntns"
has_cmd unshare && unshare -m true 2>/dev/null || skip "no unshare -m to make another mount namespace"
start opensnoop --mntnsmap "$FS/mntns"
wait_ready
unshare -m "$W" "$D/$MARKER.out"
"$W" "$D/$MARKER.in"
sleep 0.5
stop
expect "^[0-9]+ +$COMM +[0-9]+ +0 $D/$MARKER.in$"
expect_not "$MARKER.out"

# --cgroupmap: the map lists a new cgroup (its id is its directory's inode number).
[ -n "$cg" ] || skip "no cgroup v2 hierarchy mounted"
mkdir "$cg" || skip "cannot create a cgroup under $cg2"
"$PIN" "$FS/cgroups" hash 8 "$(stat -c %i "$cg")" || fail "pin_map cgroups"
start execsnoop --cgroupmap "$FS/cgroups"
wait_ready
/bin/echo "outside-$MARKER" >/dev/null
sh -c "echo \$\$ > '$cg/cgroup.procs'; exec /bin/echo 'inside-$MARKER'" >/dev/null
sleep 0.5
stop
expect "inside-$MARKER"
expect_not "outside-$MARKER"

# profile: of two hogs, only the one in the listed cgroup is sampled.
cp "$WORKLOADS/cpuhog" "$TMPD/in$$hog"
cp "$WORKLOADS/cpuhog" "$TMPD/out$$hog"
start profile -f -F 99 --cgroupmap "$FS/cgroups"
wait_ready
sh -c "echo \$\$ > '$cg/cgroup.procs'; exec '$TMPD/in$$hog' 1.5" &
hog=$!
"$TMPD/out$$hog" 1.5
wait "$hog"
stop
expect "^in$$hog;"
expect_not "^out$$hog;"

# Wrong maps: one line, exit 2.
"$PIN" "$FS/array" array 4 || fail "pin_map array"
"$PIN" "$FS/key4" hash 4 1 || fail "pin_map key4"
for bad in "--cgroupmap $FS/array|a map of type array; a hash map of cgroup ids is needed" \
	   "--mntnsmap $FS/key4|keys of 4 bytes; the mount namespace ids are 8-byte keys" \
	   "--cgroupmap $FS/missing|not a pinned BPF map \\(No such file or directory\\)" \
	   "--mntnsmap $D/$MARKER.in|not a pinned BPF map \\(not on a BPF file system\\)"; do
	"$BCCT" opensnoop ${bad%%|*} >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 2 ] || fail "opensnoop ${bad%%|*}: status $rc, want 2"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "opensnoop ${bad%%|*}: expected one line"
	expect_err "${bad#*|}"
done
pass
