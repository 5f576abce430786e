#!/usr/bin/env bash
# smtpspec: writes the seed corpus of every fuzz target, and the dictionary
# they share, with `smtpspec corpus` (from the grammar and the model).
# SPDX-License-Identifier: MIT
#
# Usage: bash fuzz/seeds.sh SMTPSPEC OUT [SEED [COUNT]]
#   SMTPSPEC  the smtpspec program (any build: g++ or clang)
#   OUT       directory to (re)create: OUT/smtp.dict and OUT/TARGET/ per target
#   SEED      corpus seed (default 1); the same seed writes the same files
#   COUNT     samples per rule (default 200)
set -euo pipefail

if [[ $# -lt 2 ]]; then
    sed -n '2,10s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
cli=$1
out=$2
seed=${3:-1}
count=${4:-200}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jobs=$(nproc)
work=$out/.generated

rm -rf "$out"
mkdir -p "$work"
corpus()
{
    "$cli" corpus --seed "$seed" --jobs "$jobs" "$@" >/dev/null
}

# One generated folder per target; near misses go beside the valid samples.
corpus --rule ehlo --rule helo --rule mail --rule rcpt --rule data --rule rset --rule vrfy \
    --rule expn --rule help --rule noop --rule quit --count "$count" --negative \
    --out "$work/command" --dict "$out/smtp.dict"
corpus --rule Reply-line --rule Greeting --rule ehlo-ok-rsp --count "$count" --negative \
    --out "$work/reply"
corpus --rule Mailbox --count "$count" --negative --out "$work/mailbox"
corpus --sessions --count "$count" --out "$work/session"

# libFuzzer takes every file below a directory as an input: keep only samples.
gather()
{
    local target=$1 dir file
    shift
    mkdir -p "$out/$target"
    for dir in "$@"; do
        # negative/mail/mail-000001 and mail/mail-000001 are different samples:
        # the flat name keeps the folder.
        while IFS= read -r -d '' file; do
            cp "$dir/$file" "$out/$target/$(basename "$dir")_${file//\//_}"
        done < <(cd "$dir" && find . -type f ! -name '*.tsv' -printf '%P\0')
    done
}
gather parse_command "$work/command"
gather parse_mailbox "$work/mailbox"
gather parse_reply_line "$work/reply/Reply-line" "$work/reply/Greeting" \
    "$work/reply/negative/Reply-line" "$work/reply/negative/Greeting"
gather server_session "$work/session/sessions"
/usr/bin/python3 "$here/client_seeds.py" "$work/reply" "$out/client_session" >/dev/null
/usr/bin/python3 "$here/lint_seeds.py" "$work/session/sessions" "$out/lint" \
    "$here"/../tests/dialogues/*.dialogue "$here"/../tests/lint/data/*.txt >/dev/null
rm -rf "$work"

for target in "$out"/*/; do
    printf 'seeds: %-18s %6d files\n' "$(basename "$target")" "$(find "$target" -type f | wc -l)"
done
printf 'seeds: dictionary %s (%d entries)\n' "$out/smtp.dict" "$(grep -c '^[^#]' "$out/smtp.dict")"
