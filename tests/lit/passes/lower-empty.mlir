// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg --mnn-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// Zero-element tensors are memref<0xT> buffers (a zero dim inside a memref
// type makes its strides dynamic, which the bare-pointer ABI rejects). The
// sum over the empty axis is just its initial value; the empty transpose
// needs no code.
// CHECK-LABEL: func.func @__mnn_main(%arg0: memref<0xf32>, %arg1: memref<2x1x4xf32>, %arg2: memref<0xf32>
// CHECK:       linalg.fill
// CHECK-NOT:   linalg.generic
// CHECK:       return
// LLVM: llvm.func @__mnn_main(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr
func.func @main(%x: tensor<2x0x4xf32>) -> (tensor<2x1x4xf32>, tensor<4x0x2xf32>) {
  %s = mnn.reduce %x {kind = "sum", axes = array<i64: 1>, keepdims = true} : (tensor<2x0x4xf32>) -> tensor<2x1x4xf32>
  %t = mnn.transpose %x {perm = array<i64: 2, 1, 0>} : (tensor<2x0x4xf32>) -> tensor<4x0x2xf32>
  return %s, %t : tensor<2x1x4xf32>, tensor<4x0x2xf32>
}
