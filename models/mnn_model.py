"""Load a model compiled by mnn-compile (libNAME.so) in-process with ctypes.

Uses only the ABI of runtime/include/mnn/model_api.h: the exported
`mnn_model_descriptor` function returns the model's description (inputs,
outputs, create/run/destroy), so no generated header is needed.

    model = MnnModel("build/libdet.so", threads=2)
    outputs = model.run({"x": image})          # dict name -> np.ndarray
"""

import ctypes

import numpy as np

MNN_ABI_VERSION = 2
MNN_MAX_RANK = 8

_DTYPES = {1: np.float32, 2: np.float16, 3: np.int8, 4: np.uint8, 5: np.int32,
           8: np.float64, 9: np.int16, 10: np.uint16, 11: np.uint32, 12: np.uint64,
           6: np.int64, 7: np.bool_}

# bfloat16, float8 and the sub-byte ints (one element per byte) are ml_dtypes
# types, as onnx and numpy users hold them; without ml_dtypes such models
# can't be loaded.
try:
    import ml_dtypes as _md
    _DTYPES.update({13: _md.bfloat16, 14: _md.float8_e4m3fn, 15: _md.float8_e4m3fnuz,
                    16: _md.float8_e5m2, 17: _md.float8_e5m2fnuz, 18: _md.int4,
                    19: _md.uint4, 20: _md.int2, 21: _md.uint2})
except ImportError:  # pragma: no cover
    pass


class _TensorDesc(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int),
                ("layout", ctypes.c_int), ("rank", ctypes.c_int32),
                ("shape", ctypes.c_int64 * MNN_MAX_RANK),
                ("num_elements", ctypes.c_uint64), ("size_bytes", ctypes.c_uint64)]


class _Options(ctypes.Structure):
    _fields_ = [("num_threads", ctypes.c_int32), ("arena", ctypes.c_void_p),
                ("arena_size", ctypes.c_uint64)]


class _Status(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 256)]


_CreateFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_Options),
                             ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(_Status))
_RunFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                          ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(_Status))
_DestroyFn = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class _ModelDesc(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint32), ("name", ctypes.c_char_p),
                ("target", ctypes.c_char_p), ("num_inputs", ctypes.c_uint32),
                ("num_outputs", ctypes.c_uint32),
                ("inputs", ctypes.POINTER(_TensorDesc)),
                ("outputs", ctypes.POINTER(_TensorDesc)),
                ("arena_bytes", ctypes.c_uint64), ("create", _CreateFn),
                ("run", _RunFn), ("destroy", _DestroyFn)]


def _describe(d):
    return (d.name.decode(), np.dtype(_DTYPES[d.dtype]), tuple(d.shape[i] for i in range(d.rank)))


class MnnModel:
    def __init__(self, so_path, threads=1):
        self._lib = ctypes.CDLL(so_path)
        fn = self._lib.mnn_model_descriptor
        fn.restype = ctypes.POINTER(_ModelDesc)
        self._desc = fn().contents
        if self._desc.abi_version != MNN_ABI_VERSION:
            raise RuntimeError(f"{so_path}: ABI version {self._desc.abi_version}, "
                               f"this loader speaks {MNN_ABI_VERSION}")
        self.inputs = [_describe(self._desc.inputs[i]) for i in range(self._desc.num_inputs)]
        self.outputs = [_describe(self._desc.outputs[i]) for i in range(self._desc.num_outputs)]
        opts = _Options(threads, None, 0)
        handle = ctypes.c_void_p()
        status = _Status()
        if self._desc.create(ctypes.byref(opts), ctypes.byref(handle), ctypes.byref(status)):
            raise RuntimeError(f"{so_path}: create failed: {status.message.decode()}")
        self._handle = handle

    def run(self, feeds):
        ins = []
        for name, dtype, shape in self.inputs:
            if name not in feeds:
                raise ValueError(f"missing input '{name}'")
            a = np.ascontiguousarray(feeds[name], dtype=dtype)
            if a.shape != shape:
                raise ValueError(f"input '{name}' has shape {a.shape}, the model wants {shape}")
            ins.append(a)
        outs = [np.empty(shape, dtype) for _, dtype, shape in self.outputs]
        in_ptrs = (ctypes.c_void_p * len(ins))(*[a.ctypes.data for a in ins])
        out_ptrs = (ctypes.c_void_p * len(outs))(*[a.ctypes.data for a in outs])
        status = _Status()
        if self._desc.run(self._handle, in_ptrs, out_ptrs, ctypes.byref(status)):
            raise RuntimeError(f"run failed: {status.message.decode()}")
        return {name: a for (name, _, _), a in zip(self.outputs, outs)}

    def __del__(self):
        if getattr(self, "_handle", None):
            self._desc.destroy(self._handle)
            self._handle = None
