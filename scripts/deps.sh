#!/usr/bin/env bash
# smtpspec: installs the Debian packages the build and the tests need.
# SPDX-License-Identifier: MIT
#
# Usage: bash scripts/deps.sh
# Checks each package with dpkg-query and installs only the missing ones
# (one apt-get update, one apt-get install). A no-op when all are present.
# Runs as root, or through sudo when not root. Never starts a system daemon:
# /usr/sbin/policy-rc.d is set to refuse service starts before any install.
set -euo pipefail

build_packages=(
    g++ cmake make python3
    tao-pegtl-dev librapidcheck-dev libgtest-dev libgmock-dev libbenchmark-dev
    libasio-dev libssl-dev libcli11-dev libfmt-dev nlohmann-json3-dev
    doxygen graphviz libc-ares-dev pkg-config
    clang-16 libclang-rt-16-dev  # fuzz.smoke: libFuzzer (clang 14 crashes on model/step.cpp)
    help2man
)
# swaks and aiosmtpd are peers of the integration tests; the Python test
# suite and SpamAssassin ship the real messages those tests deliver.
test_packages=(
    swaks python3-aiosmtpd libpython3.11-testsuite spamassassin nsd
    # tests/peers: real servers the prober runs against. Exim and OpenSMTPD
    # conflict with postfix, so tests/peers/unpack-debs.sh unpacks them; their
    # shared libraries are listed here.
    postfix chasquid openssl util-linux
    libgnutls-dane0 libidn12 libnsl2 libpcre2-8-0 libevent-2.1-7 libpam0g libdb5.3
    # docs tests: the headless browser that opens the generated site.
    chromium
)

log()
{
    printf 'deps: %s\n' "$*" >&2
}

is_installed()
{
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]]
}

as_root()
{
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        log "not root and no sudo: cannot run: $*"
        return 1
    fi
}

# Refuse every service start requested by a package's maintainer scripts
# (invoke-rc.d consults this file; exit code 101 means "action forbidden").
block_service_starts()
{
    local policy=/usr/sbin/policy-rc.d
    local wanted=$'#!/bin/sh\nexit 101'
    if [[ -f "$policy" && "$(cat "$policy")" == "$wanted" ]]; then
        return 0
    fi
    log "writing $policy so that no daemon starts"
    printf '%s\n' "$wanted" | as_root tee "$policy" >/dev/null
    as_root chmod 0755 "$policy"
}

main()
{
    local missing=() pkg
    for pkg in "${build_packages[@]}" "${test_packages[@]}"; do
        if ! is_installed "$pkg"; then
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "all packages present"
    else
        log "missing: ${missing[*]}"
        block_service_starts
        export DEBIAN_FRONTEND=noninteractive
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
            --no-install-recommends "${missing[@]}" </dev/null
        log "installed: ${missing[*]}"
    fi
    # Exim and OpenSMTPD conflict with Postfix as packages; the real-server
    # tests get them unpacked beside it (tests/peers/unpack-debs.sh).
    bash "$(dirname "${BASH_SOURCE[0]}")/../tests/peers/unpack-debs.sh" </dev/null
}

main "$@"
