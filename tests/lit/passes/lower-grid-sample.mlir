// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// grid_sample is one linalg.generic over the output: the body reads the grid
// point, maps it to input coordinates and sums its taps (4 for 2-D linear);
// zeros padding masks each tap with a select, and the clamped index keeps
// every load inside the input.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-COUNT-2: memref.load %arg1
// CHECK: math.floor
// CHECK: math.floor
// CHECK-COUNT-4: memref.load %arg0
// CHECK: linalg.yield
func.func @main(%x: tensor<1x2x5x6xf32> {mnn.name = "x"},
                %g: tensor<1x4x3x2xf32> {mnn.name = "grid"})
    -> (tensor<1x2x4x3xf32> {mnn.name = "y"}) {
  %y = mnn.grid_sample %x, %g {mode = "linear", padding_mode = "zeros", align_corners = false}
      : (tensor<1x2x5x6xf32>, tensor<1x4x3x2xf32>) -> tensor<1x2x4x3xf32>
  return %y : tensor<1x2x4x3xf32>
}
