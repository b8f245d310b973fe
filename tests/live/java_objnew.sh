#!/bin/sh
# javaobjnew on a real OpenJDK (Debian's openjdk-17 with -XX:+ExtendedDTraceProbes): a class
# compiled here allocates 2000 instances of itself and 1000 arrays of 3 of them. The arrays
# (made through the JVM's runtime) print with their exact bytes, 1000 x 32 = 32000: the
# size is hotspot:object__alloc's fourth argument, read right. The instances print with their
# count; OpenJDK 17's interpreter passes no size for the objects it allocates itself (16 bytes
# each where the JVM gives it), and a one-line warning on stderr counts those of size 0.
. "$(dirname "$0")/lib.sh"
has_cmd javac && has_cmd java || skip "no OpenJDK (javac, java): scripts/deps installs openjdk-17-jdk-headless"
CLS="Bcct$MARKER"
cat >"$TMPD/$CLS.java" <<JEOF
import java.io.File;
public class $CLS {
    static Object sink;
    public static void main(String[] a) throws Exception {
        File go = new File(a[0]);
        for (int w = 0; w < 6000 && !go.exists(); w++) Thread.sleep(10);
        for (int i = 0; i < 2000; i++) sink = new $CLS();
        for (int i = 0; i < 1000; i++) sink = new $CLS[3];
        new File(a[0] + ".done").createNewFile();
        Thread.sleep(60000);
    }
}
JEOF
javac -d "$TMPD" "$TMPD/$CLS.java" 2>"$ERR" || fail "javac failed"
java -XX:+ExtendedDTraceProbes -cp "$TMPD" "$CLS" "$TMPD/go" & JPID=$!
trap 'kill -9 $JPID 2>/dev/null; cleanup' EXIT
n=100; until grep -q libjvm.so "/proc/$JPID/maps" 2>/dev/null || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done

start javaobjnew "$JPID"
wait_ready 60
touch "$TMPD/go"
n=300; until [ -e "$TMPD/go.done" ] || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -e "$TMPD/go.done" ] || fail "the java workload did not finish"
stop
kill "$JPID"
expect_header "NAME/TYPE                      # ALLOCS      # BYTES"
expect "^\[L$CLS; +1000 +32000$"
# Each instance is 16 bytes or counted in the warning's allocations of size 0 (the JVM's own
# objects may be in that count too).
bytes=$(awk -v c="$CLS" '$1 == c && $2 == 2000 { print $3 }' "$OUT")
[ -n "$bytes" ] && [ $((bytes % 16)) -eq 0 ] || fail "no row $CLS 2000 N*16: $(grep "$CLS" "$OUT")"
zero=$(sed -n 's/^javaobjnew: warning: \([0-9]*\) allocations had size 0: hotspot:object__alloc gave no size .*/\1/p' "$ERR")
[ "$(grep -c 'allocations had size 0' "$ERR")" -le 1 ] || fail "the warning is printed more than once"
[ $((bytes / 16 + ${zero:-0})) -ge 2000 ] ||
	fail "$CLS: $bytes bytes and ${zero:-no} allocations of size 0 do not cover 2000 instances: $(cat "$ERR")"
pass
