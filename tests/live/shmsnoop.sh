#!/bin/sh
# shmsnoop: a copy of tests/workloads/shm_ops under a marker name makes shmget(IPC_PRIVATE, 8192,
# IPC_CREAT|0600), shmat(SHM_RDONLY), shmdt, shmctl(IPC_RMID) and a failing shmdt: shmsnoop
# prints BCC's header and a line for each, results in hex (the failure's -EINVAL as
# ffffffffffffffea), arguments with the flags named; -T's time column, -n's substring filter,
# -t's TID column, --json.
. "$(dirname "$0")/lib.sh"
need_workload shm_ops
COMM=$(printf '%.15s' "shmq$$")
cp "$WORKLOADS/shm_ops" "$TMPD/$COMM"

start shmsnoop -T -n "$COMM"
wait_ready
id=$("$TMPD/$COMM") || fail "the workload failed"
sleep 0.3
stop
hex=$(printf '%x' "$id")
expect_header "TIME(s)       PID    COMM                SYS              RET ARGs"
expect "^[0-9]+\.[0-9]{9} +[0-9]+ +$COMM +SHMGET +$hex key: 0x0, size: 8192, shmflg: 0x380 \(IPC_CREAT\|0600\)$"
expect "^[0-9.]+ +[0-9]+ +$COMM +SHMAT +[0-9a-f]{6,} shmid: 0x$hex, shmaddr: 0x0, shmflg: 0x1000 \(SHM_RDONLY\)$"
expect "^[0-9.]+ +[0-9]+ +$COMM +SHMDT +0 shmaddr: 0x[0-9a-f]{6,}$"
expect "^[0-9.]+ +[0-9]+ +$COMM +SHMCTL +0 shmid: 0x$hex, cmd: 0, buf: 0x0$"
expect "^[0-9.]+ +[0-9]+ +$COMM +SHMDT ffffffffffffffea shmaddr: 0x1000$"
[ "$(grep -c " $COMM " "$OUT")" -eq 5 ] || fail "expected exactly 5 calls of $COMM"
expect_not " (bash|sh|sleep) "

start shmsnoop --comm "$COMM" --json
wait_ready
"$TMPD/$COMM" >/dev/null
sleep 0.3
stop
[ "$(grep -c "\"comm\":\"$COMM\"" "$OUT")" -eq 5 ] || fail "--json: expected 5 objects"
expect '^\{"ts":"[^"]+","ts_ns":[0-9]+,"pid":[0-9]+,"comm":"'"$COMM"'","sys":"SHMDT","ret":-22,"args":"shmaddr: 0x1000"\}$'

start shmsnoop -t 1
wait_ready
stop
expect_header "TID    COMM                SYS              RET ARGs"
pass
