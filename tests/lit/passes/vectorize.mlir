// RUN: mnn-opt %s --mnn-tile="vector-bits=256" --mnn-vectorize --canonicalize | FileCheck %s
// RUN: mnn-opt %s --mnn-tile="vector-bits=512" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=W512

#win = affine_map<(n, m, k) -> (n, k)>
#wt = affine_map<(n, m, k) -> (k, m)>
#out = affine_map<(n, m, k) -> (n, m)>

// Register tiles become 4 accumulators of vector<16xf32>, one FMA per row
// and reduction step with the lhs broadcast. Full tiles run unmasked; the
// last tile (40 = 2x16 + 8) takes an 8-lane copy of the kernel, unmasked.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: %[[FULL:.*]] = arith.cmpi eq, %{{.*}}, %c16
// CHECK: scf.if %[[FULL]]
// CHECK-COUNT-4: vector.transfer_read {{.*}} {in_bounds = [true]} : memref<4x?xf32, {{.*}}>, vector<16xf32>
// CHECK: scf.for
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-4: vector.transfer_write
// CHECK: } else {
// CHECK-NOT: vector.create_mask
// CHECK-COUNT-4: vector.transfer_read {{.*}} {in_bounds = [true]} : memref<4x?xf32, {{.*}}>, vector<8xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK:   vector.transfer_read {{.*}} : memref<32x?xf32, {{.*}}>, vector<8xf32>
// CHECK:   memref.load
// CHECK:   vector.broadcast {{.*}} : f32 to vector<8xf32>
// CHECK:   vector.fma
// CHECK-COUNT-3: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-4: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<8xf32>
// CHECK-NOT: linalg.generic
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

