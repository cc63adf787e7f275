// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// The entry becomes __mnn_main(inputs, outputs, arena, pool) on memrefs.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:.*]]: memref<1x2x4x4xf32> {mnn.name = "x"}
// CHECK-SAME: %[[Y:.*]]: memref<1x4x4x4xf32> {mnn.name = "y"}
// CHECK-SAME: %[[ARENA:.*]]: memref<{{[0-9]+}}xi8>
// CHECK-SAME: !llvm.ptr
func.func @main(%x: tensor<1x2x4x4xf32> {mnn.name = "x"}) -> (tensor<1x4x4x4xf32> {mnn.name = "y"}) {
  // Weights become private constant globals.
  // CHECK-DAG: memref.get_global @__mnn_const_{{[0-9]+}} : memref<72xf32>
  %w = mnn.constant dense<0.5> : tensor<3x3x2x1x4xf32>
  %b = mnn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // The padded input lives in the arena.
  // Only its border is filled, per (n, c) plane in parallel: the top and
  // bottom rows as one vector each; the left and right columns as runs in
  // the plane (6x6): row 1's left pad, then each row's right pad with the
  // next row's left pad (offsets 11, 17, 23 in the plane: 5, 11, 17 from row
  // 1), then row 4's right pad. The copy writes the interior.
  // CHECK: %[[PAD:.*]] = memref.view %[[ARENA]]
  // CHECK: scf.parallel (%[[N:.*]], %[[C:.*]]) = {{.*}} to (%c1{{.*}}, %c2{{.*}})
  // CHECK: %[[ROW:.*]] = vector.splat %{{.*}} : vector<6xf32>
  // CHECK: vector.transfer_write %[[ROW]], %[[PAD]][%[[N]], %[[C]], %c0{{.*}}, %c0{{.*}}] {in_bounds = [true]}
  // CHECK: vector.transfer_write %[[ROW]], %[[PAD]][%[[N]], %[[C]], %c5{{.*}}, %c0{{.*}}] {in_bounds = [true]}
  // CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[PAD]] {{.*}} into memref<72xf32>
  // CHECK: %[[NC:.*]] = arith.addi %{{.*}}, %[[C]]
  // CHECK: %[[PLANE:.*]] = arith.muli %[[NC]], %c36
  // CHECK: %[[ROW1:.*]] = arith.addi %[[PLANE]], %c6
  // CHECK: %[[FIRST:.*]] = arith.addi %[[ROW1]], %c0
  // CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%[[FIRST]]] {in_bounds = [true]} : vector<1xf32>
  // CHECK: scf.for %[[R:.*]] = %c5{{.*}} to %c23 step %c6
  // CHECK: %[[AT:.*]] = arith.addi %[[ROW1]], %[[R]]
  // CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%[[AT]]] {in_bounds = [true]} : vector<2xf32>
  // CHECK: %[[LAST:.*]] = arith.addi %[[ROW1]], %c23
  // CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%[[LAST]]] {in_bounds = [true]} : vector<1xf32>
  // CHECK-NOT: linalg.fill
  // CHECK: linalg.copy ins(%[[X]]
  // Windows of the padded input as one strided view, no im2col copy.
  // CHECK: memref.reinterpret_cast %[[PAD]] to offset: [0], sizes: [1, 1, 2, 3, 3, 4, 4], strides: [72, 72, 36, 6, 1, 6, 1]
  // The convolution, marked for the kernel schedule, writes the output
  // directly: the bias is an extra input starting the accumulators and the
  // fused relu is an attribute for the microkernel (no init or activation
  // loops).
  // CHECK: %[[OUT:.*]] = memref.expand_shape {{.*}} output_shape [1, 1, 1, 4, 4, 4]
  // CHECK: %[[BIAS:.*]] = memref.expand_shape {{.*}} output_shape [1, 1, 4]
  // CHECK-NOT: linalg.generic
  // CHECK: linalg.generic
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
  // CHECK-SAME: ins({{.*}}, %[[BIAS]] :
  // CHECK-SAME: outs(%[[OUT]] :
  // CHECK-SAME: mnn.activation = "relu"
  // CHECK-SAME: mnn.epilogue
  // CHECK-SAME: mnn.kernel = "conv"
  // CHECK: arith.mulf
  // CHECK: arith.addf
  // CHECK-NOT: linalg.generic
  %y = mnn.conv2d %x, %w, %b {activation = "relu", dilations = array<i64: 1, 1>, filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x3x2x1x4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: return
  return %y : tensor<1x4x4x4xf32>
}
