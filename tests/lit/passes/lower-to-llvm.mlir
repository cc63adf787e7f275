// RUN: mnn-opt %s --mnn-lower-to-llvm | FileCheck %s

// Bare-pointer convention: every memref argument is one !llvm.ptr, which is
// what the C glue passes. Vector FMAs become llvm.intr.fmuladd/fma, erf and
// exp become polynomials (no libm call).
// CHECK-LABEL: llvm.func @__mnn_main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.intr.fma({{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK-NOT: llvm.call @erff
// CHECK-NOT: math.erf
// CHECK: llvm.return
func.func @__mnn_main(%x: memref<8xf32>, %y: memref<8xf32>, %pool: !llvm.ptr) {
  %c0 = arith.constant 0 : index
  %v = vector.load %x[%c0] : memref<8xf32>, vector<8xf32>
  %f = vector.fma %v, %v, %v : vector<8xf32>
  %e = math.erf %f : vector<8xf32>
  vector.store %e, %y[%c0] : memref<8xf32>, vector<8xf32>
  return
}

// The epilogue's ReLU keeps its nsz flag down to the LLVM intrinsic: with a
// constant bound x86 emits one vmaxps (the bound first, so NaN propagates)
// instead of a max, a compare for NaN and a blend.
// CHECK-LABEL: llvm.func @relu_nsz
// CHECK: llvm.intr.maximum(%{{.*}}, %{{.*}}) {fastmathFlags = #llvm.fastmath<nsz>} : (vector<8xf32>, vector<8xf32>) -> vector<8xf32>
func.func @relu_nsz(%x: vector<8xf32>) -> vector<8xf32> {
  %z = arith.constant dense<0.0> : vector<8xf32>
  %y = arith.maximumf %x, %z fastmath<nsz> : vector<8xf32>
  return %y : vector<8xf32>
}
