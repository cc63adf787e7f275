// Softmax: opset 13+ normalizes one axis; before opset 13 the input is
// coerced to 2-D at `axis` (softmax over all trailing dims), via reshapes.
// RUN: python3 %S/make_models.py %t softmax softmax_opset11
// RUN: mnn-import %t/softmax.onnx | FileCheck %s
// RUN: mnn-import %t/softmax_opset11.onnx | FileCheck %s --check-prefix=OPSET11

// CHECK: mnn.softmax %arg0 {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: mnn.softmax %arg0 {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>

// OPSET11:      %[[F:.*]] = mnn.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// OPSET11-NEXT: %[[S:.*]] = mnn.softmax %[[F]] {axis = 1 : i64} : (tensor<2x12xf32>) -> tensor<2x12xf32>
// OPSET11-NEXT: %[[R:.*]] = mnn.reshape %[[S]] : (tensor<2x12xf32>) -> tensor<2x3x4xf32>
// OPSET11-NEXT: return %[[R]]
