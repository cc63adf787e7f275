// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// Max pooling loops over n c oh | kh kw | ow: the output row is innermost so
// LLVM vectorizes along it (stride-2 input lanes as interleaved loads), and
// a float max is compare + select (one vmaxps), not the NaN-propagating
// maximumf.
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
