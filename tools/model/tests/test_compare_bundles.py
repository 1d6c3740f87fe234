import json
import os
import shutil

import numpy as np

from compare_bundles import compare

HERE = os.path.dirname(os.path.abspath(__file__))
TINY = os.path.join(HERE, "..", "..", "..", "public", "models", "demo-tiny")


def copy(tmp_path):
    dst = tmp_path / "b"
    shutil.copytree(TINY, dst)
    return dst


def with_embeddings(tmp_path, edit):
    """A copy of the bundle whose text-embedding table went through edit(values) (float16, in place)."""
    b = copy(tmp_path)
    f = b / "text-embeddings.f16.bin"
    v = np.fromfile(f, dtype="<f2")
    edit(v)
    v.tofile(f)
    return str(b)


def largest(v):
    i = int(np.argmax(np.abs(v)))
    assert abs(float(v[i])) >= 0.125  # so one float16 step there is at least 1.22e-4, above FLOAT_TOL alone
    return i


def step_toward_zero(v, i, steps):
    for _ in range(steps):
        v[i] = np.nextafter(v[i], np.float16(0))


def test_identical_bundles_match(tmp_path):
    assert compare(TINY, str(copy(tmp_path))) == []


def test_last_bit_float_noise_is_tolerated(tmp_path):
    def edit(v):
        v[0] = np.nextafter(v[0], np.float16(1))

    assert compare(TINY, with_embeddings(tmp_path, edit)) == []


def test_one_float16_step_on_a_large_value_is_tolerated(tmp_path):
    # CI on another CPU: one value near 0.2 rounded to the next float16, 1.22e-4 away.
    assert compare(TINY, with_embeddings(tmp_path, lambda v: step_toward_zero(v, largest(v), 1))) == []


def test_two_float16_steps_on_a_large_value_fail(tmp_path):
    problems = compare(TINY, with_embeddings(tmp_path, lambda v: step_toward_zero(v, largest(v), 2)))
    assert any("text-embeddings" in p for p in problems)


def test_a_changed_onnx_file_fails(tmp_path):
    b = copy(tmp_path)
    f = b / "image.fp32.onnx"
    data = bytearray(f.read_bytes())
    data[100] ^= 1
    f.write_bytes(bytes(data))
    assert any("image.fp32.onnx" in p for p in compare(TINY, str(b)))


def test_changed_token_ids_fail(tmp_path):
    b = copy(tmp_path)
    f = b / "references" / "references.json"
    refs = json.loads(f.read_text())
    refs["prompts"][0]["ids"][1] += 1
    f.write_text(json.dumps(refs))
    assert any("ids" in p for p in compare(TINY, str(b)))


def test_a_big_embedding_change_fails(tmp_path):
    def edit(v):
        v[5] += np.float16(0.01)

    assert any("text-embeddings" in p for p in compare(TINY, with_embeddings(tmp_path, edit)))
