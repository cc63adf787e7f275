"""Helpers of tools/bench: ONNX graph facts (inputs, FLOPs), the machine's fp32
peak, and the engines that are timed (our compiled .so, ONNX Runtime, MNN)."""
