#!/usr/bin/env bash
# mnn-compile --profile + mnn-run --profile on the digits model: every fused
# op is listed with its node name, and a model built without --profile is
# refused with a clear error. --keep-symbols keeps the generated functions'
# names for perf; the default build is stripped.
#   check_profile.sh MNN_COMPILE MNN_RUN MODEL SAMPLE WORK_DIR LLVM_NM
set -euo pipefail
compile=$1 run=$2 model=$3 sample=$4 work=$5 nm=$6
rm -rf "$work"
"$compile" "$model" -o "$work/profiled" --name digits --profile --keep-symbols
"$nm" "$work/profiled/libdigits.so" | grep -q ' t __mnn_main$' ||
  { echo "FAIL: --keep-symbols: no __mnn_main in the symbol table"; exit 1; }
out=$("$run" "$work/profiled/libdigits.so" --input "$sample" --bench 20 --warmup 2 --profile)
echo "$out"
# 22 runs, and the two convolutions (fused with their relu) are named.
echo "$out" | grep -q '^profile: 22 runs, [0-9]* ops' || { echo "FAIL: no profile header"; exit 1; }
[ "$(echo "$out" | grep -c '(mnn.conv2d)$')" = 2 ] || { echo "FAIL: expected 2 conv2d rows"; exit 1; }
echo "$out" | grep -q '(mnn.matmul)$' || { echo "FAIL: no matmul row"; exit 1; }

"$compile" "$model" -o "$work/plain" --name digits
if "$nm" "$work/plain/libdigits.so" 2>/dev/null | grep -q '__mnn_main'; then
  echo "FAIL: the default build kept its symbol table"; exit 1
fi
if err=$("$run" "$work/plain/libdigits.so" --input "$sample" --bench 1 --profile 2>&1); then
  echo "FAIL: --profile accepted a model without hooks"; exit 1
fi
echo "$err" | grep -q 'mnn-run: error: --profile: the model has no profile hooks' ||
  { echo "FAIL: unexpected error: $err"; exit 1; }
echo "profile check passed"
