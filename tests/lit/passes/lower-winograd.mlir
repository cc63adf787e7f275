// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg --canonicalize | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC

// Winograd F(2,3), 16 -> 16 channels on a 5x5 map (pads 1): 3 x 3 tiles of
// 2x2 outputs (T = 9, rounded up to 12 GEMM rows), with bias, residual and
// relu. Scratch: the padded HWC input [1, 8, 8, 16] and then M [16, 12, 16]
// at offset 0, V [16, 12, 16] after them.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[PAD:.*]] = memref.view %{{.*}}[%c0][] : memref<24576xi8> to memref<1x8x8x16xf32>
// CHECK: %[[V:.*]] = memref.view %{{.*}}[%c12288][] : memref<24576xi8> to memref<16x12x16xf32>
// CHECK: %[[M:.*]] = memref.view %{{.*}}[%c0][] : memref<24576xi8> to memref<16x12x16xf32>
// 1. zero-padded, transposed copy of the input: the border is zeroed (row 0,
// rows 6-7 past the last tile, column 0, columns 6-7), the rest copied in
// 8 x 8 blocks per (row, channel vector): 8 channel rows of 8 pixels (the
// 5-wide row read masked), transposed by 3 stages of shuffles (those of the
// 3 pixels past the row are dead), 5 pixel vectors stored.
// CHECK: %[[TOP:.*]] = memref.subview %[[PAD]][0, 0, 0, 0] [1, 1, 8, 16] [1, 1, 1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[TOP]] :
// CHECK: %[[BOTTOM:.*]] = memref.subview %[[PAD]][0, 6, 0, 0] [1, 2, 8, 16] [1, 1, 1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[BOTTOM]] :
// CHECK: %[[LEFT:.*]] = memref.subview %[[PAD]][0, 1, 0, 0] [1, 5, 1, 16] [1, 1, 1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[LEFT]] :
// CHECK: %[[RIGHT:.*]] = memref.subview %[[PAD]][0, 1, 6, 0] [1, 5, 2, 16] [1, 1, 1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[RIGHT]] :
// CHECK-NOT: linalg.fill
// CHECK: scf.parallel (%[[Y:.*]], %[[CV:.*]]) = (%c0, %c0) to (%c5, %c2)
// CHECK: %[[C:.*]] = arith.muli %[[CV]], %c8
// CHECK: vector.transfer_read %arg0[%c0, %[[C]], %[[Y]], %c0], %{{.*}} : memref<1x16x5x5xf32>, vector<8xf32>
// CHECK-COUNT-7: vector.transfer_read %arg0{{.*}} : memref<1x16x5x5xf32>, vector<8xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 8, 2, 10, 4, 12, 6, 14]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 8, 9, 4, 5, 12, 13]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 8, 9, 10, 11]
// CHECK: %[[PY:.*]] = arith.addi %[[Y]], %c1
// CHECK: vector.store %{{.*}}, %[[PAD]][%c0, %[[PY]], %c1, %[[C]]] : memref<1x8x8x16xf32>, vector<8xf32>
// CHECK-COUNT-4: vector.store %{{.*}}, %[[PAD]]
// CHECK-NOT: vector.store %{{.*}}, %[[PAD]]
// CHECK: scf.reduce
// GEMM rows 9..11 (no tile) are zero.
// CHECK: %[[TAIL:.*]] = memref.subview %[[V]][0, 9, 0] [16, 3, 16] [1, 1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[TAIL]] :
// 2. input transform over all tiles in parallel, 8 channels per step; B^T of
// F(2,3) has only +-1 and 0, so no multiplication is emitted.
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c3, %c3) step (%c1, %c1)
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK-COUNT-16: vector.load %[[PAD]][{{.*}}] : memref<1x8x8x16xf32>, vector<8xf32>
// CHECK-NOT: mulf
// CHECK-NOT: vector.fma
// CHECK-COUNT-16: vector.store %{{.*}}, %[[V]][{{.*}}] : memref<16x12x16xf32>, vector<8xf32>
// CHECK: scf.reduce
// 3. the batched GEMM for the microkernel: 16 points x 12 rows x 16 columns,
// K = 16, U read in its panel layout. It overwrites M (mnn.epilogue without
// addends), so M is not zero-filled first.
// CHECK-NOT: linalg.fill {{.*}} outs(%[[M]] :
// CHECK: %[[M4:.*]] = memref.expand_shape %[[M]]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[V]], %{{.*}} : memref<16x12x16xf32>, memref<16x1x16x16xf32>) outs(%[[M4]] : memref<16x12x1x16xf32>) attrs = {mnn.epilogue, mnn.kernel = "matmul", mnn.prefetch_distance = 256 : i64, mnn.prefetch_spread = array<i64: 0, 1>}
// CHECK: arith.mulf
// CHECK: arith.addf
// 4. output transform over (tile row, 8-channel vector) in parallel, the
// row's 3 tiles in order inside: bias on the 8-channel vectors, then per row one
// vector<2> per channel (shuffle), residual, relu, NCHW store. Row 1 exists
// only below the last tile row, column 1 only left of the last tile column,
// which takes masked loads and stores instead.
// CHECK: scf.parallel (%[[TH:.*]], %[[CV:.*]]) = (%c0, %c0) to (%c3, %c2) step (%c1, %c1)
// CHECK: %[[OC:.*]] = arith.muli %[[CV]], %c8
// CHECK: scf.for %[[TW:.*]] = %c0 to %c3 step %c1
// CHECK: %[[TI:.*]] = arith.addi %{{.*}}, %[[TW]]
// CHECK: vector.load %[[M]][%c0, %[[TI]], %[[OC]]] : memref<16x12x16xf32>, vector<8xf32>
// CHECK-COUNT-15: vector.load %[[M]][{{.*}}] : memref<16x12x16xf32>, vector<8xf32>
// CHECK: vector.load %{{.*}}[%[[OC]]] : memref<16xf32>, vector<8xf32>
// CHECK: %[[LASTCOL:.*]] = arith.cmpi eq, %[[TW]], %c2
// CHECK: scf.if %[[LASTCOL]] {
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 8] : vector<8xf32>, vector<8xf32>
// CHECK: vector.maskedload %arg1[{{.*}} : memref<1x16x5x5xf32>, vector<2xi1>, vector<2xf32> into vector<2xf32>
// CHECK: arith.maximumf {{.*}} fastmath<nsz> : vector<2xf32>
// CHECK: vector.maskedstore %arg2[{{.*}} : memref<1x16x5x5xf32>, vector<2xi1>, vector<2xf32>
// CHECK: } else {
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 8] : vector<8xf32>, vector<8xf32>
// CHECK: vector.load %arg1[{{.*}}] : memref<1x16x5x5xf32>, vector<2xf32>
// CHECK: arith.maximumf {{.*}} fastmath<nsz> : vector<2xf32>
// CHECK: vector.store %{{.*}}, %arg2[{{.*}}] : memref<1x16x5x5xf32>, vector<2xf32>
// CHECK: %[[INSIDE:.*]] = arith.cmpi ne, %[[TH]], %c2
// CHECK: scf.if %[[INSIDE]] {
// CHECK: vector.maskedstore %arg2
// CHECK: vector.store %{{.*}}, %arg2
// CHECK: scf.reduce

