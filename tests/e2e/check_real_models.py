#!/usr/bin/env python3
"""Real-world models shipped in pip packages, compiled and compared with ONNX Runtime.

    python3 tests/e2e/check_real_models.py --mnn-compile BUILD/bin/mnn-compile \\
        --model det|rec|cls|vad [--work DIR] [--threads T]

Models (nothing is downloaded; they come with the packages tools/setup.sh installs):
  det  rapidocr_onnxruntime 1.4.4  models/ch_PP-OCRv4_det_infer.onnx    x: 1x3x640x640
  rec  rapidocr_onnxruntime 1.4.4  models/ch_PP-OCRv4_rec_infer.onnx    x: 1x3x48x320
  cls  rapidocr_onnxruntime 1.4.4  models/ch_ppocr_mobile_v2.0_cls_infer.onnx x: 1x3x48x192
  vad  faster_whisper              assets/silero_vad_v6.onnx
       input: 1x576 (512 samples of 16 kHz audio + 64 samples of context), h, c: 1x1x128

Inputs are seeded: image-like data normalized to [-1, 1] for the OCR models (smooth
background with dark strokes, as after rapidocr's (x/255 - 0.5)/0.5), a synthetic
16 kHz signal (two tones + noise) and zero LSTM state for the VAD.

Pass: every output within max|out - ref| <= 1e-4 * max|ref| (the e2e rule).

Exit status: 0 pass; 1 fail (any compile error included: the line
"BLOCKED: <model>: <compile error>" names an unsupported op and its node);
77 skip, only when the pip package is not installed.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "models"))

SKIP = 77
REL_TOL = 1e-4

MODELS = {
    "det": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_det_infer.onnx",
            {"x": [1, 3, 640, 640]}),
    "rec": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx",
            {"x": [1, 3, 48, 320]}),
    "cls": ("rapidocr_onnxruntime", "models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            {"x": [1, 3, 48, 192]}),
    "vad": ("faster_whisper", "assets/silero_vad_v6.onnx",
            {"input": [1, 576], "h": [1, 1, 128], "c": [1, 1, 128]}),
}


def model_path(key):
    package, rel, _ = MODELS[key]
    try:
        mod = __import__(package)
    except ImportError as e:
        return None, f"pip package '{package}' is not installed ({e}); run tools/setup.sh"
    path = os.path.join(os.path.dirname(mod.__file__), rel)
    if not os.path.exists(path):
        return None, f"{package} has no {rel} (another version of the package?)"
    return path, None


def image_like(rng, shape):
    """Smooth light background with a few dark strokes, normalized to [-1, 1]."""
    n, c, h, w = shape
    coarse = rng.uniform(0.7, 1.0, (n, c, h // 8 + 2, w // 8 + 2))
    ys = np.linspace(0, coarse.shape[2] - 1.001, h)
    xs = np.linspace(0, coarse.shape[3] - 1.001, w)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    g = coarse[:, :, y0][:, :, :, x0] * (1 - fy) * (1 - fx) \
        + coarse[:, :, y0 + 1][:, :, :, x0] * fy * (1 - fx) \
        + coarse[:, :, y0][:, :, :, x0 + 1] * (1 - fy) * fx \
        + coarse[:, :, y0 + 1][:, :, :, x0 + 1] * fy * fx
    for _ in range(max(4, h * w // 4000)):
        y, x = rng.integers(0, h), rng.integers(0, w)
        g[:, :, y:y + rng.integers(2, max(3, h // 6)), x:x + rng.integers(2, 6)] *= 0.15
        g[:, :, y:y + rng.integers(2, 4), x:x + rng.integers(2, max(3, w // 10))] *= 0.15
    g += rng.normal(0, 0.02, g.shape)
    return ((np.clip(g, 0, 1) - 0.5) / 0.5).astype(np.float32)


def text_page(rng, shape):
    """Lines of black text on a light page (PIL), normalized to [-1, 1]: the
    detector then sees real text, so its probability map is far from zero and
    the relative tolerance means something. Falls back to image_like."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return image_like(rng, shape)
    n, c, h, w = shape
    page = Image.new("RGB", (w, h), (235, 235, 230))
    draw = ImageDraw.Draw(page)
    try:
        font = ImageFont.load_default(size=36)
    except TypeError:
        font = ImageFont.load_default()
    words = ["MNN", "compiler", "2026", "ahead", "of", "time", "NEON", "AVX2", "OCR"]
    y = 20
    while y < h - 60:
        line = " ".join(rng.choice(words, size=3))
        draw.text((int(rng.integers(10, max(11, w // 4))), y), line, fill=(20, 20, 20), font=font)
        y += int(rng.integers(60, 110))
    arr = np.asarray(page, dtype=np.float32).transpose(2, 0, 1)[None] / 255.0
    arr = np.repeat(arr, n, axis=0)[:, :c]
    return ((arr - 0.5) / 0.5).astype(np.float32)


def make_inputs(key, shapes):
    rng = np.random.default_rng(20260 + sum(map(ord, key)))
    if key == "vad":
        t = np.arange(576) / 16000.0
        sig = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.15 * np.sin(2 * np.pi * 1250 * t)
        sig += rng.normal(0, 0.02, t.shape)
        return {"input": sig[None].astype(np.float32),
                "h": np.zeros(shapes["h"], np.float32),
                "c": np.zeros(shapes["c"], np.float32)}
    if key == "det":
        return {"x": text_page(rng, shapes["x"])}
    return {"x": image_like(rng, shapes["x"])}


def run_ort(path, feeds):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, feeds)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mnn-compile", required=True)
    ap.add_argument("--model", required=True, choices=sorted(MODELS))
    ap.add_argument("--work", help="build directory (default: a temporary one)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    key = args.model
    path, why = model_path(key)
    if path is None:
        print(f"SKIP: {key}: {why}")
        return SKIP
    shapes = MODELS[key][2]
    work = args.work or tempfile.mkdtemp(prefix=f"mnn_real_{key}_")
    out_dir = os.path.join(work, key)
    cmd = [args.mnn_compile, path, "-o", out_dir, "--name", key]
    for name, shape in shapes.items():
        cmd += ["--input-shape", f"{name}={'x'.join(map(str, shape))}"]
    print("$", " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        err = (p.stderr.strip() or p.stdout.strip()).splitlines()
        line = err[-1] if err else f"exit code {p.returncode}"
        if "unsupported operator" in line:
            print(f"BLOCKED: {key}: {line}")
            print(f"FAIL: {key} needs an operator the compiler does not support")
            return 1
        print(f"FAIL: {key}: mnn-compile failed: {line}")
        return 1

    from mnn_model import MnnModel

    feeds = make_inputs(key, shapes)
    model = MnnModel(os.path.join(out_dir, f"lib{key}.so"), threads=args.threads)
    got = model.run(feeds)
    refs = run_ort(path, feeds)
    ok = True
    for name, ref in refs.items():
        out = got.get(name)
        if out is None:
            print(f"{key} output {name}: missing from the compiled model: FAIL")
            ok = False
            continue
        if out.shape != ref.shape:
            print(f"{key} output {name}: shape {out.shape}, expected {ref.shape}: FAIL")
            ok = False
            continue
        err = float(np.max(np.abs(out.astype(np.float64) - ref)))
        bound = REL_TOL * float(np.max(np.abs(ref)))
        good = err <= bound and np.all(np.isfinite(out))
        print(f"{key} output {name}: max abs err {err:.3g}, bound {bound:.3g}: "
              f"{'PASS' if good else 'FAIL'}")
        ok &= bool(good)
    print(f"{key}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
