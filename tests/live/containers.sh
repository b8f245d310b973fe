#!/bin/sh
# containers: the static workloads run under `unshare --pid --mount --fork --root ROOT` (a
# process in its own pid and mount namespaces with another root directory), and the tools that
# take a process find its files as it sees them, inside its root:
# - trace -p, funccount -p, funclatency -p, stackcount -p and argdist -p attach to a binary at a
#   path that exists only in the container, and count its marker calls exactly;
# - a binary whose path exists on both sides (the host's copy runs too): the container's copy is
#   the one attached (the host's copy under that name would never fire for the process);
# - a bare name found in the process's own mappings (a static workload mapped as libbcctct.so.1),
#   and a real shared library: a copy of libc at a path the host lacks, under a dynamic dash
#   (where the host has one), "c:chdir" counted exactly;
# - a USDT probe of a container-only binary: tplist -p and tplist -p -l list it under its
#   container path, funccount -p counts it;
# - symbolic links inside the root: an absolute one and one with "../.." leading to a file that
#   exists only on the host are not followed (with openat2, and with the walk by hand that kernels
#   before 5.6 take: BCCT_DISABLE=openat2); one staying inside the root is;
# - opensnoop -F prints the relative and the absolute opens of the contained process from its
#   own root, not the host's.
. "$(dirname "$0")/lib.sh"
start_fresh() { : >"$OUT"; : >"$ERR"; start "$@"; }
# A contained process is its pid namespace's init: only SIGKILL ends it from here. None outlives
# the test, whatever part fails.
CPIDS=
trap 'for p in $CPIDS; do kill -9 "$p" 2>/dev/null; done; cleanup' EXIT
need_workload trace_target
need_workload usdt_marker
need_workload opensnoop_open
has_cmd unshare || skip "no unshare"
# $CTR PROG ARGS: PROG (a path inside ROOT) in new pid and mount namespaces with ROOT as its root
# directory, working in /data: util-linux's unshare --root --wd; busybox's unshare (the VM
# guests) has neither, so chroot (which starts in "/") there. A command, not a function: its
# child must be the contained process. ROOT (under mktemp's name) has no spaces.
if unshare --pid --mount --fork --root / --wd / true 2>/dev/null; then
	WD=/data
	CTR='unshare --pid --mount --fork --root $ROOT --wd /data'
elif unshare --pid --mount --fork chroot / true 2>/dev/null; then
	WD=/
	CTR='unshare --pid --mount --fork chroot $ROOT'
else
	skip "neither unshare --root nor unshare with chroot works here"
fi
N=4
# The test directory as the host names it (no links: the kernel's name of the root must match),
# and the same path inside the container.
D=$(cd "$TMPD" && pwd -P)
ROOT="$D/root"
eval "CTR=\"$CTR\""
mkdir -p "$ROOT/opt/ctr" "$ROOT/data" "$ROOT$D/same" "$D/same" "$D/hostonly"
cp "$WORKLOADS/trace_target" "$ROOT/opt/ctr/trace_target"
cp "$WORKLOADS/trace_target" "$ROOT/opt/ctr/libbcctct.so.1"
cp "$WORKLOADS/usdt_marker" "$ROOT/opt/ctr/usdt_marker"
cp "$WORKLOADS/trace_target" "$ROOT$D/same/trace_target"
cp "$WORKLOADS/trace_target" "$D/same/trace_target"       # the host's file of the same name
cp "$WORKLOADS/trace_target" "$D/hostonly/trace_target"   # only on the host
ln -s "$D/hostonly/trace_target" "$ROOT/opt/ctr/abs_escape"
ln -s "../../../../../../../../../..$D/hostonly/trace_target" "$ROOT/opt/ctr/rel_escape"
ln -s /opt/ctr/trace_target "$ROOT/opt/ctr/abs_inside"
[ -e "$D/hostonly/trace_target" ] && [ ! -e "/opt/ctr/trace_target" ] || skip "/opt/ctr exists on the host"

