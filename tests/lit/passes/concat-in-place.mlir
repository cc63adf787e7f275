// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// The lowering writes concat operands planned in place (mnn::concatSlice)
// straight into the concat's buffer and copies only the others: the input
// %x and %d, which is used twice. The inner concat copies nothing. (The
// elementwise ops run over their collapsed, one-dim buffers.)
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[A:.*]] = memref.view %{{.*}}[%c0{{.*}}][] : memref<{{.*}}xi8> to memref<1x4x2x2xf32>
// CHECK: %[[AF:.*]] = memref.collapse_shape %[[A]]
// CHECK: linalg.generic {{.*}} outs(%[[AF]] :
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%c64{{.*}}][] : memref<{{.*}}xi8> to memref<1x4x2x2xf32>
// CHECK: %[[BF:.*]] = memref.collapse_shape %[[B]]
// CHECK: linalg.generic {{.*}} outs(%[[BF]] :
// CHECK: %[[D:.*]] = memref.view %{{.*}}[%c320{{.*}}][] : memref<{{.*}}xi8> to memref<1x4x2x2xf32>
// CHECK: %[[DF:.*]] = memref.collapse_shape %[[D]]
// CHECK: linalg.generic {{.*}} outs(%[[DF]] :
// CHECK: memref.view {{.*}} to memref<1x8x2x2xf32>
// CHECK-NOT: linalg.copy
// CHECK: %[[CAT:.*]] = memref.view %{{.*}}[%c0{{.*}}][] : memref<{{.*}}xi8> to memref<1x20x2x2xf32>
// CHECK-NOT: linalg.copy ins(%[[A]]
// CHECK-NOT: linalg.copy ins(%[[B]]
// CHECK: linalg.copy ins(%arg0
// CHECK: linalg.copy ins(%[[D]]
// CHECK: linalg.copy ins(%[[D]]
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @main(%x: tensor<1x4x2x2xf32> {mnn.name = "x"}) -> (tensor<1x20x2x2xf32> {mnn.name = "y"}) {
  %a = mnn.relu %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %b = mnn.sigmoid %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %d = mnn.tanh %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %inner = mnn.concat %a, %b {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32>
  %cat = mnn.concat %inner, %x, %d, %d {axis = 1 : i64} : (tensor<1x8x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x20x2x2xf32>
  %y = mnn.sigmoid %cat : (tensor<1x20x2x2xf32>) -> tensor<1x20x2x2xf32>
  return %y : tensor<1x20x2x2xf32>
}
