#!/bin/sh
# json: every applet of `bcct --list` with --json, all at once, around one shared workload (exec,
# exit, signals, opens, stats, CPU hogs, direct disk writes, a loopback TCP session, uprobed
# functions). The runs and the keys and types of their objects come from the tables of
# docs/JSON.md (the contract), so the two cannot drift apart: every stdout line must be one JSON
# object with exactly those keys, at every depth, and those types (integers as integers, "ts" in
# RFC 3339), checked by jsoncheck (tests/unit/jsoncheck.c); each run must print at least one
# object, the data its "!" keys name, and exit 0. An applet of --list without a run in
# docs/JSON.md fails the test.
# (Over 50 runs and an ext4 image to make: more than the default limit in an emulated guest.)
# timeout: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
. "$(dirname "$0")/_lib_fs.sh"
. "$(dirname "$0")/_lib_oom.sh"
need_workload jsoncheck
for w in cpuhog tcpconn funclat_target funcslower_target usdt_marker readline_target shm_ops \
	resolve_target tls_target bind_target sockcalls memops pty_writer setuid_calls; do need_workload "$w"; done
JC="$WORKLOADS/jsoncheck"
W=$WORKLOADS
DOC="$(dirname "$0")/../../docs/JSON.md"
[ -r "$DOC" ] || fail "no $DOC: the contract the runs come from"
: >"$OUT"; : >"$ERR"     # fail() shows them; the runs' own files are reported as they are checked

# The shapes' table (| NAME | `SPEC` |) and the runs' tables (| ID | `COMMAND` | `SPEC` |), shapes
# expanded and $W the workloads' directory: one run a line, ID|COMMAND|SPEC. IDs after the first
# of an applet are APPLET-SOMETHING.
sed -n 's/^| \([A-Z][A-Z]*\) | `\([^`]*\)` |$/\1 \2/p' "$DOC" >"$TMPD/shapes"
[ -s "$TMPD/shapes" ] || fail "no shapes table in $DOC"
expand=
while read -r name spec; do expand="$expand -e s#\\b$name\\b#$spec#g"; done <"$TMPD/shapes"
runs() {
	set -f      # the specs' [] and ? are no file patterns
	sed -n 's/^| \([a-z][a-zA-Z0-9_-]*\) | `\([^`]*\)` | `\([^`]*\)` |$/\1|\2|\3/p' "$DOC" |
		sed $expand -e "s#\\\$W#$W#g" -e "s#\\\$RTPID#$RTPID#g" -e "s#\\\$PMPID#$PMPID#g" \
			-e 's/\\|/|/g'   # "int\|null": a | escaped
	set +f
}
need_workload rt_fixture
RTPID=                    # the fixture's, once it runs (below)
# deadlock, pmlock, pmheld: a process whose marker mutex is contended once $TMPD/pm_go exists.
need_workload pmutex_target
"$W/pmutex_target" contend "$TMPD/pm_go" & PMPID=$!
runs >"$TMPD/runs"
# Applets this kernel cannot serve (`bcct features` says no: dcstat without kprobes or fentry)
# must refuse their run in one line, exit 1, rather than print.
"$BCCT" features 2>/dev/null | awk '$2 == "no" { print $1 }' >"$TMPD/refused"
# Every listed applet needs a run, or to be named as taking no --json (and then refuse it). An
# alias presetting another applet's options (ext4slower: fsslower -t ext4) prints through that
# applet's code and is covered by its run; aliases are the names of --list that `bcct features`
# does not list (it lists the ones with preset probes, vfscount, which need runs of their own).
"$BCCT" features 2>/dev/null | awk '/^APPLET / { a = 1; next } a { print $1 }' >"$TMPD/applets"
nojson=$(sed -n 's/^Applets without `--json`: \(.*\)\.$/\1/p' "$DOC" | tr -d '`,')
for a in $("$BCCT" --list | sed -n 's/^  \([a-z0-9_-]*\) .*/\1/p'); do
	case " $nojson " in
	*" $a "*)
		"$BCCT" "$a" --json >"$TMPD/nojson.out" 2>"$TMPD/nojson.err"; rc=$?
		[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMPD/nojson.err")" -eq 1 ] && [ ! -s "$TMPD/nojson.out" ] ||
			fail "$a --json: want one line and exit 2, got exit $rc: $(cat "$TMPD/nojson.err")"
		continue ;;
	esac
	grep -qx "$a" "$TMPD/applets" || continue
	grep -q "^$a|" "$TMPD/runs" || fail "no JSON check for applet $a: document its keys in docs/JSON.md and add a run here"
