// RUN: mnn-opt %s --split-input-file --mnn-tile="vector-bits=256" --mnn-vectorize="even-odd-lane-block=8" --canonicalize --cse | FileCheck %s --check-prefix=AVX2
// RUN: mnn-opt %s --split-input-file --mnn-tile="vector-bits=256" --mnn-vectorize --canonicalize --cse | FileCheck %s --check-prefix=ORDER

// A depthwise-like tile (both operands per row, the input read with stride
// 2 along the lanes, 3 taps). With even-odd-lane-block = 8 (AVX2) every
// stride-2 pick takes the order one vshufps per 8 lanes leaves, columns
// 0 1 4 5 2 3 6 7 of each 8: the accumulators hold that order, the output
// (and the residual) are permuted once when read and written. The taps run
// row by row; tap 2 reads the window from element 1 and picks its odd lanes
// (32 elements, none past its last lane).
// AVX2-LABEL: func.func @depthwise_stride2
// AVX2:       %[[R0:.*]] = vector.transfer_read %arg2[%c0, %c0]
// AVX2:       %[[A0:.*]] = vector.shuffle %[[R0]], %[[R0]] [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15] : vector<16xf32>
// AVX2:       %[[W0:.*]] = vector.transfer_read {{.*}} : memref<32xf32, strided<[1], offset: ?>>, vector<32xf32>
// AVX2:       %[[E0:.*]] = vector.shuffle %[[W0]], %[[W0]] [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30] : vector<32xf32>
// AVX2:       %[[F0:.*]] = vector.fma %[[E0]], %{{.*}}, %[[A0]]
// AVX2:       %[[O0:.*]] = vector.shuffle %[[W0]], %[[W0]] [1, 3, 9, 11, 5, 7, 13, 15, 17, 19, 25, 27, 21, 23, 29, 31] : vector<32xf32>
// AVX2:       %[[F1:.*]] = vector.fma %[[O0]], %{{.*}}, %[[F0]]
// AVX2:       %[[OFF:.*]] = arith.addi %{{.*}}, %c1 : index
// AVX2:       %[[V2:.*]] = memref.reinterpret_cast %{{.*}} to offset: [%[[OFF]]], sizes: [32], strides: [1]
// AVX2:       %[[W2:.*]] = vector.transfer_read %[[V2]]
// AVX2:       %[[O2:.*]] = vector.shuffle %[[W2]], %[[W2]] [1, 3, 9, 11, 5, 7, 13, 15, 17, 19, 25, 27, 21, 23, 29, 31] : vector<32xf32>
// AVX2:       %[[ROW0:.*]] = vector.fma %[[O2]], %{{.*}}, %[[F1]]
// Row 1 follows, then the stores restore the order.
// AVX2:       vector.fma
// AVX2:       vector.fma
// AVX2:       %[[ROW1:.*]] = vector.fma
// AVX2:       %[[S0:.*]] = vector.shuffle %[[ROW0]], %[[ROW0]] [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]
// AVX2:       vector.transfer_write %[[S0]], %arg2[%c0, %c0]
// AVX2:       %[[S1:.*]] = vector.shuffle %[[ROW1]], %[[ROW1]] [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]
// AVX2:       vector.transfer_write %[[S1]], %arg2[%c1, %c0]
//
// Without the option (NEON, AVX-512) the picks keep the order.
// ORDER-LABEL: func.func @depthwise_stride2
// ORDER-NOT:   [0, 1, 4, 5, 2, 3, 6, 7
// ORDER:       vector.shuffle %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xf32>
// ORDER:       vector.shuffle %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xf32>
// ORDER:       vector.shuffle %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xf32>
// ORDER-NOT:   [0, 1, 4, 5, 2, 3, 6, 7
#atn = affine_map<(m, n, t) -> (m, t, n)>
#mt = affine_map<(m, n, t) -> (m, t)>
#mn = affine_map<(m, n, t) -> (m, n)>
func.func @depthwise_stride2(%a: memref<2x3x16xf32, strided<[64, 1, 2]>>, %w: memref<2x3xf32>, %c: memref<2x16xf32>) {
  linalg.generic {indexing_maps = [#atn, #mt, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<2x3x16xf32, strided<[64, 1, 2]>>, memref<2x3xf32>) outs(%c : memref<2x16xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A lane-varying operand read contiguously (a stride-1 input) would need a
// shuffle per load: the tile keeps the natural order.
// AVX2-LABEL: func.func @stride1_input
// AVX2-NOT:   [0, 1, 4, 5, 2, 3, 6, 7
#atn = affine_map<(m, n, t) -> (m, t, n)>
#mt = affine_map<(m, n, t) -> (m, t)>
#mn = affine_map<(m, n, t) -> (m, n)>
func.func @stride1_input(%a: memref<2x3x16xf32, strided<[64, 1, 1]>>, %w: memref<2x3xf32>, %c: memref<2x16xf32>) {
  linalg.generic {indexing_maps = [#atn, #mt, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<2x3x16xf32, strided<[64, 1, 1]>>, memref<2x3xf32>) outs(%c : memref<2x16xf32>) attrs = {mnn.kernel = "matmul"} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
