// RUN: mnn-opt %s --split-input-file --verify-diagnostics

// A matmul with rhs_panel reads a flat [K * N] rhs (see mnn.matmul); other
// rhs shapes are rejected with the shape in the message.

func.func @bad_rank(%x: tensor<1x4xf32>, %w: tensor<4x5xf32>) -> tensor<1x5xf32> {
  // expected-error @+2 {{matmul rhs_panel 2 needs a flat rhs of K x N elements (K = 4), got 4x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = mnn.matmul %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, rhs_panel = 2 : i64} : (tensor<1x4xf32>, tensor<4x5xf32>) -> tensor<1x5xf32>
  return %y : tensor<1x5xf32>
}

// -----

func.func @bad_size(%x: tensor<1x4xf32>, %w: tensor<18xf32>) -> tensor<1x5xf32> {
  // expected-error @+2 {{matmul rhs_panel 2 needs a flat rhs of K x N elements (K = 4), got 18}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = mnn.matmul %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, rhs_panel = 2 : i64} : (tensor<1x4xf32>, tensor<18xf32>) -> tensor<1x5xf32>
  return %y : tensor<1x5xf32>
}
