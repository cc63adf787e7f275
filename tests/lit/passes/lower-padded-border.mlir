// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// The border of a padded scratch is filled per (n, c) plane in parallel. A
// max pool pads with -inf. Rows up to 64 elements are one vector; this
// 102-wide padded row is six 16-element vectors (a loop to column 96) and
// one of 6; the left and right columns are runs in the plane: row 1's left
// pad, row 1's right pad with row 2's left pad (one 2-element store per
// row), row 2's right pad.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = memref.view {{.*}} to memref<1x3x4x102xf32>
// CHECK: scf.parallel (%[[N:.*]], %[[C:.*]]) = {{.*}} to (%c1{{.*}}, %c3{{.*}})
// CHECK: %[[FULL:.*]] = vector.splat %[[NINF]] : vector<16xf32>
// CHECK: %[[TAIL:.*]] = vector.splat %[[NINF]] : vector<6xf32>
// CHECK: scf.for %[[X:.*]] = %{{.*}} to %c96{{.*}} step %c16
// CHECK: vector.transfer_write %[[FULL]], %[[PAD]][%[[N]], %[[C]], %c0{{.*}}, %[[X]]]
// CHECK: vector.transfer_write %[[TAIL]], %[[PAD]][%[[N]], %[[C]], %c0{{.*}}, %c96{{.*}}]
// CHECK: scf.for %[[X2:.*]] = %{{.*}} to %c96{{.*}} step %c16
// CHECK: vector.transfer_write %[[FULL]], %[[PAD]][%[[N]], %[[C]], %c3{{.*}}, %[[X2]]]
// CHECK: vector.transfer_write %[[TAIL]], %[[PAD]][%[[N]], %[[C]], %c3{{.*}}, %c96{{.*}}]
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[PAD]] {{.*}} into memref<1224xf32>
// CHECK: vector.broadcast %[[NINF]] : f32 to vector<1xf32>
// CHECK: scf.for %[[R:.*]] = %c101 to %c203 step %c102
// CHECK: %[[PAIR:.*]] = vector.broadcast %[[NINF]] : f32 to vector<2xf32>
// CHECK: vector.transfer_write %[[PAIR]], %[[FLAT]]
// CHECK: vector.broadcast %[[NINF]] : f32 to vector<1xf32>
// CHECK-NOT: memref.store
// CHECK-NOT: linalg.fill
// CHECK: linalg.copy ins(%arg0
func.func @main(%x: tensor<1x3x2x100xf32> {mnn.name = "x"}) -> (tensor<1x3x2x100xf32> {mnn.name = "y"}) {
  %y = mnn.pool2d %x {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x2x100xf32>) -> tensor<1x3x2x100xf32>
  return %y : tensor<1x3x2x100xf32>
}
