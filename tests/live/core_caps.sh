#!/bin/sh
# Capabilities without root: a user with CAP_BPF and CAP_PERFMON (ambient, through capsh) runs
# what needs no tracefs (runqlat: tp_btf/raw_tp; opensnoop: the raw syscall hooks), and where tracefs is root's (mode 0700, as
# mounted by default) every tracepoint user says that tracefs is unreadable, exit 1, rather than
# that the tracepoint does not exist.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to hand capabilities to another user"
has_cmd capsh || skip "capsh not installed (libcap2-bin; scripts/deps installs it)"
TRACEFS=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events" ] && { TRACEFS=$d; break; }
done
[ -n "$TRACEFS" ] || skip "no tracefs mounted"
[ "$(stat -c %a "$TRACEFS")" = 700 ] || skip "tracefs $TRACEFS is mode $(stat -c %a "$TRACEFS"), readable by others"
chmod 755 "$TMPD"
cp "$BCCT" "$TMPD/bcct" && chmod 755 "$TMPD/bcct"
as_nobody() { # as_nobody CMD...: runs bcct CMD as nobody with CAP_BPF and CAP_PERFMON
	capsh --caps="cap_bpf,cap_perfmon,cap_setuid,cap_setgid,cap_setpcap+eip" --keep=1 --user=nobody \
		--addamb=cap_bpf,cap_perfmon -- -c '"$0" "$@"' "$TMPD/bcct" "$@" >"$OUT" 2>"$ERR"
}
as_nobody runqlat 1 1
rc=$?
[ "$rc" -eq 0 ] || fail "runqlat with CAP_BPF and CAP_PERFMON exited with $rc"
expect "usecs +: count +distribution"
as_nobody opensnoop -d 1
rc=$?
[ "$rc" -eq 0 ] || fail "opensnoop (raw syscall hooks) with CAP_BPF and CAP_PERFMON exited with $rc"
expect_header "PID    COMM               FD ERR PATH"

for cmd in "trace t:syscalls:sys_enter_openat" "tplist syscalls:sys_enter_openat"; do
	# shellcheck disable=SC2086
	as_nobody $cmd
	rc=$?
	[ "$rc" -eq 1 ] || fail "$cmd without tracefs access exited with $rc, expected 1"
	expect_err "tracefs \($TRACEFS\) is not readable by this user \(uid [0-9]+\): run as root"
	! grep -q "not found" "$ERR" || fail "$cmd says something is not found: $(cat "$ERR")"
done
pass "runqlat and opensnoop with CAP_BPF+CAP_PERFMON; trace, tplist name unreadable tracefs"
