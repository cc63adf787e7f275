// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// Max pooling loops over n c oh | kh kw | ow: the output row is innermost,
// and a float max is compare + select (one vmaxps), not the
// NaN-propagating maximumf. (Output rows under 8 columns here: the vector
// path below needs 8.)
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.cmpf ogt
// CHECK-NEXT: arith.select
// CHECK-NOT: arith.maximumf
func.func @main(%x: tensor<1x2x10x10xf32> {mnn.name = "x"}) -> (tensor<1x2x5x5xf32> {mnn.name = "y"}) {
  %y = mnn.pool2d %x {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x10x10xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

// A float max pool with stride 2 along the width and at least 8 output
// columns is vector code: per (plane, output row), chunks of 8 columns (the
// last one starting at ow - 8 = 47); per window row one 16-element load for
// taps 0 and 1 (even and odd elements) and, for tap 2, the 16 elements
// ending at its last one (from element 1: its odd elements), not a
// 15-element vector. The picks keep columns in vshufps order (0 1 4 5 2 3
// 6 7), restored by one shuffle before the store.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: linalg.generic
// CHECK: scf.parallel ({{.*}}) to ({{.*}}%c64, %c55)
// CHECK: scf.for {{.*}} to %c7
// CHECK: arith.minsi %{{.*}}, %c47
// CHECK: %[[W:.*]] = vector.transfer_read {{.*}} : memref<{{[0-9]+}}xf32>, vector<16xf32>
// CHECK: vector.shuffle %[[W]], %[[W]] [0, 2, 8, 10, 4, 6, 12, 14]
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: vector.shuffle %[[W]], %[[W]] [1, 3, 9, 11, 5, 7, 13, 15]
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: arith.addi %{{.*}}, %[[C1]]
// CHECK: %[[T2:.*]] = vector.transfer_read {{.*}} vector<16xf32>
// CHECK: vector.shuffle %[[T2]], %[[T2]] [1, 3, 9, 11, 5, 7, 13, 15]
// CHECK-NOT: vector<15xf32>
// CHECK: %[[OUT:.*]] = vector.shuffle %[[ACC:.*]], %[[ACC]] [0, 1, 4, 5, 2, 3, 6, 7]
// CHECK: vector.transfer_write %[[OUT]], {{.*}} : vector<8xf32>, memref<193600xf32>
func.func @main(%x: tensor<1x64x111x111xf32> {mnn.name = "x"}) -> (tensor<1x64x55x55xf32> {mnn.name = "y"}) {
  %y = mnn.pool2d %x {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x64x111x111xf32>) -> tensor<1x64x55x55xf32>
  return %y : tensor<1x64x55x55xf32>
}

// -----

// A 1-wide window (tap 0 alone) has no element before it in the row to
// start a 16-element load from: it reads its 15 elements and takes the
// even ones.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[W:.*]] = vector.transfer_read {{.*}} vector<15xf32>
// CHECK: vector.shuffle %[[W]], %[[W]] [0, 2, 8, 10, 4, 6, 12, 14] : vector<15xf32>
// CHECK-NOT: vector<16xf32>
// CHECK: %[[OUT:.*]] = vector.shuffle {{.*}} [0, 1, 4, 5, 2, 3, 6, 7]
// CHECK: vector.transfer_write %[[OUT]]
func.func @main(%x: tensor<1x2x9x17xf32> {mnn.name = "x"}) -> (tensor<1x2x5x9xf32> {mnn.name = "y"}) {
  %y = mnn.pool2d %x {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 1, 1>, kind = "max", pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x9x17xf32>) -> tensor<1x2x5x9xf32>
  return %y : tensor<1x2x5x9xf32>
}