done
# The language-runtime engines trace one process of every runtime's probes (rt_fixture all, named
# ruby_* so that ustat finds it by name), which fires them once $TMPD/rt_go exists. It starts
# after the checks above (a minute in an emulated guest), its pid in the runs' commands.
cp "$W/rt_fixture" "$TMPD/ruby_rt"
"$TMPD/ruby_rt" all "$TMPD/rt_go" "json_$MARKER" 20 & RTPID=$!
runs >"$TMPD/runs"
# BCCT_JSON_ONLY=ID,ID: only those runs, to look at a few applets where the whole set is slow
# (an emulated guest: tests/vm/matrix passes it with BCCT_VM_APPEND, the kernel hands a
# command line's NAME=VALUE to /init as its environment). The pass line says it was a subset.
if [ -n "${BCCT_JSON_ONLY:-}" ]; then
	awk -F'|' -v only=",$BCCT_JSON_ONLY," 'index(only, "," $1 ",")' "$TMPD/runs" >"$TMPD/runs.only"
	[ -s "$TMPD/runs.only" ] || fail "BCCT_JSON_ONLY=$BCCT_JSON_ONLY names no run of docs/JSON.md"
	mv "$TMPD/runs.only" "$TMPD/runs"
fi

PIDS=
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	for m in $FS_MOUNTS; do umount "$m" 2>/dev/null; done
	oom_cleanup
	rm -rf "$TMPD"
}
setup_disk
fs_dir ext4                           # fsslower/fsdist/fileslower: a directory on ext4 (FSDIR)
mkdir "$TMPD/mnt"                     # mountsnoop: a tmpfs mounted there
# ttysnoop: a pseudo-terminal whose pts ($PTS in the runs) gets text once "$TMPD/ptygo" exists.
"$W/pty_writer" "$TMPD/pts" "$TMPD/ptygo" "json-$MARKER" " two" & PTYW=$!
n=50
while [ ! -s "$TMPD/pts" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
PTS=$(cat "$TMPD/pts" 2>/dev/null) || fail "pty_writer did not open a pseudo-terminal"
# Runs whose data this machine cannot make, "ID|why": reported, not checked.
: >"$TMPD/nodata"
oom_setup || echo "oomkill|no OOM kill can be made here ($OOM_NONE)" >>"$TMPD/nodata"
THREADS="$(dirname "$W")/workloads-dynamic/threads"   # threadsnoop: libc.so.6's pthread_create
[ -x "$THREADS" ] || echo "threadsnoop|no dynamically linked workload (no C library here)" >>"$TMPD/nodata"
# Runs whose events no workload here can cause, "ID|why": checked when they printed something.
echo "drsnoop|no direct reclaim happened (it needs the whole machine short of memory)" >"$TMPD/chance"
# The workload drops no TCP packet on purpose (tests/live/tcpdrop.sh does, with nftables); a
# host's own traffic usually gives some, a VM guest's none.
echo "tcpdrop|no TCP packet was dropped while it ran" >>"$TMPD/chance"
# A block request failing needs a failing disk (tests/live/bioerr.sh makes one).
echo "bioerr|no block request failed while it ran" >>"$TMPD/chance"
# Loading a kernel module is no test workload (tests/live/modsnoop.sh is load-only too); a host
# may load one meanwhile, a VM guest loads its modules at boot.
echo "modsnoop|no kernel module was loaded while it ran" >>"$TMPD/chance"

# attached_wait SECONDS: until every run started so far has attached or ended, at most SECONDS by
# the clock. One grep per pass over the runs not yet attached: in an emulated guest a pass that
# forked a grep and a kill per run (about 200) took seconds, so the old 600 passes ran for many
# minutes past the test's limit.
attached_wait() {
	end=$(( $(date +%s) + $1 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		waiting=0
		for f in $(sed "s#^\([^ ]*\) .*#$TMPD/\1.err#" "$TMPD/pids" | xargs grep -L 'attached [0-9]* links' 2>/dev/null); do
			id=${f##*/}; id=${id%.err}
			kill -0 "$(awk -v id="$id" '$1 == id { print $2; exit }' "$TMPD/pids")" 2>/dev/null && { waiting=1; break; }
		done
		[ "$waiting" = 0 ] && return 0
		sleep 0.2
	done
}
: >"$TMPD/pids"

# Start every run but tplist's (it attaches nothing and ends by itself), in this shell so that it
# can wait for them. The argument strings hold spaces only in trace's probe, the last argument.
while IFS='|' read -r id cmd spec; do
	set -f
	# $DISK: the test's disk (biolatpcts); $PTS: the workload's pseudo-terminal (ttysnoop).
	# $SELF: this shell, whose children make the workload (shellsnoop).
	cmd=$(printf '%s\n' "$cmd" | sed -e "s#\\\$DISK#$DISK#g" -e "s#\\\$PTS#$PTS#g" -e "s#\\\$SELF#$$#g")
	case $id in
	tplist*) "$BCCT" $cmd --json >"$TMPD/$id.out" 2>"$TMPD/$id.err"; echo $? >"$TMPD/$id.rc"; set +f; continue ;;
	bpflist) echo "$cmd" >"$TMPD/bpflist.cmd"; set +f; continue ;;   # once the others hold programs
	trace) "$BCCT" ${cmd%% t:*} "t:${cmd#* t:}" --json -v >"$TMPD/$id.out" 2>"$TMPD/$id.err" & ;;
	*) "$BCCT" $cmd --json -v >"$TMPD/$id.out" 2>"$TMPD/$id.err" & ;;
	esac
	set +f
	echo "$id $!" >>"$TMPD/pids"
