// RUN: mnn-opt %s --mnn-tile="vector-bits=256" | FileCheck %s --check-prefix=TILE
// RUN: mnn-opt %s --mnn-tile="vector-bits=256" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC
// RUN: mnn-opt %s --mnn-tile="vector-bits=256 l2-bytes=0" | FileCheck %s --check-prefix=NOL2
// RUN: mnn-opt %s --mnn-tile="vector-bits=256 l2-bytes=1572864" | FileCheck %s --check-prefix=BIGL2

// A 3x3 conv with an 8-pixel-wide output (narrower than 16 lanes): the
// register tile puts the vector lanes along the output channels (8 lanes,
// contiguous in the hwigo weights) and 8 output pixels in rows, each with one
// broadcast input value. Iteration space: n g ob oi oh ow | kh kw cg, with
// the weights blocked by 8 output channels (bhwigo).
#win = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (n, g, cg, kh, kw, oh, ow)>
#flt = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (ob, kh, kw, cg, g, oi)>
#out = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (n, g, ob, oi, oh, ow)>
#fltu = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (kh, kw, cg, g, oi)>

// TILE-LABEL: func.func @conv
// TILE: scf.parallel
// TILE: linalg.generic
// TILE-SAME: mnn.cols_dim = 3 : i64
// TILE-SAME: mnn.lanes = 8 : i64
// TILE-SAME: mnn.rows_dim = 5 : i64

