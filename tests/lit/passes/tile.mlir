// RUN: mnn-opt %s --mnn-tile="vector-bits=256" | FileCheck %s

#win = affine_map<(n, m, k) -> (n, k)>
#wt = affine_map<(n, m, k) -> (k, m)>
#out = affine_map<(n, m, k) -> (n, m)>

// A matmul kernel [8 x 40] += [8 x 32] * [32 x 40]: parallel tiles of 4 rows,
// register tiles of 4 rows x 16 lanes (the last one partial), K left whole.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c8) step (%c4{{.*}})
// CHECK:   scf.for %{{.*}} = %{{.*}} to %c40 step %c16
// CHECK:     affine.min
// CHECK:     linalg.generic
// CHECK-SAME: mnn.cols_dim = 1 : i64
// CHECK-SAME: mnn.lanes = 16 : i64
// CHECK-SAME: mnn.rows_dim = 0 : i64
func.func @matmul(%a: memref<8x32xf32>, %b: memref<32x40xf32>, %c: memref<8x40xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x40xf32>) outs(%c : memref<8x40xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Big elementwise ops are split across threads along the outer dim only.
// CHECK-LABEL: func.func @elementwise
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c64) step (%c1{{.*}})
// CHECK-NOT: scf.for
// CHECK: linalg.generic
func.func @elementwise(%a: memref<64x1024xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      outs(%a : memref<64x1024xf32>) {
  ^bb0(%x: f32):
    %y = arith.negf %x : f32
    linalg.yield %y : f32
  }
  return
}

// Small ops are left alone.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.parallel
func.func @small(%a: memref<4x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      outs(%a : memref<4x4xf32>) {
  ^bb0(%x: f32):
    %y = arith.negf %x : f32
    linalg.yield %y : f32
  }
  return
}