done <"$TMPD/runs"
PIDS="$(cut -d' ' -f2 "$TMPD/pids") $RTPID $PMPID"

# Wait until all have attached (one slow start must not stop the others' checks: 60 s at most).
attached_wait 60
sleep 0.5
# the memory left with every run attached (a VM guest has 1 GB for all of them)
echo "json: $(wc -l <"$TMPD/pids") runs attached; $(grep MemAvailable /proc/meminfo)"
if [ -f "$TMPD/bpflist.cmd" ]; then
	"$BCCT" $(cat "$TMPD/bpflist.cmd") --json >"$TMPD/bpflist.out" 2>"$TMPD/bpflist.err"
	echo $? >"$TMPD/bpflist.rc"
fi

# The workload, about 4 s. (In the VM guests device interrupts come only from the serial
# console, as in hardirqs.sh.)
if [ -n "${BCCT_VM:-}" ] && [ -w /dev/ttyS0 ]; then
	i=0
	while [ $i -lt 100 ]; do echo "json test line $i" >/dev/ttyS0; i=$((i + 1)); done
fi
# A file name that is not UTF-8: its byte 0xff must reach opensnoop's JSON as \udcff.
BADNAME="$TMPD/bcct-json-$(printf '\377')-$MARKER"
: >"$BADNAME"
rm -f "$TMPD/go" "$TMPD/go.done"
"$W/funclat_target" "$TMPD/go" 5 3 5 >/dev/null &
FL=$!
"$W/funcslower_target" "$TMPD/go" 2 2 >/dev/null &
FS=$!
for i in 1 2 3; do "$W/cpuhog" 3 >/dev/null & done
sleep 0.2
touch "$TMPD/go" "$TMPD/ptygo"
ln -s "$W/readline_target" "$TMPD/bash" && "$TMPD/bash" "echo $MARKER" # bashreadline, bashfunc: a "bash"
"$W/resolve_target" "json-$MARKER"       # gethostlatency: its stand-in resolvers
touch "$TMPD/pm_go"                      # deadlock, pmlock, pmheld: a contended mutex
touch "$TMPD/rt_go"                      # the u* engines: every runtime's probes, then 1.5 s
"$W/tls_target" "json-$MARKER"           # sslsniff: its stand-in OpenSSL calls
cp "$W/biosnoop_dio" "$TMPD/writer"
"$TMPD/writer" "$TARGET" 20 >/dev/null || fail "the direct-I/O workload failed"
PORT=$((20000 + $$ % 30000))
"$W/tcpconn" "$PORT" 8 >/dev/null 2>&1 || "$W/tcpconn" $((PORT + 1)) 8 >/dev/null 2>&1
"$W/bind_target" $((PORT + 100))          # bindsnoop: binds, one failing
# the book's socket tools: connect/accept/I/O, a UDP connect, a reset and its dropped SYN
# (tcpreset, skbdrop), pings (superping), ECN CE datagrams (ipecn)
# and a receive window filled (tcpnagle's blocked time)
for m in tcp udp ping ecn window; do "$W/sockcalls" $m $((PORT + 200)) >/dev/null; done
"$W/sockcalls" refused $((PORT + 201)) >/dev/null
dd if=/dev/zero of="$FSDIR/$MARKER" bs=4096 count=4 conv=fsync 2>/dev/null
dd if="$FSDIR/$MARKER" of=/dev/null bs=4096 2>/dev/null
# fmapfault: a program run from ext4 faults its pages in through filemap_fault (a VM guest's
# own programs are on its tmpfs root, whose faults are shmem's)
# (busybox, named after its applet "true")
mkdir "$FSDIR/bin-$MARKER" && cp /bin/busybox "$FSDIR/bin-$MARKER/true" && "$FSDIR/bin-$MARKER/true"
: >"$TMPD/life-$MARKER"; rm "$TMPD/life-$MARKER"       # filelife: a file born and removed
head -c 65536 /dev/zero >"$FSDIR/wb-$MARKER"    # writeback: dirty pages for the sync
sync
mount -t tmpfs "json$MARKER" "$TMPD/mnt" && umount "$TMPD/mnt"
[ -n "$OOM_NONE" ] || oom_kill_one || fail "the OOM workload was not killed by the OOM killer"
[ -x "$THREADS" ] && "$THREADS" 3
"$W/shm_ops" >/dev/null                 # shmsnoop
# compactsnoop: every zone compacted in this shell's context.
echo 1 2>/dev/null >/proc/sys/vm/compact_memory ||
	echo "compactsnoop|no /proc/sys/vm/compact_memory (CONFIG_COMPACTION off)" >>"$TMPD/nodata"
