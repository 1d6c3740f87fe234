"""Test photos the end-to-end tests and the decode benchmark need, made on demand (never committed),
each with its independent reference: PIL decodes the file at full resolution (EXIF orientation
applied, as a browser shows it), open_clip's transform makes the crop, and the demo-tiny model
(same seeded weights as public/models/demo-tiny, rebuilt in torch) embeds it.

/usr/bin/python3 tools/photos/make_corpus.py --out .cache/photo-corpus [--groups odd,large,heic]

Groups:
- odd: CMYK, grayscale, the 8 EXIF orientations, transparency (LA PNG, RGBA WebP), progressive,
  a JPEG named .png, 1 px, extreme aspect ratios, 4:4:4 chroma.
- large: phone-size JPEGs (12, 50 with EXIF 6, 108 progressive, 200 MP = 16320 x 12240), made by
  upscaling a real dermoscopy photo (fixtures/photos); the reference decodes them in full. Also a
  refusal: a valid GIF whose header says 1 x 1 but whose frame is 12000 x 12000.
- real: the real dermoscopy photos of fixtures/photos (3008 x 2000 JPEGs), as they are.
- heic: HEIC/HEIF written by heif-enc (Debian's libheif-examples), with an irot rotation added as
  iPhones store it, EXIF-only orientation, both together, a 12 MP one; references decoded by
  heif-convert (libheif's C build, not the app's WASM one). Also two refusals: a VVC-coded variant
  and a truncated file.

Writes <out>/<group>.json for each group: {"version", "model", "entries": [{name, file, mime,
group, width, height, expect, crop, embedding, ...}]}. `version` is the sha256 of this script and
heif_edit.py; the tests regenerate a group when it differs (e2e/photo-corpus.ts).
"""
import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "model"))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

import heif_edit  # noqa: E402
import model as model_mod  # noqa: E402
import openclip_config  # noqa: E402
import preprocessing  # noqa: E402
import references  # noqa: E402

Image.MAX_IMAGE_PIXELS = None  # the 200 MP photo is ours, not a decompression bomb

PHOTO = os.path.join(REPO, "fixtures", "photos", "ISIC_0012221.jpg")
# exif_transpose's method for each orientation, and the transpose that undoes it.
UNDO = {1: None, 2: Image.FLIP_LEFT_RIGHT, 3: Image.ROTATE_180, 4: Image.FLIP_TOP_BOTTOM,
        5: Image.TRANSPOSE, 6: Image.ROTATE_90, 7: Image.TRANSVERSE, 8: Image.ROTATE_270}


