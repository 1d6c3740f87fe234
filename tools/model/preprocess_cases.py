"""PIL reference crops for the TypeScript preprocessing tests (src/core/preprocess/).

/usr/bin/python3 tools/model/preprocess_cases.py   # rewrites src/core/preprocess/testdata/

For small generated images (RGB up- and downscaled, odd sizes, RGBA with transparent and
half-transparent parts, gray, one already at the target size) and every resize mode x filter the
toolchain accepts, at two target sizes, with and without a fill colour and a user crop, the crop
open_clip's eval transform makes (preprocessing.crop_u8: torchvision + Pillow). Written:
- <name>.png: the image as the browser hands it to the app (RGBA, lossless);
- cases.json: per case the image, crop region, spec and the offset of its expected crop;
- expected.bin: the expected u8 RGB crops [S, S, 3], concatenated.
tools/model/tests/test_preprocess_cases.py checks that the committed files are what this makes.
"""
import io
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import preprocessing  # noqa: E402
import references  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "src", "core", "preprocess", "testdata")

# name, width, height, kind (rgb | rgba | gray)
IMAGES = [
    ("rgb-37x23", 37, 23, "rgb"),      # upscale, landscape
    ("rgb-300x200", 300, 200, "rgb"),  # downscale (antialiasing support > 1)
    ("rgb-61x129", 61, 129, "rgb"),    # portrait, odd sizes
    ("rgba-90x50", 90, 50, "rgba"),    # premultiplied alpha, fully transparent band
    ("gray-40x40", 40, 40, "gray"),    # mode L; already 40 x 40 for S = 40 (no resampling)
    ("rgb-40x17", 40, 17, "rgb"),      # 'longest' at S = 40 keeps 40 x 17: no resampling, only padding
]
SIZES = (24, 40)
CROPS = [("rgb-300x200", {"x": 50, "y": 20, "size": 150}), ("rgba-90x50", {"x": 10, "y": 3, "size": 41})]


def source(i, name, w, h, kind):
    rgb = references.lesion_rgb(100 + i, w, h)
    if kind == "gray":
        return Image.fromarray(rgb).convert("L")
    if kind == "rgba":
        alpha = np.full((h, w), 255, np.uint8)
        alpha[:, : w // 5] = 0
        alpha[:, w // 5: 2 * w // 5] = np.linspace(0, 255, 2 * w // 5 - w // 5).astype(np.uint8)
        alpha[h - h // 4:, :] = 128
        return Image.fromarray(np.dstack([rgb, alpha]), "RGBA")
    return Image.fromarray(rgb)


def png(img):
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def build():
    """-> {file name: bytes} of the test data."""
    files, cases, blob = {}, [], bytearray()
    images = {}
    for i, (name, w, h, kind) in enumerate(IMAGES):
        images[name] = source(i, name, w, h, kind)
        files[f"{name}.png"] = png(images[name].convert("RGBA"))
    runs = [(name, None, s) for name, *_ in IMAGES for s in SIZES] + [(name, c, 40) for name, c in CROPS]
    for name, crop, size in runs:
        img = images[name]
        if crop:
            img = img.crop((crop["x"], crop["y"], crop["x"] + crop["size"], crop["y"] + crop["size"]))
        for mode in preprocessing.RESIZE_MODES:
            for interp in preprocessing.INTERPOLATIONS:
                fill = 77 if (mode == "longest" and size == 40) else 0
                spec = preprocessing.Preprocess(size=size, resize_mode=mode, interpolation=interp, fill_color=fill)
                out = preprocessing.crop_u8(img, spec)
                cases.append({"image": f"{name}.png", "crop": crop, "size": size, "resize": mode,
                              "interpolation": interp, "fill": fill, "offset": len(blob)})
                blob += out.tobytes()
    files["cases.json"] = (json.dumps({"cases": cases}, indent=0) + "\n").encode()
    files["expected.bin"] = bytes(blob)
    return files


def main():
    os.makedirs(OUT, exist_ok=True)
    files = build()
    for rel, data in files.items():
        with open(os.path.join(OUT, rel), "wb") as f:
            f.write(data)
    print(f"wrote {len(files)} files ({sum(map(len, files.values()))} bytes) to {OUT}")


if __name__ == "__main__":
    main()
