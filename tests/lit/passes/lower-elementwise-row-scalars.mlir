// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// A per-row scalar over rows of at least 16 (here 4 channels x 20 pixels)
// is loaded once per row in an scf.parallel over the rows, and each row is
// a one-dim generic over the other operands: as a linalg operand it was
// loaded next to every store, and LLVM, unable to tell that the output row
// does not overwrite it, left the loop scalar.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel (%[[C:.*]]) = (%c0{{.*}}) to (%c4{{.*}})
// CHECK: %[[X:.*]] = memref.subview %{{.*}}[%{{.*}}] [20] [1] : memref<80xf32>
// CHECK: %[[S:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<4xf32>
// CHECK: %[[Y:.*]] = memref.subview %{{.*}}[%{{.*}}] [20] [1] : memref<80xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[X]] : {{.*}}) outs(%[[Y]] :
// CHECK: arith.mulf %{{.*}}, %[[S]]
// CHECK: scf.reduce
func.func @main(%x: tensor<1x4x4x5xf32> {mnn.name = "x"}, %s: tensor<1x4x1x1xf32> {mnn.name = "s"})
    -> (tensor<1x4x4x5xf32> {mnn.name = "a"}) {
  %a = mnn.mul %x, %s : (tensor<1x4x4x5xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x4x5xf32>
  return %a : tensor<1x4x4x5xf32>
}
