#!/usr/bin/env bash
# Installs what building and testing mnn-compiler needs, if it is missing:
# Debian packages (LLVM/MLIR 19, protobuf, googletest, AArch64 cross tools,
# qemu, Debian's torch for model export) and pip packages for the tests
# (numpy, onnx, onnxruntime; rapidocr-onnxruntime and faster-whisper for their
# real-world models). Idempotent: does nothing when all is there.
set -euo pipefail

APT_PACKAGES=(
  cmake ninja-build ccache build-essential
  llvm-19 llvm-19-dev libmlir-19-dev mlir-19-tools clang-19 lld-19 llvm-19-tools
  libprotobuf-dev protobuf-compiler libonnx-dev libgtest-dev libgmock-dev
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  python3-torch python3-torchvision python3-sklearn
)
PIP_PACKAGES=("numpy" "onnx==1.22.*" "onnxruntime" "mnn" "rapidocr-onnxruntime==1.4.4" "faster-whisper")

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${MNN_PYTHON:-python3}
if ! "$PYTHON" -c "import numpy, onnx, onnxruntime, MNN, rapidocr_onnxruntime, faster_whisper, PIL; assert onnx.__version__.startswith('1.22')" >/dev/null 2>&1; then
  echo "setup: installing pip packages: ${PIP_PACKAGES[*]}"
  "$PYTHON" -m pip install -q "${PIP_PACKAGES[@]}"
fi
