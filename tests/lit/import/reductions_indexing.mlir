// Reductions, arg/top-k and indexing ops: attribute normalization and the
// decompositions done at import (ReduceLogSumExp, TopK, Hardmax, Einsum, the
// losses, LayerNormalization's Mean/InvStdDev), and the clean errors for what
// must fold to a constant or is not supported.
// RUN: python3 %S/indexing_models.py %t
// RUN: mnn-import %t/reductions.onnx | FileCheck %s --check-prefix=RED
// RUN: mnn-import %t/reductions_opset11.onnx | FileCheck %s --check-prefix=OPSET11
// RUN: mnn-import %t/indexing.onnx | FileCheck %s --check-prefix=IDX
// RUN: mnn-import %t/einsum_ok.onnx | FileCheck %s --check-prefix=EINSUM
// RUN: mnn-import %t/losses.onnx | FileCheck %s --check-prefix=LOSS
// RUN: not mnn-import %t/einsum.onnx 2>&1 | FileCheck %s --check-prefix=DIAG
// RUN: not mnn-import %t/topk_runtime_k.onnx 2>&1 | FileCheck %s --check-prefix=TOPK-K

// ReduceL2 with axes from a constant input; ReduceLogSumExp as
// max + log(sum(exp(x - max))); an empty axes input with noop_with_empty_axes
// is the identity; ArgMax keeps the tie rule; TopK values gather at indices.
// RED:      mnn.reduce %arg0 {axes = array<i64: 1>, keepdims = false, kind = "l2"} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
// RED-NEXT: %[[M:.*]] = mnn.reduce %arg0 {axes = array<i64: 1>, keepdims = true, kind = "max"}
// RED-NEXT: %[[D:.*]] = mnn.sub %arg0, %[[M]]
// RED-NEXT: %[[E:.*]] = mnn.exp %[[D]]
// RED-NEXT: %[[L:.*]] = mnn.reduce %[[E]] {axes = array<i64: 1>, keepdims = true, kind = "log_sum"}
// RED-NEXT: %[[LSE:.*]] = mnn.add %[[L]], %[[M]]
// RED-NEXT: mnn.reduce %arg0 {axes = array<i64: 0, 1, 2>, keepdims = false, kind = "sum_square"} : (tensor<2x3x4xf32>) -> tensor<f32>
// RED-NEXT: %[[AM:.*]] = mnn.arg_top_k %arg0 {axis = 1 : i64, k = 1 : i64, largest = true, last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
// RED-NEXT: mnn.reshape %[[AM]] : (tensor<2x1x4xi64>) -> tensor<2x4xi64>
// RED-NEXT: %[[TI:.*]] = mnn.arg_top_k %arg0 {axis = 2 : i64, k = 2 : i64, largest = false, last_index = false} : (tensor<2x3x4xf32>) -> tensor<2x3x2xi64>
// RED-NEXT: %[[TV:.*]] = mnn.gather_elements %arg0, %[[TI]] {axis = 2 : i64}
// RED-NEXT: %[[CS:.*]] = mnn.cumsum %arg0 {axis = 2 : i64, exclusive = true, reverse = true}
// RED-NEXT: return %{{.*}}, %[[LSE]], %{{.*}}, %arg0, %{{.*}}, %[[TV]], %[[TI]], %[[CS]]

// Opset 11: axes attribute (negative resolved); LogSoftmax and Hardmax coerce
// to 2-D at axis (axis 2 is the last one: no reshape).
// OPSET11:      mnn.reduce %arg0 {axes = array<i64: 0, 2>, keepdims = true, kind = "l1"} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
// OPSET11-NEXT: %[[F:.*]] = mnn.reshape %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// OPSET11-NEXT: %[[LS:.*]] = mnn.log_softmax %[[F]] {axis = 1 : i64} : (tensor<2x12xf32>) -> tensor<2x12xf32>
// OPSET11-NEXT: mnn.reshape %[[LS]] : (tensor<2x12xf32>) -> tensor<2x3x4xf32>
// OPSET11-NEXT: %[[A:.*]] = mnn.arg_top_k %arg0 {axis = 2 : i64, k = 1 : i64, largest = true, last_index = false}
// OPSET11-NEXT: %[[S:.*]] = mnn.reshape %[[A]] : (tensor<2x3x1xi64>) -> tensor<2x3xi64>
// OPSET11-NEXT: %[[V:.*]] = mnn.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// OPSET11-NEXT: mnn.one_hot %[[S]], %[[V]] {axis = 2 : i64, depth = 4 : i64} : (tensor<2x3xi64>, tensor<2xf32>) -> tensor<2x3x4xf32>

