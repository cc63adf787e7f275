// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: sed -e 's/pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, count/pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, count/' -e 's/47x47/48x48/g' %s | mnn-opt --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s --check-prefix=PADDED
// RUN: sed -e 's/kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>/kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>/' -e 's/47x47/94x94/g' %s | mnn-opt --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s --check-prefix=STRIDE1

// A conv whose 2.36 MB output (64x96x96) only a stride-2 max pool reads,
// right after it, is banded into the pool: no buffer of its own. The pool
// computes its 47 output rows in two bands (at least two; here of 24 and
// 23 rows); for each, the conv first computes the rows the band reads (49,
// then 47: rows 48-94, row 95 is read by no window) into the band buffer
// (64x49x96, the pool's scratch and the whole arena), then the pool reads
// them and writes its rows (the second band 24 * 47 = 1128 floats further
// into each output plane).
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x3x194x194xf32>
// CHECK-SAME: mnn.arena_bytes = 1204224
// CHECK: %[[BAND:.*]] = memref.view {{.*}} to memref<1x64x49x96xf32>
// CHECK: %[[IN0:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 1, 3, 3, 3, 49, 96], strides: [112908, 112908, 37636, 194, 1, 388, 2]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 0] [1, 64, 49, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN0]],
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: scf.parallel {{.*}} to (%c64, %c24)
// CHECK: vector.transfer_write
// CHECK: %[[IN1:.*]] = memref.reinterpret_cast %[[X]] to offset: [18624], sizes: [1, 1, 3, 3, 3, 47, 96]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 0] [1, 64, 47, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN1]],
// CHECK: scf.parallel {{.*}} to (%c64{{.*}}, %c23)
// CHECK: arith.constant 1128 : index
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
//
// A padded pool (pads 1, 48 output rows in two bands of 24) reads a band
// buffer with its padding (64x49x98): the pad columns are filled with -inf
// once (row r's right one and row r + 1's left one as one run), the first
// band's top row too; the conv computes rows 0-47 into band rows 1-48, then
// rows 47-95 into rows 0-48.
// PADDED-LABEL: func.func @__mnn_main
// PADDED-SAME: mnn.arena_bytes = 1229312
// PADDED: %[[BAND:.*]] = memref.view {{.*}} to memref<1x64x49x98xf32>
// PADDED: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// PADDED: %[[FLAT:.*]] = memref.collapse_shape %[[BAND]] {{.*}} into memref<307328xf32>
// PADDED: %[[L:.*]] = vector.broadcast %[[LOW]] : f32 to vector<1xf32>
// PADDED: vector.transfer_write %[[L]], %[[FLAT]][%c0{{.*}}]
// PADDED: scf.for %[[R:.*]] = %c97 to %c307327 step %c98 {
// PADDED: %[[LR:.*]] = vector.broadcast %[[LOW]] : f32 to vector<2xf32>
// PADDED: vector.transfer_write %[[LR]], %[[FLAT]][%[[R]]]
// PADDED: vector.transfer_write %{{.*}}, %[[FLAT]][%c307327{{.*}}]
// PADDED: %[[TOP:.*]] = memref.subview %[[BAND]][0, 0, 0, 1] [1, 64, 1, 96]
// PADDED: linalg.fill ins(%[[LOW]] : f32) outs(%[[TOP]] :
// PADDED: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 3, 3, 3, 48, 96]
// PADDED: memref.subview %[[BAND]][0, 0, 1, 1] [1, 64, 48, 96]
// PADDED: mnn.kernel = "conv"
// PADDED: scf.parallel {{.*}} to (%c64, %c24)
// PADDED-NOT: linalg.fill
// PADDED: memref.reinterpret_cast %{{.*}} to offset: [18236], sizes: [1, 1, 3, 3, 3, 49, 96]
// PADDED: memref.subview %[[BAND]][0, 0, 0, 1] [1, 64, 49, 96]
// PADDED-NOT: linalg.fill
//
// A pool of stride 1 is not banded: the conv writes its whole output.
// STRIDE1-LABEL: func.func @__mnn_main
// STRIDE1: memref.view {{.*}} to memref<1x64x96x96xf32>
// STRIDE1: mnn.kernel = "conv"
// STRIDE1-NOT: mnn.kernel = "conv"
func.func @main(%x: tensor<1x3x194x194xf32> {mnn.name = "x"}) -> (tensor<1x64x47x47xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<64x3x3x3xf32>
  %c = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = "relu"} : (tensor<1x3x194x194xf32>, tensor<64x3x3x3xf32>) -> tensor<1x64x96x96xf32>
  %y = mnn.pool2d %c {kind = "max", kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>} : (tensor<1x64x96x96xf32>) -> tensor<1x64x47x47xf32>
  return %y : tensor<1x64x47x47xf32>
}
