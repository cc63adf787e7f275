// Opset-23 transformer ops decompose at import: RMSNormalization into
// mul/reduce/sqrt/div, Attention into matmul/softmax with the causal mask a
// constant and grouped-query heads repeated by concat.
// RUN: python3 %S/make_models.py %t rms_norm attention_gqa_causal attention_nonpad dft_onesided_complex linear_attention_bad_rule lppool_ceil
// RUN: mnn-import %t/rms_norm.onnx | FileCheck %s --check-prefix=RMS
// RUN: mnn-import %t/attention_gqa_causal.onnx | FileCheck %s --check-prefix=ATTN
// RUN: not mnn-import %t/attention_nonpad.onnx 2>&1 | FileCheck %s --check-prefix=NONPAD

// RMS:      %[[SQ:.*]] = mnn.mul %arg0, %arg0
// RMS-NEXT: %[[MS:.*]] = mnn.reduce %[[SQ]] {axes = array<i64: 2>, keepdims = true, kind = "mean"}
// RMS:      %[[EPS:.*]] = mnn.constant dense<5.000000e-01> : tensor<f32>
// RMS-NEXT: %[[V:.*]] = mnn.add %[[MS]], %[[EPS]]
// RMS-NEXT: %[[R:.*]] = mnn.sqrt %[[V]]
// RMS-NEXT: %[[N:.*]] = mnn.div %arg0, %[[R]]
// RMS-NEXT: mnn.mul %[[N]], %{{.*}} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>

// Two kv heads serve four query heads.
// ATTN:      mnn.concat %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<1x2x1x3x8xf32>, tensor<1x2x1x3x8xf32>) -> tensor<1x2x2x3x8xf32>
// ATTN:      %[[S:.*]] = mnn.matmul {{.*}} -> tensor<1x4x3x3xf32>
// ATTN:      %[[M:.*]] = mnn.constant dense<{{\[\[}}0.000000e+00, 0xFF800000, 0xFF800000], [0.000000e+00, 0.000000e+00, 0xFF800000], [0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<3x3xf32>
// ATTN-NEXT: %[[B:.*]] = mnn.add %[[S]], %[[M]]
// ATTN-NEXT: %[[P:.*]] = mnn.softmax %[[B]] {axis = 3 : i64}
// ATTN-NEXT: mnn.matmul %[[P]], %{{.*}} -> tensor<1x4x3x8xf32>

// NONPAD: error: node 'attn_nonpad' (Attention): the nonpad_kv_seqlen input is not supported

// Unsupported attribute combinations of the ops built from other ops are one
// clean error naming the node.
// RUN: not mnn-import %t/dft_onesided_complex.onnx 2>&1 | FileCheck %s --check-prefix=DFT
// RUN: not mnn-import %t/linear_attention_bad_rule.onnx 2>&1 | FileCheck %s --check-prefix=LINATT
// RUN: not mnn-import %t/lppool_ceil.onnx 2>&1 | FileCheck %s --check-prefix=LPPOOL
// DFT: error: node 'dft_bad' (DFT): onesided needs a real signal (last dim 1)
// LINATT: error: node 'la_bad' (LinearAttention): update_rule 'gated' needs the decay input
// LPPOOL: error: node 'lp_ceil' (LpPool): ceil_mode = 1 is not supported
