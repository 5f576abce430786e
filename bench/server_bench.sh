#!/bin/sh
# smtpspec: messages per second and CPU per message of `smtpspec serve`
# (durable Maildir and --discard) beside Postfix's smtp-sink and a private
# Postfix smtpd delivering to a Maildir, all driven by Postfix's smtp-source
# on loopback; then the memory of idle sessions and the disk's fsync latency.
# SPDX-License-Identifier: MIT
#
# Usage: bench/server_bench.sh SMTPSPEC_BINARY [MESSAGES] [SESSIONS] [IDLE] [ROUNDS]
# Environment: SMTPSPEC_BENCH_DURABLE_FLAGS, more `serve` options for the
# durable server only (e.g. "--group-flush per-file").
#
# Every server runs on 127.0.0.1 from a temporary folder under /tmp, which
# holds everything written (Maildirs, the Postfix configuration, queue and
# log); the system's Postfix instance is never touched. Each server receives
# MESSAGES messages of 2 KB over SESSIONS concurrent sessions, then over one
# session (smtp-source opens one connection per message), ROUNDS times
# (default 3), the servers taking turns within each round. Printed per run:
# messages per second and the server's CPU time per message, read from
# /proc/PID/stat of the processes this script started (for Postfix: its
# master, the children it has reaped and those still alive, measured after
# the last message reached the Maildir). Then each figure's median over the
# rounds, the ratios of the medians to the targets of issue #6, the resident
# memory of IDLE idle sessions and the fsync latency.
# Servers are stopped by their PIDs (Postfix by `postfix -c DIR stop`, which
# signals the master this script started). Counts are bounded: at most 20000
# messages, 100 sessions, 2000 idle sessions, 9 rounds.
set -eu

smtpspec=${1:?usage: server_bench.sh SMTPSPEC_BINARY [MESSAGES] [SESSIONS] [IDLE] [ROUNDS]}
messages=${2:-2000}
sessions=${3:-10}
idle=${4:-500}
rounds=${5:-3}
[ "$messages" -le 20000 ] || { echo "at most 20000 messages" >&2; exit 2; }
[ "$sessions" -le 100 ] || { echo "at most 100 sessions" >&2; exit 2; }
[ "$idle" -le 2000 ] || { echo "at most 2000 idle sessions" >&2; exit 2; }
[ "$rounds" -ge 1 ] && [ "$rounds" -le 9 ] || { echo "1 to 9 rounds" >&2; exit 2; }
PATH=$PATH:/usr/sbin
for tool in smtp-source smtp-sink postfix; do
    command -v "$tool" >/dev/null || { echo "$tool missing: install Debian's postfix" >&2; exit 2; }
done
python=/usr/bin/python3

