"""Is a freshly built bundle the committed one? Used by CI.

/usr/bin/python3 tools/model/compare_bundles.py COMMITTED FRESH

Every file must be byte-identical (ONNX graphs, tokenizer, prompts, images, crops), except the
two that hold torch float arithmetic, whose last bits can move with the CPU's BLAS kernels:
text-embeddings.f16.bin (compared value by value, to FLOAT_TOL plus one float16 step: a float32
difference far below 1e-4 can still round to neighbouring float16 values, 1.22e-4 apart near 0.2) and references/references.json (structure
and token ids exact, embeddings compared value by value). Their byte sizes and sha256 in
manifest.json may differ accordingly, and so may the variants' measured fidelity (to 1e-3);
every other manifest field must be equal.
"""
import json
import os
import sys

import numpy as np

FLOAT_TOL = 1e-4  # absolute, on L2-normalised or raw embedding values of order 0.01..1
FIDELITY_TOL = 1e-3  # absolute, on a manifest's scalar floats (cosines measured with onnxruntime-node)


def files_under(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/"))
    return out


def close_json(a, b, path, problems):
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            problems.append(f"{path}: keys differ: {sorted(set(a) ^ set(b))}")
            return
        for k in a:
            close_json(a[k], b[k], f"{path}.{k}", problems)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            problems.append(f"{path}: length {len(a)} vs {len(b)}")
        elif a and all(isinstance(x, float) for x in a + b):
            d = float(np.max(np.abs(np.array(a) - np.array(b))))
            if d > FLOAT_TOL:
                problems.append(f"{path}: max abs difference {d:.2e} > {FLOAT_TOL}")
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                close_json(x, y, f"{path}[{i}]", problems)
    elif isinstance(a, float) and isinstance(b, float):
        # Measured figures (a variant's fidelity) move in the last digits with the CPU's kernels.
        if abs(a - b) > FIDELITY_TOL:
            problems.append(f"{path}: {a!r} != {b!r} (beyond {FIDELITY_TOL})")
    elif a != b:
        problems.append(f"{path}: {a!r} != {b!r}")


def compare(committed, fresh):
    problems = []
    fa, fb = files_under(committed), files_under(fresh)
    if fa != fb:
        problems.append(f"file lists differ: only committed {sorted(fa - fb)}, only fresh {sorted(fb - fa)}")
    ma = json.load(open(os.path.join(committed, "manifest.json")))
    float_files = {ma["textEmbeddings"]["file"], ma.get("references")} - {None}
    for name in sorted(fa & fb):
        pa, pb = os.path.join(committed, name), os.path.join(fresh, name)
        if name == "manifest.json":
            a, b = json.load(open(pa)), json.load(open(pb))
            for f in float_files:
                for m in (a, b):
                    m.get("files", {}).pop(f, None)
            close_json(a, b, "manifest", problems)
        elif name == ma["textEmbeddings"]["file"]:
            a16, b16 = np.fromfile(pa, dtype="<f2"), np.fromfile(pb, dtype="<f2")
            if a16.shape != b16.shape:
                problems.append(f"{name}: {a16.size} vs {b16.size} values")
            else:
                # one float16 step at each value's magnitude: the rounding of a tiny float32 change
                step = np.spacing(np.maximum(np.abs(a16), np.abs(b16))).astype(np.float32)
                d = np.abs(a16.astype(np.float32) - b16.astype(np.float32))
                over = d > FLOAT_TOL + step
                if over.any():
                    i = int(np.argmax(np.where(over, d, 0)))
                    problems.append(f"{name}: {int(over.sum())} values differ beyond {FLOAT_TOL} plus one "
                                    f"float16 step, the largest by {float(d[i]):.2e} at index {i}")
        elif name == ma.get("references"):
            close_json(json.load(open(pa)), json.load(open(pb)), name, problems)
        elif open(pa, "rb").read() != open(pb, "rb").read():
            problems.append(f"{name}: bytes differ")
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    problems = compare(sys.argv[1], sys.argv[2])
    for p in problems:
        print("DIFFERS:", p)
    if problems:
        sys.exit(1)
    print(f"bundles match: {sys.argv[1]} == {sys.argv[2]}")


if __name__ == "__main__":
    main()
