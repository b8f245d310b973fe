#!/bin/sh
# bcct serve: a real Prometheus (Debian's package, private port, generated config, temporary
# storage) scrapes `bcct serve` running runqlat, biolatency and syscount for 30 s while the test
# makes a known workload: 5000 failing fchdir(-1) calls (syscount_loop) and 2000 direct 4 KiB
# writes (dd). Prometheus's answers (the fchdir counter, its rate, biolatency's _count and
# histogram_quantile of runqlat) are checked against bcct's own text output of the same
# applets over the same time. Then the cardinality bound: syscount -P over 5000 short-lived
# processes (5000 keys) gives at most --max-series series, the rest in pid="other".
# The serve is one process: the applets are its threads (named after them), no children; the
# BPF programs and links it holds (its fds) are gone after SIGTERM; an applet whose run ends
# (a usage error) ends the serve with one line naming it, and stops the others.
. "$(dirname "$0")/lib.sh"
need_workload syscount_loop
need_workload forker
has_cmd prometheus || skip "prometheus (Debian's package, scripts/deps) not installed"
has_cmd curl || skip "curl not installed"
: >"$OUT"; : >"$ERR"
N=5000
IOS=2000
P1=$((20000 + $$ % 20000))
P2=$((P1 + 1))

SERVE_PID= PROM_PID= T1= T2= T3=
trap 'for p in $SERVE_PID $PROM_PID $T1 $T2 $T3; do kill -INT $p 2>/dev/null; done; sleep 1; cleanup' EXIT

# serve_start OUTFILE ARGS...: bcct serve in the background, waiting until it serves.
serve_start() {
	o=$1; shift
	"$BCCT" serve "$@" >"$o" 2>"$o.err" &
	SERVE_PID=$!
	n=200
	while ! grep -q "^Serving " "$o" 2>/dev/null; do
		kill -0 "$SERVE_PID" 2>/dev/null || { cat "$o.err"; fail "bcct serve exited before serving"; }
		n=$((n - 1)); [ "$n" -gt 0 ] || fail "bcct serve did not start"
		sleep 0.1
	done
}
# serve_stop OUTFILE [SIGNAL]: stops it (SIGINT by default); it must exit 0.
serve_stop() {
	kill -"${2:-INT}" "$SERVE_PID"; wait "$SERVE_PID"; rc=$?; SERVE_PID=
	[ "$rc" -eq 0 ] || { cat "$1.err"; fail "bcct serve exited with $rc after SIG${2:-INT}"; }
}
# bg_text NAME ARGS...: the applet's own text output, in the background; PID in $BGPID.
bg_text() {
	f=$1; shift
	"$BCCT" "$@" -v >"$TMPD/$f" 2>"$TMPD/$f.err" &
	BGPID=$!
	n=200
	until grep -q 'attached [0-9]* links' "$TMPD/$f.err" 2>/dev/null; do
		n=$((n - 1)); [ "$n" -gt 0 ] || fail "$1 did not attach"
		sleep 0.1
	done
}
# one_process APPLET...: bcct serve has no child process and a thread named after each applet.
one_process() {
	kids=$(cat /proc/"$SERVE_PID"/task/*/children 2>/dev/null | tr -s ' \n' ' ')
	[ -z "${kids# }" ] || fail "bcct serve runs child processes ($kids): expected threads"
	comms=" $(cat /proc/"$SERVE_PID"/task/*/comm | tr '\n' ' ')"
	for a in "$@"; do
		case $comms in *" $a "*) ;; *) fail "no thread $a in bcct serve (threads:$comms)" ;; esac
	done
}
# held_ids KIND: the ids of the BPF programs (prog) or links (link) bcct serve holds open.
held_ids() {
	for f in /proc/"$SERVE_PID"/fdinfo/*; do
		sed -n "s/^${1}_id:[[:space:]]*//p" "$f" 2>/dev/null
	done | sort -u
}
# query PROMQL: the instant value Prometheus answers.
query() {
	curl -sG "http://127.0.0.1:$P2/api/v1/query" --data-urlencode "query=$1" |
		sed -n 's/.*"value":\[[^,]*,"\([^"]*\)"\].*/\1/p'
}

