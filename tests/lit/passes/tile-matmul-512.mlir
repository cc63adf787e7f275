// RUN: mnn-opt %s --mnn-tile="vector-bits=512" | FileCheck %s
// RUN: mnn-opt %s --mnn-tile="vector-bits=256" | FileCheck %s --check-prefix=AVX2

#a = affine_map<(b, m, n, k) -> (b, m, k)>
#w = affine_map<(b, m, n, k) -> (b, k, n)>
#o = affine_map<(b, m, n, k) -> (b, m, n)>

// A batched matmul with 16 rows, as the Winograd GEMM of a 7x7 map (16
// tiles, one product per transform point): with 512-bit vectors (32
// registers) 8 rows x 32 lanes, 16 accumulators (4 before); with 256-bit
// vectors 4 x 16, since 6 does not divide 16.
// CHECK-LABEL: func.func @winograd_gemm
// CHECK: scf.parallel ({{.*}}) to (%c16{{.*}}, %c16{{.*}}, %c512) step (%c1{{.*}}, %c8{{.*}}, %c256{{.*}})
// CHECK: linalg.generic
// CHECK-SAME: ins({{.*}} : memref<1x8x512xf32
// CHECK-SAME: mnn.lanes = 32 : i64
// AVX2-LABEL: func.func @winograd_gemm
// AVX2: scf.parallel ({{.*}}) to (%c16{{.*}}, %c16{{.*}}, %c512) step (%c1{{.*}}, %c4{{.*}}, %c128{{.*}})
// AVX2: linalg.generic
// AVX2-SAME: ins({{.*}} : memref<1x4x512xf32
// AVX2-SAME: mnn.lanes = 16 : i64
func.func @winograd_gemm(%a: memref<16x16x512xf32>, %b: memref<16x512x512xf32>, %c: memref<16x16x512xf32>) {
  linalg.generic {indexing_maps = [#a, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x16x512xf32>, memref<16x512x512xf32>) outs(%c : memref<16x16x512xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// 24 rows: 12 with 512-bit vectors (24 accumulators), 6 with 256-bit ones.
// CHECK-LABEL: func.func @rows24
// CHECK: scf.parallel ({{.*}}) to (%c1{{.*}}, %c24) step (%c1{{.*}}, %c12{{.*}})
// AVX2-LABEL: func.func @rows24
// AVX2: scf.parallel ({{.*}}) to (%c1{{.*}}, %c24) step (%c1{{.*}}, %c6{{.*}})
func.func @rows24(%a: memref<1x24x64xf32>, %b: memref<1x64x64xf32>, %c: memref<1x24x64xf32>) {
  linalg.generic {indexing_maps = [#a, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x24x64xf32>, memref<1x64x64xf32>) outs(%c : memref<1x24x64xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
