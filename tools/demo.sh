#!/usr/bin/env bash
# Quick start: builds mnn-compiler, compiles the embedded digits classifier
# (models/digits.onnx, trained on scikit-learn's digits), runs it on the
# sample images in models/digits_samples/ and prints the predictions and the
# latency.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
JOBS=${JOBS:-$(nproc)}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$JOBS" --target mnn-compile mnn-run mnnrt_all_targets

out=build/demo
build/bin/mnn-compile models/digits.onnx -o "$out" --name digits -v
echo
correct=0; total=0
for sample in models/digits_samples/*.npy; do
  label=${sample##*_label_}; label=${label%.npy}
  build/bin/mnn-run "$out/libdigits.so" --input image="$sample" --output-dir "$out/result" > /dev/null
  # Argmax of the 10 logits, read from the .npy mnn-run wrote (no Python).
  pred=$(od -An -v -f -w4 -j128 "$out/result/logits.npy" |
         awk '{ if (NR == 1 || $1 > best) { best = $1; idx = NR - 1 } } END { print idx }')
  total=$((total + 1)); [ "$pred" = "$label" ] && correct=$((correct + 1))
  printf '%-28s label %s  predicted %s\n' "$(basename "$sample")" "$label" "$pred"
done
echo "accuracy on the samples: $correct/$total"
printf 'latency (1 thread, 1000 runs): '
build/bin/mnn-run "$out/libdigits.so" --input image=models/digits_samples/sample_0_label_0.npy --bench 1000
