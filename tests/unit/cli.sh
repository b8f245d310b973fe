#!/bin/sh
# Dispatch, links, --install, --list, --help, errors and exit statuses. No privileges needed.
set -u
BCCT=$(readlink -f "${BCCT:?}")
pass=0 fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
check() { # check DESC EXPECTED_STATUS CMD...  (stdout+stderr in $t/o)
	desc=$1 want=$2; shift 2
	"$@" >"$t/o" 2>&1; rc=$?
	if [ "$rc" = "$want" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $desc: status $rc, want $want"; cat "$t/o"; fi
}
has() { # has DESC PATTERN: $t/o matches
	if grep -Eq -- "$2" "$t/o"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: no '$2' in:"; cat "$t/o"; fi
}

check "version" 0 "$BCCT" --version;                 has "version" '^bcct [0-9]+\.[0-9]+\.[0-9]+ \([^)]+\), libbpf v?[0-9]+\.[0-9]+'
check "help" 0 "$BCCT" --help;                       has "help" "'bcct APPLET --help'"
has "help exit codes" '^Exit status: 0 success, 1 runtime failure, 2 usage error, 127 unknown applet'
has "help environment" '^  BCCT_DISABLE='
check "help word" 0 "$BCCT" help runqlat;            has "help word" '^usage: runqlat'
check "features args" 2 "$BCCT" features runqlat
check "list" 0 "$BCCT" --list;                       has "list" '^  execsnoop +Trace new processes'
check "help applet" 0 "$BCCT" --help execsnoop;       has "help" '^usage: execsnoop \[-h\]'
has "help examples" '^examples:'
check "applet --help" 0 "$BCCT" runqlat --help;       has "applet help" 'interval'
# trace --help documents the probe syntax: kinds, library lookup, variables, STRCMP, %K/%U.
check "trace syntax" 0 "$BCCT" trace --help
for w in '^  t:category:event ' '^  u:lib:\[provider:\]probe ' 'c = libc' '\$pid \$tgid' '\$uid \$gid \$cpu; \$task' \
	'STRCMP\("literal", expr\)' '%K and %U' 'sys_read, SyS_read'; do
	has "trace syntax $w" "$w"
done
check "no args" 2 "$BCCT"
check "bad option" 2 "$BCCT" execsnoop --bogus;       has "bad option" "^execsnoop: unrecognized option '--bogus' \(try 'execsnoop --help'\)$"
[ "$(wc -l <"$t/o")" -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL one-line error"; }
check "bad value" 2 "$BCCT" runqlat -p abc;           has "bad value" "invalid -p/--pid 'abc'"
check "no such user" 2 "$BCCT" opensnoop -u nosuchuser_bcct; has "no such user" "invalid -u/--uid 'nosuchuser_bcct': no such user"
check "uid range" 2 "$BCCT" opensnoop -u 99999999999;    has "uid range" "a UID is from 0 to 4294967294"
check "too large" 2 "$BCCT" opensnoop -p 99999999999999999999; has "too large" "invalid -p/--pid '99999999999999999999': too large"
check "empty list" 2 "$BCCT" profile -p ,;               has "empty list" "empty list for -p/--pid"
check "sample rate" 2 "$BCCT" profile -F 999999999; has "sample rate" "above this kernel's limit of [0-9]+ Hertz \\(kernel.perf_event_max_sample_rate\\)"
check "optional value" 0 "$BCCT" bashreadline --help; has "optional value" '\[-s \[SHARED\]\]'
if [ "$(id -u)" = 0 ]; then   # the path is checked when attaching, after the privilege check
	check "optional value given" 1 "$BCCT" bashreadline -s; has "optional value given" '^bashreadline: /lib/libreadline.so: '
fi
check "size bound" 2 "$BCCT" offcputime --stack-storage-size 2000000; has "size bound" "must be between 1 and 1048576"
check "unknown applet" 127 "$BCCT" execsnop;          has "suggest" "did you mean execsnoop"
check "bcct bad flag" 2 "$BCCT" --frobnicate

# features opens every applet's embedded (compressed) BPF object, privileged or not.
check "features" 0 "$BCCT" features;                 has "features" '^execsnoop +(yes|no) +sys_enter='
# The generic tools say which spec kinds work on this kernel (kernel functions only with kprobes).
has "features spec kinds" '^trace +yes +probes given at run time: tracepoints \(t:\), user functions(, USDT and kernel functions work| and USDT work; kernel functions need kprobes \(.+\))$'
has "features fentry kinds" '^funclatency +yes +probes given at run time: user functions( and kernel functions work| work; kernel functions need kprobes \(.+\))$'
if grep -q 'cannot open BPF object' "$t/o"; then fail=$((fail + 1)); echo "FAIL features: an object does not open:"; grep 'cannot open BPF object' "$t/o"; else pass=$((pass + 1)); fi

# Links: NAME and Debian's NAME-bpfcc dispatch to the applet.
ln -s "$BCCT" "$t/execsnoop"
ln -s "$BCCT" "$t/runqlat-bpfcc"
ln -s "$BCCT" "$t/nosuchtool"
check "link name" 0 "$t/execsnoop" --help;            has "link name" '^usage: execsnoop'
check "bpfcc name" 0 "$t/runqlat-bpfcc" --help;       has "bpfcc name" '^usage: runqlat'
check "unknown link" 127 "$t/nosuchtool"

# --install: a link for every applet and alias; the links run.
mkdir "$t/bin" "$t/sbin"
check "install hard" 0 "$BCCT" --install "$t/bin";  has "install" 'installed [0-9]+ hard links'
n=$("$BCCT" --list | grep -c '^  ')
[ "$(ls "$t/bin" | wc -l)" -eq "$n" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL install count $(ls "$t/bin" | wc -l) != $n"; }
check "installed runs" 0 "$t/bin/runqlat" --help
check "install symlinks" 0 "$BCCT" --install -s "$t/sbin"
[ -L "$t/sbin/execsnoop" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL -s made no symlink"; }
# An existing file that is not a link to bcct is reported and left alone; -f replaces it; our own
# links are replaced silently; --bpfcc adds NAME-bpfcc.
mkdir "$t/mixed"
echo "not bcct" >"$t/mixed/execsnoop"
check "install keeps files" 0 "$BCCT" --install -s "$t/mixed"; has "install keeps" 'execsnoop exists and is not a link to bcct: skipped'
has "install counts" '\(1 existing files left alone\)'
grep -q '^not bcct$' "$t/mixed/execsnoop" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL install replaced a foreign file"; }
check "install again" 0 "$BCCT" --install -s "$t/mixed"
[ "$(grep -c 'is not a link' "$t/o")" -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL reinstall over our own links complained"; cat "$t/o"; }
check "install force" 0 "$BCCT" --install -s -f --bpfcc "$t/mixed"
[ -L "$t/mixed/execsnoop" ] && [ -L "$t/mixed/execsnoop-bpfcc" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL -f/--bpfcc"; }
[ "$(ls "$t/mixed" | wc -l)" -eq $((2 * n)) ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --bpfcc count $(ls "$t/mixed" | wc -l) != $((2 * n))"; }
check "install bad flag" 2 "$BCCT" --install -x "$t/mixed"
check "install no dir" 2 "$BCCT" --install
check "install bad dir" 2 "$BCCT" --install "$t/missing"

# Unprivileged: says which capability is missing (needs setpriv or a non-root user to drop caps).
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	check "unprivileged" 1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BCCT" runqlat 1 1
	has "unprivileged" "needs CAP_BPF and CAP_PERFMON .*missing CAP_BPF and CAP_PERFMON"
	check "features unprivileged" 0 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BCCT" features
	has "features unprivileged" '^Not privileged: the features below'
	check "help unprivileged" 0 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BCCT" runqlat --help
fi
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
