// RUN: mnn-opt %s --mnn-tile="vector-bits=256" --mnn-vectorize --canonicalize --cse | FileCheck %s

// A reduction dim of at most 5 steps that moves stride-2 lanes by one
// element (a stride-2 conv's kw taps) is unrolled: taps 0 and 1 share one
// 32-element window (even and odd elements), tap 2 reads the 32 elements
// from one element on and takes the odd ones, so nothing past its last
// lane is read.
#tn = affine_map<(m, n, t) -> (t, n)>
#mt = affine_map<(m, n, t) -> (m, t)>
#mn = affine_map<(m, n, t) -> (m, n)>
// CHECK-LABEL: func.func @strided_taps
// CHECK-NOT: scf.for
// CHECK: %[[W0:.*]] = vector.transfer_read {{.*}} : memref<32xf32, strided<[1], offset: ?>>, vector<32xf32>
// CHECK: vector.shuffle %[[W0]], %[[W0]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xf32>, vector<32xf32>
// CHECK-COUNT-4: vector.fma
// CHECK-NOT: vector.transfer_read {{.*}} vector<32xf32>
// CHECK: vector.shuffle %[[W0]], %[[W0]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xf32>, vector<32xf32>
// CHECK-COUNT-4: vector.fma
// CHECK: %[[W2:.*]] = vector.transfer_read {{.*}} : memref<32xf32, strided<[1], offset: ?>>, vector<32xf32>
// CHECK: vector.shuffle %[[W2]], %[[W2]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xf32>, vector<32xf32>
// CHECK-COUNT-4: vector.fma
// CHECK-NOT: memref.load %{{.*}} : memref<3x16xf32
func.func @strided_taps(%a: memref<3x16xf32, strided<[1, 2]>>, %w: memref<4x3xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#tn, #mt, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<3x16xf32, strided<[1, 2]>>, memref<4x3xf32>) outs(%c : memref<4x16xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Five taps (a 5x5 stride-2 depthwise conv): taps 0/1 and 2/3 share a
// 32-element window each, tap 4 takes the odd elements of the one from
// element 3.
// CHECK-LABEL: func.func @five_strided_taps
// CHECK-NOT: scf.for
// CHECK: %[[V0:.*]] = vector.transfer_read {{.*}} vector<32xf32>
// CHECK: vector.shuffle %[[V0]], %[[V0]] [0, 2,
// CHECK: vector.shuffle %[[V0]], %[[V0]] [1, 3,
// CHECK: %[[V2:.*]] = vector.transfer_read {{.*}} vector<32xf32>
// CHECK: vector.shuffle %[[V2]], %[[V2]] [0, 2,
// CHECK: vector.shuffle %[[V2]], %[[V2]] [1, 3,
// CHECK: %[[V4:.*]] = vector.transfer_read {{.*}} vector<32xf32>
// CHECK: vector.shuffle %[[V4]], %[[V4]] [1, 3,
// CHECK-NOT: vector.transfer_read {{.*}} vector<3{{[12]}}xf32>
func.func @five_strided_taps(%a: memref<5x16xf32, strided<[1, 2]>>, %w: memref<4x5xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#tn, #mt, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<5x16xf32, strided<[1, 2]>>, memref<4x5xf32>) outs(%c : memref<4x16xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
