# An OOM kill on demand, shared by oomkill.sh and json.sh. Source it after lib.sh; it is not a test
# itself. oom_setup makes a memory cgroup limited to 32 MiB (cgroup v2's memory.max, or v1's
# memory controller), in OOM_CG, or sets OOM_NONE to why it cannot; oom_kill_one runs a copy of
# tests/workloads/oom_hog named OOM_COMM in it, touching 256 MiB, and returns when the OOM killer
# has killed it (its PID in OOM_PID; 1 when it ended otherwise). The cgroup is removed on exit
# (oom_cleanup, called by the test's cleanup).
OOM_CG=
OOM_NONE=
OOM_PID=
OOM_COMM=$(printf '%.15s' "oomq$$")

oom_setup() {
	[ -x "$WORKLOADS/oom_hog" ] || { OOM_NONE="workload oom_hog not built"; return 1; }
	cp "$WORKLOADS/oom_hog" "$TMPD/$OOM_COMM"
	if [ -w /sys/fs/cgroup/cgroup.subtree_control ] &&
	   grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
		OOM_CG=/sys/fs/cgroup/bcct-oom-$$
		mkdir "$OOM_CG" && echo 32M >"$OOM_CG/memory.max" ||
			{ OOM_NONE="cannot make a cgroup v2 group limited by memory.max"; return 1; }
		echo 0 >"$OOM_CG/memory.swap.max" 2>/dev/null
	elif [ -w /sys/fs/cgroup/memory ]; then
		OOM_CG=/sys/fs/cgroup/memory/bcct-oom-$$
		mkdir "$OOM_CG" && echo 32M >"$OOM_CG/memory.limit_in_bytes" ||
			{ OOM_NONE="cannot make a cgroup v1 memory group"; return 1; }
	else
		OOM_NONE="no writable memory cgroup (v2 with the memory controller, or v1's memory hierarchy)"
		return 1
	fi
}

oom_kill_one() {
	sh -c 'echo $$ >"$1" && exec "$2" 256' sh "$OOM_CG/cgroup.procs" "$TMPD/$OOM_COMM" &
	OOM_PID=$!
	wait "$OOM_PID" 2>/dev/null
	[ $? -eq 137 ]   # SIGKILL
}

oom_cleanup() {
	[ -n "$OOM_CG" ] && rmdir "$OOM_CG" 2>/dev/null
	OOM_CG=
}
