#!/bin/sh
# The manual pages bcct writes from its applet table (bcct --man, cli/man.c): one per applet and
# alias of `bcct --list` plus bcct.8, none more, each rendered by man-db/groff without a single
# warning, with the sections the applet's table and docs/JSON.md give it. No privileges needed.
set -u
BCCT=$(readlink -f "${BCCT:?}")
SRC=${BCCT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v man >/dev/null && command -v groff >/dev/null || { echo "man-db and groff are not installed (scripts/deps)"; exit 77; }
pass=0 fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
has() { # has PAGE PATTERN: the rendered page matches
	if grep -Eq -- "$2" "$t/$1.txt"; then ok; else bad "$1: no '$2' in the rendered page"; fi
}

mkdir "$t/man"
"$BCCT" --man "$t/man" "$SRC/docs/JSON.md" || { echo "FAIL bcct --man: status $?"; exit 1; }
names=$("$BCCT" --list | awk '/^  [^ ]/ { print $1 }')
[ -n "$names" ] || { echo "FAIL bcct --list listed nothing"; exit 1; }
for n in $names; do
	[ -f "$t/man/bcct-$n.8" ] && ok || bad "no page for $n"
done
[ "$(ls "$t/man" | wc -l)" -eq "$(($(echo "$names" | wc -l) + 1))" ] && ok ||
	bad "pages beyond bcct.8 and one per name: $(ls "$t/man" | tr '\n' ' ')"

# Every page rendered with every groff warning on (-ww, man's --warnings=w): nothing on
# stderr, and the page's sections present.
for p in "$t"/man/*.8; do
	base=$(basename "$p" .8)
	MANWIDTH=80 man -l --warnings=w "$p" >"$t/$base.txt" 2>"$t/warn" || bad "$base: man failed"
	if [ -s "$t/warn" ]; then bad "$base: $(head -3 "$t/warn")"; else ok; fi
	for s in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' 'SEE ALSO'; do has "$base" "^$s"; done
	[ "$base" = bcct ] && continue
	for s in OPTIONS FIELDS OVERHEAD; do has "$base" "^$s"; done
done

# What the tables say, in the places a reader looks for it.
has bcct-runqlat '^ +bcct-runqlat - Summarize run queue'
has bcct-runqlat '^ +bcct runqlat \[-h\] \[-T\] \[-m\]'
has bcct-runqlat '^ +-m, --milliseconds'
has bcct-runqlat '^ +millisecond histogram'
has bcct-runqlat '^ +runqlat -P 1 --json'
has bcct-runqlat 'hists\[\]\.buckets\[\]\.count \(int\)'
has bcct-runqlat '^ +runqlat 1 10$'
has bcct-runqlat '^ +print 1 second summaries, 10 times'
has bcct-runqlat 'bcct-runqslower\(8\)'
has bcct-ext4slower 'ext4slower is bcct fsslower -t ext4'
has bcct-ext4slower '^ +fsslower -t ext4 0 --comm dd --json'
has bcct-vfscount "vfscount is bcct funccount --addr -r '\\^vfs_\\.\\*'"   # as typed in a shell
has bcct-killsnoop '^ +killsnoop --json'
has bcct-reset-trace 'Text only, as BCC prints it'
has bcct-trace '^ +t:category:event +kernel tracepoint'   # laid-out syntax kept as laid out
has bcct '^ +bcct-execsnoop\(8\)'
has bcct '^ +BCCT_DISABLE=KIND,\.\.\.'

echo "$pass passed, $fail failed ($(echo "$names" | wc -l) applet and alias pages)"
[ "$fail" -eq 0 ]
