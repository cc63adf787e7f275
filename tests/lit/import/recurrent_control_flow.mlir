// Recurrent layers and compile-time control flow at import.
// RUN: python3 %S/make_control_models.py %t
// RUN: mnn-import %t/if_then.onnx | FileCheck %s --check-prefix=THEN
// RUN: mnn-import %t/if_else.onnx | FileCheck %s --check-prefix=ELSE
// RUN: not mnn-import %t/if_runtime.onnx 2>&1 | FileCheck %s --check-prefix=IF-RUNTIME
// RUN: mnn-import %t/if_runtime.onnx --const-input cond=0 | FileCheck %s --check-prefix=CONST-IN
// RUN: not mnn-import %t/if_runtime.onnx --const-input cond=2 2>&1 | FileCheck %s --check-prefix=CONST-BAD
// RUN: not mnn-import %t/if_runtime.onnx --const-input x=1,2 2>&1 | FileCheck %s --check-prefix=CONST-COUNT
// RUN: not mnn-import %t/if_runtime.onnx --const-input nosuch=1 2>&1 | FileCheck %s --check-prefix=CONST-NAME
// RUN: mnn-import %t/loop_const.onnx | FileCheck %s --check-prefix=LOOP
// RUN: mnn-import %t/lstm_small.onnx | FileCheck %s --check-prefix=LSTM
// RUN: mnn-import %t/gru_bidir.onnx | FileCheck %s --check-prefix=GRU
// RUN: not mnn-import %t/lstm_elu.onnx 2>&1 | FileCheck %s --check-prefix=ELU
// RUN: not mnn-import %t/lstm_seq_lens.onnx 2>&1 | FileCheck %s --check-prefix=SEQLENS
// RUN: not mnn-import %t/lstm_input_forget.onnx 2>&1 | FileCheck %s --check-prefix=FORGET
// RUN: not mnn-import %t/lstm_long.onnx 2>&1 | FileCheck %s --check-prefix=LONG
// RUN: mnn-import %t/scan9_reverse.onnx | FileCheck %s --check-prefix=SCAN9
// RUN: mnn-import %t/scan8_batch.onnx | FileCheck %s --check-prefix=SCAN8
// RUN: not mnn-import %t/scan8_seq_lens.onnx 2>&1 | FileCheck %s --check-prefix=SCAN-LENS
// RUN: not mnn-import %t/scan8_lengths.onnx 2>&1 | FileCheck %s --check-prefix=SCAN-STEPS

// If with a constant condition: only the taken branch is imported, inline; the
// branch reads the enclosing graph's input.
// THEN:      func.func @main(%arg0: tensor<2x3xf32>
// THEN-NEXT:   %[[T:.*]] = mnn.tanh %arg0
// THEN-NEXT:   return %[[T]]
// ELSE:      func.func @main(%arg0: tensor<2x3xf32>
// ELSE-NEXT:   %[[N:.*]] = mnn.neg %arg0
// ELSE-NEXT:   return %[[N]]
// IF-RUNTIME: error: node 'my_if' (If): condition must fold to a constant at compile time

// --const-input bakes the condition input in: it leaves the signature and the
// If folds.
// CONST-IN:      func.func @main(%arg0: tensor<2x3xf32> {mnn.name = "x"}) -> (tensor<2x3xf32> {mnn.name = "y"})
// CONST-IN-NEXT:   %[[N:.*]] = mnn.neg %arg0
// CONST-IN-NEXT:   return %[[N]]
// CONST-BAD: error: --const-input value 2{{.*}} for input 'cond' does not fit its type i1
// CONST-COUNT: error: --const-input gives 2 values for input 'x' of shape 2x3 (6 elements; one value fills all)
// CONST-NAME: error: --const-input names 'nosuch', which is not an input of the model (inputs: 'x', 'cond')

// Loop with trip count 3: the body is unrolled, carrying the accumulator.
// LOOP:      %[[A0:.*]] = mnn.add %arg0, %arg0
// LOOP-NEXT: %[[A1:.*]] = mnn.add %[[A0]], %arg0
// LOOP-NEXT: %[[A2:.*]] = mnn.add %[[A1]], %arg0
// LOOP-NEXT: return %[[A2]]

