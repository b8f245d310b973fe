#!/bin/sh
# memleak: a workload (tests/workloads/memleak_target.c) leaks known blocks from known functions
# (malloc 4 x 3000 bytes, calloc 2 x 1000, posix_memalign 3 x 512) and frees everything else it
# allocates (malloc, calloc, realloc, posix_memalign, aligned_alloc): the report holds exactly
# the three leaking stacks with their exact totals, in BCC's layout (title, "\t%d bytes in %d
# allocations from stack", "\t\t0x%016x\tname+0xoff [module]"), ascending. Run on the static
# workload with -O (its own allocator; the VM guests have no libc), -a (each allocation),
# --combined-only (the kernel's running totals, frames without addresses), -c (memleak runs the
# command), the dynamic one with the default -O c (libc.so.6; host only), -t (one line per call),
# --json; kernel mode on files the test creates and keeps (their dentries are outstanding);
# option errors.
# (About 70 s here, a dozen runs: more than the default limit in an emulated guest.)
# timeout: 360
. "$(dirname "$0")/lib.sh"
need_workload memleak_target
STATIC="$WORKLOADS/memleak_target"
DYNAMIC="$(dirname "$WORKLOADS")/workloads-dynamic/memleak_target"

# The last report as "bytes|allocs|frame,frame,..." lines (frames reduced to names).
report() {
	awk '
	/^\[[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\] Top [0-9]+ stacks with outstanding allocations:$/ { out = ""; s = ""; next }
	/^\t[0-9]+ bytes in [0-9]+ allocations from stack$/ {
		if (s != "") out = out s "\n"
		split($0, w, " "); s = w[1] "|" w[4] "|"; sub(/^\t/, "", s); next
	}
	/^\t\t/ { f = $0; sub(/^\t\t(0x[0-9a-f]+\t)?/, "", f); sub(/\+0x[0-9a-f]+ \[.*$/, "", f); s = s f ","; next }
	END { if (s != "") out = out s "\n"; printf "%s", out }
	' "$OUT"
}

# Runs memleak ARGS... around one run of BIN (@PID@ in ARGS: the workload's pid), stopping memleak
# after two reports while the workload still runs.
run_pid() {
	bin=$1; shift
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$bin" "$TMPD/go" &
	WPID=$!
	args=
	for a in "$@"; do
		shift
		[ "$a" = @PID@ ] && a=$WPID
		set -- "$@" "$a"
	done
	start memleak "$@"
	wait_ready
	touch "$TMPD/go"
	n=300
	while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$TMPD/go.done" ] || fail "workload did not finish its calls"
	sleep 2.3
	stop
	rm -f "$TMPD/go"
	wait "$WPID"
}

# The three leaks exactly, ascending by size, and nothing from the tidy function.
expect_leaks() {
	r=$(report)
	want="1536|3|bcct_ml_leak_align_q7,main,
2000|2|bcct_ml_leak_calloc_q7,main,
12000|4|bcct_ml_leak_malloc_q7,main,"
	# -c: the C library's start-up allocations are outstanding too (static: _dl_*)
	got=$(printf '%s\n' "$r" | grep '|bcct_ml_' | sed 's/\(main,\).*/\1/')
	[ "$got" = "$want" ] || { echo "--- report"; printf '%s\n' "$r"; fail "$1: expected exactly the three leaks"; }
	# the last report only: one printed while the tidy loop runs (a slow guest) rightly shows
	# its allocations of the moment
	case $r in *bcct_ml_tidy_q7*) fail "$1: the tidy function's allocations outstanding at the end" ;; esac
}

TAB=$(printf '\t')

run_pid "$STATIC" -O "$STATIC" -p @PID@ -o 0 1
expect_leaks "-p, -O static"
expect "^Attaching to pid $WPID, Ctrl\+C to quit\.$"
expect "^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] Top 10 stacks with outstanding allocations:$"
expect "^${TAB}${TAB}0x[0-9a-f]{16}${TAB}bcct_ml_leak_malloc_q7\+0x[0-9a-f]+ \[memleak_target\]$"

run_pid "$STATIC" -O "$STATIC" -p @PID@ -o 0 -a 1
expect_leaks "-a"
[ "$(grep -Ec "^${TAB}addr = [0-9a-f]+ size = 3000$" "$OUT")" -ge 4 ] || fail "-a: no 4 allocations of 3000 bytes"
expect_not "size = 777$"

run_pid "$STATIC" -O "$STATIC" -p @PID@ --combined-only -T 2 1
r=$(report | sed 's/\(main,\).*/\1/')
[ "$r" = "2000|2|bcct_ml_leak_calloc_q7,main,
12000|4|bcct_ml_leak_malloc_q7,main," ] || { printf '%s\n' "$r"; fail "--combined-only -T 2: expected the two largest leaks"; }
expect "^${TAB}${TAB}bcct_ml_leak_malloc_q7\+0x[0-9a-f]+ \[memleak_target\]$"
expect "Top 2 stacks"

run_pid "$STATIC" -O "$STATIC" -p @PID@ -z 1000 -Z 2000 -o 0 1
r=$(report | sed 's/\(main,\).*/\1/')
[ "$r" = "2000|2|bcct_ml_leak_calloc_q7,main," ] || { printf '%s\n' "$r"; fail "-z 1000 -Z 2000: expected calloc's leak only"; }

run_pid "$STATIC" -O "$STATIC" -p @PID@ -t
expect "^ *memleak_target-$WPID +\[[0-9]{3}\] [0-9]+\.[0-9]{6}: alloc entered, size = 3000$"
expect ": alloc exited, size = 3000, result = [0-9a-f]+$"
expect ": free entered, address = [0-9a-f]+, size = 777$"
expect_not "Top 10 stacks"

run_pid "$STATIC" -O "$STATIC" -p @PID@ -o 0 --json 1
tail -n 1 "$OUT" | grep -q '"stacks":\[{"bytes":1536,"allocs":3,"user_stack":\["bcct_ml_leak_align_q7+' ||
	fail "--json: the last interval lacks the posix_memalign leak"
tail -n 1 "$OUT" | grep -q '{"bytes":12000,"allocs":4,"user_stack":\["bcct_ml_leak_malloc_q7+' ||
	fail "--json: the last interval lacks the malloc leak"

# -c: memleak runs the command, and reports once more when it has exited.
rm -f "$TMPD/go" "$TMPD/go.done"
start memleak -c "$STATIC $TMPD/go" -O "$STATIC" -o 0 1
wait_ready
touch "$TMPD/go"
n=300
while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
sleep 1.3
rm -f "$TMPD/go"
wait_exit 10
expect "^Executing '$STATIC $TMPD/go' and tracing the resulting process\.$"
expect_leaks "-c"

if [ -x "$DYNAMIC" ]; then
	run_pid "$DYNAMIC" -p @PID@ -o 0 1
	expect_leaks "-p, libc.so.6"
	expect "^${TAB}${TAB}0x[0-9a-f]{16}${TAB}__libc_start_call_main\+0x[0-9a-f]+ \[libc\.so\.6\]$"
fi

# Kernel mode: files the test creates and keeps hold their dentries (kmem_cache_alloc from
# d_alloc), outstanding; -z/-Z keep the report to objects of that size range.
start memleak -o 0 -z 100 -Z 300 -T 1000 2
wait_ready
mkdir "$TMPD/files"
i=0
while [ "$i" -lt 300 ]; do : >"$TMPD/files/$MARKER.$i"; i=$((i + 1)); done
sleep 2.5
stop
expect "^Attaching to kernel allocators, Ctrl\+C to quit\.$"
expect "^${TAB}${TAB}0x[0-9a-f]{16}${TAB}__?d_alloc[a-z_]*\+0x[0-9a-f]+ \[kernel\]$"

# Pages: a 4 MB file kept on tmpfs and an 8 MB one removed before the report. The kept file's
# shmem page allocations are outstanding, 4 MB of them (each page with its size and stack); the
# removed file's pages are freed. Without -a the pages are keyed by struct page at the raw
# tracepoints, with -a by frame number at the tracepoints (the addresses BCC prints). The upper
# bound is loose on purpose: a freed page reused at once by another allocation (the page
# allocator's per-CPU lists are LIFO) replaces its entry, so even unpaired frees would not show as
# a full 12 MB.
SHM=
for d in /dev/shm "$TMPD"; do
	[ "$(stat -f -c %T "$d" 2>/dev/null)" = tmpfs ] && { SHM=$d/memleak.$MARKER; break; }
done
shmem_pages() {
	r=$(report | awk -F'|' '$3 ~ /shmem_alloc/ { b += $1 } END { print b + 0 }')
	[ "$r" -ge 4194304 ] && [ "$r" -lt 12582912 ] ||
		fail "$1: shmem page bytes outstanding: $r, want at least the kept 4 MB (4194304), under 12 MB"
}
if [ -n "$SHM" ]; then
	for a in "" -a; do
		start memleak $a -o 0 -T 50 2
		wait_ready
		head -c 4194304 /dev/zero >"$SHM.kept"
		head -c 8388608 /dev/zero >"$SHM.gone"
		rm -f "$SHM.gone"
		sleep 2.5
		stop
		rm -f "$SHM.kept"
		shmem_pages "pages${a:+ with $a}"
	done
else
	echo "memleak: page check not run: no tmpfs at /dev/shm or $TMPD" >&2
fi

# --percpu: a new mount namespace copies every mount, and each copy allocates its per-CPU
# counters (alloc_vfsmnt); the namespace is held until the report. Read at the percpu raw
# tracepoints, whose arguments changed in 6.2 (the guests run both layouts).
start memleak --percpu -o 0 2
wait_ready
unshare --mount sleep 4 &
ns=$!
sleep 2.5
stop
wait "$ns"
expect "^${TAB}${TAB}0x[0-9a-f]{16}${TAB}alloc_vfsmnt\+0x[0-9a-f]+ \[kernel\]$"

# Option errors: one line, status 2.
"$BCCT" memleak -z 10 -Z 5 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-z above -Z: status $rc, expected 2 and one line"
expect_err "min_size \(-z\) can't be greater than max_size \(-Z\)"
"$BCCT" memleak -p 1 -c true >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "-p with -c: status $rc, expected 2"
"$BCCT" memleak -p 1 -O no_such_lib_q7 1 1 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "unknown -O: status $rc, expected 1 and one line"
pass
