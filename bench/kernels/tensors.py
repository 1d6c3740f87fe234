"""Input tensors for the kernel A/B (open_clip preprocessing of demo-full's manifest, PIL):
calib.f32: 8 synthetic lesion images (calibration of static activation ranges);
eval.f32: the two ISIC photos of fixtures/photos + 2 more synthetic ones (held out).
/usr/bin/python3 bench/kernels/tensors.py <out dir>"""
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "model"))
import preprocessing  # noqa: E402
import references  # noqa: E402

out = sys.argv[1]
spec = preprocessing.Preprocess()
calib = [Image.fromarray(references.lesion_rgb(100 + i, 640, 480)) for i in range(8)]
photos = [preprocessing.exif_oriented(Image.open(os.path.join(ROOT, "fixtures/photos", f))).convert("RGB")
          for f in ("ISIC_0012221.jpg", "ISIC_0012222.jpg")]
evals = photos + [Image.fromarray(references.lesion_rgb(200 + i, 500, 700)) for i in range(2)]
for name, imgs in (("calib", calib), ("eval", evals)):
    x = np.stack([preprocessing.tensor(im, spec).numpy() for im in imgs]).astype(np.float32)
    x.tofile(os.path.join(out, f"{name}.f32"))
    print(name, x.shape)
