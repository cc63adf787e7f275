// RUN: mnn-opt %s --mnn-outline-parallel | FileCheck %s

// The parallel loop becomes a task over linearized iterations and a call
// that hands the count to the runtime; views used inside are rebuilt in the
// task from main's arguments.
// CHECK-LABEL: func.func private @__mnn_task_0
// CHECK-SAME: (%[[X:.*]]: memref<8x16xf32>, %{{.*}}: memref<64xi8>, %{{.*}}: !llvm.ptr, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK: %[[V:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<64xi8> to memref<16xf32>
// CHECK: scf.for %[[L:.*]] = %[[BEGIN]] to %[[END]]
// CHECK:   arith.remui %[[L]], %c4
// CHECK:   arith.divui %[[L]], %c4
// CHECK:   memref.load %[[V]]
// CHECK:   memref.store
// CHECK-LABEL: func.func private @__mnn_parallel_0(memref<8x16xf32>, memref<64xi8>, !llvm.ptr, index)
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: scf.parallel
// CHECK: memref.view
// CHECK-NEXT: %[[N:.*]] = arith.constant 8 : index
// CHECK-NEXT: call @__mnn_parallel_0(%arg0, %arg1, %arg2, %[[N]])
func.func @__mnn_main(%x: memref<8x16xf32>, %arena: memref<64xi8>, %pool: !llvm.ptr) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %v = memref.view %arena[%c0][] : memref<64xi8> to memref<16xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c16) step (%c4, %c4) {
    %a = memref.load %v[%j] : memref<16xf32>
    memref.store %a, %x[%i, %j] : memref<8x16xf32>
    scf.reduce
  }
  return
}
