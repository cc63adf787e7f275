// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=2097152" | FileCheck %s --check-prefix=TILE

// A 1x1 conv whose 2.4 MB output (32x96x192) only a depthwise conv reads,
// right after it, is banded into that conv: no buffer of its own. The
// depthwise conv (3x3, stride 2, pads 1) computes its 48 output rows in four
// bands of 12. Each band reads 25 padded rows from a band buffer (32x25x194,
// the scratch and the whole arena; its pad columns zeroed) into which the
// 1x1 conv first computes the image rows the band covers: rows 0-23 into
// buffer rows 1-24 (row 0, the top padding, is zeroed), then rows 23-47
// into rows 0-24, and so on. The pad columns are zeroed as runs: row 0's
// left one, each row's right one with the next row's left one (across the
// channel planes too: 32 x 25 rows of 194), the last row's right one.
//
// Up to two threads (four bands, two per thread), each band is one task of
// a parallel loop (mnn.band_tasks) in the band buffer of the thread that
// runs it (mnnrt_thread_scratch: the arena's on the thread that called run,
// a worker's own otherwise, 620800 bytes each); with more threads the bands
// run in turn, each op split among all threads.
// CHECK: func.func private @mnnrt_num_threads(!llvm.ptr) -> i32
// CHECK: func.func private @mnnrt_thread_scratch(!llvm.ptr, memref<620800xi8>) -> memref<620800xi8>
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x16x96x192xf32>
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<620800xi8>, %[[POOL:[a-z0-9]+]]: !llvm.ptr
// CHECK-SAME: mnn.arena_bytes = 620800
// CHECK-SAME: mnn.thread_scratch_bytes = 620800
// CHECK: %[[THREADS:.*]] = call @mnnrt_num_threads(%[[POOL]])
// CHECK: %[[TASKS:.*]] = arith.cmpi sle, %[[THREADS]], %c2_i32
// CHECK: scf.if %[[TASKS]] {
// CHECK: scf.parallel (%[[K:.*]]) = (%{{.*}}) to (%c4{{.*}}) step
// CHECK: %[[OWN:.*]] = memref.view %[[ARENA]]
// CHECK: %[[MINE:.*]] = func.call @mnnrt_thread_scratch(%[[POOL]], %[[OWN]])
// CHECK: %[[TBAND:.*]] = memref.view %[[MINE]]{{.*}} to memref<1x32x25x194xf32>
// CHECK: %[[TFLAT:.*]] = memref.collapse_shape %[[TBAND]] {{.*}} into memref<155200xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[TFLAT]][%c0{{.*}}] {{.*}} : vector<1xf32>
// CHECK: scf.for %[[R:.*]] = %c193 to %c155199 step %c194 {
// CHECK: vector.transfer_write %{{.*}}, %[[TFLAT]][%[[R]]] {{.*}} : vector<2xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[TFLAT]][%c155199{{.*}}] {{.*}} : vector<1xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.index_switch %[[K]]
// CHECK: case 0 {
// CHECK: memref.subview %[[TBAND]][0, 0, 0, 1] [1, 32, 1, 192]
// CHECK: linalg.fill
// CHECK: memref.subview %[[TBAND]][0, 0, 1, 1] [1, 32, 24, 192]
// CHECK: linalg.generic
// CHECK-SAME: mnn.channel_halves
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 0, 0] [1, 32, 1, 1, 12, 96]
// CHECK: mnn.kernel = "depthwise_conv"
// CHECK: case 1 {
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 12, 0] [1, 32, 1, 1, 12, 96]
// CHECK: case 3 {
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 36, 0] [1, 32, 1, 1, 12, 96]
// CHECK: mnn.kernel = "depthwise_conv"
// CHECK: default {
// CHECK: } {mnn.band_tasks}
// CHECK: } else {
// CHECK: %[[BAND:.*]] = memref.view %[[ARENA]]{{.*}} to memref<1x32x25x194xf32>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[BAND]] {{.*}} into memref<155200xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%c0{{.*}}] {{.*}} : vector<1xf32>
// CHECK: scf.for %[[R2:.*]] = %c193{{.*}} to %c155199{{.*}} step %c194
// CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%[[R2]]] {{.*}} : vector<2xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%c155199{{.*}}] {{.*}} : vector<1xf32>
// CHECK: %[[TOP:.*]] = memref.subview %[[BAND]][0, 0, 0, 1] [1, 32, 1, 192]
// CHECK: linalg.fill {{.*}} outs(%[[TOP]] :
// CHECK: %[[IN0:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 1, 16, 1, 1, 24, 192], strides: [294912, 294912, 18432, 192, 1, 192, 1]
// CHECK: memref.subview %[[BAND]][0, 0, 1, 1] [1, 32, 24, 192]
// CHECK: linalg.generic {{.*}} ins(%[[IN0]],
// CHECK-SAME: mnn.channel_halves
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: %[[WIN0:.*]] = memref.reinterpret_cast %[[BAND]] to offset: [0], sizes: [1, 32, 1, 3, 3, 12, 96], strides: [155200, 4850, 4850, 194, 1, 388, 2]
// CHECK: %[[OUT0:.*]] = memref.subview {{.*}}[0, 0, 0, 0, 0, 0] [1, 32, 1, 1, 12, 96]
// CHECK: linalg.generic {{.*}} ins(%[[WIN0]], {{.*}} outs(%[[OUT0]] :
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK: %[[IN1:.*]] = memref.reinterpret_cast %[[X]] to offset: [4416], sizes: [1, 1, 16, 1, 1, 25, 192]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 1] [1, 32, 25, 192]
// CHECK: linalg.generic {{.*}} ins(%[[IN1]],
// CHECK: %[[OUT1:.*]] = memref.subview {{.*}}[0, 0, 0, 0, 12, 0] [1, 32, 1, 1, 12, 96]
// CHECK: linalg.generic {{.*}} outs(%[[OUT1]] :
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 24, 0] [1, 32, 1, 1, 12, 96]
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 36, 0] [1, 32, 1, 1, 12, 96]
// CHECK: linalg.generic
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK-NOT: linalg.generic
//
// In a band task the kernels take register tiles in sequential loops, the
// 1x1 conv's two halves of its channels outermost. Bands in turn: the 1x1
// conv splits its two blocks of 16 output channels into two parallel
// halves, outermost, by one row each (rows inside), as two threads split
// the depthwise conv's channels. The depthwise conv (stride 2, 512-bit
// vectors) takes tiles of 4 output rows of one channel (tile-depthwise.mlir).
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel {{.*}} to (%c4{{.*}}) step
// TILE-NOT: scf.parallel
// TILE: case 0 {
// TILE: scf.for {{.*}} to %c2 step
// TILE: scf.for {{.*}} to %c16{{.*}} step %c16
// TILE: scf.for {{.*}} to %c24 step
// TILE: mnn.kernel = "conv"
// TILE: scf.for {{.*}} to %c32{{.*}} step %c1
// TILE: scf.for {{.*}} to %c12 step %c4
// TILE: mnn.kernel = "depthwise_conv"
// TILE: } {mnn.band_tasks}
// TILE: } else {
// TILE: scf.parallel {{.*}} to ({{.*}}%c2, %c16{{.*}}, %c24{{.*}}) step ({{.*}}%c1{{.*}}, %c16{{.*}}, %c1{{.*}})
// TILE: mnn.kernel = "conv"
// TILE: scf.parallel {{.*}} to ({{.*}}%c32{{.*}}%c12{{.*}}) step ({{.*}}%c1{{.*}}%c4{{.*}})
// TILE: mnn.kernel = "depthwise_conv"
func.func @main(%x: tensor<1x16x96x192xf32> {mnn.name = "x"}) -> (tensor<1x32x48x96xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<32x16x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<32x1x3x3xf32>
  %h = mnn.conv2d %x, %w1 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x96x192xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x96x192xf32>
  %y = mnn.conv2d %h, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 32 : i64} : (tensor<1x32x96x192xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x48x96xf32>
  return %y : tensor<1x32x48x96xf32>
}
