// RUN: not mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg 2>&1 | FileCheck %s

// Softmax is a float kernel (f32, f64): a clear error naming the op and the
// node, no crash.
// CHECK: error: loc("int_softmax"): 'mnn.softmax' on element type 'i64' is not supported by code generation
func.func @main(%x: tensor<4xi64>) -> tensor<4xi64> {
  %y = mnn.softmax %x {axis = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64> loc("int_softmax")
  return %y : tensor<4xi64>
}

// -----

// Elementwise ops check the element types they are defined on.
// CHECK: error: loc("bool_add"): 'mnn.add' on element type 'i1' is not supported
func.func @main(%x: tensor<4xi1>) -> tensor<4xi1> {
  %y = mnn.add %x, %x : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1> loc("bool_add")
  return %y : tensor<4xi1>
}

// -----

// A panel-packed rhs (rhs_panel, set by mnn-pack-weights for f32 only) is
// read by the f32 matmul microkernel: other types are a clear error.
// CHECK: error: loc("f64_panels"): 'mnn.matmul' op rhs_panel needs f32 (the matmul microkernel)
func.func @main(%x: tensor<1x4xf64>, %w: tensor<20xf64>) -> tensor<1x5xf64> {
  %y = mnn.matmul %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, rhs_panel = 2 : i64} : (tensor<1x4xf64>, tensor<20xf64>) -> tensor<1x5xf64> loc("f64_panels")
  return %y : tensor<1x5xf64>
}
