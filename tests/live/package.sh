#!/bin/sh
# The Debian package (CPack: scripts/package, CMakeLists.txt): dpkg -i installs it beside
# Debian's libbpf-tools and bpfcc-tools without touching a file of theirs, `man bcct-runqlat`
# shows the generated page, the bash completion is in place, `cmake --install` installs the
# same files, and dpkg -r removes every file it installed. Runs on a Debian host only.
. "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$BCCT")
for c in dpkg dpkg-deb cpack man; do has_cmd $c || skip "no $c here (a Debian host's test: not in the VM guests)"; done
[ -f "$BUILD/CPackConfig.cmake" ] && [ -f "$BUILD/docs/stamp" ] ||
	fail "no CPack configuration or generated pages in $BUILD (cmake --build build makes them)"
status() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null; }
for p in libbpf-tools bpfcc-tools; do
	[ "$(status $p)" = installed ] || skip "$p is not installed (apt-get install $p; scripts/deps does)"
done
case $(status bcct) in ""|not-installed) ;; *) skip "a bcct package is on this system already: left alone" ;; esac

# The package, from what the build made (cpack runs the install rules, nothing is rebuilt).
(cd "$BUILD" && cpack -G DEB -B "$TMPD/pkg") >"$TMPD/cpack.log" 2>&1 || { cat "$TMPD/cpack.log"; fail "cpack failed"; }
DEB=$(ls "$TMPD"/pkg/bcct_*.deb)
[ -f "$DEB" ] || fail "cpack made no bcct_*.deb"
dpkg-deb -c "$DEB" | awk '!/^d/ { sub(/^\./, "", $6); print $6 }' | sort >"$TMPD/deb-files"
grep -qx /usr/sbin/bcct "$TMPD/deb-files" || fail "no /usr/sbin/bcct in the package"
# No name another package has: neither BCC's tool names nor their pages.
# (dpkg -S prints the owned ones, one query for all.)
owned=$(dpkg -S $(cat "$TMPD/deb-files") 2>/dev/null)
[ -z "$owned" ] || fail "files of other packages: $owned"

# cmake --install puts the same files under its prefix.
cmake --install "$BUILD" --prefix "$TMPD/root/usr" >"$TMPD/install.log" 2>&1 || { cat "$TMPD/install.log"; fail "cmake --install failed"; }
(cd "$TMPD/root" && find . ! -type d | sed 's/^\.//' | sort) >"$TMPD/install-files"
cmp -s "$TMPD/deb-files" "$TMPD/install-files" ||
	{ diff "$TMPD/deb-files" "$TMPD/install-files"; fail "cmake --install and the package install different files"; }

dpkg --verify libbpf-tools bpfcc-tools >"$TMPD/verify-before" 2>&1
# dpkg waits for no one: another apt or dpkg holding the lock gets a few retries.
dpkg_do() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		dpkg "$@" >"$TMPD/dpkg.log" 2>&1 && return 0
		grep -q 'lock' "$TMPD/dpkg.log" || break
		sleep 3
	done
	cat "$TMPD/dpkg.log"
	return 1
}
trap 'dpkg -r bcct >/dev/null 2>&1; cleanup' EXIT
dpkg_do -i "$DEB" || fail "dpkg -i failed"
[ "$(status bcct)" = installed ] || fail "bcct is not installed after dpkg -i"
dpkg -L bcct | while read -r f; do [ -d "$f" ] || echo "$f"; done | sort >"$TMPD/installed"
cmp -s "$TMPD/deb-files" "$TMPD/installed" || { diff "$TMPD/deb-files" "$TMPD/installed"; fail "dpkg -L differs from the package's files"; }
/usr/sbin/bcct --version >"$OUT" 2>"$ERR" || fail "/usr/sbin/bcct --version failed"
expect '^bcct [0-9]'
for n in $("$BCCT" --list | awk '/^  [^ ]/ { print $1 }'); do
	grep -qx "/usr/share/man/man8/bcct-$n.8.gz" "$TMPD/installed" || fail "no page for $n installed"
done
[ "$(man -w bcct-runqlat 2>&1)" = /usr/share/man/man8/bcct-runqlat.8.gz ] || fail "man -w bcct-runqlat: $(man -w bcct-runqlat 2>&1)"
MANWIDTH=80 man bcct-runqlat >"$OUT" 2>"$ERR" || fail "man bcct-runqlat failed"
expect '^ +bcct runqlat \[-h\]'
expect '^ +-m, --milliseconds'
MANWIDTH=80 man bcct runqlat >"$OUT" 2>"$ERR" || fail "man bcct runqlat (the sub-page form) failed"
expect '^ +bcct-runqlat - '
bash --norc -c '. /usr/share/bash-completion/completions/bcct && complete -p bcct' >"$OUT" 2>"$ERR" ||
	fail "the installed completion does not load"
expect '_bcct bcct$'
# Debian's tools untouched: same owners, same checksums.
for f in /usr/sbin/runqlat /usr/sbin/runqlat-bpfcc; do
	[ -e "$f" ] && { dpkg -S "$f" | grep -q '^bcct' && fail "$f is bcct's"; }
done
dpkg --verify libbpf-tools bpfcc-tools >"$TMPD/verify-after" 2>&1
cmp -s "$TMPD/verify-before" "$TMPD/verify-after" || fail "libbpf-tools or bpfcc-tools files changed: $(cat "$TMPD/verify-after")"

dpkg_do -r bcct || fail "dpkg -r failed"
trap 'cleanup' EXIT
case $(status bcct) in ""|not-installed) ;; *) fail "bcct is '$(status bcct)' after dpkg -r, not gone" ;; esac
while read -r f; do [ -e "$f" ] && fail "$f is left after dpkg -r"; done <"$TMPD/deb-files"
[ -z "$(dpkg --audit 2>&1)" ] || fail "dpkg --audit: $(dpkg --audit 2>&1)"
for p in libbpf-tools bpfcc-tools; do [ "$(status $p)" = installed ] || fail "$p is no longer installed"; done
pass "$(wc -l <"$TMPD/deb-files") files installed beside libbpf-tools and bpfcc-tools and removed again"
