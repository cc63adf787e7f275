// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// f64 matmul and softmax compute in f64; only f32 contractions are tagged
// for the microkernel, so the f64 one stays a plain linalg loop nest.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:     linalg.fill ins(%{{.*}} : f64)
// CHECK:     linalg.generic
// CHECK-NOT:   mnn.kernel
// CHECK:       arith.mulf {{.*}} : f64
// CHECK:       arith.addf {{.*}} : f64
// CHECK:     math.exp {{.*}} : f64
func.func @main(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>) -> tensor<2x4xf64> {
  %m = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x3xf64>, tensor<3x4xf64>) -> tensor<2x4xf64>
  %y = mnn.softmax %m {axis = 1 : i64} : (tensor<2x4xf64>) -> tensor<2x4xf64>
  return %y : tensor<2x4xf64>
}

// -----

// Integer reductions: max of ui8 starts at 0 and uses maxui, min of i32
// starts at INT32_MAX and uses minsi, max of bool bytes is maxui from 0.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:     %[[Z:.*]] = arith.constant 0 : i8
// CHECK:     linalg.fill ins(%[[Z]] : i8)
// CHECK:       arith.maxui {{.*}} : i8
// CHECK:     %[[M:.*]] = arith.constant 2147483647 : i32
// CHECK:     linalg.fill ins(%[[M]] : i32)
// CHECK:       arith.minsi {{.*}} : i32
// CHECK:       arith.maxui {{.*}} : i8
func.func @main(%a: tensor<2x3xui8>, %b: tensor<2x3xi32>, %c: tensor<2x3xi1>) -> (tensor<2xui8>, tensor<3xi32>, tensor<2xi1>) {
  %x = mnn.reduce %a {kind = "max", axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
  %y = mnn.reduce %b {kind = "min", axes = array<i64: 0>, keepdims = false} : (tensor<2x3xi32>) -> tensor<3xi32>
  %z = mnn.reduce %c {kind = "max", axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi1>) -> tensor<2xi1>
  return %x, %y, %z : tensor<2xui8>, tensor<3xi32>, tensor<2xi1>
}

// -----

// cumsum with `product` (ONNX CumProd) carries a running product from 1.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:       scf.for {{.*}} iter_args(%{{.*}} = %[[ONE]])
// CHECK:         arith.mulf
func.func @main(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %c = mnn.cumsum %x {axis = 1 : i64, exclusive = false, reverse = false, product} : (tensor<3x5xf32>) -> tensor<3x5xf32>
  return %c : tensor<3x5xf32>
}

// -----

// bitcast: arith.bitcast between storage types of one width; a copy when
// the storage type is the same (ui8 and i8 are both i8 buffers).
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       arith.bitcast {{.*}} : f32 to i32
// CHECK:       linalg.copy
func.func @main(%x: tensor<4xf32>, %y: tensor<4xi8>) -> (tensor<4xi32>, tensor<4xui8>) {
  %a = mnn.bitcast %x : (tensor<4xf32>) -> tensor<4xi32>
  %b = mnn.bitcast %y : (tensor<4xi8>) -> tensor<4xui8>
  return %a, %b : tensor<4xi32>, tensor<4xui8>
}
