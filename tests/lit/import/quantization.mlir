// Quantization ops decompose into elementwise ops, casts and i32 conv2d/matmul:
// quantize = cast(clip(round(x / scale) + zp)), per-axis parameters reshaped to
// broadcast, blocked ones expanded by a constant-index gather, 32-bit
// dequantization in i64/f64, the QLinear requantization in f64.
// RUN: python3 %S/make_quant_models.py %t
// RUN: mnn-import %t/quantize_axis.onnx | FileCheck %s --check-prefix=AXIS
// RUN: mnn-import %t/quantize_blocked.onnx | FileCheck %s --check-prefix=BLOCKED
// RUN: mnn-import %t/dequantize_int32.onnx | FileCheck %s --check-prefix=DEQ32
// RUN: mnn-import %t/dynamic_quantize.onnx | FileCheck %s --check-prefix=DYN
// RUN: mnn-import %t/matmul_integer.onnx | FileCheck %s --check-prefix=MMI
// RUN: mnn-import %t/qlinear_conv.onnx | FileCheck %s --check-prefix=QCONV
// RUN: not mnn-import %t/bad_axis_scale.onnx 2>&1 | FileCheck %s --check-prefix=BAD-SCALE
// RUN: not mnn-import %t/bad_output_dtype.onnx 2>&1 | FileCheck %s --check-prefix=BAD-DTYPE
// RUN: not mnn-import %t/bad_block.onnx 2>&1 | FileCheck %s --check-prefix=BAD-BLOCK
// RUN: not mnn-import %t/bad_matmul_float.onnx 2>&1 | FileCheck %s --check-prefix=BAD-MMI
// RUN: not mnn-import %t/bad_conv_zero_point.onnx 2>&1 | FileCheck %s --check-prefix=BAD-CONV
// RUN: not mnn-import %t/bad_zero_point_type.onnx 2>&1 | FileCheck %s --check-prefix=BAD-ZP

// AXIS-LABEL: func.func @main(%arg0: tensor<2x3xf32>
// AXIS:       %[[S:.*]] = mnn.constant dense<{{\[\[}}5.000000e-01, 2.500000e-01, 2.000000e+00]]> : tensor<1x3xf32>
// AXIS:       %[[D:.*]] = mnn.div %arg0, %[[S]] : (tensor<2x3xf32>, tensor<1x3xf32>)
// AXIS:       %[[R:.*]] = mnn.unary_fn %[[D]] {fn = "round"}
// AXIS:       %[[Z:.*]] = mnn.constant dense<{{\[\[}}0.000000e+00, 1.280000e+02, 7.000000e+00]]> : tensor<1x3xf32>
// AXIS:       %[[A:.*]] = mnn.add %[[R]], %[[Z]]
// AXIS:       %[[C:.*]] = mnn.clip %[[A]] {max = 2.550000e+02 : f32, min = 0.000000e+00 : f32}
// AXIS:       %[[Q:.*]] = mnn.cast %[[C]] : (tensor<2x3xf32>) -> tensor<2x3xui8>
// AXIS:       %[[QF:.*]] = mnn.cast %[[Q]] : (tensor<2x3xui8>) -> tensor<2x3xf32>
// AXIS:       %[[DZ:.*]] = mnn.sub %[[QF]], %{{.*}} : (tensor<2x3xf32>, tensor<1x3xf32>)
// AXIS:       %[[Y:.*]] = mnn.mul %[[DZ]], %{{.*}} : (tensor<2x3xf32>, tensor<1x3xf32>)
// AXIS:       return %[[Q]], %[[Y]]

// BLOCKED:     %[[I:.*]] = mnn.constant dense<[0, 0, 1, 1, 2]> : tensor<5xi64>
// BLOCKED:     %[[S:.*]] = mnn.gather %arg1, %[[I]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<5xi64>) -> tensor<2x5xf32>
// BLOCKED:     %[[D:.*]] = mnn.div %arg0, %[[S]]
// BLOCKED:     %[[R:.*]] = mnn.unary_fn %[[D]] {fn = "round"}
// BLOCKED:     %[[C:.*]] = mnn.clip %[[R]] {max = 3.276700e+04 : f32, min = -3.276800e+04 : f32}
// BLOCKED:     mnn.cast %[[C]] : (tensor<2x5xf32>) -> tensor<2x5xi16>

// DEQ32:       %[[X:.*]] = mnn.cast %arg0 : (tensor<4xi32>) -> tensor<4xi64>
// DEQ32:       %[[Z:.*]] = mnn.cast %arg2 : (tensor<i32>) -> tensor<i64>
// DEQ32:       %[[D:.*]] = mnn.sub %[[X]], %[[Z]]
// DEQ32:       %[[DF:.*]] = mnn.cast %[[D]] : (tensor<4xi64>) -> tensor<4xf64>
// DEQ32:       %[[S:.*]] = mnn.cast %arg1 : (tensor<f16>) -> tensor<f64>
// DEQ32:       %[[Y:.*]] = mnn.mul %[[DF]], %[[S]]
// DEQ32:       mnn.cast %[[Y]] : (tensor<4xf64>) -> tensor<4xf16>