work=$(mktemp -d /tmp/smtpspec-bench.XXXXXX)
chmod 755 "$work"  # Postfix's delivery agent runs as user postfix.
# ext4: each server's folder in a block group of its own (Orlov top
# directory), so that no server allocates inodes among another's recently
# deleted ones (Postfix deletes a queue file per message); where the
# file system has no such flag, nothing changes.
chattr +T "$work" 2>/dev/null || true
pids=""
postfix_up=""
cleanup() {
    if [ -n "$postfix_up" ]; then
        postfix -c "$work/postfix/etc" stop >/dev/null 2>&1 || true
    fi
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
    $python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# CPU ticks (user + system) of PID, of the children it has reaped and of its
# live descendants with theirs.
tree_ticks() {
    $python - "$1" <<'EOF'
import os, sys
root = int(sys.argv[1])
parent, ticks = {}, {}
for name in os.listdir("/proc"):
    if not name.isdigit():
        continue
    try:
        with open(f"/proc/{name}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    pid = int(name)
    parent[pid] = int(fields[1])
    ticks[pid] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
total = 0
for pid in ticks:
    p = pid
    while p > 1 and p != root:
        p = parent.get(p, 0)
    if p == root:
        total += ticks[pid]
print(total)
EOF
}
ticks_per_second=$(getconf CLK_TCK)

files_in() { find "$1" -type f -path '*/new/*' 2>/dev/null | wc -l; }

# run NAME PID ADDRESS SESSIONS [MAILDIR]: one smtp-source run; prints a
# result line. With MAILDIR, the CPU is read once MAILDIR holds every message
# (Postfix delivers after its 250).
run() {
    name=$1 pid=$2 address=$3 s=$4 maildir=${5:-}
    base=0
    [ -z "$maildir" ] || base=$(files_in "$maildir")
    before=$(tree_ticks "$pid")
    start=$(date +%s.%N)
    smtp-source -l 2048 -m "$messages" -s "$s" -f a@client.test -t b@example.org \
        "$address" >/dev/null
    end=$(date +%s.%N)
    if [ -n "$maildir" ]; then
        i=0
        while [ "$(files_in "$maildir")" -lt $((base + messages)) ] && [ $i -lt 1200 ]; do
            sleep 0.05; i=$((i + 1))
        done
    fi
    after=$(tree_ticks "$pid")
    awk -v n="$messages" -v t0="$start" -v t1="$end" -v c0="$before" -v c1="$after" \
        -v hz="$ticks_per_second" -v name="$name" -v s="$s" 'BEGIN {
            rate = n / (t1 - t0); cpu = (c1 - c0) / hz / n * 1e6;
            printf "%-24s sessions=%-3d messages=%d seconds=%.2f msgs_per_s=%.0f server_cpu_us_per_msg=%.0f\n",
                   name, s, n, t1 - t0, rate, cpu }'
}

start_smtpspec() {  # NAME [FLAGS...]: prints its PID and address
    name=$1
    shift
    # --discard and --maildir are refused together.
    store="--maildir $work/$name/maildir"
    case " $* " in *" --discard "*) store= ;; esac
    # shellcheck disable=SC2086 # $store is an option and its value, or nothing
    "$smtpspec" serve --listen 127.0.0.1:0 $store --no-tls \
        --ready-file "$work/$name.ready" --trace none \
        --max-connections $((idle + 200)) "$@" >"$work/$name.log" 2>&1 &
    echo $! >"$work/$name.pid"
    i=0
    while [ ! -s "$work/$name.ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    [ -s "$work/$name.ready" ] || { echo "smtpspec serve $name did not start" >&2;
                                    cat "$work/$name.log" >&2; exit 1; }
}