// LSTM, T = 2: one input projection for both steps (bias Wb + Rb folded), the
// first step without a recurrent matmul (zero initial state), the second with
// h x R^T and that step's projection as the fused residual.
// LSTM:      %[[X2:.*]] = mnn.reshape %arg0 : (tensor<2x1x2xf32>) -> tensor<2x2xf32>
// LSTM:      %[[P:.*]] = mnn.matmul %[[X2]], %{{.*}}, %{{.*}} {{.*}} : (tensor<2x2xf32>, tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// LSTM:      %[[S0:.*]] = mnn.slice %[[P]] {sizes = array<i64: 1, 8>, starts = array<i64: 0, 0>
// LSTM-NOT:  mnn.matmul
// LSTM:      mnn.sigmoid
// LSTM:      mnn.tanh
// LSTM:      %[[S1:.*]] = mnn.slice %[[P]] {sizes = array<i64: 1, 8>, starts = array<i64: 1, 0>
// LSTM:      mnn.matmul %{{.*}}, %{{.*}}, %[[S1]] {operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (tensor<1x2xf32>, tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
// LSTM:      %[[C2:.*]] = mnn.add
// LSTM-NEXT: %[[O2:.*]] = mnn.sigmoid
// LSTM-NEXT: %[[T2:.*]] = mnn.tanh %[[C2]]
// LSTM-NEXT: %[[H2:.*]] = mnn.mul %[[O2]], %[[T2]]
// LSTM-NEXT: %[[Y:.*]] = mnn.reshape %[[H2]] : (tensor<1x2xf32>) -> tensor<1x1x2xf32>
// LSTM-NEXT: return %[[Y]]

// A bidirectional GRU layer: Y stacks the steps of each direction, then the directions.
// GRU:       mnn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<2x1x1x2xf32>
// GRU:       mnn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<2x1x1x2xf32>
// GRU:       %[[Y:.*]] = mnn.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x1x1x2xf32>, tensor<2x1x1x2xf32>) -> tensor<2x2x1x2xf32>
// GRU:       return %[[Y]]

// ELU: error: node 'my_lstm' (LSTM): activation 'Elu' is not supported (attribute 'activations'
// SEQLENS: error: node 'my_lstm' (LSTM): input 'sequence_lens' must be a constant
// FORGET: error: node 'my_lstm' (LSTM): input_forget = 1 is not supported (attribute 'input_forget')
// LONG: error: node 'my_lstm' (LSTM): sequence length 65 x 1 direction(s) exceeds 64 steps, which is not supported (the time loop is unrolled at compile time)

// Scan (opset 11) over axis 1 of x [2, 3], in reverse: step t reads column
// 2 - t, carries the sum, and the reversed scan output stacks step t at
// column 2 - t again (concat of the steps in reverse order).
// SCAN9:      %[[X0:.*]] = mnn.slice %arg1 {sizes = array<i64: 2, 1>, starts = array<i64: 0, 2>
// SCAN9-NEXT: %[[R0:.*]] = mnn.reshape %[[X0]] : (tensor<2x1xf32>) -> tensor<2xf32>
// SCAN9-NEXT: %[[S0:.*]] = mnn.add %arg0, %[[R0]]
// SCAN9-NEXT: %[[Y0:.*]] = mnn.neg %[[S0]]
// SCAN9:      mnn.slice %arg1 {sizes = array<i64: 2, 1>, starts = array<i64: 0, 1>
// SCAN9:      %[[Y1:.*]] = mnn.neg
// SCAN9:      mnn.slice %arg1 {sizes = array<i64: 2, 1>, starts = array<i64: 0, 0>
// SCAN9:      %[[S2:.*]] = mnn.add
// SCAN9-NEXT: %[[Y2:.*]] = mnn.neg %[[S2]]
// SCAN9-NEXT: %[[U2:.*]] = mnn.reshape %[[Y2]] : (tensor<2xf32>) -> tensor<2x1xf32>
// SCAN9-NEXT: %[[U1:.*]] = mnn.reshape %[[Y1]]
// SCAN9-NEXT: %[[U0:.*]] = mnn.reshape %[[Y0]]
// SCAN9-NEXT: %[[Y:.*]] = mnn.concat %[[U2]], %[[U1]], %[[U0]] {axis = 1 : i64}
// SCAN9-NEXT: return %[[S2]], %[[Y]]

// Scan-8: every input has a batch dim; each batch element is scanned on its
// own (z in reverse, per 'directions') and the results are stacked again.
// SCAN8:      mnn.slice %arg0 {sizes = array<i64: 1, 2>, starts = array<i64: 0, 0>
// SCAN8:      mnn.slice %{{.*}} {sizes = array<i64: 1, 2>, starts = array<i64: 2, 0>
// SCAN8:      mnn.slice %arg0 {sizes = array<i64: 1, 2>, starts = array<i64: 1, 0>
// SCAN8:      %[[S:.*]] = mnn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
// SCAN8:      %[[Y:.*]] = mnn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<2x3x2xf32>
// SCAN8-NEXT: return %[[S]], %[[Y]]
// SCAN-LENS: error: node 'my_scan' (Scan): input 'sequence_lens' must be a constant
// SCAN-STEPS: error: node 'my_scan' (Scan): scan input 1 has 4 steps along its scan axis, but scan input 0 has 3
