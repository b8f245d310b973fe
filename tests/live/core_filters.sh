#!/bin/sh
# The shared in-kernel filters (bpf/bcct.bpf.h), through execsnoop: --cgroup keeps only tasks in
# a cgroup v2 directory (and below); -u keeps only one UID. Bad --cgroup is a usage error. The
# probe language's (argdist) --cgroup and --comm.
. "$(dirname "$0")/lib.sh"
need_workload spawn
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg2" ] || skip "no cgroup v2 hierarchy mounted"
cg="$cg2/bcct-$MARKER"
mkdir "$cg" || skip "cannot create a cgroup under $cg2"
trap 'rmdir "$cg" 2>/dev/null; cleanup' EXIT

start execsnoop --cgroup "$cg"
wait_ready
/bin/echo "outside-$MARKER" >/dev/null
sh -c "echo \$\$ > '$cg/cgroup.procs'; exec /bin/echo 'inside-$MARKER'" >/dev/null
sleep 0.5
stop
expect "inside-$MARKER"
expect_not "outside-$MARKER"

# The same filters compiled by the probe language (argdist): --cgroup and --comm.
start argdist -i 1 -C 't:syscalls:sys_enter_openat():char*:args->filename' --cgroup "$cg"
wait_ready
cat "$TMPD/outside-$MARKER" 2>/dev/null
sh -c "echo \$\$ > '$cg/cgroup.procs'; exec cat '$TMPD/inside-$MARKER'" 2>/dev/null
sleep 1.5
stop
expect "args->filename = $TMPD/inside-$MARKER$"
expect_not "outside-$MARKER"
start argdist -i 1 -C 't:syscalls:sys_enter_openat():char*:args->filename' --comm cat
wait_ready
cat "$TMPD/cat-$MARKER" 2>/dev/null
head "$TMPD/head-$MARKER" 2>/dev/null
sleep 1.5
stop
expect "args->filename = $TMPD/cat-$MARKER$"
expect_not "head-$MARKER"

# -u: only UID 65534 (nobody); spawn -u changes the UID before the exec.
start execsnoop -u 65534 -U
wait_ready
/bin/echo "root-$MARKER" >/dev/null
"$WORKLOADS/spawn" -u 65534 /bin/echo "nobody-$MARKER" >/dev/null
sleep 0.5
stop
expect "^65534 +echo .*nobody-$MARKER"
expect_not "root-$MARKER"

"$BCCT" execsnoop --cgroup /proc >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "--cgroup /proc: status $rc, want 2"
expect_err "not a cgroup v2 directory"
# -p naming no process: one warning line, and the tool still runs (BCC traces it silently).
sh -c 'exit 0' &
gone=$!
wait "$gone"
start opensnoop -p "$gone"
wait_ready
stop
expect_err "warning: -p $gone: no such process: nothing is traced unless a process gets that PID"

# On a hybrid host (v1 controllers beside the unified hierarchy) a v1 path points to the v2 one.
cg1=$(awk '$3 == "cgroup" { print $2; exit }' /proc/mounts)
if [ -n "$cg1" ]; then
	"$BCCT" execsnoop --cgroup "$cg1" >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 2 ] || fail "--cgroup $cg1 (v1): status $rc, want 2"
	expect_err "a cgroup v1 hierarchy: give the same group's path in the unified one"
fi
pass
