// RUN: not mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg 2>&1 | FileCheck %s

// Compute on integer tensors is not generated: a clear error naming the op
// and the node, no crash.
// CHECK: error: loc("int_add"): 'mnn.add' on element type 'i64' is not supported by code generation (only f32)
func.func @main(%x: tensor<4xi64>) -> tensor<4xi64> {
  %y = mnn.add %x, %x : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64> loc("int_add")
  return %y : tensor<4xi64>
}
