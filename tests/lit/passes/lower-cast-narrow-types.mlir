// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// bf16 and float8 buffers hold their bits as signless integers and sub-byte
// integers take one byte each. Casts to and from them are integer code on the
// f32 bits (no f8 value reaches LLVM): decode = rebias the exponent, scale
// subnormals; encode = round the mantissa to nearest even, count subnormal
// steps with roundeven, then clamp (saturate) or pick inf/NaN.

// A float8 constant becomes an i8 global of the same bits; an i4 constant a
// byte per element with the high bits clear (-1 -> 15).
// CHECK-DAG:   memref.global "private" constant @{{.*}} : memref<2xi8> = dense<[60, -64]>
// CHECK-DAG:   memref.global "private" constant @{{.*}} : memref<3xi8> = dense<[1, 15, 8]>
// CHECK-LABEL: func.func @__mnn_main(%arg0: memref<4xi8>, %arg1: memref<4xi16>, %arg2: memref<4xi8>, %arg3: memref<4xf32>,
// CHECK-SAME:    %arg4: memref<4xf32>, %arg5: memref<4xi8>, %arg6: memref<4xi16>, %arg7: memref<4xf32>, %arg8: memref<4xi8>, %arg9: memref<4xf32>

// f8E4M3FN -> f32: widen the byte, rebias, NaN only for S.1111.111.
// CHECK:       linalg.generic
// CHECK:         arith.extui {{.*}} : i8 to i32
// CHECK:         arith.uitofp
// CHECK:         arith.cmpi eq, {{.*}}, %c127_i32
// CHECK:         arith.bitcast {{.*}} : i32 to f32

// f32 -> f8E5M2, saturate = false: overflow becomes inf (0x7C), no clamp to 0x7B.
// CHECK:       linalg.generic
// CHECK:         arith.bitcast {{.*}} : f32 to i32
// CHECK:         math.roundeven
// CHECK:         arith.cmpi ugt, {{.*}}, %c123_i32
// CHECK:         arith.select {{.*}}, %c124_i32
// CHECK:         arith.trunci {{.*}} : i32 to i8

// f32 -> bf16 (never saturates in ONNX): no subnormal path, 16-bit result.
// CHECK:       linalg.generic
// CHECK-NOT:     math.roundeven
// CHECK:         arith.trunci {{.*}} : i32 to i16

// bf16 -> f32 is a shift.
// CHECK:       linalg.generic
// CHECK:         arith.extui {{.*}} : i16 to i32
// CHECK:         arith.shli
// CHECK:         arith.bitcast {{.*}} : i32 to f32

// f32 -> i4 truncates through i32, wraps to 4 bits, and stores the low bits
// of a byte; i4 -> f32 takes the low bits back and sign-extends.
// CHECK:       linalg.generic
// CHECK:         arith.fptosi {{.*}} : f32 to i32
// CHECK:         arith.trunci {{.*}} : i32 to i4
// CHECK:         arith.extui {{.*}} : i4 to i8
// CHECK:       linalg.generic
// CHECK:         arith.trunci {{.*}} : i8 to i4
// CHECK:         arith.sitofp {{.*}} : i4 to f32
func.func @main(%x: tensor<4xf8E4M3FN>, %b: tensor<4xbf16>, %i: tensor<4xi4>,
                %f: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf8E5M2>, tensor<4xbf16>,
                                       tensor<4xf32>, tensor<4xi4>, tensor<4xf32>,
                                       tensor<2xf32>, tensor<3xi8>) {
  %xf = mnn.cast %x : (tensor<4xf8E4M3FN>) -> tensor<4xf32>
  %y = mnn.cast %f {saturate = false} : (tensor<4xf32>) -> tensor<4xf8E5M2>
  %fb = mnn.cast %f : (tensor<4xf32>) -> tensor<4xbf16>
  %bf = mnn.cast %b : (tensor<4xbf16>) -> tensor<4xf32>
  %fi = mnn.cast %f : (tensor<4xf32>) -> tensor<4xi4>
  %if = mnn.cast %i : (tensor<4xi4>) -> tensor<4xf32>
  %k8 = mnn.constant dense<[1.0, -2.0]> : tensor<2xf8E5M2>
  %k8f = mnn.cast %k8 : (tensor<2xf8E5M2>) -> tensor<2xf32>
  %k4 = mnn.constant dense<[1, -1, -8]> : tensor<3xi4>
  %k4i = mnn.cast %k4 : (tensor<3xi4>) -> tensor<3xi8>
  return %xf, %y, %fb, %bf, %fi, %if, %k8f, %k4i : tensor<4xf32>, tensor<4xf8E5M2>, tensor<4xbf16>, tensor<4xf32>, tensor<4xi4>, tensor<4xf32>, tensor<2xf32>, tensor<3xi8>
}
