#!/usr/bin/env bash
# smtpspec: build the libFuzzer targets with clang in their own build
# directory and run each one for a bounded time, seeded from a generated
# corpus and dictionary. Any crash or oracle failure fails the script and
# leaves the input in $build/fuzz-artifacts.
# SPDX-License-Identifier: MIT
#
# Usage: bash fuzz/run_short.sh
# Environment:
#   SMTPSPEC_FUZZ_BUILD_DIR  build directory (default: ./build-fuzz)
#   SMTPSPEC_FUZZ_SECONDS    seconds per target (default: 20)
#   SMTPSPEC_FUZZ_SEED       libFuzzer -seed and corpus --seed (default: 1)
#   SMTPSPEC_CLI             an already built smtpspec program for the seeds
#                            (default: build one in the fuzz build directory)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SMTPSPEC_FUZZ_BUILD_DIR:-$repo/build-fuzz}
seconds=${SMTPSPEC_FUZZ_SECONDS:-20}
seed=${SMTPSPEC_FUZZ_SEED:-1}
jobs=$(nproc)

if ! command -v clang++ >/dev/null; then
    echo "run_short.sh: clang++ not found; install clang and libclang-rt-dev (Debian)" >&2
    exit 2
fi

cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSMTPSPEC_FUZZ=ON -DSMTPSPEC_TESTS=OFF -DSMTPSPEC_DOCS=OFF >/dev/null
targets=(parse_command_fuzzer parse_reply_line_fuzzer parse_mailbox_fuzzer
         server_session_fuzzer client_session_fuzzer)
cli=${SMTPSPEC_CLI:-}
if [[ -z $cli ]]; then
    cmake --build "$build" -j "$jobs" --target fuzzers smtpspec
    cli=$build/tools/smtpspec/smtpspec
else
    cmake --build "$build" -j "$jobs" --target fuzzers
fi

seeds=$build/fuzz-seeds
rm -rf "$seeds"
commands=(--rule ehlo --rule helo --rule mail --rule rcpt --rule data --rule rset --rule vrfy
          --rule expn --rule help --rule noop --rule quit)
"$cli" corpus "${commands[@]}" --count 200 --seed "$seed" --negative --out "$seeds/command" \
    --dict "$seeds/smtp.dict" --jobs "$jobs" >/dev/null
"$cli" corpus --rule Reply-line --rule Greeting --count 300 --seed "$seed" --negative \
    --out "$seeds/reply" >/dev/null
"$cli" corpus --rule Mailbox --count 300 --seed "$seed" --negative --out "$seeds/mailbox" >/dev/null
"$cli" corpus --sessions --count 200 --seed "$seed" --out "$seeds/session" >/dev/null

seed_dirs()
{
    case $1 in
        parse_command_fuzzer) echo "$seeds/command" ;;
        parse_reply_line_fuzzer | client_session_fuzzer) echo "$seeds/reply" ;;
        parse_mailbox_fuzzer) echo "$seeds/mailbox" ;;
        server_session_fuzzer) echo "$seeds/session/sessions" ;;
    esac
}

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
status=0
for t in "${targets[@]}"; do
    work=$build/fuzz-work/$t
    rm -rf "$work"
    mkdir -p "$work"
    # Seed directories are searched recursively by libFuzzer only one level
    # deep, so hand it every sub-directory.
    mapfile -t dirs < <(find $(seed_dirs "$t") -type d)
    echo "== $t: ${seconds}s"
    if ! "$build/fuzz/$t" -max_total_time="$seconds" -seed="$seed" -dict="$seeds/smtp.dict" \
        -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$t-" "$work" "${dirs[@]}" 2>"$work.log"; then
        tail -n 40 "$work.log" >&2
        echo "run_short.sh: $t failed; inputs in $artifacts" >&2
        status=1
    else
        grep -E "^stat::(number_of_executed_units|new_units_added)" "$work.log" || true
    fi
done
exit $status
