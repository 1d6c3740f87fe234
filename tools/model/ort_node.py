"""Run ONNX files with onnxruntime-node (through ort_run.mjs) from Python."""
import json
import os
import subprocess
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def run(jobs):
    """jobs: [(model_path, input_name, np.ndarray)] -> [(output f32 array, ms)]."""
    with tempfile.TemporaryDirectory() as tmp:
        spec = []
        for i, (path, name, x) in enumerate(jobs):
            data = os.path.join(tmp, f"in{i}.bin")
            np.ascontiguousarray(x).tofile(data)
            spec.append({"model": os.path.abspath(path), "input": name,
                         "dtype": "int64" if x.dtype == np.int64 else "float32",
                         "shape": list(x.shape), "data": data, "out": os.path.join(tmp, f"out{i}.bin")})
        with open(os.path.join(tmp, "jobs.json"), "w") as f:
            json.dump(spec, f)
        res = subprocess.run(["node", os.path.join(HERE, "ort_run.mjs"), os.path.join(tmp, "jobs.json")],
                             cwd=REPO, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(res.stderr[-4000:])
        lines = [json.loads(l) for l in res.stdout.splitlines() if l.startswith("{")]
        out = []
        for s, line in zip(spec, lines):
            y = np.fromfile(s["out"], np.float32).reshape(line["dims"])
            out.append((y, line["ms"]))
        return out
