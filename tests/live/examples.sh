#!/bin/sh
# examples: every example printed by every applet's --help runs, as printed, with the applet's
# real name: in the background, SIGINT after 2 s, exit status 0 within 5 s more, and no error
# line in its output. Two layouts are parsed: "    NAME ARGS    # comment" one per line, and
# (trace, argdist) "NAME ARGS" at the margin, possibly continued by a trailing backslash or an open
# single quote, followed by indented description lines. The text is split by the shell itself
# (eval, globbing off), so quoting, backslash-newline and quoted newlines mean what they would at a
# prompt. "./NAME" is run as NAME and reported: examples must use the real name.
# A kernel function example on a kernel without kprobes must fail with bcct's own refusal naming
# kprobes; it counts as "needs kprobes" here and must pass in the VM matrix (BCCT_VM set), whose
# kernels have kprobes. Examples that need something no test machine has are in NOT_RUN below.
# (Over 300 examples, 4 at a time: more than tests/run's default limit.)
# timeout: 900
. "$(dirname "$0")/lib.sh"
[ -x "$BCCT" ] || skip "no bcct binary at $BCCT"
"$BCCT" --list >"$TMPD/list" 2>&1 || skip "bcct --list failed: $(head -n 3 "$TMPD/list")"
APPLETS=$(sed -n 's/^  \([a-z0-9_-]*\) .*/\1/p' "$TMPD/list")
[ -n "$APPLETS" ] || skip "bcct --list names no applets"
# EXAMPLES_APPLETS="a,b,...": only these applets' examples (in a guest: those that need kprobes
# here, through BCCT_VM_APPEND="EXAMPLES_APPLETS=..."; the kernel passes it to /init).
if [ -n "${EXAMPLES_APPLETS:-}" ]; then
	APPLETS=$(echo $APPLETS | tr ' ' '\n' | grep -xF -e "$(echo "$EXAMPLES_APPLETS" | tr ',' '\n')")
	[ -n "$APPLETS" ] || fail "EXAMPLES_APPLETS names no applet: $EXAMPLES_APPLETS"
fi
PARALLEL=${EXAMPLES_PARALLEL:-4}
INT_AFTER=2     # seconds before SIGINT
# Seconds allowed after SIGINT: a hang detector, not the Ctrl-C target (bench/ctrlc measures
# that). sslsniff holds 22 uprobes, which the kernel releases one RCU grace period after another:
# 2-3 s alone, over 5 s with four examples at once on a busy machine.
GRACE=10
# An emulated guest loads and attaches several times slower: a SIGINT before bcct has installed
# its handler is lost (a background job starts with SIGINT ignored), and detaching hundreds of
# kprobes takes seconds there.
if [ -n "${BCCT_VM:-}" ]; then INT_AFTER=6 GRACE=20; fi
# All examples take 8-9 minutes in an emulated guest, over the matrix's per-test limit: the guests
# run them only when asked (tests/vm/matrix --applets examples --timeout 900 sets the limit high).
if [ -n "${BCCT_VM:-}" ] && [ "${TEST_TIMEOUT:-120}" -lt 600 ]; then
	skip "all examples take 8-9 min under emulation: tests/vm/matrix --applets examples --timeout 900"
fi

