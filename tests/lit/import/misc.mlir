// Smaller conversions: an initializer also listed as graph input is a
// constant, constant Gather indices are resolved, Clip without min gets -inf,
// Shape(start/end) -> ReduceProd -> Concat folds into a static reshape,
// ConstantOfShape is a splat, Unsqueeze/Squeeze are reshapes, Dropout passes
// through, an unnamed node is located at "<op_type>_<index>".
// RUN: python3 %S/make_models.py %t misc_ops
// RUN: mnn-import %t/misc_ops.onnx --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func.func @main(%arg0: tensor<2x3x4xf32> {mnn.name = "x"} loc("x"))
// CHECK-SAME:    -> (tensor<2x2x4xf32> {mnn.name = "y"}, tensor<2x12xi64> {mnn.name = "i"})
// CHECK:       %[[W:.*]] = mnn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32> loc("w")
// CHECK:       %[[A:.*]] = mnn.add %arg0, %[[W]]
// CHECK:       %[[IDX:.*]] = mnn.constant dense<[2, 0]> : tensor<2xi64>
// CHECK:       %[[G:.*]] = mnn.gather %[[A]], %[[IDX]] {axis = 1 : i64}
// CHECK:       %[[C:.*]] = mnn.clip %[[G]] {max = 5.000000e-01 : f32, min = 0xFF800000 : f32}
// CHECK:       %[[F:.*]] = mnn.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32> loc("reshape")
// CHECK:       %[[ONES:.*]] = mnn.constant dense<1.000000e+00> : tensor<2x12xf32> loc("ones")
// CHECK:       %[[F1:.*]] = mnn.add %[[F]], %[[ONES]]
// CHECK:       %[[U:.*]] = mnn.reshape %[[F1]] : (tensor<2x12xf32>) -> tensor<1x2x12x1xf32> loc("unsqueeze")
// CHECK:       %[[S:.*]] = mnn.reshape %[[U]] : (tensor<1x2x12x1xf32>) -> tensor<2x12xf32> loc("squeeze")
// CHECK:       %[[I:.*]] = mnn.cast %[[S]] : (tensor<2x12xf32>) -> tensor<2x12xi64> loc("cast")
// CHECK:       %[[Y:.*]] = mnn.relu %[[C]] {{.*}} loc("Relu_14")
// CHECK:       return %[[Y]], %[[I]]
