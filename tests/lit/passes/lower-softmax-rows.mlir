// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// f32 softmax over the innermost dim, rows of 8 or more: vector code, the
// rows in parallel. A row of 21 is two whole 8-lane vectors (an scf.for)
// and a masked 5 padded with -inf; max, then exp(x - max) stored and summed
// as vectors, one reduction each, then the scaling by 1 / sum.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel (%[[R:.*]]) = (%c0{{.*}}) to (%c6{{.*}})
// CHECK: %[[MASK:.*]] = vector.create_mask %c5{{.*}} : vector<8xi1>
// CHECK: scf.for {{.*}} to %c16{{.*}} step %c8{{.*}} iter_args
// CHECK:   vector.load {{.*}} : memref<126xf32>, vector<8xf32>
// CHECK:   arith.maximumf {{.*}} : vector<8xf32>
// CHECK: vector.maskedload {{.*}}, %[[MASK]]
// CHECK: vector.reduction <maximumf>
// CHECK: scf.for
// CHECK:   math.exp {{.*}} : vector<8xf32>
// CHECK:   vector.store
// CHECK:   arith.addf {{.*}} : vector<8xf32>
// CHECK: math.exp {{.*}} : vector<8xf32>
// CHECK: vector.maskedstore {{.*}}, %[[MASK]]
// CHECK: vector.reduction <add>
// CHECK: arith.divf
// CHECK: scf.for
// CHECK:   arith.mulf {{.*}} : vector<8xf32>
// CHECK: vector.maskedstore {{.*}}, %[[MASK]]
func.func @main(%x: tensor<2x3x21xf32>) -> tensor<2x3x21xf32> {
  %y = mnn.softmax %x {axis = 2 : i64} : (tensor<2x3x21xf32>) -> tensor<2x3x21xf32>
  return %y : tensor<2x3x21xf32>
}

// -----

// Log-softmax: the exp pass only sums; the last pass is x - (max + log(sum)).
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel
// CHECK: vector.reduction <maximumf>
// CHECK-NOT: vector.store
// CHECK: vector.reduction <add>
// CHECK: math.log
// CHECK: arith.subf {{.*}} : vector<8xf32>
// CHECK: vector.store
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = mnn.log_softmax %x {axis = 1 : i64} : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Shorter rows, and softmax over an outer dim, keep the scalar loops.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: vector.
// CHECK: math.exp {{.*}} : f32
// CHECK-NOT: vector.
func.func @main(%x: tensor<4x7xf32>, %z: tensor<16x4xf32>) -> (tensor<4x7xf32>, tensor<16x4xf32>) {
  %y = mnn.softmax %x {axis = 1 : i64} : (tensor<4x7xf32>) -> tensor<4x7xf32>
  %w = mnn.softmax %z {axis = 0 : i64} : (tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y, %w : tensor<4x7xf32>, tensor<16x4xf32>
}
