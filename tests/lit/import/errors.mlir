// Every failure is one "error:" line that names the file, tensor or node
// (name and op type), and the tool exits non-zero.
// RUN: python3 %S/make_models.py %t
// RUN: not mnn-import %t/unsupported_op.onnx 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OP
// RUN: not mnn-import %t/custom_domain.onnx 2>&1 | FileCheck %s --check-prefix=DOMAIN
// RUN: not mnn-import %t/symbolic_dim.onnx 2>&1 | FileCheck %s --check-prefix=SYMBOLIC
// RUN: not mnn-import %t/symbolic_dim.onnx --input-shape image=1x3x8 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not mnn-import %t/symbolic_dim.onnx --input-shape image=1x4x8x8 2>&1 | FileCheck %s --check-prefix=FIXED
// RUN: not mnn-import %t/symbolic_dim.onnx --input-shape nosuch=1x3x8x8 2>&1 | FileCheck %s --check-prefix=NOSUCH
// RUN: not mnn-import %t/symbolic_dim.onnx --input-shape image=1xAx8x8 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: mnn-import %t/symbolic_dim.onnx --input-shape image=2x3x8x8 | FileCheck %s --check-prefix=GIVEN
// RUN: not mnn-import %t/garbage.onnx 2>&1 | FileCheck %s --check-prefix=GARBAGE
// RUN: not mnn-import %t/garbage.onnx 2>&1 | count 1
// RUN: not mnn-import %t/truncated.onnx 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: not mnn-import %t/empty.onnx 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not mnn-import %t/does_not_exist.onnx 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not mnn-import %t/matmul_mismatch.onnx 2>&1 | FileCheck %s --check-prefix=MISMATCH
// RUN: not mnn-import %t/undefined_input.onnx 2>&1 | FileCheck %s --check-prefix=UNDEFINED
// RUN: not mnn-import %t/bad_initializer.onnx 2>&1 | FileCheck %s --check-prefix=INIT
// RUN: not mnn-import %t/external_data.onnx 2>&1 | FileCheck %s --check-prefix=EXTERNAL

// UNKNOWN-OP: error: node 'my_unsupported_node' (NonMaxSuppression): unsupported operator
// DOMAIN: error: node 'my_custom_node' (MyCustomOp): unsupported operator of domain 'com.example'
// SYMBOLIC: error: input 'image' has unknown dim 'batch': pass --input-shape image=1x3x8x8
// RANK: error: input 'image' has rank 4 but --input-shape gives 1x3x8 (rank 3)
// FIXED: error: input 'image' has dim 1 = 3 but --input-shape gives 4
// NOSUCH: error: --input-shape names 'nosuch', which is not an input of the model (inputs: 'image')
// MALFORMED: error: malformed --input-shape 'image=1xAx8x8'
// GIVEN: func.func @main(%arg0: tensor<2x3x8x8xf32> {mnn.name = "image"}) -> (tensor<2x3x8x8xf32> {mnn.name = "out"})
// GARBAGE: error: file '{{.*}}garbage.onnx' is not a valid ONNX model (truncated or corrupt)
// TRUNCATED: error: file '{{.*}}truncated.onnx' is not a valid ONNX model (truncated or corrupt)
// EMPTY: error: file '{{.*}}empty.onnx' is empty (not an ONNX model)
// MISSING: error: cannot read file '{{.*}}does_not_exist.onnx'
// MISMATCH: error: node 'mm' (MatMul): matmul inner dims differ: 2x3 x 4x5
// UNDEFINED: error: node 'relu' (Relu): input 'nowhere' is not defined
// INIT: error: initializer 'w' has 12 bytes of raw_data but its dims [2x3] need 24
// EXTERNAL: error: initializer 'w' stores its data in an external file, which is not supported
