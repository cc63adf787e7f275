// RUN: mnn-opt %s --split-input-file --mnn-vectorize | FileCheck %s

// A copy of 32-float rows (a stem's left edge piece: input rows of 224 into
// a padded scratch of 33) becomes a loop over the rows and, per row, two
// 16-float vector loads and stores (a loop of two chunks), not scalar
// element copies.
// CHECK-LABEL: func.func @rows_of_32
// CHECK-SAME: %[[SRC:[a-z0-9]+]]: memref<3x223x32xf32, strided<[50176, 224, 1], offset: 224>>
// CHECK-SAME: %[[DST:[a-z0-9]+]]: memref<3x223x32xf32, strided<[7359, 33, 1], offset: 1>>
// CHECK: scf.for %[[C:.*]] = %c0{{.*}} to %c3 step %c1
// CHECK: scf.for %[[R:.*]] = %c0{{.*}} to %c223 step %c1
// CHECK: scf.for %[[X:.*]] = %c0{{.*}} to %c32 step %c16
// CHECK: %[[V:.*]] = vector.transfer_read %[[SRC]][%[[C]], %[[R]], %[[X]]], %{{.*}} {in_bounds = [true]} : {{.*}}, vector<16xf32>
// CHECK: vector.transfer_write %[[V]], %[[DST]][%[[C]], %[[R]], %[[X]]] {in_bounds = [true]} : vector<16xf32>
// CHECK-NOT: linalg.copy
func.func @rows_of_32(%src: memref<3x223x32xf32, strided<[50176, 224, 1], offset: 224>>,
                      %dst: memref<3x223x32xf32, strided<[7359, 33, 1], offset: 1>>) {
  linalg.copy ins(%src : memref<3x223x32xf32, strided<[50176, 224, 1], offset: 224>>)
              outs(%dst : memref<3x223x32xf32, strided<[7359, 33, 1], offset: 1>>)
  return
}

// -----

// Size-1 dims take index 0 (no loop); a row of 20 is one chunk of 16 and a
// tail of 4.
// CHECK-LABEL: func.func @tail
// CHECK: scf.for %[[R:.*]] = %c0{{.*}} to %c2 step %c1
// CHECK: scf.for %[[X:.*]] = %c0{{.*}} to %c16{{.*}} step %c16
// CHECK: vector.transfer_read %{{.*}}[%c0, %[[R]], %[[X]]], {{.*}} : memref<1x2x20xi8, strided<[40, 20, 1]>>, vector<16xi8>
// CHECK: vector.transfer_read %{{.*}}[%c0, %[[R]], %c16{{.*}}], {{.*}} vector<4xi8>
// CHECK: vector.transfer_write {{.*}} : vector<4xi8>
func.func @tail(%src: memref<1x2x20xi8, strided<[40, 20, 1]>>, %dst: memref<1x2x20xi8>) {
  linalg.copy ins(%src : memref<1x2x20xi8, strided<[40, 20, 1]>>) outs(%dst : memref<1x2x20xi8>)
  return
}

// -----

// Rows that are not contiguous (a transposing view) are left to the loops.
// CHECK-LABEL: func.func @strided_rows
// CHECK: linalg.copy
func.func @strided_rows(%src: memref<4x8xf32, strided<[1, 4]>>, %dst: memref<4x8xf32>) {
  linalg.copy ins(%src : memref<4x8xf32, strided<[1, 4]>>) outs(%dst : memref<4x8xf32>)
  return
}