// IDX:      mnn.gather_elements %arg0, %arg1 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xi32>) -> tensor<2x1x4xf32>
// IDX:      mnn.gather_nd %arg0, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
// IDX-NEXT: mnn.scatter_elements %arg0, %arg1, %arg2 {axis = 1 : i64, reduction = "max"}
// IDX:      mnn.scatter_nd %arg0, %{{.*}}, %{{.*}} {reduction = "add"} : (tensor<2x3x4xf32>, tensor<1x2xi64>, tensor<1x4xf32>) -> tensor<2x3x4xf32>
// IDX-NEXT: mnn.trilu %arg0 {k = 1 : i64, upper = false}
// IDX:      mnn.one_hot %arg3, %{{.*}} {axis = 0 : i64, depth = 5 : i64} : (tensor<3xi64>, tensor<2xf32>) -> tensor<5x3xf32>
// IDX-NEXT: %[[SZ:.*]] = mnn.constant dense<24> : tensor<i64>
// IDX-NEXT: return {{.*}}, %[[SZ]] :

// bij,bjk->bik is one batched matmul; bij->jb a sum then a transpose.
// EINSUM:      %[[MM:.*]] = mnn.matmul %arg0, %arg1 {{.*}} : (tensor<2x3x3xf32>, tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
// EINSUM-NEXT: %[[R:.*]] = mnn.reduce %arg0 {axes = array<i64: 1>, keepdims = false, kind = "sum"}
// EINSUM-NEXT: %[[T:.*]] = mnn.transpose %[[R]] {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
// EINSUM-NEXT: return %[[MM]], %[[T]]

// SoftmaxCrossEntropyLoss: log_softmax, pick the target class, weight it
// (0 for ignore_index), mean = sum(loss) / sum(weights).
// LOSS:      %[[LP:.*]] = mnn.log_softmax %arg0 {axis = 1 : i64}
// LOSS-NEXT: %[[T1:.*]] = mnn.reshape %arg1 : (tensor<2x4xi64>) -> tensor<2x1x4xi64>
// LOSS-NEXT: %[[G:.*]] = mnn.gather_elements %[[LP]], %[[T1]] {axis = 1 : i64}
// LOSS-NEXT: %[[GF:.*]] = mnn.reshape %[[G]]
// LOSS-NEXT: %[[W:.*]] = mnn.class_weight %arg1, %{{.*}} {classes = 3 : i64, has_ignore = true, ignore_index = 1 : i64} : (tensor<2x4xi64>, tensor<3xf32>) -> tensor<2x4xf32>
// LOSS-NEXT: %[[P:.*]] = mnn.mul %[[GF]], %[[W]]
// LOSS-NEXT: %[[N:.*]] = mnn.neg %[[P]]
// LOSS-NEXT: %[[SUM:.*]] = mnn.reduce %[[N]] {axes = array<i64: 0, 1>, keepdims = false, kind = "sum"}
// LOSS-NEXT: %[[WS:.*]] = mnn.reduce %[[W]] {axes = array<i64: 0, 1>, keepdims = false, kind = "sum"}
// LOSS-NEXT: %[[L:.*]] = mnn.div %[[SUM]], %[[WS]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// LayerNormalization's Mean and InvStdDev keep the normalized dims as 1.
// LOSS:      %[[LN:.*]] = mnn.layer_norm %arg0
// LOSS-NEXT: %[[MEAN:.*]] = mnn.reduce %arg0 {axes = array<i64: 1, 2>, keepdims = true, kind = "mean"} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
// LOSS:      %[[INV:.*]] = mnn.reciprocal %{{.*}} : (tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
// LOSS-NEXT: return %[[L]], %[[LP]], %[[LN]], %[[MEAN]], %[[INV]]

// DIAG: error: node 'diag' (Einsum): repeated subscript in term 'bii' (a diagonal) is not supported
// TOPK-K: error: node 'topk_dyn' (TopK): input 'K' must be a constant, but it is computed at run time
