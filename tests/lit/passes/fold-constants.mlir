// RUN: mnn-opt %s --mnn-fold-constants --split-input-file | FileCheck %s

// A constant chain folds to one constant; the dead inputs and the unused
// relu are erased. (1 + 3) * 2 = 8, (2 + 4) * 2 = 12, then broadcast to 2x2.
// CHECK-LABEL: func.func @fold_chain
// CHECK-NEXT:  %[[C:.*]] = mnn.constant dense<{{\[\[}}8.000000e+00, 1.200000e+01], [8.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-NEXT:  %[[A:.*]] = mnn.add %arg0, %[[C]]
// CHECK-NEXT:  return %[[A]]
func.func @fold_chain(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %a = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = mnn.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %two = mnn.constant dense<2.0> : tensor<2x1xf32>
  %s = mnn.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %m = mnn.mul %s, %two : (tensor<2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %unused = mnn.relu %x : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = mnn.add %x, %m : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

// Shape arithmetic as exporters write it: Concat of shape pieces, Gather,
// Cast, then Reshape of a constant.
// CHECK-LABEL: func.func @shape_math
// CHECK-NEXT:  %[[C:.*]] = mnn.constant dense<[3, 2]> : tensor<2xi64>
// CHECK-NEXT:  %[[R:.*]] = mnn.constant dense<{{\[\[}}1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
// CHECK-NEXT:  return %[[C]], %[[R]]
func.func @shape_math() -> (tensor<2xi64>, tensor<3x2xi32>) {
  %shape = mnn.constant dense<[2, 3]> : tensor<2xi64>
  %i1 = mnn.constant dense<1> : tensor<1xi64>
  %i0 = mnn.constant dense<0> : tensor<1xi64>
  %d1 = mnn.gather %shape, %i1 {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d0 = mnn.gather %shape, %i0 {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %new = mnn.concat %d1, %d0 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %data = mnn.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %r = mnn.reshape %data : (tensor<6xf32>) -> tensor<3x2xf32>
  %i = mnn.cast %r : (tensor<3x2xf32>) -> tensor<3x2xi32>
  return %new, %i : tensor<2xi64>, tensor<3x2xi32>
}

// -----

// reshape(reshape(x)) -> reshape(x); back to the original type -> x.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-NEXT:  %[[R:.*]] = mnn.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<24xf32>
// CHECK-NEXT:  return %[[R]], %arg0
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> (tensor<24xf32>, tensor<2x3x4xf32>) {
  %a = mnn.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %b = mnn.reshape %a : (tensor<6x4xf32>) -> tensor<24xf32>
  %c = mnn.reshape %x : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  %d = mnn.reshape %c : (tensor<4x6xf32>) -> tensor<2x3x4xf32>
  return %b, %d : tensor<24xf32>, tensor<2x3x4xf32>
}

// -----

// transpose(transpose(x)): [1, 0, 2] then [0, 2, 1] is x permuted by
// [1, 2, 0]; a transpose followed by its inverse disappears.
// CHECK-LABEL: func.func @transpose_chain
// CHECK-NEXT:  %[[T:.*]] = mnn.transpose %arg0 {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-NEXT:  return %[[T]], %arg0
func.func @transpose_chain(%x: tensor<2x3x4xf32>) -> (tensor<3x4x2xf32>, tensor<2x3x4xf32>) {
  %a = mnn.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %b = mnn.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<3x2x4xf32>) -> tensor<3x4x2xf32>
  %c = mnn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %d = mnn.transpose %c {perm = array<i64: 1, 2, 0>} : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  return %b, %d : tensor<3x4x2xf32>, tensor<2x3x4xf32>
}

// -----

// Neutral operands disappear when they do not change the type.
// CHECK-LABEL: func.func @neutral
// CHECK-NOT:   mnn.add
// CHECK-NOT:   mnn.sub
// CHECK-NOT:   mnn.mul
// CHECK-NOT:   mnn.div
// CHECK:       return %arg0, %arg1
func.func @neutral(%x: tensor<1x2x3xf32>, %i: tensor<4xi32>) -> (tensor<1x2x3xf32>, tensor<4xi32>) {
  %zero = mnn.constant dense<0.0> : tensor<f32>
  %zeros = mnn.constant dense<[[0.0], [0.0]]> : tensor<2x1xf32>
  %one = mnn.constant dense<1.0> : tensor<1x1x3xf32>
  %ione = mnn.constant dense<1> : tensor<4xi32>
  %a = mnn.add %x, %zero : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xf32>
  %b = mnn.add %zeros, %a : (tensor<2x1xf32>, tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %c = mnn.sub %b, %zeros : (tensor<1x2x3xf32>, tensor<2x1xf32>) -> tensor<1x2x3xf32>
  %d = mnn.mul %one, %c : (tensor<1x1x3xf32>, tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %e = mnn.div %d, %one : (tensor<1x2x3xf32>, tensor<1x1x3xf32>) -> tensor<1x2x3xf32>
  %f = mnn.mul %i, %ione : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %e, %f : tensor<1x2x3xf32>, tensor<4xi32>
}

// -----

// Not neutral: 0 - x, 1 / x, x * 1 that broadcasts x, x + 1, and x * [1, 2].
// CHECK-LABEL: func.func @not_neutral
// CHECK:       mnn.sub %{{.*}}, %arg0
// CHECK:       mnn.div %{{.*}}, %arg0
// CHECK:       mnn.mul %arg0, %{{.*}} : (tensor<2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
// CHECK:       mnn.add %arg0, %{{.*}} : (tensor<2xf32>, tensor<2xf32>)
// CHECK:       mnn.mul %arg0, %{{.*}} : (tensor<2xf32>, tensor<2xf32>)
func.func @not_neutral(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %zero = mnn.constant dense<0.0> : tensor<2xf32>
  %one = mnn.constant dense<1.0> : tensor<2xf32>
  %ones = mnn.constant dense<1.0> : tensor<3x2xf32>
  %mixed = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %a = mnn.sub %zero, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %b = mnn.div %one, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %c = mnn.mul %x, %ones : (tensor<2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %d = mnn.add %x, %one : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %e = mnn.mul %x, %mixed : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %a, %b, %c, %d, %e : tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Integer division by zero is left to run time; a dead chain goes away.
// CHECK-LABEL: func.func @keep_div_by_zero
// CHECK:       %[[D:.*]] = mnn.div
// CHECK-NOT:   mnn.neg
// CHECK:       return %[[D]]
func.func @keep_div_by_zero(%x: tensor<2xf32>) -> tensor<2xi64> {
  %a = mnn.constant dense<[4, 5]> : tensor<2xi64>
  %b = mnn.constant dense<[2, 0]> : tensor<2xi64>
  %d = mnn.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %n = mnn.neg %x : (tensor<2xf32>) -> tensor<2xf32>
  %n2 = mnn.neg %n : (tensor<2xf32>) -> tensor<2xf32>
  return %d : tensor<2xi64>
}

// -----

// Neg folds integer constants too (exported LayerNormalization functions
// negate an i64 axis to get the number of reduced axes).
// CHECK-LABEL: func.func @neg_int
// CHECK-NEXT:  %[[C:.*]] = mnn.constant dense<[1, -2]> : tensor<2xi64>
// CHECK-NEXT:  return %[[C]]
func.func @neg_int() -> tensor<2xi64> {
  %a = mnn.constant dense<[-1, 2]> : tensor<2xi64>
  %n = mnn.neg %a : (tensor<2xi64>) -> tensor<2xi64>
  return %n : tensor<2xi64>
}

// -----

// bitcast of a constant reinterprets its bytes: 1.0f is 0x3F800000.
// CHECK-LABEL: func.func @bitcast_const
// CHECK-NEXT:  %[[C:.*]] = mnn.constant dense<[1065353216, 0]> : tensor<2xi32>
// CHECK-NEXT:  return %[[C]]
func.func @bitcast_const() -> tensor<2xi32> {
  %a = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %b = mnn.bitcast %a : (tensor<2xf32>) -> tensor<2xi32>
  return %b : tensor<2xi32>
}
