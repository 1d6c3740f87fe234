"""The TypeScript preprocessing tests' PIL references are what preprocess_cases.py makes (PIL here)."""
import io
import json
import os

import numpy as np
from PIL import Image

import preprocess_cases
import preprocessing


def test_committed_testdata_is_what_pil_makes():
    fresh = preprocess_cases.build()
    committed = sorted(os.listdir(preprocess_cases.OUT))
    assert committed == sorted(fresh), "run /usr/bin/python3 tools/model/preprocess_cases.py"
    for name, data in fresh.items():
        with open(os.path.join(preprocess_cases.OUT, name), "rb") as f:
            old = f.read()
        if name.endswith(".png"):  # compare pixels: zlib output may differ between builds
            a, b = (np.asarray(Image.open(io.BytesIO(x))) for x in (old, data))
            assert a.shape == b.shape and np.array_equal(a, b), name
        else:
            assert old == data, f"{name} differs from a fresh build: run tools/model/preprocess_cases.py"


def test_cases_cover_every_accepted_mode_and_filter():
    cases = json.loads(preprocess_cases.build()["cases.json"])["cases"]
    assert {(c["resize"], c["interpolation"]) for c in cases} == {
        (m, i) for m in preprocessing.RESIZE_MODES for i in preprocessing.INTERPOLATIONS}
    assert any(c["fill"] for c in cases) and any(c["crop"] for c in cases)


def test_keep_ratio_and_pad_rules():
    assert preprocessing.keep_ratio_size(640, 480, 224) == (224, 168)
    assert preprocessing.keep_ratio_size(448, 5, 224) == (224, 2)  # 2.5 rounds to even
    img = Image.new("RGB", (224, 168), (1, 2, 3))
    out = np.asarray(preprocessing.center_crop_or_pad(img, 224, 9))
    assert out.shape == (224, 224, 3)
    assert (out[:28] == 9).all() and (out[-28:] == 9).all() and (out[28:-28] == (1, 2, 3)).all()