# A private Postfix: its own main.cf and master.cf, queue, data and log in
# $work/postfix; smtpd on a free loopback port; virtual(8) delivers every
# recipient at example.org to $work/postfix/vmail/maildir/ (a Maildir).
start_postfix() {
    d=$work/postfix
    mkdir -p "$d/etc" "$d/queue" "$d/data" "$d/vmail"
    chown postfix:postfix "$d/data" "$d/vmail"
    postfix_port=$(free_port)
    cat >"$d/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $d/etc
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-bench.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $d/postfix.log
maillog_file_prefixes = $d
alias_maps =
alias_database =
local_recipient_maps =
smtpd_peername_lookup = no
biff = no
virtual_mailbox_domains = example.org
virtual_mailbox_base = $d/vmail
virtual_mailbox_maps = static:maildir/
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
virtual_minimum_uid = 100
default_process_limit = 100
EOF
    {
        echo "127.0.0.1:$postfix_port inet n - n - - smtpd"
        for service in "cleanup unix n - n - 0 cleanup" "qmgr unix n - n 300 1 qmgr" \
            "rewrite unix - - n - - trivial-rewrite" "bounce unix - - n - 0 bounce" \
            "defer unix - - n - 0 bounce" "trace unix - - n - 0 bounce" \
            "verify unix - - n - 1 verify" "flush unix n - n 1000? 0 flush" \
            "proxymap unix - - n - - proxymap" "smtp unix - - n - - smtp" \
            "relay unix - - n - - smtp" "error unix - - n - - error" \
            "retry unix - - n - - error" "discard unix - - n - - discard" \
            "virtual unix - n n - - virtual" "anvil unix - - n - 1 anvil" \
            "scache unix - - n - 1 scache" "postlog unix-dgram n - n - 1 postlogd" \
            "showq unix n - n - - showq"; do
            echo "$service"
        done
    } >"$d/etc/master.cf"
    postfix -c "$d/etc" start >"$d/start.log" 2>&1 || { cat "$d/start.log" "$d/postfix.log" >&2; exit 1; }
    postfix_up=1
    i=0
    while [ ! -s "$d/queue/pid/master.pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    postfix_pid=$(tr -d ' ' <"$d/queue/pid/master.pid")
}

# shellcheck disable=SC2086 # the flags are split into words on purpose
start_smtpspec durable ${SMTPSPEC_BENCH_DURABLE_FLAGS:-}
durable_pid=$(cat "$work/durable.pid") durable_address=$(cat "$work/durable.ready")
start_smtpspec discard --discard
discard_pid=$(cat "$work/discard.pid") discard_address=$(cat "$work/discard.ready")
pids="$durable_pid $discard_pid"
sink_port=$(free_port)
smtp-sink -u "$(id -un)" "127.0.0.1:$sink_port" 256 >"$work/sink.log" 2>&1 &
sink_pid=$!
pids="$pids $sink_pid"
start_postfix
sleep 0.5

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1 /proc/loadavg)"
# The file system under the Maildirs, and for ext4 whether it has a journal
# (without one, every new file's inode allocation passes over the inodes
# freed in the last minutes: see the inode line at the end).
device=$(df --output=source "$work" | tail -1)
fstype=$(df --output=fstype "$work" | tail -1)
journal=""
if [ "$fstype" = ext4 ]; then
    if ls -d /proc/fs/jbd2/"$(basename "$device")"-* >/dev/null 2>&1; then
        journal=", with a journal"
    else
        journal=", without a journal"
    fi
fi
echo "file system: $fstype on $device$journal; Maildirs under $work"
results=""
for s in "$sessions" 1; do
    for round in $(seq "$rounds"); do
    for server in sink durable discard postfix; do
        case $server in
            sink) line=$(run smtp-sink "$sink_pid" "127.0.0.1:$sink_port" "$s") ;;
            durable) line=$(run "smtpspec durable" "$durable_pid" "$durable_address" "$s") ;;
            discard) line=$(run "smtpspec --discard" "$discard_pid" "$discard_address" "$s") ;;
            postfix) line=$(run "postfix smtpd+maildir" "$postfix_pid" "127.0.0.1:$postfix_port" \
                                "$s" "$work/postfix/vmail") ;;
        esac
        echo "round=$round $line"
        results="$results
$server $s $line"
    done
    done
done

# value SERVER SESSIONS FIELD: the median of the rounds.
value() {
    echo "$results" | awk -v srv="$1" -v s="$2" -v f="$3=" '$1 == srv && $2 == s {
        for (i = 3; i <= NF; i++) if (index($i, f) == 1) print substr($i, length(f) + 1) }' |
        sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for s in "$sessions" 1; do
    for server in sink durable discard postfix; do
        printf "median of %d rounds: %-9s sessions=%-3d msgs_per_s=%s server_cpu_us_per_msg=%s\n" \
            "$rounds" "$server" "$s" "$(value "$server" "$s" msgs_per_s)" \
            "$(value "$server" "$s" server_cpu_us_per_msg)"
    done
done
for s in "$sessions" 1; do
    awk -v s="$s" -v d="$(value durable "$s" msgs_per_s)" -v x="$(value discard "$s" msgs_per_s)" \
        -v k="$(value sink "$s" msgs_per_s)" -v p="$(value postfix "$s" msgs_per_s)" \
        -v dc="$(value durable "$s" server_cpu_us_per_msg)" \
        -v xc="$(value discard "$s" server_cpu_us_per_msg)" \
        -v kc="$(value sink "$s" server_cpu_us_per_msg)" 'BEGIN {
        printf "ratios sessions=%-3d durable/sink=%.2f (target >= 0.5) durable/postfix=%.2f (target >= 3) discard/sink=%.2f (target >= 1) cpu durable/sink=%.2f cpu discard/sink=%.2f (target <= 1)\n",
               s, d / k, d / p, x / k, dc / kc, xc / kc }'
