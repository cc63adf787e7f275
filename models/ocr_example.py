#!/usr/bin/env python3
"""OCR with models compiled by mnn-compile: PP-OCRv4 text detection + recognition.

    python3 models/ocr_example.py --mnn-compile build/bin/mnn-compile \\
        [--text "MNN 2026 compiler"] [--work DIR] [--image OUT.png] [--check]

1. renders a line of text with PIL on a 640x640 white page (no input files needed);
2. compiles rapidocr's PP-OCRv4 det model (x: 1x3x640x640) and rec model
   (x: 1x3x48x320) with mnn-compile (once; kept in --work) and loads the .so files
   in-process with ctypes (models/mnn_model.py, the C ABI of model_api.h);
3. detection: probability map -> threshold 0.3 -> connected components -> boxes
   (score >= 0.5, expanded by DB's unclip rule with ratio 1.6), numpy only;
4. recognition of each box (cropped, resized to height 48, normalized, padded to
   width 320), CTC greedy decoding with the character list stored in the rec model's
   metadata ("character"; index 0 is the CTC blank, a space is appended at the end);
5. prints the boxes and the recognized text.

--check compares the recognized text with the rendered one, ignoring case and
spaces (DB may split a line into words, and the recognizer may drop a space), and
allowing an edit distance of 1 for a confusable glyph. Exit status: 0 ok, 1 mismatch
or error (an unsupported operator is named by a line "BLOCKED: ..."), 77 (skip)
only when rapidocr_onnxruntime / PIL are not installed.
"""

import argparse
import collections
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SKIP = 77
DET_SIZE = 640
REC_H, REC_W = 48, 320


class Blocked(Exception):
    pass


def render(text, size=DET_SIZE):
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.load_default(size=44)  # Pillow >= 10.1 with FreeType
    except TypeError:
        font = ImageFont.truetype("DejaVuSans.ttf", 44)
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (size - (right - left)) // 2 - left
    y = (size - (bottom - top)) // 2 - top
    draw.text((x, y), text, fill="black", font=font)
    return np.asarray(img)


def compile_model(mnn_compile, onnx_path, name, shape, work):
    out_dir = os.path.join(work, name)
    so = os.path.join(out_dir, f"lib{name}.so")
    # Reuse a build newer than both the compiler and the model (the ctest shares
    # the builds of tests/e2e/check_real_models.py).
    if os.path.exists(so) and os.path.getmtime(so) > max(
            os.path.getmtime(mnn_compile), os.path.getmtime(onnx_path)):
        return so
    cmd = [mnn_compile, onnx_path, "-o", out_dir, "--name", name,
           "--input-shape", "x=" + "x".join(map(str, shape))]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        lines = (p.stderr.strip() or p.stdout.strip()).splitlines()
        line = lines[-1] if lines else f"exit code {p.returncode}"
        if "unsupported operator" in line:
            raise Blocked(f"{name}: {line}")
        raise RuntimeError(f"mnn-compile {name} failed: {line}")
    return so


def normalize(rgb):
    """HWC uint8 RGB -> CHW float in [-1, 1], BGR channel order as PaddleOCR's cv2."""
    x = rgb[:, :, ::-1].astype(np.float32).transpose(2, 0, 1) / 255.0
    return (x - 0.5) / 0.5


def components(mask):
    """4-connected components of a bool mask -> list of (ys, xs) index arrays."""
    labels = np.zeros(mask.shape, np.int32)
    h, w = mask.shape
    found = []
    for sy, sx in zip(*np.nonzero(mask)):
        if labels[sy, sx]:
            continue
        label = len(found) + 1
        labels[sy, sx] = label
        queue = collections.deque([(sy, sx)])
        ys, xs = [], []
        while queue:
            y, x = queue.popleft()
            ys.append(y)
            xs.append(x)
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not labels[ny, nx]:
                    labels[ny, nx] = label
                    queue.append((ny, nx))
        found.append((np.array(ys), np.array(xs)))
    return found


