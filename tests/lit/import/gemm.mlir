// Gemm: the constant transB is folded into the weights (no mnn.transpose
// left), C of one value per column becomes the matmul bias; alpha and beta
// fold into the constant B and C.
// RUN: python3 %S/make_models.py %t gemm_transb gemm_alpha_beta
// RUN: mnn-import %t/gemm_transb.onnx | FileCheck %s --check-prefix=TRANSB
// RUN: mnn-import %t/gemm_alpha_beta.onnx | FileCheck %s --check-prefix=ALPHA

// TRANSB-LABEL: func.func @main(%arg0: tensor<2x3xf32> {mnn.name = "x"}) -> (tensor<2x4xf32> {mnn.name = "y"})
// TRANSB-DAG:   %[[BIAS:.*]] = mnn.constant dense<[5.000000e-01, -5.000000e-01, 1.500000e+00, -1.500000e+00]> : tensor<4xf32>
// TRANSB-DAG:   %[[W:.*]] = mnn.constant dense<{{\[}}[0.000000e+00, 3.000000e+00, 6.000000e+00, 9.000000e+00], [1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01]]> : tensor<3x4xf32>
// TRANSB-NOT:   mnn.transpose
// TRANSB:       %[[Y:.*]] = mnn.matmul %arg0, %[[W]], %[[BIAS]] {{.*}} -> tensor<2x4xf32>
// TRANSB-NEXT:  return %[[Y]]

// ALPHA-LABEL: func.func @main
// ALPHA-DAG:   %[[W:.*]] = mnn.constant dense<{{\[}}[0.000000e+00, 2.000000e+00, 4.000000e+00, 6.000000e+00], [8.000000e+00, 1.000000e+01
// ALPHA-DAG:   %[[C:.*]] = mnn.constant dense<{{\[}}[0.000000e+00, 5.000000e-01, 1.000000e+00, 1.500000e+00], [2.000000e+00
// ALPHA:       %[[M:.*]] = mnn.matmul %arg0, %[[W]] {
// ALPHA-NEXT:  %[[Y:.*]] = mnn.add %[[M]], %[[C]]
// ALPHA-NEXT:  return %[[Y]]