serve_start "$TMPD/serve" --listen "127.0.0.1:$P1" runqlat -- biolatency -- syscount -L -T 1000
one_process runqlat biolatency syscount
bg_text runqlat.txt runqlat; T1=$BGPID
bg_text biolat.txt biolatency; T2=$BGPID
bg_text sys.txt syscount -L -T 1000; T3=$BGPID

mkdir -p "$TMPD/prom"
cat >"$TMPD/prom.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: bcct
    static_configs:
      - targets: ['127.0.0.1:$P1']
EOF
prometheus --config.file="$TMPD/prom.yml" --storage.tsdb.path="$TMPD/prom" \
	--web.listen-address="127.0.0.1:$P2" >"$TMPD/prom.log" 2>&1 &
PROM_PID=$!
n=300
until [ "$(query 'up{job="bcct"}')" = 1 ]; do
	kill -0 "$PROM_PID" 2>/dev/null || { tail -5 "$TMPD/prom.log"; fail "prometheus exited"; }
	n=$((n - 1)); [ "$n" -gt 0 ] || { tail -5 "$TMPD/prom.log"; fail "prometheus never scraped bcct serve"; }
	sleep 0.1
done
start_s=$(date +%s)

# in two halves some scrapes apart: the counter exists before it grows, so rate() sees it grow
cp "$WORKLOADS/syscount_loop" "$TMPD/syscount_loop"
"$TMPD/syscount_loop" "$TMPD/go" $((N / 2)) &
W=$!
touch "$TMPD/go"
wait "$W"
sleep 3
"$TMPD/syscount_loop" "$TMPD/go" $((N - N / 2)) &
W=$!
wait "$W"
dd if=/dev/zero of="$TMPD/dio" bs=4096 count=$IOS oflag=direct conv=fsync 2>/dev/null ||
	fail "dd with O_DIRECT failed in $TMPD"
# 30 s of scraping in all, then two more scrapes so the last values are in
while [ $(($(date +%s) - start_s)) -lt 30 ]; do sleep 1; done
sleep 2.5
for p in $T1 $T2 $T3; do kill -INT "$p"; done
wait $T1 $T2 $T3
T1= T2= T3=

# fchdir: the serve's counter, as Prometheus holds it, and syscount's own row
prom_fchdir=$(query 'bcct_syscount_count_total{syscall="fchdir"}')
text_fchdir=$(awk '$1 == "fchdir" { c = $2 } END { print c + 0 }' "$TMPD/sys.txt")
[ "${prom_fchdir:-0}" -ge "$N" ] 2>/dev/null || fail "Prometheus: fchdir counter '$prom_fchdir', expected >= $N"
[ "$prom_fchdir" = "$text_fchdir" ] || fail "Prometheus counts $prom_fchdir fchdir calls, syscount's text $text_fchdir"
rate=$(query 'rate(bcct_syscount_count_total{syscall="fchdir"}[40s])')
awk -v r="${rate:-0}" 'BEGIN { exit !(r > 0) }' || fail "rate() of the fchdir counter is '$rate'"

# biolatency: I/O count from Prometheus and from the text histogram (within 10%; other I/O
# of the system is in both, over windows a scrape apart)
prom_io=$(query 'bcct_biolatency_usecs_count')
text_io=$(awk '/->/ { c += $5 } END { print c + 0 }' "$TMPD/biolat.txt")
[ "${prom_io%.*}" -ge "$IOS" ] 2>/dev/null || fail "Prometheus: biolatency count '$prom_io', expected >= $IOS"
[ "$text_io" -ge "$IOS" ] || fail "biolatency's text counts $text_io I/Os, expected >= $IOS"
awk -v a="$prom_io" -v b="$text_io" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.1 * b) }' ||
	fail "biolatency: Prometheus counts $prom_io I/Os, the text $text_io"

# runqlat: the median Prometheus interpolates lies in the log2 slot (or a neighbour: the
# windows differ by a scrape) where the text histogram's median falls
p50=$(query 'histogram_quantile(0.5, bcct_runqlat_usecs_bucket)')
awk -v q="$p50" '/->/ { lo[n] = $1; hi[n] = $3; c[n] = $5; t += $5; n++ }
	END { for (i = 0; i < n; i++) { s += c[i]; if (s * 2 >= t) break }
	      low = (i > 0 ? lo[i - 1] : lo[i]); high = (i + 1 < n ? hi[i + 1] : hi[i]);
	      if (q == "" || q + 0 < low || q + 0 > high + 1) { printf "p50 %s outside [%s, %s]\n", q, low, high; exit 1 } }' \
	"$TMPD/runqlat.txt" >"$TMPD/p50" || fail "runqlat: $(cat "$TMPD/p50")"
