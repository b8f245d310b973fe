#!/bin/sh
# bashreadline: an interactive bash in a pseudo-terminal (script(1)) reads two lines through
# readline; both appear, in order, with that bash's PID, in BCC's columns. A readline call of a
# process not named bash (the same bash through a symlink of another name, so the same file the
# uprobe is on) is not shown. -s: readline of another file (a workload standing in for a
# library), also where there is no bash (the VM guests).
. "$(dirname "$0")/lib.sh"
# -s: a library's (here a workload's) readline, in a process named bash (a symlink so named).
need_workload readline_target
ln -s "$WORKLOADS/readline_target" "$TMPD/bash"
start bashreadline -s "$WORKLOADS/readline_target"
wait_ready
"$TMPD/bash" "one-$MARKER" "two-$MARKER" & RPID=$!
wait "$RPID"
sleep 0.5
stop
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}  $RPID +one-$MARKER$"
expect "^[0-9:]{8}  $RPID +two-$MARKER$"
rm "$TMPD/bash"

has_cmd script || pass "-s (no script(1), util-linux: no pseudo-terminal to type into bash)"
BASH_BIN=$(command -v bash) || pass "-s (no bash)"
# typed NAME LINE...: an interactive bash named NAME in a pty reads each LINE, then exits.
typed() {
	name=$1; shift
	ln -sf "$BASH_BIN" "$TMPD/$name"
	{ for l in "$@"; do printf '%s\n' "$l"; done; printf 'exit\n'; } |
		script -qec "$TMPD/$name --norc --noprofile -i" /dev/null >/dev/null 2>&1
}

start bashreadline
wait_ready
typed bash "echo first-$MARKER" "echo \$\$ > $TMPD/pid; echo second-$MARKER"
typed notbash "echo hidden-$MARKER"
sleep 0.5
stop
expect_header "TIME      PID     COMMAND"
BPID=$(cat "$TMPD/pid" 2>/dev/null) || fail "the interactive bash did not run"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}  $BPID +echo first-$MARKER$"
expect "^[0-9:]{8}  $BPID +echo \\\$\\\$ > .* echo second-$MARKER$"
grep -n "first-$MARKER" "$OUT" | cut -d: -f1 >"$TMPD/l1"
grep -n "second-$MARKER" "$OUT" | cut -d: -f1 >"$TMPD/l2"
[ "$(cat "$TMPD/l1")" -lt "$(cat "$TMPD/l2")" ] || fail "lines out of order"
expect_not "hidden-$MARKER"
pass "-s, an interactive bash"
