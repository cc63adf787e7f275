// RUN: mnn-opt %s --mnn-plan-memory | FileCheck %s

// A chain a -> b -> c -> d: b and d may share memory with a and c.
// The returned value gets no arena slot (it is written to the output buffer),
// and the reshape is a view of its input (no slot either).
// CHECK-LABEL: func.func @chain
// CHECK-SAME: mnn.arena_bytes = 128 : i64
// CHECK-SAME: mnn.unplanned_bytes = 192 : i64
func.func @chain(%x: tensor<4x4xf32>) -> tensor<16xf32> {
  // CHECK: mnn.relu {{.*}}mnn.offset = array<i64: 0>
  %a = mnn.relu %x : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: mnn.sigmoid {{.*}}mnn.offset = array<i64: 64>
  %b = mnn.sigmoid %a : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: mnn.tanh {{.*}}mnn.offset = array<i64: 0>
  %c = mnn.tanh %b : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: mnn.exp
  // CHECK-NOT: mnn.offset
  // CHECK-SAME: -> tensor<4x4xf32>
  %d = mnn.exp %c : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: mnn.reshape
  // CHECK-NOT: mnn.offset
  %r = mnn.reshape %d : (tensor<4x4xf32>) -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// A padded conv needs scratch for its padded input: it gets its own slot.
// CHECK-LABEL: func.func @conv_scratch
// CHECK: mnn.conv2d {{.*}}mnn.scratch_offset = {{[0-9]+}} : i64
func.func @conv_scratch(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = mnn.constant dense<1.0> : tensor<1x1x3x3xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// Concat operands produced by ops are written in place into the concat's
// channel slices: %a at the concat's offset, %b 64 bytes (4 floats x 4
// pixels) in, %inner (itself a concat, in place) at the outer concat's
// start. An input (%x) and a value used twice (%d) are copied. The concat's
// slot is live from %a on: %d (live until the concat) cannot share it.
// CHECK-LABEL: func.func @concat_in_place
// CHECK-SAME: mnn.arena_bytes = 384 : i64
func.func @concat_in_place(%x: tensor<1x4x2x2xf32>) -> tensor<1x20x2x2xf32> {
  // CHECK: mnn.relu {{.*}}mnn.offset = array<i64: 0>
  %a = mnn.relu %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: mnn.sigmoid {{.*}}mnn.offset = array<i64: 64>
  %b = mnn.sigmoid %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: mnn.tanh {{.*}}mnn.offset = array<i64: 320>
  %d = mnn.tanh %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: mnn.concat {{.*}}mnn.offset = array<i64: 0>
  %inner = mnn.concat %a, %b {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: mnn.concat {{.*}}mnn.offset = array<i64: 0>
  %cat = mnn.concat %inner, %x, %d, %d {axis = 1 : i64} : (tensor<1x8x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x20x2x2xf32>
  %y = mnn.sigmoid %cat : (tensor<1x20x2x2xf32>) -> tensor<1x20x2x2xf32>
  return %y : tensor<1x20x2x2xf32>
}

// A concat returned through a view (a reshape) is written into the caller's
// output buffer: its operands keep slots of their own and are copied.
// CHECK-LABEL: func.func @concat_returned_through_view
// CHECK-SAME: mnn.arena_bytes = 128 : i64
func.func @concat_returned_through_view(%x: tensor<1x4x2x2xf32>) -> tensor<1x32xf32> {
  // CHECK: mnn.relu {{.*}}mnn.offset = array<i64: 0>
  %a = mnn.relu %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: mnn.sigmoid {{.*}}mnn.offset = array<i64: 64>
  %b = mnn.sigmoid %x : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: mnn.concat
  // CHECK-NOT: mnn.offset
  // CHECK-SAME: -> tensor<1x8x2x2xf32>
  %cat = mnn.concat %a, %b {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32>
  %y = mnn.reshape %cat : (tensor<1x8x2x2xf32>) -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}
