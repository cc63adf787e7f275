// Conv + BatchNormalization + Relu: weights become constants (the large one a
// dense_resource blob), ops carry the node names as locations and the
// function arguments/results the ONNX tensor names.
// RUN: python3 %S/make_models.py %t conv_bn_relu
// RUN: mnn-import %t/conv_bn_relu.onnx --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s
// RUN: mnn-import %t/conv_bn_relu.onnx | FileCheck %s --check-prefix=BLOB

// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %[[X:.*]]: tensor<1x3x8x8xf32> {mnn.name = "x"} loc("x")
// CHECK-SAME:    -> (tensor<1x4x4x4xf32> {mnn.name = "y"})
// CHECK:     %[[W:.*]] = mnn.constant dense_resource<w> : tensor<4x3x3x3xf32> loc("w")
// CHECK:     %[[B:.*]] = mnn.constant dense<[4.560000e-01, 4.480000e-01, -4.430000e-01, -4.150000e-01]> : tensor<4xf32> loc("b")
// CHECK:     %[[C:.*]] = mnn.conv2d %[[X]], %[[W]], %[[B]]
// CHECK-SAME:  dilations = array<i64: 1, 1>, group = 1 : i64
// CHECK-SAME:  pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>
// CHECK-SAME:  -> tensor<1x4x4x4xf32> loc("conv")
// CHECK:     %[[BN:.*]] = mnn.batch_norm %[[C]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32}
// CHECK-SAME:  loc("bn")
// CHECK:     %[[R:.*]] = mnn.relu %[[BN]] {{.*}} loc("relu")
// CHECK:     return %[[R]]

// The 4x3x3x3 weight is printed as a blob (alignment 16, then the floats).
// BLOB:      mnn.constant dense_resource<w> : tensor<4x3x3x3xf32>
// BLOB:      dialect_resources
// BLOB-NEXT: builtin
// BLOB-NEXT: w: "0x10000000{{[0-9A-F]+}}"