def version():
    h = hashlib.sha256()
    for f in ("make_corpus.py", "heif_edit.py"):
        with open(os.path.join(HERE, f), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


def jpeg(img, exif_orientation=None, **kw):
    buf = io.BytesIO()
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    img.save(buf, "JPEG", exif=exif.tobytes(), **{"quality": 90, **kw})
    return buf.getvalue()


def png(img):
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def lesion(w, h, seed):
    return Image.fromarray(references.lesion_rgb(seed, w, h))


def odd_group():
    """(name, bytes, mime) of odd-but-valid photos."""
    base = lesion(640, 480, 11)
    out = [
        ("cmyk.jpg", jpeg(lesion(800, 600, 12).convert("CMYK")), "image/jpeg"),
        ("gray.jpg", jpeg(lesion(700, 500, 13).convert("L")), "image/jpeg"),
        ("progressive.jpg", jpeg(lesion(1200, 800, 14), progressive=True), "image/jpeg"),
        ("chroma444.jpg", jpeg(lesion(900, 700, 15), subsampling=0), "image/jpeg"),
        # JPEG bytes under a PNG name and type: the app goes by the bytes.
        ("really-a-jpeg.png", jpeg(lesion(500, 400, 16)), "image/png"),
        ("one-pixel.png", png(Image.new("RGB", (1, 1), (181, 120, 95))), "image/png"),
        ("one-pixel.jpg", jpeg(Image.new("RGB", (1, 1), (181, 120, 95))), "image/jpeg"),
        ("wide-strip.png", png(lesion(3000, 40, 17)), "image/png"),
        ("tall-strip.jpg", jpeg(lesion(40, 2400, 18)), "image/jpeg"),
    ]
    la = lesion(420, 360, 19).convert("L").convert("LA")
    alpha = np.full((360, 420), 255, np.uint8)
    alpha[:, :84] = 0
    alpha[:, 84:168] = np.linspace(0, 255, 84).astype(np.uint8)
    la.putalpha(Image.fromarray(alpha))
    out.append(("gray-alpha.png", png(la), "image/png"))
    rgba = lesion(420, 360, 20).convert("RGBA")
    rgba.putalpha(Image.fromarray(alpha))
    buf = io.BytesIO()
    rgba.save(buf, "WEBP", lossless=True)
    out.append(("alpha.webp", buf.getvalue(), "image/webp"))
    for o in range(1, 9):
        stored = base if UNDO[o] is None else base.transpose(UNDO[o])
        out.append((f"exif-{o}.jpg", jpeg(stored, exif_orientation=o), "image/jpeg"))
    return out


def large_group(tmp):
    """Phone-size JPEGs made from a real photo; written to disk directly (tens of MB)."""
    src = Image.open(PHOTO).convert("RGB")
    specs = [("phone-12mp.jpg", (4000, 3000), {}, None),
             ("phone-50mp-exif6.jpg", (8160, 6120), {}, 6),
             ("phone-108mp-progressive.jpg", (12000, 9000), {"progressive": True}, None),
             ("phone-200mp.jpg", (16320, 12240), {"quality": 85}, None)]
    out = []
    for name, size, kw, o in specs:
        big = src.resize(size, Image.BICUBIC)
        path = os.path.join(tmp, name)
        exif = Image.Exif()
        if o:
            exif[0x0112] = o
        big.save(path, "JPEG", exif=exif.tobytes(), **{"quality": 90, **kw})
        del big
        out.append((name, path, "image/jpeg"))
    return out


def gif_bomb():
    """A valid GIF whose only frame is 12000 x 12000 (144 MP, 108 KB of LZW) while its header says 1 x 1."""
    im = Image.new("P", (12000, 12000), 0)
    im.putpalette([200, 150, 120] * 256)
    buf = io.BytesIO()
    im.save(buf, "GIF")
    data = bytearray(buf.getvalue())
    data[6:10] = bytes([1, 0, 1, 0])  # logical screen width, height (u16 LE)
    return bytes(data)


def heif_enc(src_path, out_path, *args):
    # x265's fastest preset: the files are test inputs, not archives (12 MP in seconds, not minutes).
    subprocess.run(["heif-enc", "-q", "90", "-p", "preset=ultrafast", *args, "-o", out_path, src_path],
                   check=True, capture_output=True)


def heic_group(tmp):
    """(name, bytes, mime, reference image or None, extra) of HEIC files."""
    if not shutil.which("heif-enc") or not shutil.which("heif-convert"):
        raise SystemExit("heif-enc / heif-convert not found: apt-get install libheif-examples")
    upright = lesion(1200, 900, 21)
    plain_src = os.path.join(tmp, "heic-src.png")
    upright.save(plain_src)
    exif_src = os.path.join(tmp, "heic-src-exif6.jpg")
    with open(exif_src, "wb") as f:
        f.write(jpeg(upright.transpose(UNDO[6]), exif_orientation=6, quality=97))
    big_src = os.path.join(tmp, "heic-src-12mp.png")
    Image.open(PHOTO).convert("RGB").resize((4032, 3024), Image.BICUBIC).save(big_src)

    def enc(src, name):
        out = os.path.join(tmp, name)
        heif_enc(src, out)
        with open(out, "rb") as f:
            return f.read()

    plain = enc(plain_src, "plain.heic")
    exif6 = enc(exif_src, "exif6.heic")  # heif-enc 1.15 keeps EXIF 6, adds no irot
    files = [
        ("heic-plain.heic", plain, {"orientation": 1}),
        ("heic-irot90.heic", heif_edit.add_irot(plain, 1), {"orientation": 1}),
        ("heic-exif6-only.heic", exif6, {"orientation": 6}),
        # As an iPhone writes a photo taken sideways: irot turns it upright, EXIF says the same.
        ("heic-iphone-irot-exif6.heic", heif_edit.add_irot(exif6, 3), {"orientation": 1}),
        ("heic-12mp.heic", enc(big_src, "big.heic"), {"orientation": 1}),
    ]
    out = []
    for name, data, extra in files:
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        ref_png = path + ".ref.png"
        subprocess.run(["heif-convert", path, ref_png], check=True, capture_output=True)
        ref = Image.open(ref_png).convert("RGB")
        # heif-convert applies irot/imir; an EXIF-only orientation is applied here, as the app does.
        if extra["orientation"] != 1:
            ref = ImageOps.exif_transpose(_with_orientation(ref, extra["orientation"]))
        out.append((name, data, "image/heic", ref))
    refusals = [
        ("heic-vvc.heic", heif_edit.set_item_type(plain, "vvc1"), "image/heic"),
        ("heic-truncated.heic", plain[: len(plain) // 2], "image/heic"),
    ]
    return out, refusals


def _with_orientation(img, o):
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = o
    img.save(buf, "PNG", exif=exif.tobytes())
    return Image.open(io.BytesIO(buf.getvalue()))


class Reference:
    """demo-tiny in torch (seed 0, tools/model/configs/demo-tiny.json) and its preprocessing."""

    def __init__(self):
        spec = openclip_config.load(openclip_config.fixture_path("tiny"))
        self.pre = spec.preprocess
        self.model = model_mod.build(spec.model, 0)
        self._check()

    def _check(self):
        refs = json.load(open(os.path.join(REPO, "public/models/demo-tiny/references/references.json")))
        first = refs["images"][0]
        with open(os.path.join(REPO, "public/models/demo-tiny", first["file"]), "rb") as f:
            emb = self.embed(references.decode(f.read()))[1]
        want = np.asarray(first["embedding"], np.float32)
        cos = float(emb @ want / np.linalg.norm(emb) / np.linalg.norm(want))
        if cos < 0.99999:
            raise SystemExit(f"demo-tiny rebuilt in torch differs from the committed bundle (cosine {cos})")

    def embed(self, img):
        crop = preprocessing.crop_u8(img, self.pre)
        with torch.no_grad():
            e = self.model.encode_image(preprocessing.crop_to_tensor(crop, self.pre)[None])[0].numpy()
        return crop, e


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(REPO, ".cache", "photo-corpus"))
    ap.add_argument("--groups", default="odd,large,real,heic")
    args = ap.parse_args()
    groups = set(args.groups.split(","))
    t0 = time.time()
    ref = Reference()
    os.makedirs(args.out, exist_ok=True)
    entries = []
    made = {}

    def add(name, group, mime, img, path, **extra):
        crop, emb = ref.embed(img)
        crop_file = name + ".crop.u8"
        with open(os.path.join(args.out, crop_file), "wb") as f:
            f.write(crop.tobytes())
        entries.append({"name": name, "file": os.path.basename(path), "mime": mime, "group": group,
                        "expect": "open", "width": img.width, "height": img.height,
                        "bytes": os.path.getsize(path), "crop": crop_file,
                        "embedding": [float(f"{x:.9g}") for x in emb.tolist()], **extra})

    def write(name, data):
        path = os.path.join(args.out, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    with tempfile.TemporaryDirectory() as tmp:
        if "odd" in groups:
            for name, data, mime in odd_group():
                path = write(name, data)
                add(name, "odd", mime, ImageOps.exif_transpose(Image.open(path)), path)
        if "large" in groups:
            for name, src, mime in large_group(tmp):
                path = os.path.join(args.out, name)
                shutil.move(src, path)
                img = ImageOps.exif_transpose(Image.open(path))
                add(name, "large", mime, img, path)
                del img
            name = "gif-1x1-header-12000-frame.gif"
            data = gif_bomb()
            write(name, data)
            entries.append({"name": name, "file": name, "mime": "image/gif", "group": "large", "expect": "refuse", "bytes": len(data)})
        if "real" in groups:
            for src in sorted(os.listdir(os.path.dirname(PHOTO))):
                if src.lower().endswith(".jpg"):
                    path = os.path.join(args.out, src)
                    shutil.copyfile(os.path.join(os.path.dirname(PHOTO), src), path)
                    add(src, "real", "image/jpeg", ImageOps.exif_transpose(Image.open(path)), path)
        if "heic" in groups:
            ok, refusals = heic_group(tmp)
            for name, data, mime, img in ok:
                add(name, "heic", mime, img, write(name, data))
            for name, data, mime in refusals:
                path = write(name, data)
                entries.append({"name": name, "file": name, "mime": mime, "group": "heic", "expect": "refuse", "bytes": len(data)})
    for group in sorted(groups):
        mine = [e for e in entries if e["group"] == group]
        with open(os.path.join(args.out, f"{group}.json"), "w") as f:
            json.dump({"version": version(), "model": "demo-tiny", "entries": mine}, f)
        made[group] = len(mine)
    print(f"wrote {made} photos to {args.out} in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