echo "Prometheus: fchdir $prom_fchdir (text $text_fchdir), rate $rate/s, I/Os $prom_io (text $text_io), runqlat p50 ${p50} us"
kill -INT "$PROM_PID"; wait "$PROM_PID"; PROM_PID=
# what the serve holds (its fds), then gone after it stopped (the kernel frees a program or
# link after its last reference, some RCU grace periods later)
held_ids prog >"$TMPD/progs"
held_ids link >"$TMPD/links"
nprogs=$(wc -l <"$TMPD/progs") nlinks=$(wc -l <"$TMPD/links")
[ "$nprogs" -ge 3 ] && [ "$nlinks" -ge 3 ] ||
	fail "bcct serve holds $nprogs BPF programs and $nlinks links for three applets"
serve_stop "$TMPD/serve" TERM
still_there() {
	bpftool "$1" show 2>/dev/null | sed -n 's/^\([0-9]*\): .*/\1/p' | sort | comm -12 - "$TMPD/${1}s"
}
n=50
while [ -n "$(still_there prog)$(still_there link)" ] && [ "$n" -gt 0 ]; do n=$((n - 1)); sleep 0.1; done
left=$(still_there prog)
[ -z "$left" ] || fail "BPF programs of bcct serve still loaded 5 s after its exit: $left"
left=$(still_there link)
[ -z "$left" ] || fail "BPF links of bcct serve still attached 5 s after its exit: $left"

# ---- cardinality: 5000 processes, one syscount -P key each; at most 50 series
serve_start "$TMPD/card" --listen "127.0.0.1:$P1" --max-series 50 syscount -P -T 100000
"$WORKLOADS/forker" 5000
sleep 2.5
curl -s "http://127.0.0.1:$P1/metrics" >"$TMPD/metrics" || fail "cannot scrape bcct serve"
series=$(grep -c '^bcct_syscount_count_total{' "$TMPD/metrics")
[ "$series" -le 50 ] || fail "$series series of bcct_syscount_count_total, bound 50"
grep -q '^bcct_syscount_count_total{pid="other",comm="other"} [0-9]' "$TMPD/metrics" ||
	fail "no pid=\"other\" series: $(grep '^bcct_syscount_count_total' "$TMPD/metrics" | tail -3)"
other=$(sed -n 's/^bcct_syscount_count_total{pid="other",comm="other"} //p' "$TMPD/metrics")
[ "${other%.*}" -ge 4900 ] || fail "the other series sums $other calls, expected those of >= 4900 processes"
one_process syscount
serve_stop "$TMPD/card"

# ---- an applet whose run ends ends the serve: its status, one line naming it
"$BCCT" serve --listen "127.0.0.1:$P1" runqlat -- syscount --no-such-option >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "serve with an applet's usage error: exit $rc, expected 2"
grep -q '^bcct serve: syscount exited with status 2$' "$ERR" ||
	fail "no line naming the applet that ended: $(cat "$ERR")"

# ---- usage errors: one line, exit 2
"$BCCT" serve runqlat >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "serve without --listen: exit $rc"
"$BCCT" serve --listen 127.0.0.1:$P1 runqlat -- runqlat >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "serve with an applet twice: exit $rc"
# an alias is its applet (one set of options per process): refused the same way
"$BCCT" serve --listen 127.0.0.1:$P1 ext4dist -- xfsdist >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "serve with an applet and its alias: exit $rc ($(cat "$ERR"))"
# --exec: its child's SIGCHLD would be the serve's
"$BCCT" serve --listen 127.0.0.1:$P1 execsnoop --exec true >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "serve with --exec: exit $rc ($(cat "$ERR"))"
pass "fchdir $prom_fchdir = text, rate $rate/s, I/Os $prom_io vs $text_io, p50 $p50 us, $series series for 5000 keys; one process, $nprogs programs and $nlinks links released"
