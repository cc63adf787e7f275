// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg="profile=true" | FileCheck %s

// With profile=true each op's code is bracketed by runtime hooks taking the
// op's index, and the module lists the op names in index order. Views
// (reshape) and constants produce no code and are not timed.
// CHECK: module attributes {mnn.profile_ops = ["first (mnn.relu)", "second (mnn.sigmoid)"]}
// CHECK: func.func private @mnnrt_profile_begin(i32)
// CHECK: func.func private @mnnrt_profile_end(i32)
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[I0:.*]] = arith.constant 0 : i32
// CHECK: call @mnnrt_profile_begin(%[[I0]])
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: call @mnnrt_profile_end(%[[I0]])
// CHECK: %[[I1:.*]] = arith.constant 1 : i32
// CHECK: call @mnnrt_profile_begin(%[[I1]])
// CHECK: math.exp
// CHECK: call @mnnrt_profile_end(%[[I1]])
func.func @main(%x: tensor<4x4xf32>) -> tensor<16xf32> {
  %a = mnn.relu %x : (tensor<4x4xf32>) -> tensor<4x4xf32> loc("first")
  %r = mnn.reshape %a : (tensor<4x4xf32>) -> tensor<16xf32> loc("view")
  %b = mnn.sigmoid %r : (tensor<16xf32>) -> tensor<16xf32> loc("second")
  return %b : tensor<16xf32>
}