# APPLET|EXAMPLE-SUBSTRING|REASON: examples that name something the test machines (this host, the
# busybox guests) do not have. Each is printed as "not run". Keep it short and each reason true.
# A uprobe limited to one PID attaches to that process only, so a PID that does not exist is an
# error (ESRCH, as in BCC), unlike a kernel probe with a PID filter, which just prints nothing.
NOT_RUN='syscount|$(pidof dd)|needs a running dd: the PID comes from a command substitution
reset-trace|reset-trace|it rewrites tracefs under the other examples (tests/live/reset-trace.sh runs it alone)
funccount|./test:read*|needs a binary ./test in the current directory
funccount|u:node:|needs a node built with USDT probes (the installed one has none)
stackcount|u:node:|needs a node built with USDT probes (the installed one has none)
funccount|go:os.|needs libgo (gccgo runtime), not installed
tplist|basic_usdt|needs BCC'"'"'s test binary basic_usdt in the current directory
tplist|-p 1234|needs a process 1234 (tplist -p reads its maps)
trace|u:pthread:|needs a libpthread with USDT probes (glibc built with systemtap; not this one)
argdist|u:pthread:|needs a libpthread with USDT probes (glibc built with systemtap; not this one)
argdist|-p 1005|a uprobe on PID 1005 needs that process
argdist|-p 2780|a uprobe on PID 2780 needs that process
funcslower|-p 135 c:open|a uprobe on PID 135 needs that process
stackcount|c:malloc|a uprobe on PID 185 needs that process
memleak|$(pidof allocs)|needs a running program named allocs: the PID comes from a command substitution
memleak|./allocs|needs a binary ./allocs in the current directory
trace|/sys/fs/cgroup/system.slice/workload.service|needs the cgroup of a systemd unit workload.service
biolatency|-d sdc|needs a disk named sdc
biosnoop|-d sdc|needs a disk named sdc
biopattern|-d sdb|needs a disk named sdb
biostacks|-d sdc|needs a disk named sdc
bitesize|-d sda|needs a disk named sda
ieee80211scan|ieee80211scan|needs mac80211 (WiFi) in the kernel, which no test kernel has
criticalstat|criticalstat|needs the preemptirq tracepoints (CONFIG_PREEMPTIRQ_TRACEPOINTS), in no test kernel here
biolatpcts|sda|needs a disk named sda
ttysnoop|/dev/pts/2|needs a pseudo-terminal 2 (tests/live/ttysnoop.sh makes its own)
ttysnoop|ttysnoop 2|needs a pseudo-terminal 2 (tests/live/ttysnoop.sh makes its own)
shellsnoop|$$|the PID is the shell'"'"'s own, from its expansion of $$ (tests/live/shellsnoop.sh mirrors a shell it starts)
execsnoop|-u user|needs a user account named "user"
execsnoop|/sys/fs/cgroup/unified/user.slice|needs systemd'"'"'s user.slice in a hybrid cgroup hierarchy
profile|/sys/fs/cgroup/unified/user.slice|needs systemd'"'"'s user.slice in a hybrid cgroup hierarchy
opensnoop|/sys/fs/cgroup/user.slice|needs systemd'"'"'s user.slice cgroup
trace|kfree_skb+0x12|an instruction offset belongs to one kernel build (BCC'"'"'s); kfree_skb is inline from 6.0
execsnoop|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
opensnoop|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
profile|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
capable|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
tcpaccept|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
tcpconnect|-d|DNS names are not supported (BCC'"'"'s need kprobes on udp_recvmsg and Python'"'"'s dnslib): refused in one line
tcpconnect|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
tcpstates|-Y|needs systemd-journald'"'"'s socket /run/systemd/journal/socket (tests/live/tcpstates.sh stands one in)
bindsnoop|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
tcptop|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
tcptracer|mappath|needs a BPF map pinned at mappath (tests/live/core_mapfilter.sh pins its own)
sslsniff|/path/libssl.so.1.1|a placeholder path, as in BCC'"'"'s example (tests/live/sslsniff.sh runs --extra-lib)
xenhyper|xenhyper|needs a Xen PV guest (the xen:xen_mc_entry tracepoint; tests/live/xenhyper.sh checks the refusal)'
# The pthread mutex tools trace a PID (BCC's examples name 181); tests/live/deadlock.sh and
# pmlock.sh run them on a workload of their own.
for a in deadlock pmlock pmheld; do
	NOT_RUN="$NOT_RUN
$a|$a|needs a running process whose pthread mutexes to trace: 181 is a placeholder (tests/live/deadlock.sh, pmlock.sh)"
done
# llcstat counts hardware events: only on a machine with a hardware PMU.
"$BCCT" features 2>/dev/null | awk '$1 == "perf_hw" && $2 == "yes" { f = 1 } END { exit !f }' ||
	NOT_RUN="$NOT_RUN
llcstat|llcstat|needs a hardware PMU, which this machine lacks (tests/live/llcstat.sh checks the refusal)"
for a in dbslower dbstat; do
	NOT_RUN="$NOT_RUN
$a|$a|needs a running MySQL or PostgreSQL server (tests/live/$a.sh makes a PostgreSQL cluster)"
done
for a in mysqld_qslower mysqld_clat; do
	NOT_RUN="$NOT_RUN
$a|\$(pgrep -n mysqld)|needs a running mysqld built with USDT probes (tests/live/$a.sh uses the fixture)"
done
NOT_RUN="$NOT_RUN
bashfunc|/usr/local/bin/bash|a placeholder path of another bash build
jnistacks|jnistacks|needs a JVM (its PID is a placeholder; the libjvm.so path is OpenJDK 17's; tests/live/jnistacks.sh runs one)"
# The language-runtime engines and their wrappers trace a PID of the user's runtime process
# (BCC's examples name 185, 2020, ...); their tests run them on real and fixture runtimes.
for a in ucalls uflow ugc uobjnew uthreads cobjnew javacalls javaflow javagc javaobjnew \
	javathreads nodegc perlcalls perlflow phpcalls phpflow pythoncalls pythonflow pythongc \
	rubycalls rubyflow rubygc rubyobjnew tclcalls tclflow tclobjnew; do
	NOT_RUN="$NOT_RUN
$a|$a|needs a running process of that runtime: its PID is a placeholder (tests/live/u*.sh run them)"
done
# The SCSI and NVMe tools refuse at once without such a disk (their tests check that line); the
# VM guests get one of each from qemu.
for a in scsilatency scsiresult; do
	[ -n "$(ls /sys/class/scsi_disk 2>/dev/null)" ] || NOT_RUN="$NOT_RUN
$a|$a|needs a SCSI disk (tests/live/$a.sh checks the refusal; the VM guests have one)"
done
[ -n "$(ls /sys/class/nvme 2>/dev/null)" ] || NOT_RUN="$NOT_RUN
nvmelatency|nvmelatency|needs an NVMe disk (tests/live/nvmelatency.sh checks the refusal; the VM guests have one)"
# BCC's __kmalloc examples: 6.10 renamed the function __kmalloc_noprof.
grep -q ' __kmalloc$' /proc/kallsyms 2>/dev/null || NOT_RUN="$NOT_RUN
trace|__kmalloc|this kernel has no __kmalloc (6.10 renamed it __kmalloc_noprof); bcct says so in one line
argdist|__kmalloc|this kernel has no __kmalloc (6.10 renamed it __kmalloc_noprof); bcct says so in one line"
# mdflush probes the md driver's md_flush_request: only where md is loaded (not in the guests).
grep -q ' md_flush_request$' /proc/kallsyms 2>/dev/null || NOT_RUN="$NOT_RUN
mdflush|mdflush|needs the md (software RAID) driver loaded (tests/live/mdflush.sh checks the refusal)"
# inject needs bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE), in no Debian kernel.
[ "$("$BCCT" features 2>/dev/null | awk '$1 == "override_return" { print $2 }')" = yes ] ||
	NOT_RUN="$NOT_RUN
inject|inject|needs bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE), which no test kernel has (tests/live/inject.sh checks the refusal, and the chain in its count mode where kprobes work)"
# kvmexits runs on a KVM host only (the VM guests are none).
[ -e /dev/kvm ] || NOT_RUN="$NOT_RUN
kvmexits|kvmexits|needs a KVM host, /dev/kvm (tests/live/kvmexits.sh checks the refusal)"

# The VM guests have a static busybox userland: no libc to put uprobes on.
no_libc=
if [ -n "${BCCT_VM:-}" ] && ! ls /lib/*/libc.so.6 /lib/libc.so.6 /usr/lib/*/libc.so.6 >/dev/null 2>&1; then
	no_libc="the guest has no libc (static busybox userland)"
fi

kprobes=$("$BCCT" features 2>/dev/null | awk '$1 == "kprobe" { print $2 }')

# Extracts the examples of one applet's --help, one file per example under $TMPD/ex.
ex_count=0
extract() {
	applet=$1
	"$BCCT" "$applet" --help >"$TMPD/help" 2>&1
	# awk prints each example's text (its lines joined by newlines, comments dropped) followed
	# by a line "@@END".
	awk -v names=" $(echo $APPLETS) " '
	# The line without a "  # comment" outside single quotes (inq: whether the line starts
	# inside one): a comment could hold a single quote that would look like an open string.
	# The "spec#label" of argdist keeps its #, which is inside quotes.
	function uncomment(s, inq,   i, c) {
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\\" && !inq) { i++; continue }
			if (c == "\047") inq = !inq
			if (c == "#" && !inq && i > 1 && substr(s, i - 1, 1) ~ /[ \t]/) {
				s = substr(s, 1, i - 1); sub(/[ \t]+$/, "", s); return s
			}
		}
		return s
	}
	# Whether a single-quoted string is still open at the end of s: the shell would go on
	# reading the next line, newline included.
	function quotes_open(s,   i, c, inq) {
		inq = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\\" && !inq) { i++; continue }
			if (c == "\047") inq = !inq
		}
		return inq
	}
	function is_cmd(w) { sub(/^\.\//, "", w); return index(names, " " w " ") > 0 }
	/^examples:/ { on = 1; next }
	!on { next }
	/^[a-z]+:$/ { on = 0; next }              # the next section (aliases:)
	cont {
		cur = cur "\n" uncomment($0, quotes_open(cur))
		if ($0 ~ /\\$/ || quotes_open(cur)) next
		print cur; print "@@END"; cont = 0; next
	}
	{
		line = $0; sub(/^ +/, "", line)
		split(line, w, " ")
		if (line == "" || !is_cmd(w[1])) next  # descriptions, blank lines
		cur = uncomment(line, 0)
		if (cur ~ /\\$/ || quotes_open(cur)) { cont = 1; next }
		print cur; print "@@END"
	}' "$TMPD/help" >"$TMPD/raw"
	n_applet=0
	cur=
	while IFS= read -r l; do
		if [ "$l" = "@@END" ]; then
			n_applet=$((n_applet + 1))
			# One run per distinct example: sigsnoop and killsnoop print the same list.
			key=$(printf '%s' "$cur" | tr '\n' ' ')
			if ! grep -qxF -e "$key" "$TMPD/seen"; then
				echo "$key" >>"$TMPD/seen"
				ex_count=$((ex_count + 1))
				printf '%s' "$cur" >"$TMPD/ex/$ex_count"
				echo "$applet" >"$TMPD/ex/$ex_count.applet"
			fi
			cur=
		elif [ -z "$cur" ]; then
			cur=$l
		else
			cur="$cur
$l"
		fi
	done <"$TMPD/raw"
	[ "$n_applet" -gt 0 ] || echo "$applet" >>"$TMPD/no_examples"
}

mkdir "$TMPD/ex"
: >"$TMPD/seen"
: >"$TMPD/no_examples"
for a in $APPLETS; do extract "$a"; done
[ "$ex_count" -gt 0 ] || fail "no applet prints examples"

# One line for messages: the example's lines joined.
oneline() { tr '\n' ' ' <"$1" | sed 's/  */ /g'; }

# Runs example $1 and writes its verdict to $TMPD/ex/$1.verdict: "ok", "kprobes", "notrun REASON",
# or "FAIL why".
run_example() {
	f=$TMPD/ex/$1
	applet=$(cat "$f.applet")
	text=$(cat "$f")
	case $text in ./*) text=${text#./}; echo "$applet" >"$f.dotslash" ;; esac
	# A listed example is not run.
	reason=$(printf '%s\n' "$NOT_RUN" | while IFS='|' read -r na sub why; do
		[ "$na" = "$applet" ] && case $text in *"$sub"*) echo "$why"; break ;; esac
	done)
	if [ -z "$reason" ] && [ -n "$no_libc" ] &&
		printf '%s' "$text" | grep -Eq "(^|[ '\"]|[pr]:)c:|-l c( |\$)|libreadline|^bashreadline|^bashfunc|^gethostlatency|^sslsniff"; then
		reason=$no_libc   # ... nor bash (bashfunc, bashfunclat), libreadline, libc's resolvers or TLS libraries
	fi
	if [ -n "$reason" ]; then echo "notrun $reason" >"$f.verdict"; return; fi
	# Outside single quotes the shell must have nothing to expand or redirect: eval would run it.
	bare=$(printf '%s' "$text" | tr '\n' ' ' | sed "s/'[^']*'//g")
	case $bare in
	*'$'* | *'`'* | *';'* | *'|'* | *'&'* | *'>'* | *'<'*)
		echo "FAIL needs shell expansion or redirection, not a plain command line" >"$f.verdict"; return ;;
	esac
	( set -f; eval "set -- $text" && exec "$BCCT" "$@" ) >"$f.out" 2>"$f.err" &
	pid=$!
	n=$((INT_AFTER * 10))
	while [ "$n" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
	kill -INT "$pid" 2>/dev/null
	n=$((GRACE * 10))
	while [ "$n" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
	if kill -0 "$pid" 2>/dev/null; then
		# Where it waits, for the report: a hang and a slow drain look different here.
		state=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
		wchan=$(cat "/proc/$pid/wchan" 2>/dev/null)
		kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		echo "FAIL still running ${GRACE}s after SIGINT (killed; state $state, wchan $wchan)" >"$f.verdict"
		return
	fi
	wait "$pid"; rc=$?
	if [ "$rc" -eq 0 ]; then
		# An error line on a passing run: "APPLET: ... cannot/failed/invalid/...". Warnings are not
		# errors: lost events, and an example's PID that does not exist here ("warning: -p 185: no
		# such process": the tool still traces, as BCC's do).
		bad=$(grep -hE "^[a-z0-9_]+: .*(cannot|can't|failed|invalid|error|unknown|not found|no such|refused|unsupported)" \
			"$f.err" "$f.out" | grep -viE 'lost|dropped|missed' |
			grep -vE "^[a-z0-9_]+: warning: -[pt] [0-9]+: no such (process|thread): " | head -n 3)
		if [ -n "$bad" ]; then echo "FAIL exit 0 but reports an error: $bad" >"$f.verdict"
		else echo ok >"$f.verdict"; fi
		return
	fi
	# bcct's refusal of a kernel function on a kernel without kprobes: one line naming kprobes.
	if [ "$kprobes" = no ] && [ -z "${BCCT_VM:-}" ] && [ "$rc" -eq 1 ] &&
		[ "$(wc -l <"$f.err")" -eq 1 ] && grep -qi 'kprobe' "$f.err"; then
		echo kprobes >"$f.verdict"; return
	fi
	echo "FAIL exit status $rc" >"$f.verdict"
}

worker() {
	i=$1
	while [ "$i" -le "$ex_count" ]; do run_example "$i"; i=$((i + PARALLEL)); done
}

t0=$(date +%s)
k=1
while [ "$k" -le "$PARALLEL" ]; do worker "$k" & k=$((k + 1)); done
wait
t1=$(date +%s)

ok=0 nk=0 nr=0 nf=0
i=1
while [ "$i" -le "$ex_count" ]; do
	f=$TMPD/ex/$i
	v=$(cat "$f.verdict" 2>/dev/null || echo "FAIL no verdict")
	line=$(oneline "$f")
	case $v in
	ok) ok=$((ok + 1)) ;;
	kprobes) nk=$((nk + 1)); echo "needs kprobes (run in the VM matrix): $line" ;;
	notrun*) nr=$((nr + 1)); echo "not run: $line (${v#notrun })" ;;
	*)
		nf=$((nf + 1))
		echo "FAIL: $line: ${v#FAIL }"
		[ -s "$f.err" ] && tail -n 5 "$f.err" | sed 's/^/    stderr: /'
		;;
	esac
	i=$((i + 1))
done
dots=$(cat "$TMPD"/ex/*.dotslash 2>/dev/null | sort | uniq -c | awk '{ printf "%s%s (%d)", s, $2, $1; s = ", " }')
[ -n "$dots" ] && echo "finding: examples start with ./NAME instead of the real name: $dots"
n_applets=$(echo $APPLETS | wc -w)
if [ -s "$TMPD/no_examples" ]; then
	echo "FAIL: applets without examples: $(echo $(cat "$TMPD/no_examples"))"
	nf=$((nf + 1))
fi
echo "ran $ex_count examples in $((t1 - t0)) s, $PARALLEL at a time"
[ "$nf" -eq 0 ] || { echo "FAIL $TEST_NAME: $nf failed, $ok ok, $nk need kprobes, $nr not run"; exit 1; }
pass "$((ok)) examples of $n_applets applets ran, $nk need kprobes (VM), $nr not run (listed)"
