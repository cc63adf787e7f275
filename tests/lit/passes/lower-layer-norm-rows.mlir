// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// f32 layer norm with rows of 8 or more: vector code, the rows in
// parallel. A row of 20 is two whole 8-lane vectors and a masked 4: the
// sum, then the squared deviations (the tail's lanes past the row select
// 0), then (x - mean) * rstd * scale + bias stored.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c3{{.*}})
// CHECK: %[[MASK:.*]] = vector.create_mask %c4{{.*}} : vector<8xi1>
// CHECK: scf.for {{.*}} to %c16{{.*}} step %c8{{.*}} iter_args
// CHECK:   vector.load {{.*}} : memref<60xf32>, vector<8xf32>
// CHECK:   arith.addf {{.*}} : vector<8xf32>
// CHECK: vector.maskedload {{.*}}, %[[MASK]]
// CHECK: vector.reduction <add>
// CHECK: scf.for
// CHECK:   vector.fma
// CHECK: arith.select %[[MASK]]
// CHECK: vector.reduction <add>
// CHECK: math.rsqrt
// CHECK: scf.for
// CHECK:   vector.load {{.*}} : memref<20xf32>, vector<8xf32>
// CHECK:   vector.store
// CHECK: vector.maskedstore {{.*}}, %[[MASK]]
func.func @main(%x: tensor<3x20xf32>) -> tensor<3x20xf32> {
  %g = mnn.constant dense<2.0> : tensor<20xf32>
  %b = mnn.constant dense<0.5> : tensor<20xf32>
  %y = mnn.layer_norm %x, %g, %b {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<3x20xf32>, tensor<20xf32>, tensor<20xf32>) -> tensor<3x20xf32>
  return %y : tensor<3x20xf32>
}

// -----

// Rows shorter than 8 keep the scalar loops.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: vector.
// CHECK: math.rsqrt {{.*}} : f32
func.func @main(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %g = mnn.constant dense<2.0> : tensor<5xf32>
  %y = mnn.layer_norm %x, %g {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<3x5xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
