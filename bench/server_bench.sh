#!/bin/sh
# smtpspec: messages per second of `smtpspec serve` against Postfix's
# smtp-sink, both driven by Postfix's smtp-source on loopback.
# SPDX-License-Identifier: MIT
#
# Usage: bench/server_bench.sh SMTPSPEC_BINARY [MESSAGES] [SESSIONS]
#
# Starts each server on 127.0.0.1 (a port the system picks for smtpspec, a
# fixed free port for smtp-sink), sends MESSAGES messages of 2 KB over
# SESSIONS concurrent sessions and then over one session, and prints
# messages per second, the server's CPU time per message and the ratio to
# smtp-sink measured in the same run. Servers are stopped by their PIDs.
# Counts are bounded (at most 20000 messages, 100 sessions).
set -eu

smtpspec=${1:?usage: server_bench.sh SMTPSPEC_BINARY [MESSAGES] [SESSIONS]}
messages=${2:-2000}
sessions=${3:-10}
[ "$messages" -le 20000 ] || { echo "at most 20000 messages" >&2; exit 2; }
[ "$sessions" -le 100 ] || { echo "at most 100 sessions" >&2; exit 2; }
for tool in smtp-source smtp-sink; do
    command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
    command -v "$tool" >/dev/null || { echo "$tool missing: install Debian's postfix" >&2; exit 2; }
done

work=$(mktemp -d /tmp/smtpspec-bench.XXXXXX)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# CPU time (user + system, in clock ticks) the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# run NAME PID ADDRESS SESSIONS: one smtp-source run; prints a result line.
run() {
    name=$1 pid=$2 address=$3 s=$4
    before=$(cpu_ticks "$pid")
    start=$(date +%s.%N)
    smtp-source -c -l 2048 -m "$messages" -s "$s" -f a@client.test -t b@example.org \
        "$address" >/dev/null
    end=$(date +%s.%N)
    after=$(cpu_ticks "$pid")
    awk -v n="$messages" -v t0="$start" -v t1="$end" -v c0="$before" -v c1="$after" \
        -v hz="$ticks_per_second" -v name="$name" -v s="$s" 'BEGIN {
            rate = n / (t1 - t0); cpu = (c1 - c0) / hz / n * 1e6;
            printf "%-22s sessions=%-3d messages=%d seconds=%.2f msgs_per_s=%.0f server_cpu_us_per_msg=%.0f\n",
                   name, s, n, t1 - t0, rate, cpu }'
}

# smtpspec serve, durable Maildir (fsync before every 250).
"$smtpspec" serve --listen 127.0.0.1:0 --maildir "$work/maildir" --no-tls \
    --ready-file "$work/ready" --trace-file /dev/null --max-connections 200 \
    >"$work/serve.log" 2>&1 &
serve_pid=$!
pids="$pids $serve_pid"
i=0
while [ ! -s "$work/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$work/ready" ] || { echo "smtpspec serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
serve_address=$(cat "$work/ready")

# Postfix smtp-sink on a free port (no storage). -u keeps our own user.
sink_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
smtp-sink -u "$(id -un)" -c "127.0.0.1:$sink_port" 256 >"$work/sink.log" 2>&1 &
sink_pid=$!
pids="$pids $sink_pid"
sleep 0.5

echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1 /proc/loadavg)"
sink10=$(run smtp-sink "$sink_pid" "127.0.0.1:$sink_port" "$sessions")
echo "$sink10"
serve10=$(run "smtpspec serve" "$serve_pid" "$serve_address" "$sessions")
echo "$serve10"
sink1=$(run smtp-sink "$sink_pid" "127.0.0.1:$sink_port" 1)
echo "$sink1"
serve1=$(run "smtpspec serve" "$serve_pid" "$serve_address" 1)
echo "$serve1"
ratio() { echo "$1 $2" | awk '{ split($0, a, "msgs_per_s="); split(a[2], x, " ");
                               split(a[3], y, " "); printf "%.2f", x[1] / y[1] }'; }
echo "ratio smtpspec/smtp-sink: sessions=$sessions $(ratio "$serve10" "$sink10")" \
     " sessions=1 $(ratio "$serve1" "$sink1")"
stored=$(find "$work/maildir/new" -type f | wc -l)
echo "stored by smtpspec: $stored (expected $((2 * messages)))"
