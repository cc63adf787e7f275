// RUN: mnn-opt %s --mnn-tile="vector-bits=512" | FileCheck %s --check-prefix=AVX512
// RUN: mnn-opt %s --mnn-tile="vector-bits=256" | FileCheck %s --check-prefix=AVX2
// RUN: mnn-opt %s --mnn-tile="vector-bits=256" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC

// Pixel-lane depthwise convs (lanes along the output row). Iteration space:
// n g ob oi oh ow | kh kw cg; the window view is n g cg kh kw oh ow, its
// row stride the conv's stride times its tap stride.
#win = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (n, g, cg, kh, kw, oh, ow)>
#flt = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (kh, kw, cg, g, oi)>
#out = affine_map<(n, g, ob, oi, oh, ow, kh, kw, cg) -> (n, g, ob, oi, oh, ow)>

// Stride 1, 28 rows: a register tile is 4 output rows of one channel (rows
// dim 4 = oh), for any vector width; the parallel tiles are one channel by
// 4 rows.
// AVX512-LABEL: func.func @stride1
// AVX512: scf.parallel {{.*}} to (%c1{{.*}}, %c16{{.*}}, %c1{{.*}}, %c1{{.*}}, %c28) step (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c4{{.*}})
// AVX512: mnn.kernel = "depthwise_conv"
// AVX512-SAME: mnn.rows_dim = 4 : i64
// AVX2-LABEL: func.func @stride1
// AVX2: mnn.rows_dim = 4 : i64
//
// The four rows share each tap's weight: one broadcast per tap for the
// four FMAs of its rows (a 16-lane tile, then the 12 remaining columns as
// 8 and 4). Each row's window is a load of its own here; LLVM merges the
// loads of an input row that two rows' taps read.
// VEC-LABEL: func.func @stride1
// VEC: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// VEC: vector.broadcast {{.*}} to vector<16xf32>
// VEC-COUNT-4: vector.fma {{.*}} : vector<16xf32>
// VEC-NOT: vector.broadcast
// VEC: scf.yield
func.func @stride1(%win: memref<1x16x1x3x3x28x28xf32, strided<[14400, 900, 900, 30, 1, 30, 1]>>,
                   %flt: memref<3x3x1x16x1xf32>, %out: memref<1x16x1x1x28x28xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x16x1x3x3x28x28xf32, strided<[14400, 900, 900, 30, 1, 30, 1]>>, memref<3x3x1x16x1xf32>)
      outs(%out : memref<1x16x1x1x28x28xf32>) attrs = {mnn.kernel = "depthwise_conv"} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}

// Stride 2 (row stride 2 x 58): 4 output rows with 512-bit vectors; with
// 256-bit ones (16 registers) 4 channels by one row.
// AVX512-LABEL: func.func @stride2
// AVX512: mnn.rows_dim = 4 : i64
// AVX2-LABEL: func.func @stride2
// AVX2: scf.parallel {{.*}} to (%c1{{.*}}, %c16{{.*}}, %c1{{.*}}, %c1{{.*}}, %c28) step (%c1{{.*}}, %c4{{.*}}, %c1{{.*}}, %c1{{.*}}, %c1{{.*}})
// AVX2: mnn.rows_dim = 1 : i64
func.func @stride2(%win: memref<1x16x1x3x3x28x28xf32, strided<[53824, 3364, 3364, 58, 1, 116, 2]>>,
                   %flt: memref<3x3x1x16x1xf32>, %out: memref<1x16x1x1x28x28xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x16x1x3x3x28x28xf32, strided<[53824, 3364, 3364, 58, 1, 116, 2]>>, memref<3x3x1x16x1xf32>)
      outs(%out : memref<1x16x1x1x28x28xf32>) attrs = {mnn.kernel = "depthwise_conv"} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}

// 27 output rows (neither 4 nor 2 divides them): 4 channels by one row.
// AVX512-LABEL: func.func @odd_rows
// AVX512: mnn.rows_dim = 1 : i64
func.func @odd_rows(%win: memref<1x16x1x3x3x27x27xf32, strided<[13456, 841, 841, 29, 1, 29, 1]>>,
                    %flt: memref<3x3x1x16x1xf32>, %out: memref<1x16x1x1x27x27xf32>) {
  linalg.generic {indexing_maps = [#win, #flt, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%win, %flt : memref<1x16x1x3x3x27x27xf32, strided<[13456, 841, 841, 29, 1, 29, 1]>>, memref<3x3x1x16x1xf32>)
      outs(%out : memref<1x16x1x1x27x27xf32>) attrs = {mnn.kernel = "depthwise_conv"} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}
