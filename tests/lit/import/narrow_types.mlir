// Narrow element types: bfloat16, float8 and int4/int2 graph inputs and
// outputs keep their MLIR types (bf16, f8E4M3FN, i4, ui2 ...); Cast carries
// saturate; packed int4/int2 initializers (raw_data and int32_data) unpack to
// one element each; float8 initializers in int32_data are bits; the C header
// names the new dtypes; clean errors for bad packed sizes and float4.
// RUN: python3 %S/make_type_models.py %t
// RUN: mnn-import %t/narrow_io.onnx | FileCheck %s
// RUN: mnn-import %t/packed_constants.onnx | FileCheck %s --check-prefix=PACKED
// RUN: not mnn-import %t/bad_packed_size.onnx 2>&1 | FileCheck %s --check-prefix=BADSIZE
// RUN: not mnn-import %t/bad_cast_float4.onnx 2>&1 | FileCheck %s --check-prefix=F4
// RUN: mnn-compile %t/narrow_io.onnx -o %t/out && FileCheck %s --check-prefix=HEADER < %t/out/narrow_io.h

// CHECK-LABEL: func.func @main(%arg0: tensor<4xf8E4M3FN> {mnn.name = "x"}, %arg1: tensor<4xbf16> {mnn.name = "b"}, %arg2: tensor<5xi4> {mnn.name = "i"})
// CHECK-SAME:    -> (tensor<4xf32> {mnn.name = "xf"}, tensor<4xf32> {mnn.name = "bf"}, tensor<5xf32> {mnn.name = "if"}, tensor<4xf8E5M2> {mnn.name = "y"}, tensor<4xui2> {mnn.name = "u"})
// CHECK:   mnn.cast %arg0 : (tensor<4xf8E4M3FN>) -> tensor<4xf32>
// CHECK:   mnn.cast %arg1 : (tensor<4xbf16>) -> tensor<4xf32>
// CHECK:   mnn.cast %arg2 : (tensor<5xi4>) -> tensor<5xf32>
// CHECK:   mnn.cast %{{.*}} {saturate = false} : (tensor<4xf32>) -> tensor<4xf8E5M2>
// CHECK:   mnn.cast %{{.*}} : (tensor<4xf32>) -> tensor<4xui2>

// PACKED-DAG: mnn.constant dense<[1, -1, 7, -8, 3]> : tensor<5xi4>
// PACKED-DAG: mnn.constant dense<[1, 2, 3]> : tensor<3xui4>
// PACKED-DAG: mnn.constant dense<[1, -1, -2, 0, 1]> : tensor<5xi2>
// PACKED-DAG: mnn.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf8E5M2>

// BADSIZE: error: initializer 'w' has 2 bytes of raw_data but its dims [5] need 3 (2 elements per byte)
// F4: error: node 'to_f4' (Cast): cast to FLOAT4E2M1 is not supported

// HEADER: #define narrow_io_INPUT_0_DTYPE MNN_DTYPE_F8E4M3FN
// HEADER: #define narrow_io_INPUT_1_DTYPE MNN_DTYPE_BF16
// HEADER: #define narrow_io_INPUT_2_DTYPE MNN_DTYPE_I4
// HEADER: #define narrow_io_OUTPUT_3_DTYPE MNN_DTYPE_F8E5M2
// HEADER: #define narrow_io_OUTPUT_4_DTYPE MNN_DTYPE_U2
