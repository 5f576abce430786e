#!/usr/bin/env bash
# smtpspec: build the libFuzzer targets with clang in their own build
# directory and run each one for a bounded number of runs and seconds, seeded
# from a generated corpus and dictionary (fuzz/seeds.sh). A crash or an
# oracle failure fails the script and leaves the input in $build/fuzz-artifacts.
# SPDX-License-Identifier: MIT
#
# Usage: bash fuzz/run_short.sh
# Environment:
#   SMTPSPEC_FUZZ_BUILD_DIR  build directory (default: ./build-fuzz)
#   SMTPSPEC_FUZZ_CXX        clang++ to use (default: clang++-16, else clang++ 16 or newer)
#   SMTPSPEC_FUZZ_SECONDS    most seconds per target (default: 20)
#   SMTPSPEC_FUZZ_RUNS       most inputs per target (default: no limit)
#   SMTPSPEC_FUZZ_SEED       libFuzzer -seed and corpus --seed (default: 1)
#   SMTPSPEC_FUZZ_SEED_COUNT samples per rule in the seed corpus (default: 200)
#   SMTPSPEC_CLI             an already built smtpspec program for the seeds
#                            (default: build one in the fuzz build directory)
#   SMTPSPEC_FUZZ_OPT        optimisation and debug flags of the fuzz build
#                            (default: OSS-Fuzz's -O1 -fno-omit-frame-pointer
#                            -gline-tables-only: quicker to build than -O2 -g,
#                            and stack traces still give file and line)
#   ASAN_SYMBOLIZER_PATH     llvm-symbolizer for stack traces (default: the
#                            first of llvm-symbolizer-16 and llvm-symbolizer
#                            on PATH; clang 16's runtime does not find the
#                            unversioned one by itself)
# Exit status: 0 clean, 1 a target failed, 2 the build failed, 77 no usable
# clang (the ctest fuzz.smoke reports that as skipped).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SMTPSPEC_FUZZ_BUILD_DIR:-$repo/build-fuzz}
seconds=${SMTPSPEC_FUZZ_SECONDS:-20}
runs=${SMTPSPEC_FUZZ_RUNS:--1}
seed=${SMTPSPEC_FUZZ_SEED:-1}
seed_count=${SMTPSPEC_FUZZ_SEED_COUNT:-200}
opt=${SMTPSPEC_FUZZ_OPT:--O1 -fno-omit-frame-pointer -gline-tables-only}
jobs=$(nproc)
targets=(parse_command parse_reply_line parse_mailbox server_session client_session lint)

skip()
{
    echo "run_short.sh: SKIPPED: $*" >&2
    exit 77
}

# Debian 12's clang 14 crashes compiling model/step.cpp (see docs/fuzzing.md);
# 16 is the oldest release known to build the project.
cxx=${SMTPSPEC_FUZZ_CXX:-}
if [[ -z $cxx ]]; then
    if command -v clang++-16 >/dev/null; then
        cxx=clang++-16
    elif command -v clang++ >/dev/null; then
        cxx=clang++
    else
        skip "no clang++-16; install the Debian packages clang-16 and libclang-rt-16-dev"
    fi
fi
major=$("$cxx" -dumpversion | cut -d. -f1)
if ((major < 16)); then
    skip "$cxx is clang $major; clang 14 crashes on model/step.cpp, use clang 16 or newer"
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' \
    >"$probe/probe.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null
then
    skip "$cxx cannot link -fsanitize=fuzzer,address,undefined; install libclang-rt-$major-dev"
fi

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
if [[ -z ${ASAN_SYMBOLIZER_PATH:-} ]]; then
    for symbolizer in llvm-symbolizer-16 llvm-symbolizer; do
        if command -v "$symbolizer" >/dev/null; then
            export ASAN_SYMBOLIZER_PATH UBSAN_SYMBOLIZER_PATH
            ASAN_SYMBOLIZER_PATH=$(command -v "$symbolizer")
            UBSAN_SYMBOLIZER_PATH=$ASAN_SYMBOLIZER_PATH
            break
        fi
    done
fi
if [[ -z ${ASAN_SYMBOLIZER_PATH:-} ]]; then
    echo "run_short.sh: no llvm-symbolizer: stack traces show addresses only" >&2
fi

total=$SECONDS
start=$SECONDS
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt" -DSMTPSPEC_FUZZ=ON -DSMTPSPEC_TESTS=OFF \
    -DSMTPSPEC_DOCS=OFF "${launcher[@]}" >/dev/null
cli=${SMTPSPEC_CLI:-}
build_targets=(fuzzers)
if [[ -z $cli ]]; then
    build_targets+=(smtpspec)
    cli=$build/tools/smtpspec/smtpspec
fi
if ! nice -n 10 cmake --build "$build" -j "$jobs" --target "${build_targets[@]}" \
    >"$build/fuzz-build.log" 2>&1; then
    tail -n 40 "$build/fuzz-build.log" >&2
    echo "run_short.sh: the build failed; log in $build/fuzz-build.log" >&2
    exit 2
fi
echo "== build with $cxx ($opt): $((SECONDS - start)) s"

start=$SECONDS
seeds=$build/fuzz-seeds
bash "$repo/fuzz/seeds.sh" "$cli" "$seeds" "$seed" "$seed_count"
echo "== seeds: $((SECONDS - start)) s"

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
status=0
for t in "${targets[@]}"; do
    work=$build/fuzz-work/$t
    rm -rf "$work"
    mkdir -p "$work"
    start=$SECONDS
    if ! "$build/fuzz/${t}_fuzzer" -runs="$runs" -max_total_time="$seconds" -seed="$seed" \
        -dict="$seeds/smtp.dict" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work" "$seeds/$t" \
        >"$work.log" 2>&1; then
        tail -n 40 "$work.log" >&2
        echo "run_short.sh: $t failed; the input is in $artifacts" >&2
        status=1
        continue
    fi
    units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
    added=$(sed -n 's/^stat::new_units_added: *//p' "$work.log")
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$work.log" | tail -n 1)
    printf '== %-17s %7s inputs in %3d s, %s new, %s\n' "$t" "$units" "$((SECONDS - start))" \
        "$added" "$cov"
done
echo "== total: $((SECONDS - total)) s"
exit $status
