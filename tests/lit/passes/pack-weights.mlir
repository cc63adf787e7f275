// RUN: mnn-opt %s --mnn-pack-weights --split-input-file | FileCheck %s

// Grouped: oihw [4, 1, 1, 2], group 2 -> hwigo [1, 2, 1, 2, 2] with
// P[kh][kw][ci][gi][co] = W[gi * 2 + co][ci][kh][kw], W[o][0][0][kw] = 10 o + kw.
// CHECK-LABEL: func.func @grouped
// CHECK:       %[[P:.*]] = mnn.constant dense<{{\[\[\[\[\[}}0.000000e+00, 1.000000e+01], [2.000000e+01, 3.000000e+01]]], {{\[\[\[}}1.000000e+00, 1.100000e+01], [2.100000e+01, 3.100000e+01]]]]]> : tensor<1x2x1x2x2xf32>
// CHECK-NOT:   tensor<4x1x1x2xf32>
// CHECK:       mnn.conv2d %arg0, %[[P]] {{.*}}filter_layout = "hwigo", group = 2
// CHECK-SAME:  (tensor<1x2x3x3xf32>, tensor<1x2x1x2x2xf32>) -> tensor<1x4x3x2xf32>
func.func @grouped(%x: tensor<1x2x3x3xf32>) -> tensor<1x4x3x2xf32> {
  %w = mnn.constant dense<[[[[0.0, 1.0]]], [[[10.0, 11.0]]], [[[20.0, 21.0]]], [[[30.0, 31.0]]]]> : tensor<4x1x1x2xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<4x1x1x2xf32>) -> tensor<1x4x3x2xf32>
  return %y : tensor<1x4x3x2xf32>
}

// -----

// Dense: oihw [2, 2, 2, 1], W flat = o * 4 + ci * 2 + kh -> [2, 1, 2, 1, 2];
// bias and the rest of the epilogue are kept.
// CHECK-LABEL: func.func @dense_with_epilogue
// CHECK-DAG:   %[[P:.*]] = mnn.constant dense<{{\[\[\[\[\[}}0.000000e+00, 4.000000e+00]], {{\[\[}}2.000000e+00, 6.000000e+00]]]], {{\[\[\[\[}}1.000000e+00, 5.000000e+00]], {{\[\[}}3.000000e+00, 7.000000e+00]]]]]> : tensor<2x1x2x1x2xf32>
// CHECK-DAG:   %[[B:.*]] = mnn.constant dense<[1.000000e+00, 2.000000e+00]>
// CHECK:       mnn.conv2d %arg0, %[[P]], %[[B]] {activation = "relu", {{.*}}filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 1, 0, 0, 0>
func.func @dense_with_epilogue(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[0.0], [1.0]], [[2.0], [3.0]]], [[[4.0], [5.0]], [[6.0], [7.0]]]]> : tensor<2x2x2x1xf32>
  %b = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = mnn.conv2d %x, %w, %b {operandSegmentSizes = array<i32: 1, 1, 1, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = "relu"} : (tensor<1x2x3x3xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// A filter stored as a resource blob (how the importer stores weights):
// W = [1, 2, 3, 4] as oihw [2, 1, 1, 2] -> P[0][kw][0][0][o] = W[o][0][0][kw].
// Two convs share it: it is packed once.
// CHECK-LABEL: func.func @blob_shared
// CHECK:       %[[P:.*]] = mnn.constant dense<{{\[\[\[\[\[}}1.000000e+00, 3.000000e+00]]], {{\[\[\[}}2.000000e+00, 4.000000e+00]]]]]> : tensor<1x2x1x1x2xf32>
// CHECK-NOT:   mnn.constant
// CHECK:       mnn.conv2d %arg0, %[[P]] {{.*}}filter_layout = "hwigo"
// CHECK:       mnn.conv2d %arg1, %[[P]] {{.*}}filter_layout = "hwigo"
func.func @blob_shared(%x: tensor<1x1x2x2xf32>, %x2: tensor<1x1x1x2xf32>) -> (tensor<1x2x2x1xf32>, tensor<1x2x1x1xf32>) {
  %w = mnn.constant dense_resource<w0> : tensor<2x1x1x2xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x1xf32>
  %z = mnn.conv2d %x2, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x1x1xf32>
  return %y, %z : tensor<1x2x2x1xf32>, tensor<1x2x1x1xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w0: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Not constant, or already packed: unchanged.
// CHECK-LABEL: func.func @not_packed
// CHECK:       mnn.conv2d %arg0, %arg1 {
// CHECK-NOT:   filter_layout
// CHECK-SAME:  (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>)
// CHECK:       mnn.conv2d %arg0, %arg2 {{.*}}filter_layout = "hwigo"
// CHECK-SAME:  (tensor<1x2x3x3xf32>, tensor<1x1x2x1x2xf32>)
func.func @not_packed(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>, %p: tensor<1x1x2x1x2xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.conv2d %x, %p {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "hwigo"} : (tensor<1x2x3x3xf32>, tensor<1x1x2x1x2xf32>) -> tensor<1x2x3x3xf32>
  return %y, %z : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----
// With block=B, output channels are blocked by B outermost (bhwigo):
// P[ob][kh][kw][ci][gi][oi] = W[ob*B + oi][ci][kh][kw]. Here 4 output
// channels, 1 input channel, 1x1 kernel, B = 2.
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=2" | FileCheck %s --check-prefix=BLOCK
// BLOCK-LABEL: func.func @blocked
// BLOCK: mnn.constant dense<{{\[\[\[\[\[\[}}1.000000e+00, 2.000000e+00]]]]], {{\[\[\[\[\[}}3.000000e+00, 4.000000e+00]]]]]]> : tensor<2x1x1x1x1x2xf32>
// BLOCK: mnn.conv2d {{.*}}filter_layout = "bhwigo"
func.func @blocked(%x: tensor<1x1x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %w = mnn.constant dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]]]> : tensor<4x1x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %y : tensor<1x4x2x2xf32>
}

// -----

// A 1x1 conv producing one pixel (squeeze-and-excitation) stays unblocked
// (hwigo, Cout contiguous): the lowering runs it as a matrix-vector product.
// BLOCK-LABEL: func.func @one_pixel
// BLOCK: mnn.conv2d {{.*}}filter_layout = "hwigo"
// BLOCK-SAME: tensor<1x1x2x1x4xf32>
func.func @one_pixel(%x: tensor<1x2x1x1xf32>) -> tensor<1x4x1x1xf32> {
  %w = mnn.constant dense<1.0> : tensor<4x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x1x1xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x1x1xf32>
  return %y : tensor<1x4x1x1xf32>
}
