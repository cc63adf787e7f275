// Elementwise long tail: generic ops for math functions, activations,
// comparisons, logic and bit ops; unsigned types stay ui8 in the graph;
// int64 Equal/Where/Mod/Max/Cast chains fold (shape subgraphs); clean errors.
// RUN: python3 %S/make_elementwise_models.py %t
// RUN: mnn-import %t/elementwise_ops.onnx | FileCheck %s
// RUN: mnn-import %t/shape_fold.onnx | FileCheck %s --check-prefix=FOLD
// RUN: mnn-import %t/types_io.onnx | FileCheck %s --check-prefix=TYPES
// RUN: not mnn-import %t/bad_mod.onnx 2>&1 | FileCheck %s --check-prefix=MOD
// RUN: not mnn-import %t/bad_shift.onnx 2>&1 | FileCheck %s --check-prefix=SHIFT
// RUN: not mnn-import %t/bad_cast.onnx 2>&1 | FileCheck %s --check-prefix=CAST
// RUN: not mnn-import %t/bad_sin_int.onnx 2>&1 | FileCheck %s --check-prefix=SIN
// RUN: mnn-compile %t/double_io.onnx -o %t/out && FileCheck %s --check-prefix=F64 < %t/out/double_io.h

// CHECK-LABEL: func.func @main(%arg0: tensor<2x3xf32> {mnn.name = "x"})
// CHECK-SAME:    -> (tensor<2x3xf32> {mnn.name = "y"}, tensor<2x3xui8> {mnn.name = "m"})
// CHECK: %[[ABS:.*]] = mnn.unary_fn %arg0 {fn = "abs"}
// CHECK: %[[ELU:.*]] = mnn.unary_fn %[[ABS]] {alpha = 5.000000e-01 : f32, fn = "elu"}
// CHECK: %[[SELU:.*]] = mnn.unary_fn %[[ELU]] {alpha = 1.67326319 : f32, beta = 1.05070102 : f32, fn = "selu"}
// CHECK: %[[LRELU:.*]] = mnn.unary_fn %[[SELU]] {alpha = 0.00999999977 : f32, fn = "leaky_relu"}
// CHECK: %[[SLOPE:.*]] = mnn.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>
// CHECK: %[[PRELU:.*]] = mnn.binary_fn %[[LRELU]], %[[SLOPE]] {fn = "prelu"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[SHRINK:.*]] = mnn.unary_fn %[[PRELU]] {alpha = 2.500000e-01 : f32, fn = "shrink"}
// CHECK: %[[INF:.*]] = mnn.is_class %arg0 {kind = "pos_inf"} : (tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK: %[[LT:.*]] = mnn.compare %arg0, %[[SHRINK]] {predicate = "lt"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK: %[[OR:.*]] = mnn.binary_fn %[[LT]], %[[INF]] {fn = "or"}
// CHECK: %[[W:.*]] = mnn.select %[[OR]], %arg0, %[[SHRINK]]
// CHECK: %[[M1:.*]] = mnn.binary_fn %[[W]], %arg0 {fn = "max"}
// CHECK: %[[M2:.*]] = mnn.binary_fn %[[M1]], %[[SLOPE]] {fn = "max"}
// CHECK: %[[U:.*]] = mnn.cast %[[M2]] : (tensor<2x3xf32>) -> tensor<2x3xui8>
// CHECK: %[[SH:.*]] = mnn.binary_fn %[[U]], %[[U]] {fn = "shr"} : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
// CHECK: %[[REM:.*]] = mnn.binary_fn %[[SH]], %[[U]] {fn = "mod"}
// CHECK: return %[[M2]], %[[REM]]

// FOLD:      %[[R:.*]] = mnn.reshape %arg0 : (tensor<8xf32>) -> tensor<4x2xf32>
// FOLD-NEXT: return %[[R]]

// TYPES: func.func @main(%arg0: tensor<4xi1> {mnn.name = "b"}, %arg1: tensor<4xi32> {mnn.name = "i"}) -> (tensor<4xf16> {mnn.name = "h"})
// TYPES: mnn.unary_fn %arg0 {fn = "not"} : (tensor<4xi1>) -> tensor<4xi1>
// TYPES: mnn.cast %arg1 : (tensor<4xi32>) -> tensor<4xf64>
// TYPES: mnn.add {{.*}} : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
// TYPES: mnn.cast {{.*}} : (tensor<4xf64>) -> tensor<4xf16>

// MOD: error: node 'fmod0' (Mod): attribute 'fmod' must be 1 for float inputs
// SHIFT: error: node 'shift' (BitShift): attribute 'direction' must be LEFT or RIGHT, got 'UP'
// CAST: error: node 'tostring' (Cast): cast to STRING is not supported
// SIN: error: node 'sin_int' (Sin): 'sin' needs a float element type, got 'i32'
// float64 crosses the C API as MNN_DTYPE_F64.
// F64: #define double_io_INPUT_0_DTYPE MNN_DTYPE_F64
// F64: #define double_io_OUTPUT_0_DTYPE MNN_DTYPE_F64
