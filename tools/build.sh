#!/usr/bin/env bash
# Builds mnn-compiler into build/ (compiler, runtime, tools, tests) and the
# AArch64 runtime + mnn-run into build-aarch64/ (used by the qemu tests).
# Extra arguments go to the main build's cmake configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
PYTHON=${MNN_PYTHON:-$(command -v python3)}
# ccache hits across clones (CI builds a fresh clone each time).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}

cmake -S . -B build-aarch64 -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
  -DMNN_BUILD_COMPILER=OFF -DMNN_BUILD_TESTS=OFF > /dev/null
cmake --build build-aarch64 -j"$JOBS"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMNN_PYTHON="$PYTHON" -DMNN_AARCH64_RUN="$PWD/build-aarch64/bin/mnn-run" "$@" > /dev/null
cmake --build build -j"$JOBS"
