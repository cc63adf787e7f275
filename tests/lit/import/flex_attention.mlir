// FlexAttention (ai.onnx.preview) decomposes at import like Attention; its
// score_mod / prob_mod subgraphs are imported inline on the whole score tensor.
// RUN: python3 %S/make_control_models.py %t
// RUN: mnn-import %t/flex_bias.onnx | FileCheck %s
// RUN: not mnn-import %t/flex_bad_mod.onnx 2>&1 | FileCheck %s --check-prefix=BAD-MOD
// RUN: not mnn-import %t/flex_bad_scale.onnx 2>&1 | FileCheck %s --check-prefix=BAD-PREC
// RUN: not mnn-import %t/preview_unknown.onnx 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// 4 query heads share 2 kv heads (each kv head repeated twice); Q and K are
// both scaled by sqrt(scale) = 0.5; score_mod adds 0.5 before the softmax.
// CHECK:      %[[K:.*]] = mnn.reshape %{{.*}} : (tensor<1x2x2x5x8xf32>) -> tensor<1x4x5x8xf32>
// CHECK:      %[[V:.*]] = mnn.reshape %{{.*}} : (tensor<1x2x2x5x6xf32>) -> tensor<1x4x5x6xf32>
// CHECK:      %[[R:.*]] = mnn.constant dense<5.000000e-01> : tensor<f32>
// CHECK:      %[[KS:.*]] = mnn.mul %[[K]], %[[R]]
// CHECK-NEXT: %[[KT:.*]] = mnn.transpose %[[KS]] {perm = array<i64: 0, 1, 3, 2>}
// CHECK-NEXT: %[[QS:.*]] = mnn.mul %arg0, %[[R]]
// CHECK-NEXT: %[[S:.*]] = mnn.matmul %[[QS]], %[[KT]]
// CHECK-NEXT: %[[B:.*]] = mnn.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT: %[[M:.*]] = mnn.add %[[S]], %[[B]]
// CHECK-NEXT: %[[P:.*]] = mnn.softmax %[[M]] {axis = 3 : i64}
// CHECK-NEXT: %[[Y:.*]] = mnn.matmul %[[P]], %[[V]] {{.*}} -> tensor<1x4x3x6xf32>
// CHECK-NEXT: return %[[Y]]

// BAD-MOD: error: node 'my_flex' (FlexAttention): score_mod turns tensor<1x4x3x5xf32> into tensor<1x1x1x1xf32>; it must keep the shape and element type
// BAD-PREC: error: node 'my_flex' (FlexAttention): softmax_precision 11 is not supported
// UNKNOWN: error: node 'my_flex' (NoSuchOp): unsupported operator of domain 'ai.onnx.preview'