done
echo "stored by smtpspec durable: $(files_in "$work/durable/maildir") (expected $((2 * rounds * messages)));" \
     "delivered by postfix: $(files_in "$work/postfix/vmail") (expected $((2 * rounds * messages)))"

# Idle sessions: the server's resident memory before and after IDLE
# connections that got their greeting and said EHLO.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
$python - "$idle" "$durable_address" "$durable_pid" "$sink_port" "$sink_pid" <<'EOF'
import socket, sys, time
n, address, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sink_port, sink_pid = int(sys.argv[4]), int(sys.argv[5])
def rss(p):
    with open(f"/proc/{p}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
def idle(name, host, port, p):
    try:
        measure(name, host, port, p)
    except OSError as e:
        print(f"idle sessions {name:<18} n={n} not measured: {e}")
def measure(name, host, port, p):
    before = rss(p)
    conns = []
    deadline = time.monotonic() + 60
    for _ in range(n):
        c = socket.create_connection((host, port), timeout=10)
        c.recv(512)
        c.sendall(b"EHLO client.test\r\n")
        conns.append(c)
    for c in conns:
        data = b""
        while not data.endswith(b"\r\n") or b"250 " not in data:
            if time.monotonic() > deadline:
                raise OSError("no EHLO reply in time")
            data += c.recv(4096)
    time.sleep(0.2)
    after = rss(p)
    for c in conns:
        c.close()
    if time.monotonic() > deadline:
        raise OSError("took longer than 60 s")
    print(f"idle sessions {name:<18} n={n} rss_before_kb={before} rss_after_kb={after} "
          f"per_session_kb={(after - before) / n:.1f}")
host, port = address.rsplit(":", 1)
idle("smtpspec durable", host, int(port), pid)
n = min(n, 200)  # smtp-sink was started with a backlog of 256.
idle("smtp-sink", "127.0.0.1", sink_port, sink_pid)
EOF

# The disk under the Maildirs: one 2 KB file written and fdatasync'ed, and
# one sync of its folder, 50 times each (what bounds a durable 250).
$python - "$work" <<'EOF'
import os, statistics, sys, time
d = os.path.join(sys.argv[1], "fsync-probe")
os.mkdir(d)
files, dirs = [], []
for i in range(50):
    t0 = time.perf_counter()
    fd = os.open(os.path.join(d, str(i)), os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"x" * 2048)
    os.fdatasync(fd)
    os.close(fd)
    t1 = time.perf_counter()
    fd = os.open(d, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    files.append((t1 - t0) * 1e3)
    dirs.append((time.perf_counter() - t1) * 1e3)
print(f"disk: file write+fdatasync median_ms={statistics.median(files):.2f} "
      f"directory fsync median_ms={statistics.median(dirs):.2f} "
      f"(one message at a time: at most {1e3 / (statistics.median(files) + statistics.median(dirs)):.0f} msgs/s)")
EOF

# Files of the durable Maildir whose inode does not follow the previous
# file's: many mean the slow path of ext4 without a journal (inodes freed in
# the last minutes passed over one by one, kernel CPU charged to the
# server), so runs close after another run (or after deleting many files)
# are slower. A jump to the next block group counts once.
gaps=$(find "$work/durable/maildir/new" -type f -printf '%i\n' | sort -n |
    awk 'NR > 1 && $1 != p + 1 { g++ } { p = $1 } END { print g + 0 }')
echo "durable Maildir files not next to the previous one by inode: $gaps of $(files_in "$work/durable/maildir")"

# How the durable server grouped its commits (logged when it stops).
kill -TERM "$durable_pid"
wait "$durable_pid" 2>/dev/null || true
pids="$discard_pid $sink_pid"
sed -n 's/.*event=commit_stats /group commits of smtpspec durable: /p' "$work/durable.log"
