#!/bin/sh
# runqlat: run-queue latency histogram while CPU hogs compete; -P and -L sections are labelled
# "pid = N" / "tid = N" as BCC's (section_print_fn=int: no comm).
. "$(dirname "$0")/lib.sh"
need_workload cpuhog
cp "$WORKLOADS/cpuhog" "$TMPD/$MARKER"
# Three hogs on two CPUs for 3 s, started once the probes are attached (attaching takes seconds
# in an emulated guest): each waits on the run queue.
start runqlat -P 1 2
wait_ready
hogs=
for i in 1 2 3; do "$TMPD/$MARKER" 3 >/dev/null & hogs="$hogs${hogs:+|}$!"; done
wait_exit 15
wait
expect_header "Tracing run queue latency... Hit Ctrl-C to end."
expect "^pid = ($hogs)$"
expect_not "^pid = [0-9]+ "
expect "^ +usecs +: count +distribution$"
expect "^ +[0-9]+ -> [0-9]+ +: [1-9][0-9]* +\|\*+ *\|$"

start runqlat -L 1 2
wait_ready
hogs=
for i in 1 2 3; do "$TMPD/$MARKER" 3 >/dev/null & hogs="$hogs${hogs:+|}$!"; done
wait_exit 15
wait
expect "^tid = ($hogs)$"
expect_not "^tid = [0-9]+ "

# Interval mode with -m and a timestamp line, and the pid filter: three intervals while the
# filtered hog competes with two others (at least one interval holds its waits, however long
# attaching takes in an emulated guest: the hogs outlive it and are killed after).
"$TMPD/$MARKER" 60 >/dev/null &
hog=$!
"$TMPD/$MARKER" 60 >/dev/null &
h2=$!
"$TMPD/$MARKER" 60 >/dev/null &
h3=$!
start runqlat -mT -p "$hog" 1 3
wait_exit 20
kill "$hog" "$h2" "$h3" 2>/dev/null
wait
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
expect "^ +msecs +: count +distribution$"

# --comm and --cgroup select the task that waited (not the one running at the wakeup): with -P,
# the only sections are the hogs by that name / in that cgroup, while other tasks wait too.
start runqlat -P --comm "$(printf '%.15s' "$MARKER")" 1 2
wait_ready
hogs=
for i in 1 2 3; do "$TMPD/$MARKER" 2 >/dev/null & hogs="$hogs${hogs:+|}$!"; done
wait_exit 20
wait
expect "^pid = ($hogs)$"
[ "$(grep -c '^pid = ' "$OUT")" -eq "$(grep -Ec "^pid = ($hogs)$" "$OUT")" ] ||
	fail "--comm showed tasks not named $MARKER"
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/bcct-$MARKER" 2>/dev/null; then
	start runqlat -P --cgroup "$cg2/bcct-$MARKER" 1 2
	wait_ready
	sh -c "echo \$\$ > '$cg2/bcct-$MARKER/cgroup.procs'; exec '$TMPD/$MARKER' 2" >/dev/null &
	inside=$!
	"$TMPD/$MARKER" 2 >/dev/null &
	"$TMPD/$MARKER" 2 >/dev/null &
	wait_exit 20
	wait
	rmdir "$cg2/bcct-$MARKER"
	expect "^pid = $inside$"
	[ "$(grep -c '^pid = ' "$OUT")" -eq "$(grep -c "^pid = $inside$" "$OUT")" ] ||
		fail "--cgroup showed tasks outside the cgroup"
	CG=", --cgroup"
else
	CG=" (no cgroup v2 to test --cgroup)"
fi
pass "--comm$CG"
