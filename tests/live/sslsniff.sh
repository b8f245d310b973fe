#!/bin/sh
# sslsniff: an OpenSSL server and client (openssl s_server/s_client) on loopback; the client's
# plaintext line carries the marker. It appears as the client's WRITE/SEND and the server's
# READ/RECV, in BCC's columns and data blocks, with -x's UID/TID, -l's latency and --handshake's
# HANDSHAKE. Then --hexdump, --max-buffer-size (the TRUNCATED end line) and -c (a client copy
# of its own name: the server's calls are not shown); -o (OpenSSL off: nothing of it); and
# GnuTLS's gnutls-serv/gnutls-cli where installed. First, everywhere (the VM guests have no TLS
# libraries): --extra-lib on a workload standing in for OpenSSL, which calls SSL_write/SSL_read
# and their _ex forms (the count behind a pointer).
. "$(dirname "$0")/lib.sh"
need_workload tls_target
start sslsniff -o -g -n --extra-lib "openssl:$WORKLOADS/tls_target"
wait_ready
"$WORKLOADS/tls_target" "stub-$MARKER" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "FUNC         TIME(s)            COMM             PID     LEN    "
n=0
for line in "stub-$MARKER" "read-stub-$MARKER" "ex-stub-$MARKER" "exread-stub-$MARKER"; do
	n=$((n + 1))
	case $n in 1|3) f="WRITE/SEND" ;; *) f="READ/RECV " ;; esac
	grep -B2 -x "$line" "$OUT" | head -n 1 |
		grep -Eq "^$f   [0-9]+\.[0-9]{9} +tls_target +$P +${#line} *$" ||
		fail "no $f of ${#line} bytes before the data line $line"
done
[ -n "${BCCT_VM:-}" ] && pass "--extra-lib (the guest has no TLS libraries)"
has_cmd openssl || pass "--extra-lib (no openssl: scripts/deps installs it)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMPD/key.pem" -out "$TMPD/cert.pem" \
	-days 1 -subj /CN=localhost >/dev/null 2>&1 || fail "openssl cannot make a certificate"
PORT=$((20000 + $$ % 30000))
OPENSSL=$(command -v openssl)

# tls_session CLIENT LINE: one server accepting one session; CLIENT (openssl or a copy) sends
# LINE and waits for the server to close (timeout(1) bounds both: their PIDs are its children's).
tls_session() {
	PORT=$((PORT + 1))
	sleep 3 | timeout 10 "$OPENSSL" s_server -accept "$PORT" -naccept 1 -quiet \
		-cert "$TMPD/cert.pem" -key "$TMPD/key.pem" >"$TMPD/server.out" 2>&1 & server=$!
	sleep 0.7
	(printf '%s\n' "$2"; sleep 1) | timeout 10 "$1" s_client -connect "127.0.0.1:$PORT" -quiet \
		>/dev/null 2>&1
	wait "$server"
	grep -q "$2" "$TMPD/server.out" || fail "the TLS session did not carry the line: $(cat "$TMPD/server.out")"
}

start sslsniff -x -l --handshake
wait_ready
tls_session "$OPENSSL" "plain-$MARKER"
sleep 0.5
stop
expect_header "FUNC         TIME(s)            COMM             PID     LEN     UID     TID     LAT(ms)"
LEN=$(printf '%s\n' "plain-$MARKER" | wc -c)
# FUNC TIME(s) COMM PID LEN(%-6d) UID TID(= PID) LAT(ms)
expect "^WRITE/SEND   [0-9]+\\.[0-9]{9} +openssl +([0-9]+) +$LEN +0 +\\1 +[0-9]+\\.[0-9]{3} *$"
expect "^READ/RECV    [0-9]+\\.[0-9]{9} +openssl +([0-9]+) +$LEN +0 +\\1 +[0-9]+\\.[0-9]{3} *$"
expect "^HANDSHAKE    [0-9.]+ +openssl +[0-9]+ +1 +0 +[0-9]+ +[0-9]+\\.[0-9]{3} *$"
[ "$(grep -c -x "plain-$MARKER" "$OUT")" -eq 2 ] || fail "the line is not in both data blocks"
grep -A6 "^WRITE/SEND " "$OUT" | tr '\n' '|' |
	grep -q "|----- DATA -----|plain-$MARKER||----- END DATA -----|||$" ||
	fail "the data block is not BCC's (DATA mark, the bytes, END DATA mark)"

# --hexdump, --max-buffer-size 8, -c: the client copy alone, 8 bytes in hex, the rest counted.
cp "$OPENSSL" "$TMPD/sslcli"
start sslsniff --hexdump --max-buffer-size 8 -c sslcli
wait_ready
tls_session "$TMPD/sslcli" "hex-$MARKER"
sleep 0.5
stop
HEX=$(printf '%s' "hex-$MARKER" | head -c 8 | od -An -tx1 | tr -d ' \n')
expect "^WRITE/SEND   [0-9.]+ +sslcli +[0-9]+ +$(printf '%s\n' "hex-$MARKER" | wc -c) *$"
expect "^$HEX$"
expect "^----- END DATA \\(TRUNCATED, $(( $(printf '%s\n' "hex-$MARKER" | wc -c) - 8 )) bytes lost\\) -----$"
expect_not "^[A-Z/]+ +[0-9.]+ +openssl "

# -o: OpenSSL's calls are not traced.
start sslsniff -o
wait_ready
tls_session "$OPENSSL" "off-$MARKER"
sleep 0.5
stop
expect_not "off-$MARKER"
expect_not "^(WRITE/SEND|READ/RECV) .* openssl "

has_cmd gnutls-serv && has_cmd gnutls-cli || pass "--extra-lib (SSL_read/write and _ex); OpenSSL: -x -l --handshake, --hexdump, --max-buffer-size, -c, -o (no gnutls-bin)"
start sslsniff -n
wait_ready
PORT=$((PORT + 1))
timeout 10 gnutls-serv --echo -p "$PORT" --x509keyfile "$TMPD/key.pem" \
	--x509certfile "$TMPD/cert.pem" >/dev/null 2>&1 & SPID=$!
sleep 1
(printf '%s\n' "gnutls-$MARKER"; sleep 1) | timeout 10 gnutls-cli --insecure -p "$PORT" 127.0.0.1 \
	>"$TMPD/gnutls.out" 2>&1 & CPID=$!
wait "$CPID"
kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null
sleep 0.5
stop
grep -q "gnutls-$MARKER" "$TMPD/gnutls.out" || fail "the GnuTLS session did not echo the line"
expect "^WRITE/SEND   [0-9.]+ +gnutls-cli +[0-9]+ +$(printf '%s\n' "gnutls-$MARKER" | wc -c) *$"
expect "^READ/RECV    [0-9.]+ +gnutls-serv +[0-9]+ +"
[ "$(grep -c -x "gnutls-$MARKER" "$OUT")" -ge 3 ] || fail "the line is not in the client's send, the server's receive and echo"
pass "--extra-lib (SSL_read/write and _ex); OpenSSL: -x -l --handshake, --hexdump, --max-buffer-size, -c, -o; GnuTLS"