// DYN:         %[[MX:.*]] = mnn.reduce %arg0 {axes = array<i64: 0, 1>, keepdims = false, kind = "max"}
// DYN:         %[[MN:.*]] = mnn.reduce %arg0 {axes = array<i64: 0, 1>, keepdims = false, kind = "min"}
// DYN:         mnn.compare %{{.*}} {predicate = "eq"}
// DYN:         %[[SEL:.*]] = mnn.select
// DYN:         %[[SCALE:.*]] = mnn.div %[[SEL]], %{{.*}}
// DYN:         %[[ZP:.*]] = mnn.unary_fn %{{.*}} {fn = "round"}
// DYN:         %[[Q:.*]] = mnn.div %arg0, %[[SCALE]]
// DYN:         %[[Y:.*]] = mnn.cast %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xui8>
// DYN:         %[[Z:.*]] = mnn.cast %[[ZP]] : (tensor<f32>) -> tensor<ui8>
// DYN:         return %[[Y]], %[[SCALE]], %[[Z]]

// MMI:         %[[AZ:.*]] = mnn.reshape %arg2 : (tensor<2xui8>) -> tensor<2x1xui8>
// MMI:         %[[A:.*]] = mnn.cast %arg0 : (tensor<2x4xui8>) -> tensor<2x4xi32>
// MMI:         %[[AZ32:.*]] = mnn.cast %[[AZ]] : (tensor<2x1xui8>) -> tensor<2x1xi32>
// MMI:         %[[AC:.*]] = mnn.sub %[[A]], %[[AZ32]]
// MMI:         %[[B:.*]] = mnn.cast %arg1 : (tensor<4x3xi8>) -> tensor<4x3xi32>
// MMI:         %[[BZ:.*]] = mnn.cast %arg3 : (tensor<3xi8>) -> tensor<3xi32>
// MMI:         %[[BC:.*]] = mnn.sub %[[B]], %[[BZ]] : (tensor<4x3xi32>, tensor<3xi32>)
// MMI:         mnn.matmul %[[AC]], %[[BC]] {{.*}} : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>

// The constant weights minus their per-channel zero points fold to i32.
// QCONV:       %[[B:.*]] = mnn.constant dense<[100, -100]> : tensor<2xi32>
// QCONV:       %[[X:.*]] = mnn.sub
// QCONV:       %[[W:.*]] = mnn.constant dense<{{\[\[\[\[}}-128, -91, -54]{{.*}} : tensor<2x2x3x3xi32>
// QCONV:       %[[ACC:.*]] = mnn.conv2d %[[X]], %[[W]], %[[B]] {{.*}}pads = array<i64: 1, 1, 1, 1>{{.*}} -> tensor<1x2x4x4xi32>
// QCONV:       %[[WS:.*]] = mnn.constant {{.*}} : tensor<2x1x1xf32>
// QCONV:       %[[M1:.*]] = mnn.mul %arg1, %[[WS]]
// QCONV:       %[[M:.*]] = mnn.div %[[M1]], %arg3
// QCONV:       %[[MD:.*]] = mnn.cast %[[M]] : (tensor<2x1x1xf32>) -> tensor<2x1x1xf64>
// QCONV:       %[[AD:.*]] = mnn.cast %[[ACC]] : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xf64>
// QCONV:       %[[P:.*]] = mnn.mul %[[AD]], %[[MD]]
// QCONV:       %[[YZ:.*]] = mnn.cast %arg4 : (tensor<ui8>) -> tensor<f64>
// QCONV:       %[[S:.*]] = mnn.add %[[P]], %[[YZ]]
// QCONV:       %[[R:.*]] = mnn.unary_fn %[[S]] {fn = "round"}
// QCONV:       %[[C:.*]] = mnn.clip %[[R]] {max = 2.550000e+02 : f32, min = 0.000000e+00 : f32}
// QCONV:       mnn.cast %[[C]] : (tensor<1x2x4x4xf64>) -> tensor<1x2x4x4xui8>

// BAD-SCALE: error: node 'bad_scale' (QuantizeLinear): y_scale of shape 4 must be a single value or have 3 values (dim 1 of the input 2x3)
// BAD-DTYPE: error: node 'bad_dtype' (QuantizeLinear): output_dtype INT8 differs from the zero point type UINT8
// BAD-BLOCK: error: node 'bad_block' (DequantizeLinear): x_scale of shape 2x2 does not match blocks of 2 along dim 1 of the input 2x5
// BAD-MMI: error: node 'mmi_float' (MatMulInteger): A must be an integer type of at most 8 bits, got FLOAT
// BAD-CONV: error: node 'convi_zp' (ConvInteger): w_zero_point of shape 3 must be a single value or have one value per output channel (2)
// BAD-ZP: error: node 'deq_zp_type' (DequantizeLinear): x_zero_point has type INT8 but the data has UINT8
