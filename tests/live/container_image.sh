#!/bin/sh
# The Containerfile's image is FROM scratch with the binary only: bcct must trace with nothing
# but itself in its root, given the host's /proc and /sys as a privileged container has them.
# Without a container engine here, the same root is made by hand: a directory holding only what
# the Containerfile copies, /proc and /sys mounted in a private mount namespace, chroot.
. "$(dirname "$0")/lib.sh"
SRC=${BCCT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
for c in unshare chroot; do has_cmd $c || skip "no $c here"; done
[ -f "$SRC/CMakeLists.txt" ] || skip "no source tree here (the VM guests have tests/live only)"
[ -f "$SRC/Containerfile" ] || fail "no Containerfile"
grep -qx 'FROM scratch' "$SRC/Containerfile" || fail "the Containerfile is not FROM scratch"
copies=$(grep -c '^COPY' "$SRC/Containerfile")
[ "$copies" = 1 ] && grep -qx 'COPY build/bcct /bcct' "$SRC/Containerfile" || fail "the Containerfile copies more than build/bcct"
grep -qx 'ENTRYPOINT \["/bcct"\]' "$SRC/Containerfile" || fail "the entry point is not /bcct"
ROOT=$TMPD/root
mkdir -p "$ROOT/proc" "$ROOT/sys"
cp "$BCCT" "$ROOT/bcct"
# runqlat's probes are raw tracepoints: it works on any kernel this suite runs on.
unshare -m sh -c "mount -t proc proc '$ROOT/proc' && mount --rbind /sys '$ROOT/sys' &&
	exec chroot '$ROOT' /bcct runqlat 1 1" >"$OUT" 2>"$ERR" || fail "bcct runqlat in the binary-only root failed"
expect '^ +usecs +: count +distribution'
expect '^ +[0-9]+ -> [0-9]+ +: [1-9]'
pass "runqlat traced from a root holding only /bcct"
