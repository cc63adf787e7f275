// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 l2-bytes=0" | FileCheck %s --check-prefix=TILE

// A 1x1 stride-1 conv without padding iterates over the 32x32 pixels as one
// dim of 1024 (oh = 1): input windows, output and residual are viewed so.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 8, 1, 1, 1, 1024], strides: [8192, 8192, 1024, 32, 1, 32, 1]
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : memref<1x1x1x16x1x1024xf32>)
// CHECK-SAME: mnn.kernel = "conv"

// Pixel lanes (16 wide, 4 output channels per tile); the long pixel dim
// is split into parallel chunks of 256 pixels, chunks outermost (the
// weights are smaller than the input; no L2 budget, in which this input
// would fit and keep channels outermost: conv-schedule.mlir).
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel {{.*}} to ({{.*}}%c1024{{.*}}, %c16{{.*}}) step ({{.*}}%c256{{.*}}, %c4{{.*}})
// TILE: linalg.generic
// TILE-SAME: mnn.cols_dim = 5 : i64
// TILE-SAME: mnn.lanes = 16 : i64
// TILE-SAME: mnn.rows_dim = 3 : i64
func.func @main(%x: tensor<1x8x32x32xf32> {mnn.name = "x"}, %r: tensor<1x16x32x32xf32> {mnn.name = "r"}) -> (tensor<1x16x32x32xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<1x1x8x1x16xf32>
  %y = mnn.conv2d %x, %w, %r {dilations = array<i64: 1, 1>, filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x32x32xf32>, tensor<1x1x8x1x16xf32>, tensor<1x16x32x32xf32>) -> tensor<1x16x32x32xf32>
  return %y : tensor<1x16x32x32xf32>
}

// -----

// A 1x1 conv on a 1x1 map (squeeze-and-excitation) is a matrix-vector
// product: a matmul kernel [1, 96] x [96, 128] with the bias and the
// activation as its epilogue; its one-row register tile is 64 lanes wide.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x96xf32>, memref<96x128xf32>, memref<128xf32>)
// CHECK-SAME: outs(%{{.*}} : memref<1x128xf32>)
// CHECK-SAME: mnn.activation = "hard_sigmoid"
// CHECK-SAME: mnn.epilogue
// CHECK-SAME: mnn.kernel = "matmul"
// TILE-LABEL: func.func @__mnn_main
// TILE: linalg.generic
// TILE-SAME: mnn.lanes = 64 : i64
func.func @main(%x: tensor<1x96x1x1xf32> {mnn.name = "x"}) -> (tensor<1x128x1x1xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<1x1x96x1x128xf32>
  %b = mnn.constant dense<0.25> : tensor<128xf32>
  %y = mnn.conv2d %x, %w, %b {activation = "hard_sigmoid", clip_min = 0.2 : f32, clip_max = 0.5 : f32, dilations = array<i64: 1, 1>, filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x96x1x1xf32>, tensor<1x1x96x1x128xf32>, tensor<128xf32>) -> tensor<1x128x1x1xf32>
  return %y : tensor<1x128x1x1xf32>
}
