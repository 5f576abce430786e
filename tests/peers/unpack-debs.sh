#!/usr/bin/env bash
# smtpspec: unpacks the SMTP servers that cannot be installed beside Postfix.
# SPDX-License-Identifier: MIT
#
# Usage: bash tests/peers/unpack-debs.sh   (as root, or through sudo)
# Exim (exim4-daemon-light) and OpenSMTPD (opensmtpd) declare a conflict
# with postfix (all three provide mail-transport-agent), so dpkg can hold
# only one of them. The prober tests need all three, so these two are fetched
# with `apt-get download` and unpacked with `dpkg-deb -x` into
# $SMTPSPEC_PEERS_ROOT (default /opt/smtpspec-peers/<name>): no maintainer
# script runs, no user is created, no service starts. Their shared libraries
# are ordinary packages listed in scripts/deps.sh. A no-op when the binaries
# are already there. Each folder gets a VERSION file (package and version).
set -euo pipefail

root=${SMTPSPEC_PEERS_ROOT:-/opt/smtpspec-peers}
# name in $root, Debian package, a file that proves it is unpacked
unpacked=(
    "exim4 exim4-daemon-light usr/sbin/exim4"
    "opensmtpd opensmtpd usr/sbin/smtpd"
)

log()
{
    printf 'unpack-debs: %s\n' "$*" >&2
}

as_root()
{
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    else
        sudo -n "$@"
    fi
}

download=""

main()
{
    local entry name package proof
    download=$(mktemp -d)
    trap 'rm -rf "$download"' EXIT
    chmod 0755 "$download"
    for entry in "${unpacked[@]}"; do
        read -r name package proof <<<"$entry"
        if [[ -e "$root/$name/$proof" ]]; then
            log "$package already unpacked in $root/$name"
            continue
        fi
        log "fetching $package"
        if ! (cd "$download" && apt-get download "$package" </dev/null); then
            # The package lists may be missing on a machine that had every
            # package already (scripts/deps.sh then skips the update).
            as_root env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
            (cd "$download" && apt-get download "$package" </dev/null)
        fi
        as_root mkdir -p "$root/$name"
        as_root dpkg-deb -x "$download/${package}"_*.deb "$root/$name"
        dpkg-deb --showformat='${Package} ${Version}\n' -W "$download/${package}"_*.deb \
            | as_root tee "$root/$name/VERSION" >/dev/null
        log "unpacked $package into $root/$name"
    done
}

main "$@"
