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