// The output is contiguous along the pixels, not the channels: the
// accumulators are loaded as 8 vectors (one per channel, 8 pixels each) and
// transposed by 3 x 8 shuffles; the reduction does 8 FMAs per weight vector;
// the results are transposed back and stored as 8 vectors.
// VEC-LABEL: func.func @conv
// VEC-COUNT-8: vector.transfer_read {{.*}} : memref<1x1x1x8x1x8xf32, {{.*}}>, vector<8xf32>
// VEC: vector.shuffle {{.*}} [0, 8, 2, 10, 4, 12, 6, 14]
// VEC: vector.shuffle {{.*}} [0, 1, 8, 9, 4, 5, 12, 13]
// VEC: vector.shuffle {{.*}} [0, 1, 2, 3, 8, 9, 10, 11]
// VEC: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// VEC: vector.transfer_read {{.*}} : memref<{{.*}}x8xf32{{.*}}>, vector<8xf32>
// VEC-COUNT-8: vector.fma
// VEC-COUNT-24: vector.shuffle
// VEC-COUNT-8: vector.transfer_write {{.*}} : vector<8xf32>, memref<1x1x1x8x1x8xf32
// VEC-NOT: memref.store
func.func @conv(%win: memref<1x1x3x3x3x8x8xf32, strided<[300, 300, 100, 10, 1, 10, 1]>>,
                %flt: memref<2x3x3x3x1x8xf32>, %out: memref<1x1x2x8x8x8xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x3x3x3x8x8xf32, strided<[300, 300, 100, 10, 1, 10, 1]>>, memref<2x3x3x3x1x8xf32>)
      outs(%out : memref<1x1x2x8x8x8xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A 1x1 conv over 512 channels of a 13x13 map (SqueezeNet's classifier):
// 13 divides nothing from 8 down to 4, so the channel-lane tile takes the
// whole 13-pixel row: 13 accumulators of 8 lanes (over two L1-sized blocks
// of 256 input channels).
// TILE-LABEL: func.func @conv_13_wide
// TILE: scf.for {{.*}} = %{{.*}} to %c512 step %c256
// TILE: linalg.generic
// TILE-SAME: memref<1x1x256x1x1x1x13xf32
// TILE-SAME: mnn.cols_dim = 3 : i64
// TILE-SAME: mnn.rows_dim = 5 : i64
// The 13 rows move as a transposed group of 8 and a partial group of 5.
// VEC-LABEL: func.func @conv_13_wide
// VEC: vector.transfer_read {{.*}} vector<5xf32>
// VEC: vector.insert_strided_slice {{.*}} : vector<5xf32> into vector<8xf32>
// VEC: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// VEC-COUNT-13: vector.fma
// VEC: vector.extract_strided_slice {{.*}} {offsets = [0], sizes = [5], strides = [1]} : vector<8xf32> to vector<5xf32>
// VEC: vector.transfer_write {{.*}} : vector<5xf32>, memref
func.func @conv_13_wide(%win: memref<1x1x512x1x1x13x13xf32, strided<[86528, 86528, 169, 13, 1, 13, 1]>>,
                %flt: memref<2x1x1x512x1x8xf32>, %out: memref<1x1x2x8x13x13xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x512x1x1x13x13xf32, strided<[86528, 86528, 169, 13, 1, 13, 1]>>, memref<2x1x1x512x1x8xf32>)
      outs(%out : memref<1x1x2x8x13x13xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A 1x1 conv 16 -> 96 on a 112x112 map: the input (784 KiB) would stream
// past once per block of 6 output channels (16 times), the weights (6 KiB)
// once per output row: the parallel tiles run rows outermost. Its weights
// are unblocked, so the tile takes 6 channel rows (they divide 96).
// TILE-LABEL: func.func @conv_rows_outermost
// TILE: scf.parallel {{.*}} to (%c1{{.*}}, %c1{{.*}}, %c112, %c1{{.*}}, %c96) step (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c6{{.*}})
func.func @conv_rows_outermost(%win: memref<1x1x16x1x1x112x112xf32, strided<[200704, 200704, 12544, 112, 1, 112, 1]>>,
                %flt: memref<1x1x1x16x1x96xf32>, %out: memref<1x1x1x96x112x112xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x16x1x1x112x112xf32, strided<[200704, 200704, 12544, 112, 1, 112, 1]>>, memref<1x1x1x16x1x96xf32>)
      outs(%out : memref<1x1x1x96x112x112xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A 1x1 conv 512 -> 1000 on 13x13 (squeezenet's classifier, weights in
// blocks of 8): streaming the 2 MB of weights once per output row (13 times)
// moves fewer bytes than the 346 KB input once per channel block (125
// times), but the input stays in L2 (under 3/4 of 512 KiB): channel blocks
// stay outermost, so that each writes its own output planes rather than
// every row tile writing all 1000. Without the L2 budget, rows go
// outermost.
// TILE-LABEL: func.func @conv_input_in_l2
// TILE: scf.parallel {{.*}} to (%c1{{.*}}, %c1{{.*}}, %c125, %c8{{.*}}, %c13{{.*}})
// NOL2-LABEL: func.func @conv_input_in_l2
// NOL2: scf.parallel {{.*}} to (%c1{{.*}}, %c1{{.*}}, %c13{{.*}}, %c125, %c8{{.*}})
func.func @conv_input_in_l2(%win: memref<1x1x512x1x1x13x13xf32, strided<[86528, 86528, 169, 13, 1, 13, 1]>>,
                %flt: memref<125x1x1x512x1x8xf32>, %out: memref<1x1x125x8x13x13xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x512x1x1x13x13xf32, strided<[86528, 86528, 169, 13, 1, 13, 1]>>, memref<125x1x1x512x1x8xf32>)
      outs(%out : memref<1x1x125x8x13x13xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A 1x1 conv 16 -> 96 on a flattened 112x112 map (pixel lanes, 6 channels
// per tile, 256-pixel chunks): the 0.8 MB input exceeds the L2 budget, so
// the order that moves fewer bytes holds: the 6 KB of weights once per chunk
// rather than the input once per channel tile, chunks outermost. With a
// 2 MB L2 (l2-bytes as mnn-compile --cpu=native sets it on such a host) the
// input stays in L2 and channel tiles stay outermost: each streams its 6
// output planes instead of every chunk writing into all 96.
// TILE-LABEL: func.func @pointwise_wide_map
// TILE: scf.parallel {{.*}} to ({{.*}}%c12544{{.*}}%c96{{.*}}) step ({{.*}}%c256{{.*}}%c6{{.*}})
// BIGL2-LABEL: func.func @pointwise_wide_map
// BIGL2: scf.parallel {{.*}} to ({{.*}}%c96{{.*}}%c12544{{.*}}) step ({{.*}}%c6{{.*}}%c256{{.*}})
func.func @pointwise_wide_map(%win: memref<1x1x16x1x1x1x12544xf32, strided<[200704, 200704, 12544, 1, 1, 12544, 1]>>,
                %flt: memref<1x1x16x1x96xf32>, %out: memref<1x1x1x96x1x12544xf32>) {
  linalg.generic {indexing_maps = [#win, #fltu, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x16x1x1x1x12544xf32, strided<[200704, 200704, 12544, 1, 1, 12544, 1]>>, memref<1x1x16x1x96xf32>)
      outs(%out : memref<1x1x1x96x1x12544xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// The other way, 96 -> 24 on 56x56: the 1.2 MB input is larger than the
// output, so even in a 2 MB L2 chunks stay outermost (channel tiles
// outermost, each of two threads would read all of it).
// TILE-LABEL: func.func @pointwise_projection
// TILE: scf.parallel {{.*}} to ({{.*}}%c3136{{.*}}%c24{{.*}}) step ({{.*}}%c224{{.*}}%c6{{.*}})
// BIGL2-LABEL: func.func @pointwise_projection
// BIGL2: scf.parallel {{.*}} to ({{.*}}%c3136{{.*}}%c24{{.*}}) step ({{.*}}%c224{{.*}}%c6{{.*}})
func.func @pointwise_projection(%win: memref<1x1x96x1x1x1x3136xf32, strided<[301056, 301056, 3136, 1, 1, 3136, 1]>>,
                %flt: memref<1x1x96x1x24xf32>, %out: memref<1x1x1x24x1x3136xf32>) {
  linalg.generic {indexing_maps = [#win, #fltu, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x96x1x1x1x3136xf32, strided<[301056, 301056, 3136, 1, 1, 3136, 1]>>, memref<1x1x96x1x24xf32>)
      outs(%out : memref<1x1x1x24x1x3136xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