"$W/scm_pass" "$W/scm_pass" >/dev/null &  # sofdsnoop: descriptors over a socketpair (held 1 s)
# smpcalls: TLB shootdowns between the CPUs (needs 2); kvmexits: a one-page KVM guest's exits.
"$W/memops" tlb 500 2>/dev/null ||
	echo "smpcalls|no cross-CPU call could be made here (one CPU)" >>"$TMPD/nodata"
"$W/memops" kvm 50 2>/dev/null ||
	echo "kvmexits|no KVM guest can run here" >>"$TMPD/nodata"
"$W/setuid_calls" 4242                  # setuids; its last setuid fails with EPERM (eperm)
for i in 1 2 3; do
	sh -c "/bin/echo $MARKER >/dev/null; cat /etc/hostname >/dev/null; ls -l / >/dev/null; exit 3"
	cat "$BADNAME" >/dev/null
	sleep 30 &
	kill -TERM $! 2>/dev/null
	sleep 0.5
done
wait "$FL"
sleep 1.5
rm -f "$TMPD/go"                      # funcslower_target waits for it to go before exiting
wait "$FS" 2>/dev/null
rm -f "$TMPD/ptygo"                   # pty_writer, done writing, waits for it to go
wait "$PTYW" 2>/dev/null
sleep 1

