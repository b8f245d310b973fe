#!/bin/sh
# json: every applet of `bcct --list` with --json, all at once, around one shared workload (exec,
# exit, signals, opens, stats, CPU hogs, direct disk writes, a loopback TCP session, uprobed
# functions). Every stdout line must be one JSON object with the keys docs/JSON.md documents for
# that applet and those types (numbers as numbers), checked by jsoncheck (tests/unit/jsoncheck.c);
# each run must print at least one object and exit 0. An applet without a line in runs() below
# fails the test: a new applet documents its JSON and gets checked here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
. "$(dirname "$0")/_lib_fs.sh"
need_workload jsoncheck
for w in cpuhog tcpconn funclat_target funcslower_target usdt_marker; do need_workload "$w"; done
JC="$WORKLOADS/jsoncheck"
W=$WORKLOADS
: >"$OUT"; : >"$ERR"     # fail() shows them; the runs' own files are reported as they are checked

# Shapes shared by several applets (docs/JSON.md).
HIST='ts:string,hist:object,hist.unit:string,hist.buckets:array,hist.buckets[].low:number,hist.buckets[].high:number,hist.buckets[].count:number'
SUMMARY='unit:string,avg:number,total:number,count:number'
STACK='comm:string,pid:number,count:number,?kernel:array,?kernel[]:string,?user:array,?user[]:string,?kernel_missed:bool,?user_missed:bool'

# One run per line: ID|APPLET ARGS|SPEC, where SPEC is jsoncheck's, or "split" for the applets
# that print a histogram object per interval and then a summary object (HIST and SUMMARY, each
# needing at least one line). IDs after the first of an applet are APPLET-SOMETHING.
runs() {
	cat <<EOF
argdist|argdist -i 1 -C t:syscalls:sys_enter_openat():int:args->flags|probe:string,counts:array,counts[].count:number,counts[].event:string
argdist-H|argdist -i 1 -H t:syscalls:sys_enter_openat():int:args->flags|$HIST,probe:string
biolatency|biolatency 1|$HIST
biosnoop|biosnoop -Q|time:number,comm:string,pid:number,disk:string,t:string,sector:number,bytes:number,que_ms:number,lat_ms:number
cpudist|cpudist -e 1|split
execsnoop|execsnoop -T -t -U -M -C|time:string,timestamp:number,uid:number,comm:string,pid:number,pcomm:string,ppid:string,cpu:number,ret:number,args:string
exitsnoop|exitsnoop -t|timestamp:string,task:string,pid:number,ppid:number,tid:number,age:number,exit_code:number,sig_info:number
funccount|funccount -i 1 t:syscalls:sys_enter_openat|ts:string,func:string,count:number
funclatency|funclatency -i 1 $W/funclat_target:bcct_fl_sleep_ms|split Function:string
funcslower|funcslower -m 1 -t -U $W/funcslower_target:bcct_fs_work|ts:number,comm:string,pid:number,lat_ms:number,rval:string,func:string,user_stack:array,user_stack[]:string
hardirqs|hardirqs 1|ts:string,hardirq:string,total_usecs:number
killsnoop|killsnoop|time:string,pid:number,comm:string,sig:number,tpid:number,result:number
offcputime|offcputime|$STACK
opensnoop|opensnoop -T -U -e|time:number,uid:number,pid:number,comm:string,fd:number,err:number,flags:number,mode:number|string,path:string
profile|profile -F 99|$STACK
runqlat|runqlat 1|$HIST
runqlen|runqlen 1|$HIST
runqlen-O|runqlen -O -C 1|cpu:number,runqocc:number
runqslower|runqslower 1000|time:string,comm:string,tid:number,lat_us:number
sigsnoop|sigsnoop|time:string,pid:number,comm:string,sig:number,tpid:number,tcomm:string,result:number
ext4dist|ext4dist 1|$HIST,operation:string
ext4slower|ext4slower -j 0 --comm dd|time:string,comm:string,pid:number,type:string,bytes:number,off_kb:number,lat_ms:number,file:string
fsdist|fsdist -t ext4 -m 1|$HIST,operation:string
fsslower|fsslower -t ext4 0 --comm dd|time:string,comm:string,pid:number,type:string,bytes:number,off_kb:number,lat_ms:number,file:string
mountsnoop|mountsnoop -P|comm:string,pid:number,tid:number,pcomm:string,ppid:number,mnt_ns:number,call:string
syncsnoop|syncsnoop|time:number,call:string,pid:number,comm:string
softirqs|softirqs 1|ts:string,softirq:string,total_usecs:number
stackcount|stackcount -i 1 t:sched:sched_switch|$STACK
statsnoop|statsnoop -t -s|time:number,pid:number,comm:string,fd:number,err:number,syscall:string,path:string
syscount|syscount -i 1 -L|ts:string,syscall:string,count:number,time_us:number
tcplife|tcplife|pid:number,comm:string,ip:number,laddr:string,lport:number,raddr:string,rport:number,tx_kb:number,rx_kb:number,ms:number
tplist|tplist -v sched:sched_switch|tracepoint:string,?fields:array,?fields[].type:string,?fields[].name:string
tplist-usdt|tplist -l $W/usdt_marker|path:string,provider:string,name:string,semaphore:number,locations:array,locations[].address:number,locations[].args:string
trace|trace -T -M 20 t:syscalls:sys_enter_openat "%s", args->filename|time:string,pid:number,tid:number,comm:string,func:string,msg:string
EOF
}