# ctr PROG ARGS...: $CTR in the background, the contained process's pid as we see it in $CPID.
ctr() {
	$CTR "$@" &
	UPID=$!
	CPID=
	n=100
	while [ -z "$CPID" ] && [ "$n" -gt 0 ]; do
		CPID=$(cat "/proc/$UPID/task/$UPID/children" 2>/dev/null | awk '{ print $1 }')
		[ -n "$CPID" ] || sleep 0.05
		n=$((n - 1))
	done
	[ -n "$CPID" ] || fail "the contained process did not start"
	CPIDS="$CPIDS $CPID"
	# The child changes its root after the fork: wait for it.
	while [ "$(readlink "/proc/$CPID/root")" != "$ROOT" ] && [ "$n" -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	[ "$(readlink "/proc/$CPID/root")" = "$ROOT" ] ||
		fail "the contained process's root is $(readlink "/proc/$CPID/root"), not $ROOT"
}
# ctr_target PROG: trace_target at PROG (inside ROOT) in the container, to make N calls once /go
# exists. ctr_calls, once the tool is started: lets it attach, the calls happen, stops the tool.
ctr_target() {
	rm -f "$ROOT/go" "$ROOT/go.done"
	ctr "$1" /go "$N"
}
ctr_calls() {
	wait_ready
	touch "$ROOT/go"
	n=300
	while [ ! -e "$ROOT/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$ROOT/go.done" ] || fail "the contained workload did not make its calls"
	sleep "${LINGER:-0.2}"
	stop
	wait "$UPID"
}
# funccount's COUNT column of NAME's row (0 when absent).
fc_count() { awk -v n="$1" '$1 == n && NF == 2 { c = $2 } END { print c + 0 }' "$OUT"; }

# 1. A path that exists only in the container; two functions (one uprobe_multi link where the
# kernel has them; kernels before 5.15 have no attach cookies to tell several apart: one there).
if [ "$("$BCCT" features | awk '$1 == "attach_cookie" { print $2 }')" = no ]; then
	FUNCS=bcct_tr_inner
else
	FUNCS="bcct_tr_inner bcct_tr_outer"
fi
ctr_target /opt/ctr/trace_target
[ "$FUNCS" = bcct_tr_inner ] && SPEC=bcct_tr_inner || SPEC='bcct_tr_*'
start_fresh funccount -p "$CPID" "/opt/ctr/trace_target:$SPEC"
ctr_calls
for f in $FUNCS; do
	[ "$(fc_count $f)" -eq "$N" ] || fail "funccount: container-only path: $f counted $(fc_count $f), expected $N"
done

# 2. The same path on both sides, the host's copy running too: the container's copy is attached.
rm -f "$D/go"
"$D/same/trace_target" "$D/go" 9 &
HPID=$!
touch "$D/go"
ctr_target "$D/same/trace_target"
start_fresh funccount -p "$CPID" "$D/same/trace_target:bcct_tr_inner"
ctr_calls
wait "$HPID"
[ "$(fc_count bcct_tr_inner)" -eq "$N" ] || fail "funccount: same-named path counted $(fc_count bcct_tr_inner), expected $N (the container's calls)"

# 3. A bare name from the process's own mappings.
ctr_target /opt/ctr/libbcctct.so.1
start_fresh funccount -p "$CPID" bcctct:bcct_tr_inner
ctr_calls
[ "$(fc_count bcct_tr_inner)" -eq "$N" ] || fail "funccount: bcctct (from the maps) counted $(fc_count bcct_tr_inner), expected $N"

# 4. trace -p: arguments of each call.
ctr_target /opt/ctr/trace_target
start_fresh trace -p "$CPID" '/opt/ctr/trace_target:bcct_tr_inner "i=%d", arg1'
ctr_calls
i=0
while [ "$i" -lt "$N" ]; do
	expect "^$CPID +$CPID +trace_target +bcct_tr_inner +i=$i$"
	i=$((i + 1))
done

# 5. funclatency -p: every call timed.
ctr_target /opt/ctr/trace_target
start_fresh funclatency -p "$CPID" /opt/ctr/trace_target:bcct_tr_inner
ctr_calls
expect "^avg = [0-9]+ nsecs, total: [0-9]+ nsecs, count: $N$"

# 6. stackcount -p: every call's stack counted (summed over the stacks printed).
ctr_target /opt/ctr/trace_target
start_fresh stackcount -p "$CPID" /opt/ctr/trace_target:bcct_tr_inner
ctr_calls
SC=$(awk '/^    [0-9]+$/ { c += $1 } END { print c + 0 }' "$OUT")
[ "$SC" -eq "$N" ] || fail "stackcount: counted $SC calls, expected $N"

# 7. argdist -p: each value of the first argument once (printed each second: -c -i 1, one more).
ctr_target /opt/ctr/trace_target
start_fresh argdist -c -i 1 -p "$CPID" -C 'p:/opt/ctr/trace_target:bcct_tr_inner(long i):long:i'
LINGER=1.5
ctr_calls
LINGER=
i=0
while [ "$i" -lt "$N" ]; do
	grep -Eq "^	1 +i = $i$" "$OUT" || fail "argdist: i = $i not counted once"
	i=$((i + 1))
done

# 8. USDT: tplist -p lists the container's binary under the path the process knows; funccount -p
# counts its probe (usdt_marker fires bcct_test:marker twice per 100 ms).
ctr /opt/ctr/usdt_marker 3
sleep 0.3
"$BCCT" tplist -p "$CPID" >"$OUT" 2>"$ERR" || fail "tplist -p failed"
expect "^/opt/ctr/usdt_marker bcct_test:marker$"
"$BCCT" tplist -p "$CPID" -l /opt/ctr/usdt_marker >"$OUT" 2>"$ERR" || fail "tplist -p -l failed"
expect "^/opt/ctr/usdt_marker bcct_test:marker$"
start_fresh funccount -p "$CPID" u:/opt/ctr/usdt_marker:bcct_test:marker
wait_ready
sleep 1
stop
[ "$(fc_count marker)" -gt 0 ] || fail "funccount: the container's USDT probe was not counted"
wait "$UPID"

# 9. Links out of the root are not followed; a link inside it is. Both lookups: openat2
# RESOLVE_IN_ROOT, and the walk by hand of kernels before 5.6.
for how in openat2 walk; do
	[ "$how" = walk ] && export BCCT_DISABLE=openat2
	ctr /opt/ctr/usdt_marker 3
	for link in abs_escape rel_escape; do
		"$BCCT" funccount -p "$CPID" -d 1 "/opt/ctr/$link:bcct_tr_inner" >"$OUT" 2>"$ERR"
		rc=$?
		[ "$rc" -eq 2 ] || fail "$how: /opt/ctr/$link (out of the root) gave exit $rc, expected 2"
		expect_err "cannot find library or executable \"/opt/ctr/$link\""
	done
	"$BCCT" tplist -p "$CPID" -l /opt/ctr/rel_escape >"$OUT" 2>"$ERR"
	[ $? -eq 2 ] || fail "$how: tplist -l followed a link out of the root"
	kill -9 "$CPID" 2>/dev/null
	wait "$UPID" 2>/dev/null
	ctr_target /opt/ctr/trace_target
	start_fresh funccount -p "$CPID" /opt/ctr/abs_inside:bcct_tr_inner
	ctr_calls
	[ "$(fc_count bcct_tr_inner)" -eq "$N" ] || fail "$how: a link inside the root counted $(fc_count bcct_tr_inner), expected $N"
	unset BCCT_DISABLE
done

# 11 (where the host has a dynamic dash): a real shared library, libc, copied into the container
# at a path the host does not have (/opt/ctrlib, through LD_LIBRARY_PATH): "c" is the process's
# own libc, found in its maps; the host's libc would never fire for it. dash waits for /go, then
# runs five "cd /" (one chdir() each).
DASH=
if [ -x /bin/dash ] && [ -e /lib64/ld-linux-x86-64.so.2 ] && [ ! -e /opt/ctrlib ] &&
	[ "$(ldd /bin/dash 2>/dev/null | grep -c '=>')" -eq 1 ] && ldd /bin/dash | grep -q 'libc\.so\.6 => /'; then
	LIBC=$(ldd /bin/dash | awk '$1 == "libc.so.6" { print $3 }')
	mkdir -p "$ROOT/bin" "$ROOT/lib64" "$ROOT/opt/ctrlib"
	cp /bin/dash "$ROOT/bin/dash"
	cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib64/ld-linux-x86-64.so.2"
	cp "$LIBC" "$ROOT/opt/ctrlib/libc.so.6"
	rm -f "$ROOT/go"
	LD_LIBRARY_PATH=/opt/ctrlib ctr /bin/dash -c 'while [ ! -e /go ]; do :; done; for i in 1 2 3 4 5; do cd /; done'
	start_fresh funccount -p "$CPID" c:chdir
	wait_ready
	touch "$ROOT/go"
	wait "$UPID"
	stop
	[ "$(fc_count chdir)" -eq 5 ] || fail "funccount: the container's libc chdir counted $(fc_count chdir), expected 5"
	DASH=", a container-only libc"
fi

# 10. opensnoop -F: a relative open (from /data, or from "/" under busybox) and an absolute one,
# both named from the container's root.
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/opensnoop_open" "$ROOT/opt/ctr/$MARKER"
: >"$ROOT/data/$MARKER.rel"
: >"$ROOT/$MARKER.abs"
start_fresh opensnoop -F -n "$COMM"
wait_ready
[ "$WD" = /data ] && REL=$MARKER.rel || REL=data/$MARKER.rel
$CTR "/opt/ctr/$MARKER" "$REL" "/$MARKER.abs"
sleep 0.5
stop
expect "^[0-9]+ +$COMM +[0-9]+ +0 /data/$MARKER\.rel$"
expect "^[0-9]+ +$COMM +[0-9]+ +0 /$MARKER\.abs$"
expect_not "$ROOT"
[ -n "$DASH" ] || DASH=" (no dynamic /bin/dash: the shared-library part not run)"
pass "trace/funccount/funclatency/stackcount/argdist -p, tplist -p and USDT in a container's root$DASH; links out of it refused (openat2 and by hand); opensnoop -F paths from the process's root"
