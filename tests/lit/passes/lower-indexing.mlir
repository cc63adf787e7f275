// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// Indexing kernels work on integer data too; index values are wrapped and
// clamped before any load or store.
// CHECK-LABEL: func.func @__mnn_main
func.func @main(%x: tensor<3x5xi64> {mnn.name = "x"}, %i: tensor<3x2xi32> {mnn.name = "i"},
                %u: tensor<3x2xi64> {mnn.name = "u"})
    -> (tensor<3x2xi64> {mnn.name = "top"}, tensor<3x2xi64> {mnn.name = "g"},
        tensor<3x5xi64> {mnn.name = "s"}, tensor<3x5xi64> {mnn.name = "c"}) {
  // arg_top_k: scans in scf loops, comparing with signed integer predicates.
  // CHECK: scf.for
  // CHECK: arith.cmpi sgt
  // CHECK: arith.index_cast %{{.*}} : index to i64
  %top = mnn.arg_top_k %x {axis = 1 : i64, k = 2 : i64, largest = true, last_index = false} : (tensor<3x5xi64>) -> tensor<3x2xi64>
  // gather_elements: one generic over the indices, wrap then clamp.
  // CHECK: linalg.generic
  // CHECK: arith.index_cast %{{.*}} : i32 to index
  // CHECK: arith.select
  // CHECK: arith.maxsi
  // CHECK: arith.minsi
  // CHECK: memref.load
  %g = mnn.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x5xi64>, tensor<3x2xi32>) -> tensor<3x2xi64>
  // scatter_elements: copy, then an in-order loop nest that combines.
  // CHECK: linalg.copy
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK: arith.addi
  // CHECK: memref.store
  %s = mnn.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<3x5xi64>, tensor<3x2xi32>, tensor<3x2xi64>) -> tensor<3x5xi64>
  // cumsum: running sum carried by the loop.
  // CHECK: scf.for {{.*}} iter_args
  // CHECK: arith.addi
  %c = mnn.cumsum %x {axis = 1 : i64, exclusive = false, reverse = true} : (tensor<3x5xi64>) -> tensor<3x5xi64>
  return %top, %g, %s, %c : tensor<3x2xi64>, tensor<3x2xi64>, tensor<3x5xi64>, tensor<3x5xi64>
}