runs >"$TMPD/runs"
# Every listed applet needs a run.
# (The other file systems' aliases of fsslower/fsdist print through the same code as the ext4
# runs; their file systems are not in the VM guests.)
for a in $("$BCCT" --list | sed -n 's/^  \([a-z0-9_]*\) .*/\1/p'); do
	case $a in xfsslower|btrfsslower|nfsslower|zfsslower|xfsdist|btrfsdist|nfsdist|zfsdist) continue ;; esac
	grep -q "^$a|" "$TMPD/runs" || fail "no JSON check for applet $a: document its keys in docs/JSON.md and add a run here"
done

PIDS=
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	for m in $FS_MOUNTS; do umount "$m" 2>/dev/null; done
	rm -rf "$TMPD"
}
setup_disk
fs_dir ext4                           # fsslower/fsdist: a directory on ext4 (FSDIR)
mkdir "$TMPD/mnt"                     # mountsnoop: a tmpfs mounted there

# Start every run but tplist's (it attaches nothing and ends by itself), in this shell so that it
# can wait for them. The argument strings hold spaces only in trace's probe, the last argument.
while IFS='|' read -r id cmd spec; do
	set -f
	case $id in
	tplist*) "$BCCT" $cmd --json >"$TMPD/$id.out" 2>"$TMPD/$id.err"; echo $? >"$TMPD/$id.rc"; set +f; continue ;;
	trace) "$BCCT" ${cmd%% t:*} "t:${cmd#* t:}" --json -v >"$TMPD/$id.out" 2>"$TMPD/$id.err" & ;;
	*) "$BCCT" $cmd --json -v >"$TMPD/$id.out" 2>"$TMPD/$id.err" & ;;
	esac
	set +f
	echo "$id $!" >>"$TMPD/pids"
done <"$TMPD/runs"
PIDS=$(cut -d' ' -f2 "$TMPD/pids")

# Wait until all have attached (one slow start must not stop the others' checks: 60 s at most).
n=600
while [ "$n" -gt 0 ]; do
	waiting=0
	while read -r id pid; do
		grep -q 'attached [0-9]* links' "$TMPD/$id.err" 2>/dev/null && continue
		kill -0 "$pid" 2>/dev/null && waiting=1
	done <"$TMPD/pids"
	[ "$waiting" = 0 ] && break
	sleep 0.1
	n=$((n - 1))
done
sleep 0.5

# The workload, about 4 s. (In the VM guests device interrupts come only from the serial
# console, as in hardirqs.sh.)
if [ -n "${BCCT_VM:-}" ] && [ -w /dev/ttyS0 ]; then
	i=0
	while [ $i -lt 100 ]; do echo "json test line $i" >/dev/ttyS0; i=$((i + 1)); done
fi
rm -f "$TMPD/go" "$TMPD/go.done"
"$W/funclat_target" "$TMPD/go" 5 3 5 >/dev/null &
FL=$!
"$W/funcslower_target" "$TMPD/go" 2 2 >/dev/null &
FS=$!
for i in 1 2 3; do "$W/cpuhog" 3 >/dev/null & done
sleep 0.2
touch "$TMPD/go"
cp "$W/biosnoop_dio" "$TMPD/writer"
"$TMPD/writer" "$TARGET" 20 >/dev/null || fail "the direct-I/O workload failed"
PORT=$((20000 + $$ % 30000))
"$W/tcpconn" "$PORT" 8 >/dev/null 2>&1 || "$W/tcpconn" $((PORT + 1)) 8 >/dev/null 2>&1
dd if=/dev/zero of="$FSDIR/$MARKER" bs=4096 count=4 conv=fsync 2>/dev/null
dd if="$FSDIR/$MARKER" of=/dev/null bs=4096 2>/dev/null
sync
mount -t tmpfs "json$MARKER" "$TMPD/mnt" && umount "$TMPD/mnt"
for i in 1 2 3; do
	sh -c "/bin/echo $MARKER >/dev/null; cat /etc/hostname >/dev/null; ls -l / >/dev/null; exit 3"
	sleep 30 &
	kill -TERM $! 2>/dev/null
	sleep 0.5
done
wait "$FL"
sleep 1.5
rm -f "$TMPD/go"                      # funcslower_target waits for it to go before exiting
wait "$FS" 2>/dev/null
sleep 1

# Stop the runs still going; each must exit 0.
while read -r id pid; do kill -INT "$pid" 2>/dev/null; done <"$TMPD/pids"
while read -r id pid; do
	n=100
	while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	kill -9 "$pid" 2>/dev/null
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
	if [ "$rc" != 0 ]; then
		echo "json $id: exited with status $rc"
		grep -v -e '^libbpf: ' "$TMPD/$id.err" | tail -n 5 | sed 's/^/    /'
		echo "$id" >>"$TMPD/bad"
		continue
	fi
	bad=
	case $spec in
	split*)
		extra=${spec#split}
		grep '"hist":' "$TMPD/$id.out" >"$TMPD/$id.hist"
		grep -v '"hist":' "$TMPD/$id.out" >"$TMPD/$id.summary"
		check "$id (histograms)" "$TMPD/$id.hist" "$HIST${extra:+,${extra# }}"
		check "$id (summaries)" "$TMPD/$id.summary" "$SUMMARY"
		;;
	*) check "$id" "$TMPD/$id.out" "$spec" ;;
	esac
	[ -z "$bad" ] || echo "$id" >>"$TMPD/bad"
done <"$TMPD/runs"
[ -s "$TMPD/bad" ] && fail "invalid or missing JSON from: $(tr '\n' ' ' <"$TMPD/bad")"
pass "$("$BCCT" --list | grep -c '^  ') applets in $(wc -l <"$TMPD/runs") runs, every line valid; objects: $(sed 's/ (histograms)/:hist/; s/ (summaries)/:summary/' "$TMPD/counts" | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
