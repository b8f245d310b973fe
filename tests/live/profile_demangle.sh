#!/bin/sh
# profile: C++ frames (namespaced templates, cxx_templates built with g++) are demangled by
# default, and kept as in the symbol table with --no-demangle.
. "$(dirname "$0")/lib.sh"
need_workload cxx_templates
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/cxx_templates" "$TMPD/$MARKER"
"$TMPD/$MARKER" 30 &
W=$!
trap 'kill $W 2>/dev/null; cleanup' EXIT

start profile -p "$W" -U -f -F 199
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;bcct_ns::Outer<int>::run\(double\);unsigned long bcct_ns::churn<int>\(int, double\) [0-9]+$"
expect_not "_ZN7bcct_ns"

start profile -p "$W" -U -f -F 199 --no-demangle
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;_ZN7bcct_ns5OuterIiE3runEd;_ZN7bcct_ns5churnIiEEmT_d [0-9]+$"
expect_not "bcct_ns::"
pass
