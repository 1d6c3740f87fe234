"""heif_edit: an irot added to a heif-enc file turns the image for libheif's own decoder
(heif-convert), offsets into mdat stay right, and the item type can be changed."""
import io
import os
import shutil
import struct
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import heif_edit  # noqa: E402

needs_libheif = pytest.mark.skipif(not shutil.which("heif-enc") or not shutil.which("heif-convert"),
                                   reason="heif-enc / heif-convert not installed (apt-get install libheif-examples)")


def _heic(tmp_path, w=96, h=64):
    rng = np.random.default_rng(1)
    img = Image.fromarray(rng.integers(0, 255, (h // 8, w // 8, 3), dtype=np.uint8)).resize((w, h), Image.NEAREST)
    src = tmp_path / "src.png"
    img.save(src)
    out = tmp_path / "a.heic"
    subprocess.run(["heif-enc", "-q", "95", "-p", "preset=ultrafast", "-o", str(out), str(src)], check=True, capture_output=True)
    return out.read_bytes()


def _decode(tmp_path, data, name):
    f = tmp_path / name
    f.write_bytes(data)
    subprocess.run(["heif-convert", str(f), str(f) + ".png"], check=True, capture_output=True)
    return np.asarray(Image.open(str(f) + ".png").convert("RGB")).astype(int)


@needs_libheif
@pytest.mark.parametrize("turns", [1, 2, 3])
def test_add_irot_turns_the_image_counter_clockwise(tmp_path, turns):
    plain = _heic(tmp_path)
    base = _decode(tmp_path, plain, "plain.heic")
    turned = _decode(tmp_path, heif_edit.add_irot(plain, turns), f"irot{turns}.heic")
    assert turned.shape == np.rot90(base, turns).shape
    assert np.abs(turned - np.rot90(base, turns)).max() == 0


@needs_libheif
def test_set_item_type_changes_only_the_primary_type(tmp_path):
    plain = _heic(tmp_path)
    changed = heif_edit.set_item_type(plain, "vvc1")
    assert len(changed) == len(plain)
    assert changed.count(b"vvc1") == 1 and plain.count(b"vvc1") == 0
    assert sum(a != b for a, b in zip(plain, changed)) <= 4


def test_shift_iloc_moves_file_offsets_only():
    # iloc v1: offset/length 4 bytes, base offset 0, index 0; item 1 in the file, item 2 in idat (method 1).
    payload = bytes([1, 0, 0, 0, 0x44, 0x00]) + struct.pack(">H", 2)
    payload += struct.pack(">HHH", 1, 0, 0) + struct.pack(">H", 1) + struct.pack(">II", 1000, 50)
    payload += struct.pack(">HHH", 2, 1, 0) + struct.pack(">H", 1) + struct.pack(">II", 8, 20)
    shifted = heif_edit._shift_iloc(payload, 10)
    assert struct.unpack(">I", shifted[16:20])[0] == 1010
    assert struct.unpack(">I", shifted[32:36])[0] == 8  # idat offsets are relative: unchanged
