#!/bin/sh
# The java wrappers on a real OpenJDK (Debian's openjdk-17, libjvm.so's hotspot USDT probes): a
# class compiled here calls its marker method 1000 times, starts and joins a thread named after
# the marker and calls System.gc(), run with -XX:+ExtendedDTraceProbes (method probes are off
# without it). Traced at once by javacalls (exactly 1000 calls of CLASS.METHOD), javaflow -M
# (1000 entries at depth 1 and 1000 returns), javathreads (the thread's start and stop with its
# name, and pthread_create's new threads by their start routine, demangled) and javagc (G1's
# pool collections of System.gc(), "MANAGER POOL used=... max=...").
. "$(dirname "$0")/lib.sh"
has_cmd javac && has_cmd java || skip "no OpenJDK (javac, java): scripts/deps installs openjdk-17-jdk-headless"
CLS="Bcct$MARKER"
cat >"$TMPD/$CLS.java" <<JEOF
import java.io.File;
public class $CLS {
    static int sink;
    static void bcctMarker(int i) { sink += i; }
    public static void main(String[] a) throws Exception {
        File go = new File(a[0]);
        for (int w = 0; w < 6000 && !go.exists(); w++) Thread.sleep(10);
        for (int i = 0; i < 1000; i++) bcctMarker(i);
        Thread t = new Thread(() -> { sink++; }, "t-$MARKER");
        t.start(); t.join();
        System.gc();
        new File(a[0] + ".done").createNewFile();
        Thread.sleep(60000);
    }
}
JEOF
javac -d "$TMPD" "$TMPD/$CLS.java" 2>"$ERR" || fail "javac failed"
java -XX:+ExtendedDTraceProbes -cp "$TMPD" "$CLS" "$TMPD/go" & JPID=$!
# The JVM maps libjvm.so (the probes' file) within a second or two.
n=100; until grep -q libjvm.so "/proc/$JPID/maps" 2>/dev/null || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
trap 'kill -9 $JPID $P2 $P3 $P4 2>/dev/null; cleanup' EXIT
"$BCCT" javaflow -M bcctMarker "$JPID" -v >"$TMPD/flow" 2>"$TMPD/flow.err" & P2=$!
"$BCCT" javathreads "$JPID" -v >"$TMPD/threads" 2>"$TMPD/threads.err" & P3=$!
"$BCCT" javagc "$JPID" -v >"$TMPD/gc" 2>"$TMPD/gc.err" & P4=$!
start javacalls "$JPID"
wait_ready 60
for f in flow threads gc; do
	n=600; until grep -q 'attached [0-9]* links' "$TMPD/$f.err" || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
done
touch "$TMPD/go"
n=300; until [ -e "$TMPD/go.done" ] || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -e "$TMPD/go.done" ] || fail "the java workload did not finish"
sleep 1
kill -INT $P2 $P3 $P4
wait $P2 $P3 $P4
stop
kill "$JPID"
expect "^Tracing calls in process $JPID \(language: java\)\.\.\. Ctrl-C to quit\.$"
expect "^If you do not see any results, make sure you ran java with option -XX:\+ExtendedDTraceProbes$"
expect "^$CLS\.bcctMarker +1000$"
[ "$(grep -Ec "^[0-9]+ +$JPID +[0-9]+ +[0-9.]+ +-> $CLS\.bcctMarker *$" "$TMPD/flow")" -eq 1000 ] ||
	fail "javaflow: expected 1000 entries: $(head -5 "$TMPD/flow")"
[ "$(grep -Ec "^[0-9]+ +$JPID +[0-9]+ +[0-9.]+ +<- $CLS\.bcctMarker *$" "$TMPD/flow")" -eq 1000 ] ||
	fail "javaflow: expected 1000 returns"
grep -Eq "^[0-9.]+ +R=[0-9]+/N=[0-9]+ +start +t-$MARKER *$" "$TMPD/threads" &&
	grep -Eq "^[0-9.]+ +R=[0-9]+/N=[0-9]+ +stop +t-$MARKER *$" "$TMPD/threads" ||
	fail "javathreads: no start/stop of t-$MARKER: $(head -5 "$TMPD/threads")"
grep -Eq "^[0-9.]+ +[0-9]+ +pthread +thread_native_entry\(Thread\*\) \[libjvm\.so\] *$" "$TMPD/threads" ||
	fail "javathreads: no pthread line for thread_native_entry"
grep -Eq "^[0-9.]+ +[0-9.]+ +G1 [A-Za-z ]+ .* used=[0-9]+->[0-9]+ max=[0-9]+->[0-9]+$" "$TMPD/gc" ||
	fail "javagc: no G1 pool collection: $(head -5 "$TMPD/gc")"
pass