// A last tile of 14 columns (30 = 16 + 14) is split into 8 and 4 columns,
// unmasked, and 2 columns on a masked 4-lane kernel (the kernel accumulates
// into its output, so no columns may be computed twice).
// CHECK-LABEL: func.func @matmul_split
// CHECK: scf.if
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK: } else {
// CHECK: %[[A:.*]] = memref.subview %{{.*}}[0, 0] [4, 8] [1, 1]
// CHECK-NOT: vector.create_mask
// CHECK: vector.transfer_write {{.*}}, %[[A]][{{.*}}] {in_bounds = [true]} : vector<8xf32>
// CHECK: %[[B:.*]] = memref.subview %{{.*}}[0, 8] [4, %{{.*}}] [1, 1]
// CHECK: %[[C:.*]] = memref.subview %[[B]][0, 0] [4, 4] [1, 1]
// CHECK-NOT: vector.create_mask
// CHECK: vector.transfer_write {{.*}}, %[[C]][{{.*}}] {in_bounds = [true]} : vector<4xf32>
// CHECK: %[[D:.*]] = memref.subview %[[B]][0, 4] [4, %{{.*}}] [1, 1]
// CHECK: %[[MASK:.*]] = vector.constant_mask [2] : vector<4xi1>
// CHECK: vector.transfer_write {{.*}}, %[[D]][{{.*}}], %[[MASK]] {in_bounds = [true]} : vector<4xf32>
func.func @matmul_split(%a: memref<8x32xf32>, %b: memref<32x30xf32>, %c: memref<8x30xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x30xf32>) outs(%c : memref<8x30xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// With an epilogue the output is only written. The last tile of a row
// (14 of 30 columns) is then the full 16 columns that end at the row's
// end, from column 14: columns 14 and 15 are computed and stored again,
// with the same values, and no tile is split.
// CHECK-LABEL: func.func @matmul_overlap
// CHECK: scf.if
// CHECK: } else {
// CHECK-NOT: vector.create_mask
// CHECK: %[[W:.*]] = memref.subview %arg1[0, %{{.*}}] [32, 16] [1, 1]
// CHECK: %[[O:.*]] = memref.subview %{{.*}}[0, %{{.*}}] [4, 16] [1, 1]
// CHECK: vector.transfer_read %[[W]]{{.*}} : memref<32x16xf32, {{.*}}>, vector<16xf32>
// CHECK-COUNT-4: vector.transfer_write {{.*}}, %[[O]][{{.*}}] {in_bounds = [true]} : vector<16xf32>
// CHECK-NOT: vector<8xf32>
// CHECK: return
func.func @matmul_overlap(%a: memref<8x32xf32>, %b: memref<32x30xf32>, %c: memref<8x30xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x30xf32>) outs(%c : memref<8x30xf32>)
      attrs = {mnn.kernel = "matmul", mnn.epilogue, mnn.activation = "none", mnn.clip = array<f64: 0.0, 0.0>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A tile narrower than the lanes (a 14-column matrix: its only tile) has
// nothing before it to overlap into; with an epilogue its 14 columns are
// two unmasked 8-lane pieces, the second from column 6, storing columns 6
// and 7 again with the same values.
// CHECK-LABEL: func.func @narrow_overlap
// CHECK-NOT: vector.create_mask
// CHECK: %[[A:.*]] = memref.subview %{{.*}}[0, 0] [4, 8] [1, 1]
// CHECK: vector.transfer_write {{.*}}, %[[A]][{{.*}}] {in_bounds = [true]} : vector<8xf32>
// CHECK: %[[B:.*]] = memref.subview %{{.*}}[0, 6] [4, 8] [1, 1]
// CHECK: vector.transfer_write {{.*}}, %[[B]][{{.*}}] {in_bounds = [true]} : vector<8xf32>
// CHECK-NOT: vector.create_mask
// CHECK: return
func.func @narrow_overlap(%a: memref<8x32xf32>, %b: memref<32x14xf32>, %c: memref<8x14xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x14xf32>) outs(%c : memref<8x14xf32>)
      attrs = {mnn.kernel = "matmul", mnn.epilogue, mnn.activation = "none", mnn.clip = array<f64: 0.0, 0.0>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Also where the rest is exact but more than one piece: with 32 lanes
// (512-bit vectors) the 28 columns are 16 + 16 (from column 12), two FMAs
// per row and step where 16 + 8 + 4 took three. With 16 lanes (first RUN)
// the only such rest would be 12 = 8 + 4 of a 28-column tile, which is
// two pieces either way, and it stays.
// W512-LABEL: func.func @matmul_overlap_exact_rest
// W512-NOT: vector.create_mask
// W512: %[[A:.*]] = memref.subview %{{.*}}[0, 0] [8, 16] [1, 1]
// W512: vector.transfer_write {{.*}}, %[[A]][{{.*}}] {in_bounds = [true]} : vector<16xf32>
// W512: %[[B:.*]] = memref.subview %{{.*}}[0, 12] [8, 16] [1, 1]
// W512: vector.transfer_write {{.*}}, %[[B]][{{.*}}] {in_bounds = [true]} : vector<16xf32>
// W512-NOT: vector<8xf32>
// W512-NOT: vector<4xf32>
// W512: return
func.func @matmul_overlap_exact_rest(%a: memref<8x32xf32>, %b: memref<32x28xf32>, %c: memref<8x28xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x28xf32>) outs(%c : memref<8x28xf32>)
      attrs = {mnn.kernel = "matmul", mnn.epilogue, mnn.activation = "none", mnn.clip = array<f64: 0.0, 0.0>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Without an epilogue the kernel accumulates into its output, which must
// not be added to twice: 28 columns stay 16 + 8 + 4.
// W512-LABEL: func.func @matmul_exact_rest_accumulates
// W512: memref.subview %{{.*}}[0, 0] [8, 16] [1, 1]
// W512: vector.transfer_write {{.*}} : vector<16xf32>
// W512: vector.transfer_write {{.*}} : vector<8xf32>
// W512: vector.transfer_write {{.*}} : vector<4xf32>
func.func @matmul_exact_rest_accumulates(%a: memref<8x32xf32>, %b: memref<32x28xf32>, %c: memref<8x28xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x28xf32>) outs(%c : memref<8x28xf32>)
      attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A body that is not multiply-accumulate keeps its linalg op (lowered to
// loops later).
// CHECK-LABEL: func.func @not_fma
// CHECK: linalg.generic
// CHECK-NOT: vector.fma
func.func @not_fma(%a: memref<8x32xf32>, %b: memref<32x40xf32>, %c: memref<8x40xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x32xf32>, memref<32x40xf32>) outs(%c : memref<8x40xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.maximumf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A fused epilogue: the accumulators start from the bias (one vector per
// row: the bias varies along the lanes) plus the residual tile, the relu
// applies to the registers, and the output is only written, never read.
#bias = affine_map<(n, m, k) -> (m)>
// CHECK-LABEL: func.func @matmul_epilogue
// CHECK-SAME: %[[C:[a-z0-9]+]]: memref<8x48xf32>)
// CHECK: scf.parallel
// CHECK: %[[CT:.*]] = memref.subview %[[C]]
// CHECK: %[[CR:.*]] = memref.subview %[[CT]]
// CHECK-NOT: vector.transfer_read %[[CR]]
// CHECK: %[[B0:.*]] = vector.transfer_read {{.*}} : memref<16xf32, strided<[1], offset: ?>>, vector<16xf32>
// CHECK: %[[R0:.*]] = vector.transfer_read {{.*}} : memref<4x16xf32, strided<[48, 1], offset: ?>>, vector<16xf32>
// CHECK: arith.addf %[[B0]], %[[R0]] : vector<16xf32>
// CHECK-COUNT-3: arith.addf {{.*}} : vector<16xf32>
// CHECK-NOT: vector.transfer_read %[[CR]]
// CHECK: scf.for
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-4: arith.maximumf {{.*}} : vector<16xf32>
// CHECK-COUNT-4: vector.transfer_write
// CHECK-NOT: linalg.generic
func.func @matmul_epilogue(%a: memref<8x32xf32>, %b: memref<32x48xf32>, %bias: memref<48xf32>,
                           %res: memref<8x48xf32>, %c: memref<8x48xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #bias, #out, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %bias, %res : memref<8x32xf32>, memref<32x48xf32>, memref<48xf32>, memref<8x48xf32>)
      outs(%c : memref<8x48xf32>)
      attrs = {mnn.kernel = "matmul", mnn.epilogue, mnn.activation = "relu", mnn.clip = array<f64: 0.0, 0.0>} {
  ^bb0(%x: f32, %y: f32, %z: f32, %r: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// An epilogue the microkernel cannot take (the body is not
// multiply-accumulate) is split off into loops: init from the bias, the
// accumulation, then the activation.
// CHECK-LABEL: func.func @epilogue_fallback
// CHECK: scf.parallel
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}} : memref<16xf32, strided<[1], offset: ?>>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: linalg.generic
// CHECK-SAME: mnn.kernel = "matmul"
// CHECK: arith.maximumf
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK-NOT: mnn.epilogue
func.func @epilogue_fallback(%a: memref<8x32xf32>, %b: memref<32x48xf32>, %bias: memref<48xf32>,
                             %c: memref<8x48xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #bias, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %bias : memref<8x32xf32>, memref<32x48xf32>, memref<48xf32>)
      outs(%c : memref<8x48xf32>)
      attrs = {mnn.kernel = "matmul", mnn.epilogue, mnn.activation = "clip", mnn.clip = array<f64: 0.0, 6.0>} {
  ^bb0(%x: f32, %y: f32, %z: f32, %acc: f32):
    %p = arith.maximumf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Lanes two elements apart (a stride-2 conv's input windows) come from one
// contiguous 31-element load and a shuffle of its even elements, not from
// 16 scalar loads.
#kn = affine_map<(m, n, k) -> (k, n)>
#mk = affine_map<(m, n, k) -> (m, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @strided_lanes
// CHECK: scf.for
// CHECK: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata
// CHECK: %[[FLAT:.*]] = memref.reinterpret_cast %[[BASE]] to offset: [%{{.*}}], sizes: [31], strides: [1]
// CHECK: %[[WIDE:.*]] = vector.transfer_read %[[FLAT]]{{.*}} : memref<31xf32, strided<[1], offset: ?>>, vector<31xf32>
// CHECK: vector.shuffle %[[WIDE]], %[[WIDE]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<31xf32>, vector<31xf32>
// CHECK-COUNT-4: vector.fma
// CHECK-NOT: memref.load %{{.*}} : memref<32x16xf32
func.func @strided_lanes(%a: memref<32x16xf32, strided<[64, 2]>>, %w: memref<4x32xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#kn, #mk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<32x16xf32, strided<[64, 2]>>, memref<4x32xf32>) outs(%c : memref<4x16xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A matrix-vector product (one row): the register tile is 1 x 64 (4 vectors
// of 16), so each step reads four whole cache lines of the streamed weights.
// CHECK-LABEL: func.func @gemv
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<64xf32>)
// CHECK: vector.transfer_read {{.*}} : memref<32x64xf32, {{.*}}>, vector<64xf32>
// CHECK: vector.fma {{.*}} : vector<64xf32>
func.func @gemv(%a: memref<1x32xf32>, %b: memref<32x128xf32>, %c: memref<1x128xf32>) {
  linalg.generic {indexing_maps = [#win, #wt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x32xf32>, memref<32x128xf32>) outs(%c : memref<1x128xf32>) attrs = {mnn.kernel = "matmul", mnn.epilogue} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
