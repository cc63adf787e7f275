// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: sed -e 's/pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, count/pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, count/' -e 's/47x47/48x48/g' %s | mnn-opt --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s --check-prefix=PADDED

// An unpadded conv whose 2.36 MB output (64x96x96) only a stride-2 max pool
// reads, right after it, is banded into the pool: no buffer of its own. The
// pool computes its 47 output rows in bands of 12, 12, 12 and 11; for each,
// the conv first computes the 25 rows the band reads (23 for the last:
// rows 72-94, row 95 is read by no window) into the band buffer
// (64x25x96, the pool's scratch and the whole arena), then the pool reads
// them and writes its rows (the later bands 12 * 47 = 564 floats further
// into each output plane).
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x3x194x194xf32>
// CHECK-SAME: mnn.arena_bytes = 614400
// CHECK: %[[BAND:.*]] = memref.view {{.*}} to memref<1x64x25x96xf32>
// CHECK: %[[IN0:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 1, 3, 3, 3, 25, 96], strides: [112908, 112908, 37636, 194, 1, 388, 2]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 0] [1, 64, 25, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN0]],
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: scf.parallel {{.*}} to (%c64, %c12)
// CHECK: vector.transfer_write
// CHECK: %[[IN1:.*]] = memref.reinterpret_cast %[[X]] to offset: [9312], sizes: [1, 1, 3, 3, 3, 25, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN1]],
// CHECK: scf.parallel
// CHECK: arith.constant 564 : index
// CHECK: vector.transfer_write
// CHECK: memref.reinterpret_cast %[[X]] to offset: [18624], sizes: [1, 1, 3, 3, 3, 25, 96]
// CHECK: %[[IN3:.*]] = memref.reinterpret_cast %[[X]] to offset: [27936], sizes: [1, 1, 3, 3, 3, 23, 96]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 0] [1, 64, 23, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN3]],
// CHECK: scf.parallel {{.*}} to (%c64{{.*}}, %c11)
// CHECK: arith.constant 1692 : index
// CHECK-NOT: linalg.generic
//
// A padded pool is not banded: the conv writes its whole output, stored
// padded for the pool (98x98).
// PADDED-LABEL: func.func @__mnn_main
// PADDED: memref.view {{.*}} to memref<1x64x98x98xf32>
// PADDED: mnn.kernel = "conv"
// PADDED-NOT: mnn.kernel = "conv"
func.func @main(%x: tensor<1x3x194x194xf32> {mnn.name = "x"}) -> (tensor<1x64x47x47xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<64x3x3x3xf32>
  %c = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = "relu"} : (tensor<1x3x194x194xf32>, tensor<64x3x3x3xf32>) -> tensor<1x64x96x96xf32>
  %y = mnn.pool2d %c {kind = "max", kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>} : (tensor<1x64x96x96xf32>) -> tensor<1x64x47x47xf32>
  return %y : tensor<1x64x47x47xf32>
}
