// RUN: mnn-opt %s --mnn-outline-parallel | FileCheck %s

// A schedule chosen at run time (a banded depthwise conv's band tasks or
// bands in turn): the parallel loops in both branches of a top-level scf.if
// become tasks; the call inside the first loop's body, and the thread
// scratch it returns, move into its task. A loop inside a task stays there.
// CHECK-LABEL: func.func private @__mnn_task_0
// CHECK-SAME: (%{{.*}}: memref<8x16xf32>, %[[ARENA:.*]]: memref<64xi8>, %[[POOL:.*]]: !llvm.ptr, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK: scf.for %[[L:.*]] = %[[BEGIN]] to %[[END]]
// CHECK:   func.call @mnnrt_thread_scratch(%[[POOL]],
// CHECK:   memref.store
// CHECK-LABEL: func.func private @__mnn_task_1
// CHECK: scf.for
// CHECK:   memref.store
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: scf.parallel
// CHECK: %[[T:.*]] = call @mnnrt_num_threads
// CHECK: scf.if
// CHECK-NEXT: %[[N0:.*]] = arith.constant 8 : index
// CHECK-NEXT: call @__mnn_parallel_0(%arg0, %arg1, %arg2, %[[N0]])
// CHECK: } else {
// CHECK: call @__mnn_parallel_1(%arg0, %arg1, %arg2, %{{.*}})
func.func private @mnnrt_num_threads(!llvm.ptr) -> i32
func.func private @mnnrt_thread_scratch(!llvm.ptr, memref<64xi8>) -> memref<64xi8>
func.func @__mnn_main(%x: memref<8x16xf32>, %arena: memref<64xi8>, %pool: !llvm.ptr) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c2_i32 = arith.constant 2 : i32
  %t = call @mnnrt_num_threads(%pool) : (!llvm.ptr) -> i32
  %few = arith.cmpi sle, %t, %c2_i32 : i32
  scf.if %few {
    scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
      %own = memref.view %arena[%c0][] : memref<64xi8> to memref<64xi8>
      %mine = func.call @mnnrt_thread_scratch(%pool, %own) : (!llvm.ptr, memref<64xi8>) -> memref<64xi8>
      %v = memref.view %mine[%c0][] : memref<64xi8> to memref<16xf32>
      %a = memref.load %v[%i] : memref<16xf32>
      memref.store %a, %x[%i, %c0] : memref<8x16xf32>
      scf.reduce
    }
  } else {
    %v = memref.view %arena[%c0][] : memref<64xi8> to memref<16xf32>
    %c4 = arith.constant 4 : index
    scf.parallel (%j) = (%c0) to (%c16) step (%c4) {
      %a = memref.load %v[%j] : memref<16xf32>
      memref.store %a, %x[%c1, %j] : memref<8x16xf32>
      scf.reduce
    }
  }
  return
}