# Stop the runs still going; each must exit 0.
while read -r id pid; do kill -INT "$pid" 2>/dev/null; done <"$TMPD/pids"
while read -r id pid; do
	n=100
	while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	# one that did not end: where it waits, in the lines its failure report shows
	if kill -0 "$pid" 2>/dev/null; then
		echo "still running 10 s after SIGINT: state $(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)," \
			"wchan $(cat "/proc/$pid/wchan" 2>/dev/null), $(ls "/proc/$pid/task" 2>/dev/null | wc -l) threads," \
			"stack: $(head -n 4 "/proc/$pid/stack" 2>/dev/null | awk '{ print $2 }' | tr '\n' ' ')" >>"$TMPD/$id.err"
		kill -9 "$pid" 2>/dev/null
	fi
	wait "$pid"
	echo $? >"$TMPD/$id.rc"
done <"$TMPD/pids"
PIDS=
wait

# check ID FILE SPEC: validates FILE; prints "ID: N objects" or the errors.
bad=
check() {
	if r=$("$JC" "$3" "$2" 2>"$TMPD/jc.err"); then
		echo "json $1: $r"
		echo "$1 ${r% objects}" >>"$TMPD/counts"
	else
		echo "json $1: INVALID ($r)"
		head -n 20 "$TMPD/jc.err" | sed 's/^/    /'
		bad="$bad $1"
	fi
}
while IFS='|' read -r id cmd spec; do
	rc=$(cat "$TMPD/$id.rc")
	if grep -qx "${cmd%% *}" "$TMPD/refused"; then
		if [ "$rc" = 1 ] && [ "$(grep -vc '^libbpf: ' "$TMPD/$id.err")" -ge 1 ]; then
			echo "json $id: refused (bcct features: not on this kernel)"
		else
			echo "json $id: exited with status $rc, expected 1 (bcct features: not on this kernel)"
			echo "$id" >>"$TMPD/bad"
		fi
		continue
	fi
	why=$(sed -n "s/^$id|//p" "$TMPD/nodata")
	if [ -n "$why" ]; then
		echo "json $id: not checked: $why"
		continue
	fi
	why=$(sed -n "s/^$id|//p" "$TMPD/chance")
	if [ -n "$why" ] && [ "$rc" = 0 ] && [ ! -s "$TMPD/$id.out" ]; then
		echo "json $id: not checked: $why"
		continue
	fi
	if [ "$rc" != 0 ]; then
		echo "json $id: exited with status $rc"
		grep -v -e '^libbpf: ' "$TMPD/$id.err" | tail -n 5 | sed 's/^/    /'
		echo "$id" >>"$TMPD/bad"
		continue
	fi
	bad=
	check "$id" "$TMPD/$id.out" "$spec"
	[ -z "$bad" ] || echo "$id" >>"$TMPD/bad"
done <"$TMPD/runs"
[ -s "$TMPD/bad" ] && fail "invalid or missing JSON from: $(tr '\n' ' ' <"$TMPD/bad")"
! grep -q '^opensnoop|' "$TMPD/runs" ||   # (not in a BCCT_JSON_ONLY subset)
	grep -q "\"path\":\"[^\"]*/bcct-json-\\\\udcff-$MARKER\"" "$TMPD/opensnoop.out" ||
	fail "opensnoop: the file name's byte 0xff is not \\udcff in the JSON path"
pass "${BCCT_JSON_ONLY:+only $BCCT_JSON_ONLY: }$("$BCCT" --list | grep -c '^  ') applets in $(wc -l <"$TMPD/runs") runs, every line as docs/JSON.md says; objects: $(tr '\n' ',' <"$TMPD/counts" | sed 's/,$//; s/,/, /g')"
