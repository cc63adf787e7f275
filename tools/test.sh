#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs ctest.
#   tools/test.sh            everything except tests labelled "slow"
#   tools/test.sh --all      everything
#   tools/test.sh -R lit     extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
args=(-LE slow)
if [ "${1:-}" = "--all" ]; then args=(); shift; fi
ctest --test-dir build --output-on-failure -j"${JOBS:-$(nproc)}" "${args[@]}" "$@"
