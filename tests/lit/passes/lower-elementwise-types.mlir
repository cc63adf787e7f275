// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// Buffers are signless and bools are bytes; the ui8 tensor type picks
// unsigned division, bool bytes become i1 for the select, f16 computes in f32,
// and sin calls libm's sinf.
// CHECK: func.func private @sinf(f32) -> f32
// CHECK-LABEL: func.func @__mnn_main(%arg0: memref<4xi8>, %arg1: memref<4xi8>, %arg2: memref<4xf16>
// CHECK:   arith.divui
// CHECK:   arith.cmpi ugt
// CHECK:   arith.extui {{.*}} : i1 to i8
// CHECK:   arith.cmpi ne
// CHECK:   arith.select
// CHECK:   arith.extf {{.*}} : f16 to f32
// CHECK:   func.call @sinf
// CHECK:   arith.truncf {{.*}} : f32 to f16
func.func @main(%a: tensor<4xui8>, %b: tensor<4xui8>, %h: tensor<4xf16>) -> (tensor<4xui8>, tensor<4xf16>) {
  %q = mnn.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %c = mnn.compare %q, %b {predicate = "gt"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %s = mnn.select %c, %q, %a : (tensor<4xi1>, tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %y = mnn.unary_fn %h {fn = "sin"} : (tensor<4xf16>) -> tensor<4xf16>
  return %s, %y : tensor<4xui8>, tensor<4xf16>
}
