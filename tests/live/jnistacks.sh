#!/bin/sh
# jnistacks on a real OpenJDK (Debian's openjdk-17, libjvm.so's .symtab has jni_NewObject*): a
# class compiled here lists a directory 200 times once told to; File.list() is native (libjava's
# Java_java_io_UnixFileSystem_list, list0 in later JDKs), which makes two arrays through
# jni_NewObjectArray per call. The stacks with jni_NewObjectArray innermost and that function as
# its caller, under "-  COMM (PID)", add up to exactly 400 calls; -p of a PID without libjvm is
# one line and exit 1; no -p and no -l is a usage error.
. "$(dirname "$0")/lib.sh"
has_cmd javac && has_cmd java || skip "no OpenJDK (javac, java): scripts/deps installs openjdk-17-jdk-headless"
CLS="Bcct$MARKER"
mkdir "$TMPD/dir" && : >"$TMPD/dir/a" && : >"$TMPD/dir/b"
cat >"$TMPD/$CLS.java" <<JEOF
import java.io.File;
public class $CLS {
    static int sink;
    public static void main(String[] a) throws Exception {
        File go = new File(a[0]);
        for (int w = 0; w < 6000 && !go.exists(); w++) Thread.sleep(10);
        File d = new File(a[1]);
        for (int i = 0; i < 200; i++) sink += d.list().length;
        new File(a[0] + ".done").createNewFile();
        Thread.sleep(60000);
    }
}
JEOF
javac -d "$TMPD" "$TMPD/$CLS.java" 2>"$ERR" || fail "javac failed"
java -cp "$TMPD" "$CLS" "$TMPD/go" "$TMPD/dir" & JPID=$!
trap 'kill -9 $JPID 2>/dev/null; cleanup' EXIT
n=100; until grep -q libjvm.so "/proc/$JPID/maps" 2>/dev/null || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done

start jnistacks -p "$JPID"
wait_ready 60
touch "$TMPD/go"
n=300; until [ -e "$TMPD/go.done" ] || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -e "$TMPD/go.done" ] || fail "the java workload did not finish"
stop
kill "$JPID"
expect "^Tracing jni_NewObject\* calls\.\.\. Ctrl-C to end\.$"
# Stacks are blocks ending in "    -  comm (pid)" and the count: sum those through list.
total=$(awk -v pid="($JPID)" '
	/^    [^ ]/ && !/^    - / { frames = frames "|" substr($0, 5) }
	/^    - / { who = $NF; getline n
		  if (who == pid && frames ~ /^\|jni_NewObjectArray\|Java_java_io_UnixFileSystem_list0?\|/) t += n
		  frames = "" }
	END { print t + 0 }' "$OUT")
[ "$total" -eq 400 ] || fail "expected 400 jni_NewObjectArray calls from UnixFileSystem_list, got $total: $(head -30 "$OUT")"

"$BCCT" jnistacks -p $$ >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "a shell's PID: want one line and exit 1, got $rc: $(cat "$ERR")"
"$BCCT" jnistacks >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "no -p, no -l: want exit 2, got $rc"
pass
