// RUN: mnn-opt %s --mnn-tile="vector-bits=256 cache-bytes=24576" --canonicalize | FileCheck %s --check-prefix=BLOCK
// RUN: mnn-opt %s --mnn-tile="vector-bits=256 cache-bytes=0" --canonicalize | FileCheck %s --check-prefix=NOBLOCK

// (After --canonicalize the unit loops are gone.) A 3x3 conv over 512 channels of a 7x7 map (padded to 9x9), 16 output
// channels in blocks of 8: a channel-lane schedule with a 4608-step
// reduction. With 24 KiB of L1 budget a parallel tile takes all 7 output
// rows and walks the input channels 32 at a time: 32 x (input rows 324 B +
// weights 288 B) = 19.6 KiB; 40 would not divide 512, 64 would not fit.
#win = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (n, g, cg, kh, kw, oh, ow)>
#flt = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (ob, kh, kw, cg, g, oi)>
#out = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (n, g, ob, oi, oh, ow)>

// BLOCK-LABEL: func.func @conv
// BLOCK: scf.parallel {{.*}} = (%c0) to (%c2) step (%c1)
// BLOCK: scf.for {{.*}} = %c0 to %c512 step %c32
// BLOCK: scf.for {{.*}} = %c0 to %c7 step %c1
// BLOCK: linalg.generic
// BLOCK-SAME: ins({{.*}} : memref<1x1x32x3x3x1x7xf32, {{.*}}>, memref<1x3x3x32x1x8xf32, {{.*}}>)
// BLOCK-SAME: mnn.rows_dim = 5 : i64

// Without a budget every output row is its own parallel tile and the
// register tile runs the whole reduction.
// NOBLOCK-LABEL: func.func @conv
// NOBLOCK: scf.parallel {{.*}} = (%c0, %c0) to (%c2, %c7) step (%c1, %c1)
// NOBLOCK-NOT: scf.for
// NOBLOCK: linalg.generic
// NOBLOCK-SAME: ins({{.*}} : memref<1x1x512x3x3x1x7xf32, {{.*}}>, memref<1x3x3x512x1x8xf32, {{.*}}>)
func.func @conv(%win: memref<1x1x512x3x3x7x7xf32, strided<[41472, 41472, 81, 9, 1, 9, 1]>>,
                %flt: memref<2x3x3x512x1x8xf32>, %out: memref<1x1x2x8x7x7xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x1x512x3x3x7x7xf32, strided<[41472, 41472, 81, 9, 1, 9, 1]>>, memref<2x3x3x512x1x8xf32>)
      outs(%out : memref<1x1x2x8x7x7xf32>) attrs = {mnn.kernel = "conv"} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// With a fused epilogue the accumulators cannot carry it across the input
// channel blocks: the bias init runs on the parallel tile before the block
// loop and the relu after it; the blocked register tiles only accumulate.
#bias = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (g, ob, oi)>
// BLOCK-LABEL: func.func @conv_epilogue
// BLOCK: scf.parallel
// BLOCK: linalg.generic
// BLOCK-SAME: ins({{.*}} : memref<1x1x8xf32, {{.*}}>)
// BLOCK: scf.for {{.*}} = %c0 to %c512 step %c32
// BLOCK: linalg.generic
// BLOCK-SAME: ins({{.*}} : memref<1x1x32x3x3x1x7xf32, {{.*}}>, memref<1x3x3x32x1x8xf32, {{.*}}>)
// BLOCK-NOT: mnn.epilogue
// BLOCK: }
// BLOCK: linalg.generic
// BLOCK: arith.maximumf
// The unblocked schedule keeps the epilogue for the microkernel.
// NOBLOCK-LABEL: func.func @conv_epilogue
// NOBLOCK-NOT: scf.for
// NOBLOCK: linalg.generic
// NOBLOCK-SAME: mnn.epilogue
// NOBLOCK-NOT: linalg.generic
func.func @conv_epilogue(%win: memref<1x1x512x3x3x7x7xf32, strided<[41472, 41472, 81, 9, 1, 9, 1]>>,
                %flt: memref<2x3x3x512x1x8xf32>, %bias: memref<1x2x8xf32>, %out: memref<1x1x2x8x7x7xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #bias, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt, %bias : memref<1x1x512x3x3x7x7xf32, strided<[41472, 41472, 81, 9, 1, 9, 1]>>, memref<2x3x3x512x1x8xf32>, memref<1x2x8xf32>)
      outs(%out : memref<1x1x2x8x7x7xf32>)
      attrs = {mnn.kernel = "conv", mnn.epilogue, mnn.activation = "relu", mnn.clip = array<f64: 0.0, 0.0>} {
  ^bb0(%x: f32, %w: f32, %b: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