def detect_boxes(prob, thresh=0.3, box_thresh=0.5, unclip_ratio=1.6, min_size=3):
    h, w = prob.shape
    boxes = []
    for ys, xs in components(prob > thresh):
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        if min(y1 - y0, x1 - x0) < min_size:
            continue
        if prob[ys, xs].mean() < box_thresh:
            continue
        # DB shrinks text regions by d = area * (1 - r^2) / perimeter in training;
        # unclip grows them back by area * unclip_ratio / perimeter.
        bw, bh = x1 - x0, y1 - y0
        d = bw * bh * unclip_ratio / (2 * (bw + bh))
        boxes.append((max(0, int(x0 - d)), max(0, int(y0 - d)),
                      min(w, int(math.ceil(x1 + d))), min(h, int(math.ceil(y1 + d)))))
    # Reading order: top to bottom, then left to right.
    return sorted(boxes, key=lambda b: (b[1] // 16, b[0]))


def rec_input(crop):
    from PIL import Image

    h, w = crop.shape[:2]
    rw = min(REC_W, int(math.ceil(REC_H * w / h)))
    resized = np.asarray(Image.fromarray(crop).resize((rw, REC_H), Image.BILINEAR))
    x = np.zeros((3, REC_H, REC_W), np.float32)
    x[:, :, :rw] = normalize(resized)
    return x[None]


def ctc_greedy(probs, chars):
    ids = probs.argmax(-1)
    out, prev = [], 0
    for i in ids:
        if i != prev and i != 0:
            out.append(chars[i])
        prev = i
    return "".join(out)


def edit_distance(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mnn-compile", required=True)
    ap.add_argument("--text", default="MNN 2026 compiler")
    ap.add_argument("--work", help="where the compiled models go (reused while newer "
                    "than mnn-compile and the model)")
    ap.add_argument("--image", help="save the rendered page here")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless the recognized text matches --text")
    args = ap.parse_args()

    try:
        import onnx
        import PIL  # noqa: F401
        import rapidocr_onnxruntime
    except ImportError as e:
        print(f"SKIP: {e} (run tools/setup.sh)")
        return SKIP
    from mnn_model import MnnModel

    models = os.path.join(os.path.dirname(rapidocr_onnxruntime.__file__), "models")
    det_onnx = os.path.join(models, "ch_PP-OCRv4_det_infer.onnx")
    rec_onnx = os.path.join(models, "ch_PP-OCRv4_rec_infer.onnx")
    work = args.work or tempfile.mkdtemp(prefix="mnn_ocr_")
    try:
        det_so = compile_model(args.mnn_compile, det_onnx, "det",
                               [1, 3, DET_SIZE, DET_SIZE], work)
        rec_so = compile_model(args.mnn_compile, rec_onnx, "rec",
                               [1, 3, REC_H, REC_W], work)
    except Blocked as e:
        print(f"BLOCKED: {e}")
        print("FAIL: a model needs an operator the compiler does not support")
        return 1
    det = MnnModel(det_so, threads=args.threads)
    rec = MnnModel(rec_so, threads=args.threads)
    meta = {p.key: p.value for p in onnx.load(rec_onnx, load_external_data=False)
            .metadata_props}
    chars = ["blank"] + meta["character"].splitlines() + [" "]

    page = render(args.text)
    if args.image:
        from PIL import Image
        Image.fromarray(page).save(args.image)
    prob = next(iter(det.run({"x": normalize(page)[None]}).values()))[0, 0]
    boxes = detect_boxes(prob)
    words = []
    for x0, y0, x1, y1 in boxes:
        probs = next(iter(rec.run({"x": rec_input(page[y0:y1, x0:x1])}).values()))[0]
        word = ctc_greedy(probs, chars)
        print(f"box ({x0}, {y0})-({x1}, {y1}): '{word}'")
        words.append(word.strip())
    text = " ".join(w for w in words if w)
    print(f"recognized: '{text}'")
    if not args.check:
        return 0
    want = args.text.replace(" ", "").lower()
    got = text.replace(" ", "").lower()
    dist = edit_distance(got, want)
    ok = dist <= 1
    print(f"expected '{args.text}': edit distance {dist} (case and spaces ignored): "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