// After mnn-tile and mnn-vectorize the GEMM is the register-tiled microkernel:
// 6 rows x 16 lanes (the 12 rows are whole 6-row tiles), K = 16 steps of one
// panel row and 6 broadcasts. The
// accumulators start at zero: M is written, never read.
// VEC-LABEL: func.func @__mnn_main
// VEC: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c16, %c12) step (%c1, %c6)
// VEC-NOT: vector.transfer_read {{.*}} : memref<1x6x1x16xf32, {{.*}}>, vector<16xf32>
// VEC: scf.for %[[K:.*]] = %c0 to %c16 step %c1 iter_args(%{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}})
// Each step prefetches one line of the next 16 x 16 panel of U (256
// elements on), the panel the next (e, ob) streams. Its two row tiles
// (rows 0-5 and 6-11 of 12) share the panel and split those prefetches
// (mnn.prefetch_spread = [0, 1]: V's dim 1 within dim 0): row tile
// i = (V offset mod 192) / 96, at U's row k (its flat index / 16) the line
// at ((i * 16 + k) * 16 / 2) rounded down to 16 elements.
// VEC: %{{.*}}, %[[VOFF:.*]], %{{.*}}:3, %{{.*}}:3 = memref.extract_strided_metadata %{{.*}} : memref<1x6x16xf32
// VEC: %[[REM:.*]] = arith.remui %[[VOFF]], %c192
// VEC: %[[TILE:.*]] = arith.divui %[[REM]], %c96
// VEC: %[[K16:.*]] = arith.muli %[[K]], %c16
// VEC: %[[ROW:.*]] = arith.divui %[[K16]], %c16
// VEC: %[[T16:.*]] = arith.muli %[[TILE]], %c16
// VEC: %[[STEP:.*]] = arith.addi %[[T16]], %[[ROW]]
// VEC: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:4, %{{.*}}:4 = memref.extract_strided_metadata
// VEC: %[[NEXT:.*]] = arith.addi %[[OFF]], %c256
// VEC: %[[P:.*]] = memref.reinterpret_cast %[[BASE]] to offset: [%[[NEXT]]], sizes: [256], strides: [1]
// VEC: %[[S16:.*]] = arith.muli %[[STEP]], %c16
// VEC: %[[HALF:.*]] = arith.divui %[[S16]], %c2
// VEC: %[[LINE:.*]] = arith.andi %[[HALF]], %c-16
// VEC: memref.prefetch %[[P]][%[[LINE]]], read, locality<2>, data
// VEC-NOT: memref.prefetch
// VEC: vector.transfer_read {{.*}} : memref<1x1x16x16xf32, strided<[256, 256, 16, 1], offset: ?>>, vector<16xf32>
// VEC-COUNT-6: vector.fma {{.*}} : vector<16xf32>
func.func @main(%x: tensor<1x16x5x5xf32> {mnn.name = "x"}, %r: tensor<1x16x5x5xf32> {mnn.name = "r"}) -> (tensor<1x16x5x5xf32> {mnn.name = "y"}) {
  %u = mnn.constant dense<0.5> : tensor<16x1x16x16xf32>
  %b = mnn.constant dense<1.0> : tensor<16xf32>
  %y = mnn.conv2d %x, %u, %b, %r {operandSegmentSizes = array<i32: 1, 1, 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd2", activation = "relu"} : (tensor<1x16x5x5xf32>, tensor<16x1x16x16xf32>, tensor<16xf32>, tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  return %y : tensor<1x16x5x5xf32>
}

// -----

// F(4,3) on an 8x8 map without padding: 2 x 2 tiles of 4x4 (6x6 inputs),
// so nothing is cropped and the padded copy needs no zero border; B^T's coefficients 2, 4, 5 take FMAs. No bias or
// activation: the output rows go straight to the result, one vector<4> per
// channel from two levels of shuffles (the first canonicalized to
// vector.interleave).
// The 8-wide rows are copied in whole 8 x 8 blocks (in bounds, unmasked).
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: linalg.fill
// CHECK: scf.parallel
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : memref<1x8x10x10xf32>, vector<8xf32>
// CHECK: scf.parallel
// CHECK-COUNT-36: vector.load {{.*}} : memref<1x10x10x8xf32>, vector<8xf32>
// CHECK: vector.fma
// CHECK-COUNT-36: vector.store {{.*}} : memref<36x4x8xf32>, vector<8xf32>
// CHECK: mnn.kernel = "matmul"
// CHECK: scf.parallel
// CHECK-COUNT-36: vector.load {{.*}} : memref<36x4x8xf32>, vector<8xf32>
// CHECK-NOT: scf.if
// CHECK: vector.interleave {{.*}} : vector<8xf32> -> vector<16xf32>
// CHECK: vector.shuffle {{.*}} [0, 1, 16, 17] : vector<16xf32>, vector<16xf32>
// CHECK-NOT: maximumf
// CHECK: vector.store {{.*}}, %arg1[{{.*}}] : memref<1x8x8x8xf32>, vector<4xf32>
func.func @main(%x: tensor<1x8x10x10xf32> {mnn.name = "x"}) -> (tensor<1x8x8x8xf32> {mnn.name = "y"}) {
  %u = mnn.constant dense<0.5> : tensor<36x1x8x8xf32>
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd4"} : (tensor<1x8x10x10xf32>, tensor<36x1x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

// GEMM rows: T = 16 tiles (F(2,3) on an 8x8 output) stay 16 rows in 4-row
// register tiles (18 rows of 6 would pad 1/8 more); T = 49 (14x14) take 54
// rows in 6-row tiles (52 rows of 4 pad nearly as much).
// CHECK-LABEL: func.func @__mnn_main
// CHECK: memref<16x16x8xf32>
// CHECK: memref<16x54x8xf32>
// VEC-LABEL: func.func @__mnn_main
// VEC: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c16, %c16) step (%c1, %c4)
// VEC: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c16, %c54) step (%c1, %c6)
func.func @main(%x: tensor<1x8x8x8xf32> {mnn.name = "x"}, %x2: tensor<1x8x14x14xf32> {mnn.name = "x2"}) -> (tensor<1x8x8x8xf32> {mnn.name = "y"}, tensor<1x8x14x14xf32> {mnn.name = "y2"}) {
  %u = mnn.constant dense<0.5> : tensor<16x1x8x8xf32>
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd2"} : (tensor<1x8x8x8xf32>, tensor<16x1x8x8xf32>) -> tensor<1x8x8x8xf32>
  %y2 = mnn.conv2d %x2, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd2"} : (tensor<1x8x14x14xf32>, tensor<16x1x8x8xf32>) -> tensor<1x8x14x14xf32>
  return %y, %y2 : tensor<1x8x8x8xf32>, tensor<1x8x14x14xf32>
}

// -----

// Tiles as lanes ("winograd2t": 7x7 makes 16 tiles of 2x2, U in panels of 4
// output channels [16, 16/4, 16, 4]). V is [16, Cin, 16 tiles], written by
// an input transform that runs the channel vectors in parallel and the
// tiles inside (threads splitting the tiles would share V's lines), one
// scalar store per channel. The GEMM's rows are U's 4 channels (broadcast),
// its lanes the 16 tiles (V^T rows), its output M [16, 16 tiles, 16]
// transposed; it prefetches the U stream 1024 elements ahead.
// CHECK-DAG: #[[VT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>
// CHECK-DAG: #[[UR:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d2)>
// CHECK-DAG: #[[MT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d2)>
// CHECK-LABEL: func.func @__mnn_main(%arg0: memref<1x16x7x7xf32>
// CHECK: %[[V:.*]] = memref.view %{{.*}}[%c16384][] : memref<32768xi8> to memref<16x16x16xf32>
// CHECK-NOT: linalg.fill {{.*}} outs(%[[V]]
// CHECK: scf.parallel (%[[CB:.*]]) = (%c0) to (%c2) step (%c1)
// CHECK: scf.for %[[T:.*]] = %c0 to %c16 step %c1
// CHECK-COUNT-16: vector.load
// CHECK: vector.extract
// CHECK-NEXT: memref.store %{{.*}}, %[[V]][%c0, %{{.*}}, %[[T]]] : memref<16x16x16xf32>
// CHECK-NOT: vector.store {{.*}}%[[V]]
// CHECK: linalg.generic {indexing_maps = [#[[VT]], #[[UR]], #[[MT]]]{{.*}} ins(%[[V]], %{{.*}} : memref<16x16x16xf32>, memref<16x4x16x4xf32>) outs(%{{.*}} : memref<16x16x4x4xf32>) attrs = {mnn.epilogue, mnn.kernel = "matmul", mnn.prefetch_distance = 1024 : i64}
// The microkernel: 4 rows x 16 lanes, one V^T vector and 4 broadcasts per
// step, the prefetch at the U row's element + 1024; the accumulators go to
// M transposed, one vector<4> (4 channels) per tile.
// VEC-LABEL: func.func @__mnn_main(%arg0: memref<1x16x7x7xf32>
// VEC: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c16, %c4) step (%c1, %c1)
// VEC: scf.for %[[K:.*]] = %c0 to %c16 step %c1 iter_args(%{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// VEC: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:4, %{{.*}}:4 = memref.extract_strided_metadata
// VEC: arith.addi %[[OFF]], %c1024
// VEC: arith.muli %[[K]], %c4
// VEC: memref.prefetch
// VEC: vector.transfer_read {{.*}}[%c0, %[[K]], %c0]{{.*}} vector<16xf32>
// VEC-COUNT-4: vector.fma {{.*}} : vector<16xf32>
// VEC: scf.yield
// VEC-COUNT-16: vector.transfer_write {{.*}} : vector<4xf32>, memref<1x16x1x4xf32
func.func @main(%x: tensor<1x16x7x7xf32> {mnn.name = "x"}) -> (tensor<1x16x7x7xf32> {mnn.name = "y"}) {
  %u = mnn.constant dense<0.5> : tensor<16x4x16x4xf32>
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd2t"} : (tensor<1x16x7x7xf32>, tensor<16x4x16x4xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// -----

// Tiles as lanes with U in panels of 6 channels, the last padded ([16, 3,
// 16, 6]: 18 channels for 16): M has the panels' 18 channels per tile
// ([16, 16, 18], 18432 bytes, V after it), the GEMM's output view splits
// them as 3 x 6, the output transform reads the 16 that exist. The
// microkernel: 6 rows x 16 lanes, 6 FMAs per step.
// CHECK-LABEL: func.func @__mnn_main(%arg0: memref<1x16x7x7xf32>
// CHECK-DAG: %[[V:.*]] = memref.view %{{.*}}[%c18432][] : memref<34816xi8> to memref<16x16x16xf32>
// CHECK-DAG: %[[M:.*]] = memref.view %{{.*}}[%c0][] : memref<34816xi8> to memref<16x16x18xf32>
// CHECK: linalg.generic {{.*}} ins(%[[V]], %{{.*}} : memref<16x16x16xf32>, memref<16x3x16x6xf32>) outs(%{{.*}} : memref<16x16x3x6xf32>)
// CHECK: vector.load %[[M]][%c0, %{{.*}}, %{{.*}}] : memref<16x16x18xf32>, vector<8xf32>
// VEC-LABEL: func.func @__mnn_main(%arg0: memref<1x16x7x7xf32>
// VEC: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c16, %c3) step (%c1, %c1)
// VEC: scf.for {{.*}} = %c0 to %c16 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// VEC-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// VEC: scf.yield
func.func @main(%x: tensor<1x16x7x7xf32> {mnn.name = "x"}) -> (tensor<1x16x7x7xf32> {mnn.name = "y"}) {
  %u = mnn.constant dense<0.5> : tensor<16x3x16x6xf32>
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd2t"} : (tensor<1x16x7x7xf32>, tensor<16x3x16x6xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// -----

// With mnn.winograd_output_lanes = 16 (mnn-pack-weights, 512-bit vectors)
// the output transform takes 16-channel vectors: F(4,3) 32 -> 32 on 8x8
// (2 x 2 tiles), (tile row, channel vector) = 2 x 2 in parallel, 36 loads
// of vector<16> from M per tile, then 16 channels x 4 rows of vector<4> from two
// levels of shuffles. The input transform keeps 8 lanes.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel
// CHECK-COUNT-36: vector.load {{.*}} : memref<1x10x10x32xf32>, vector<8xf32>
// CHECK: mnn.kernel = "matmul"
// CHECK: scf.parallel (%{{.*}}, %[[CV:.*]]) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1)
// CHECK: arith.muli %[[CV]], %c16
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK-COUNT-36: vector.load {{.*}} : memref<36x4x32xf32>, vector<16xf32>
// CHECK: vector.interleave {{.*}} : vector<16xf32> -> vector<32xf32>
// CHECK: vector.shuffle {{.*}} [0, 1, 32, 33] : vector<32xf32>, vector<32xf32>
// Each store is preceded by a write prefetch of its row 16 elements on,
// clamped to the row's last element (7).
// CHECK: %[[AHEAD:.*]] = arith.addi %[[X0:.*]], %c16
// CHECK: %[[CLAMP:.*]] = arith.minsi %[[AHEAD]], %c7
// CHECK: memref.prefetch %arg1[%c0, %{{.*}}, %{{.*}}, %[[CLAMP]]], write, locality<3>, data
// CHECK-NEXT: vector.store %{{.*}}, %arg1[%c0, %{{.*}}, %{{.*}}, %[[X0]]] : memref<1x32x8x8xf32>, vector<4xf32>
// CHECK-COUNT-63: vector.store {{.*}}, %arg1[{{.*}}] : memref<1x32x8x8xf32>, vector<4xf32>
// CHECK-NOT: vector.store {{.*}}, %arg1
func.func @main(%x: tensor<1x32x10x10xf32> {mnn.name = "x"}) -> (tensor<1x32x8x8xf32> {mnn.name = "y"}) {
  %u = mnn.constant dense<0.5> : tensor<36x1x32x32xf32>
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd4", mnn.winograd_output_lanes = 16 : i64} : (tensor<1x32x10x10xf32>, tensor<36x1x32x32xf32>) -> tensor<1x32x8x8xf32>
  return %y : tensor<1x32x8x8xf32>
}

