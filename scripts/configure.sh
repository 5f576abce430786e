#!/bin/bash
# smtpspec: configures a build folder the one way both README commands use
# (scripts/demo and scripts/test), so that either reuses what the other
# built instead of compiling everything again under other flags.
# SPDX-License-Identifier: MIT
#
# Usage: bash scripts/configure.sh BUILD_DIR
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: configure.sh BUILD_DIR}
launcher=()
if command -v ccache >/dev/null 2>&1; then
    # Optional: reuses earlier compilations when ccache is installed.
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMTPSPEC_WERROR=ON "${launcher[@]}"
