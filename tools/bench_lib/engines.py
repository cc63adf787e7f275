"""The engines tools/bench times. Each engine prepares a model once (compile,
convert) and then opens a runner per thread count; runner.call() is the timed
call: hand the input over from host memory, run, get the outputs into host
memory. Inputs and output buffers are set up once per runner, outside timing."""

import contextlib
import ctypes
import os
import subprocess
import sys
import time

import numpy as np


class EngineError(Exception):
    pass


class EngineUnavailable(EngineError):
    """The engine cannot run at all here (e.g. its package is not installed)."""


@contextlib.contextmanager
def quiet_stdout(log_path=None):
    """Sends fd 1 (C-level prints of a native library) to log_path or /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    target = os.open(log_path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.dup2(target, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(target)


def _run_logged(cmd, log_path, what):
    start = time.perf_counter()
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        with open(log_path) as f:
            tail = "".join(f.readlines()[-15:])
        raise EngineError(f"{what} failed (exit {proc.returncode}); log {log_path}:\n{tail}")
    return seconds


# ---- ours: the model .so through its descriptor (runtime/include/mnn/model_api.h) ----

# ABI versions whose mnn_model_desc starts with the fields read here (abi_version
# .. destroy); version 2 appended the profile fields after them.
KNOWN_ABI_VERSIONS = (1, 2)
MNN_MAX_RANK = 8
MNN_OK = 0
_DTYPES = {1: np.float32, 2: np.float16, 3: np.int8, 4: np.uint8, 5: np.int32, 6: np.int64,
           7: np.bool_, 8: np.float64, 9: np.int16, 10: np.uint16, 11: np.uint32,
           12: np.uint64}

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
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int), ("layout", ctypes.c_int),
                ("rank", ctypes.c_int32), ("shape", ctypes.c_int64 * MNN_MAX_RANK),
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
                ("num_outputs", ctypes.c_uint32), ("inputs", ctypes.POINTER(_TensorDesc)),
                ("outputs", ctypes.POINTER(_TensorDesc)), ("arena_bytes", ctypes.c_uint64),
                ("create", _CreateFn), ("run", _RunFn), ("destroy", _DestroyFn)]


def _tensor_info(td):
    dtype = _DTYPES.get(td.dtype)
    if dtype is None:
        raise EngineError(f"tensor '{td.name.decode()}': unknown dtype {td.dtype}")
    return td.name.decode(), dtype, tuple(td.shape[i] for i in range(td.rank))


class Ours:
    key = "ours"
    label = "ours (mnn-compile .so via ctypes)"

    def __init__(self, mnn_compile, cpu=None):
        self.mnn_compile = mnn_compile
        self.cpu = cpu
        if cpu:
            self.label = f"ours (mnn-compile --cpu={cpu} .so via ctypes)"
        if not os.access(mnn_compile, os.X_OK):
            raise EngineUnavailable(f"mnn-compile not found at {mnn_compile} "
                                    "(build the project or pass --mnn-compile)")

    def prepare(self, model):
        out_dir = os.path.join(model.work_dir, "ours")
        os.makedirs(out_dir, exist_ok=True)
        cmd = [self.mnn_compile, model.path, "-o", out_dir, "--name", model.name]
        if self.cpu:
            cmd.append(f"--cpu={self.cpu}")
        for name, dims in model.shape_overrides.items():
            cmd.append(f"--input-shape={name}=" + "x".join(str(d) for d in dims))
        secs = _run_logged(cmd, os.path.join(out_dir, "compile.log"), "mnn-compile")
        so = os.path.join(out_dir, f"lib{model.name}.so")
        lib = ctypes.CDLL(so, mode=os.RTLD_LOCAL | os.RTLD_NOW)
        fn = lib.mnn_model_descriptor
        fn.restype = ctypes.POINTER(_ModelDesc)
        fn.argtypes = []
        desc = fn().contents
        if desc.abi_version not in KNOWN_ABI_VERSIONS:
            raise EngineError(f"{so}: ABI version {desc.abi_version}; tools/bench_lib/engines.py "
                              f"knows the descriptor of versions {KNOWN_ABI_VERSIONS}")
        self._models = getattr(self, "_models", {})
        self._models[model.name] = (lib, desc)
        return {"artifact": so, "prepare_s": secs, "command": cmd}

    def open(self, model, threads):
        lib, desc = self._models[model.name]
        return _OursRunner(desc, model, threads)


class _OursRunner:
    def __init__(self, desc, model, threads):
        self.desc = desc
        self.status = _Status()
        opts = _Options(threads, None, 0)
        handle = ctypes.c_void_p()
        if desc.create(ctypes.byref(opts), ctypes.byref(handle), ctypes.byref(self.status)) != MNN_OK:
            raise EngineError("create failed: " + self.status.message.decode(errors="replace"))
        self.handle = handle
        self.inputs = []
        for i in range(desc.num_inputs):
            name, dtype, shape = _tensor_info(desc.inputs[i])
            if name not in model.feeds:
                raise EngineError(f"the .so has an input '{name}' that the ONNX graph lacks")
            arr = np.ascontiguousarray(model.feeds[name], dtype=dtype)
            if arr.shape != shape:
                raise EngineError(f"input '{name}': the .so wants {list(shape)}, "
                                  f"the input is {list(arr.shape)}")
            self.inputs.append(arr)
        self.out = {}
        for i in range(desc.num_outputs):
            name, dtype, shape = _tensor_info(desc.outputs[i])
            self.out[name] = np.zeros(shape, dtype)
        self._in_ptrs = (ctypes.c_void_p * max(1, len(self.inputs)))(
            *[a.ctypes.data for a in self.inputs])
        self._out_ptrs = (ctypes.c_void_p * max(1, len(self.out)))(
            *[a.ctypes.data for a in self.out.values()])
        self._run = desc.run
        self._status_ref = ctypes.byref(self.status)

    def call(self):
        if self._run(self.handle, self._in_ptrs, self._out_ptrs, self._status_ref) != MNN_OK:
            raise EngineError("run failed: " + self.status.message.decode(errors="replace"))

    def outputs(self):
        return dict(self.out)

    def close(self):
        if self.handle:
            self.desc.destroy(self.handle)
            self.handle = None


# ---- ONNX Runtime -------------------------------------------------------------------

class Ort:
    key = "ort"

    def __init__(self, allow_spinning=False):
        try:
            import onnxruntime
        except ImportError as e:
            raise EngineUnavailable(f"import onnxruntime failed ({e}); pip install onnxruntime")
        self.ort = onnxruntime
        self.allow_spinning = allow_spinning
        self.label = f"onnxruntime {onnxruntime.__version__} (ORT_ENABLE_ALL, sequential)"

    def prepare(self, model):
        return {"artifact": model.path, "prepare_s": 0.0}

    def open(self, model, threads):
        return _OrtRunner(self, model, threads)


class _OrtRunner:
    def __init__(self, eng, model, threads):
        ort = eng.ort
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.add_session_config_entry("session.intra_op.allow_spinning",
                                    "1" if eng.allow_spinning else "0")
        try:
            self.sess = ort.InferenceSession(model.path, so, providers=["CPUExecutionProvider"])
        except Exception as e:  # noqa: BLE001 - ORT raises its own exception types
            raise EngineError(f"InferenceSession failed: {e}") from None
        self.feeds = {n: model.feeds[n] for n in (i.name for i in self.sess.get_inputs())}
        self.names = [o.name for o in self.sess.get_outputs()]
        # One plain run gives the output shapes; then bind the input and
        # preallocated outputs once, so that a timed call is only the run.
        first = self.sess.run(self.names, self.feeds)
        self.out = {n: np.zeros_like(a) for n, a in zip(self.names, first)}
        self.binding = self.sess.io_binding()
        for n, a in self.feeds.items():
            self.binding.bind_cpu_input(n, a)
        for n, a in self.out.items():
            self.binding.bind_output(n, "cpu", 0, a.dtype, list(a.shape), a.ctypes.data)

    def call(self):
        self.sess.run_with_iobinding(self.binding)

    def outputs(self):
        return dict(self.out)

    def close(self):
        self.binding = None
        self.sess = None


# ---- MNN (pip package `mnn`) ------------------------------------------------------------

class Mnn:
    key = "mnn"

    def __init__(self, api="module"):
        try:
            with quiet_stdout():  # `import MNN` prints the CPU features to fd 1
                import MNN
        except Exception as e:  # noqa: BLE001 - any failure means: no MNN here
            raise EngineUnavailable(f"import MNN failed ({e}); pip install mnn") from None
        self.MNN = MNN
        self.api = api
        self.label = f"MNN {MNN.version()} (pip mnn, {api} API, precision high)"

    def prepare(self, model):
        out_dir = os.path.join(model.work_dir, "mnn")
        os.makedirs(out_dir, exist_ok=True)
        mnn_path = os.path.join(out_dir, f"{model.name}.mnn")
        if os.path.exists(mnn_path):
            os.remove(mnn_path)
        # The converter of the pip package, called in a child process: the
        # package's `mnnconvert` script also sends usage logs over the network
        # (MNN/tools/utils/log.py), _tools.mnnconvert is the converter alone.
        code = ("import sys, _tools; "
                "sys.exit(0 if _tools.mnnconvert(sys.argv) else 1)")
        cmd = [sys.executable, "-c", code, "mnnconvert", "-f", "ONNX", "--modelFile", model.path,
               "--MNNModel", mnn_path, "--bizCode", "biz"]
        secs = _run_logged(cmd, os.path.join(out_dir, "convert.log"), "MNN converter")
        if not os.path.exists(mnn_path):
            raise EngineError(f"MNN converter wrote no {mnn_path}; see {out_dir}/convert.log")
        self._paths = getattr(self, "_paths", {})
        self._paths[model.name] = mnn_path
        return {"artifact": mnn_path, "prepare_s": secs, "command": cmd}

    def open(self, model, threads):
        if self.api == "session":
            return _MnnSessionRunner(self.MNN, self._paths[model.name], model, threads)
        return _MnnModuleRunner(self.MNN, self._paths[model.name], model, threads)


class _MnnModuleRunner:
    def __init__(self, MNN, path, model, threads):
        F = MNN.expr
        with quiet_stdout():  # prints "MNN use high precision"
            self.rt = MNN.nn.create_runtime_manager(
                ({"backend": "CPU", "numThread": threads, "precision": "high"},))
            self.module = MNN.nn.load_module_from_file(
                path, model.input_names, model.output_names, runtime_manager=self.rt,
                thread_num=threads, precision_mode=F.PrecisionMode.High)
        self.inputs, self._keep = [], []
        for n in model.input_names:
            a = np.ascontiguousarray(model.feeds[n])
            if np.issubdtype(a.dtype, np.floating):
                a = a.astype(np.float32, copy=False)
                self.inputs.append(F.const(a, list(a.shape), F.NCHW))
            else:  # MNN keeps integer tensors as int32
                a = a.astype(np.int32)
                self.inputs.append(F.const(a, list(a.shape), F.NCHW, F.int))
            self._keep.append(a)
        self.out = {}
        self.names = model.output_names

    def call(self):
        outs = self.module.forward(self.inputs)
        self.out = {n: o.read() for n, o in zip(self.names, outs)}

    def outputs(self):
        return {n: np.asarray(a) for n, a in self.out.items()}

    def close(self):
        self.module = None
        self.rt = None


class _MnnSessionRunner:
    def __init__(self, MNN, path, model, threads):
        self.MNN = MNN
        with quiet_stdout():
            self.interp = MNN.Interpreter(path)
            self.sess = self.interp.createSession(
                {"backend": "CPU", "numThread": threads, "precision": "high"})
        caffe = MNN.Tensor_DimensionType_Caffe
        self.feed = []
        for n in model.input_names:
            a = np.ascontiguousarray(model.feeds[n], dtype=np.float32)
            t = self.interp.getSessionInput(self.sess, n)
            if list(t.getShape()) != list(a.shape):
                self.interp.resizeTensor(t, tuple(a.shape))
                self.interp.resizeSession(self.sess)
            self.feed.append((t, MNN.Tensor(tuple(a.shape), MNN.Halide_Type_Float, a, caffe)))
        self.fetch = {}
        for n in model.output_names:
            t = self.interp.getSessionOutput(self.sess, n)
            shape = tuple(t.getShape())
            self.fetch[n] = (t, MNN.Tensor(shape, MNN.Halide_Type_Float,
                                           np.zeros(shape, np.float32), caffe))

    def call(self):
        for t, host in self.feed:
            t.copyFrom(host)
        self.interp.runSession(self.sess)
        for t, host in self.fetch.values():
            t.copyToHostTensor(host)

    def outputs(self):
        return {n: np.array(host.getNumpyData()) for n, (_, host) in self.fetch.items()}

    def close(self):
        # The Python binding has no releaseSession: the session goes with
        # the interpreter.
        self.feed = self.fetch = None
        self.sess = None
        self.interp = None


ENGINES = {"ours": Ours, "ort": Ort, "mnn": Mnn}
