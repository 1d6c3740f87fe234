"""Cosines between the crops the app made and PIL's full-resolution crops, through two models with
seeded random weights: demo-tiny (the committed bundle's weights) and ViT-B/16 size (demo-full's
config, never exported: only its image tower runs here, in PyTorch).

usage: crop_cosines.py <pairs.json>  (a list of {"id", "ref": path, "crops": {method: path}})
prints {"<id>": {"<method>": {"tiny": cos, "full": cos}}} as JSON.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools", "model"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import model as model_mod  # noqa: E402
import openclip_config  # noqa: E402
import preprocessing  # noqa: E402


def crop(path):
    return np.fromfile(path, np.uint8).reshape(224, 224, 3)


def main():
    pairs = json.load(open(sys.argv[1]))
    out = {p["id"]: {m: {} for m in p["crops"]} for p in pairs}
    for size in ("tiny", "full"):
        spec = openclip_config.load(openclip_config.fixture_path(size))
        net = model_mod.build(spec.model, 0)
        for p in pairs:
            names = ["ref", *p["crops"]]
            paths = [p["ref"], *p["crops"].values()]
            x = torch.stack([preprocessing.crop_to_tensor(crop(f), spec.preprocess) for f in paths])
            with torch.no_grad():
                e = net.encode_image(x).numpy()
            e /= np.linalg.norm(e, axis=1, keepdims=True)
            for i, name in enumerate(names[1:], 1):
                out[p["id"]][name][size] = float(e[0] @ e[i])
        del net
    print(json.dumps(out))


if __name__ == "__main__":
    main()
