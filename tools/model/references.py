"""Reference images and prompts for fixture bundles, embedded by the torch fp32 model.

Images are generated (seeded, skin-lesion-like blobs); each is preprocessed with open_clip's
eval transform for the bundle's preprocess_cfg (preprocessing.py: resize mode, filter, fill,
mean/std). EXIF orientation is applied first (ImageOps.exif_transpose), as a browser does.
"""
import io

import numpy as np
import torch
from PIL import Image

import preprocessing

# (name, file, width, height, kind) ; kind: rgb | gray | rgba ; exif6 = stored rotated, tag 6
IMAGES = [
    ("square-png", "square.png", 512, 512, "rgb"),
    ("portrait-jpeg", "portrait.jpg", 480, 720, "rgb"),
    ("landscape-png", "landscape.png", 800, 500, "rgb"),
    ("tiny-png", "tiny.png", 20, 15, "rgb"),
    ("large-jpeg", "large.jpg", 1600, 1200, "rgb"),
    ("exif6-jpeg", "exif6.jpg", 400, 600, "exif6"),   # displayed size; stored 600x400
    ("rgba-png", "rgba.png", 500, 500, "rgba"),
    ("gray-png", "gray.png", 300, 260, "gray"),
    ("odd-crop-jpeg", "odd.jpg", 333, 501, "rgb"),    # centre-crop offset is a .5 (round half even)
]

PROMPTS = [
    "This is a skin image of melanoma",
    "This is a skin image of melanoma.",
    "A skin image of Basal cell carcinoma.",
    "An image of psoriasis, a skin condition.",
    "seborrheic keratosis",
    "",
    "a",
    "MELANOMA IN SITU",
    "Beau's lines",
    "it's a nevus, isn't it? they're here; we've seen it; I'm sure; you'll see; he'd know",
    "Nail   diseases,\tnail\n disease  ",
    "   leading and trailing spaces   ",
    "Salt &amp; pepper pigmentation",
    "Beau&#39;s lines &amp;amp; ridges",
    "&lt;b&gt;bold&lt;/b&gt; lesion",
    "Café-au-lait macule",
    "Müller's naïve résumé of eczéma",
    "ψωρίαση (psoriasis in Greek)",
    "湿疹 皮膚炎 (eczema in Japanese)",
    "흑색종 melanoma in Korean",
    "rash 😀🔥 with emoji",
    "lesion 3.5 mm x 12mm, stage IIb, 2024-01-15",
    "T-cell lymphoma / mycosis fungoides (MF)",
    "!!!???...",
    "pigmented lesion -- irregular border; asymmetric: yes",
    "e\u0301czema decomposed accent",
    "non-breaking\u00a0space and\u2003em space",
    "TINEA CORPORIS (Ringworm)",
    "acral lentiginous melanoma on the sole of the foot",
    "x" * 300,
    " ".join(["lesion"] * 90),  # > 77 tokens: cut to 75 + end token
    "a photo of a {} skin lesion",
    "Naevus of Ota",
    "Lichen simplex chronicus, ",
    "Sweet\u2019s syndrome, \u201cneutrophilic\u201d dermatosis",
    "\ufb01brosis and \uff26\uff35\uff2c\uff2c\uff37\uff29\uff24\uff34\uff28 text\x07",
]


def _smooth_noise(rng, h, w, cells):
    small = rng.random((cells, cells)).astype(np.float32)
    im = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    return np.asarray(im, np.float32) / 255.0


def lesion_rgb(seed, w, h):
    """A skin-coloured background with a brown irregular blob and some texture: u8 [h, w, 3]."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6)
    r0 = min(w, h) * rng.uniform(0.2, 0.3)
    ang = np.arctan2(yy - cy, xx - cx)
    wobble = sum(rng.uniform(0.05, 0.15) * np.cos(k * ang + rng.uniform(0, 6.28)) for k in (2, 3, 5))
    dist = np.hypot(xx - cx, (yy - cy) * rng.uniform(0.8, 1.25)) / (r0 * (1 + wobble))
    blob = np.clip(1.4 - dist, 0, 1) ** 0.7
    tex = (_smooth_noise(rng, h, w, 12) * 0.5 + _smooth_noise(rng, h, w, 48) * 0.3
           + _smooth_noise(rng, h, w, 160) * 0.2)
    skin = np.array(rng.choice([[224, 180, 150], [190, 140, 110], [240, 200, 175]]), np.float32)
    mole = np.array([95, 60, 40], np.float32) * (0.7 + 0.6 * tex[..., None])
    img = skin * (0.9 + 0.2 * tex[..., None]) * (1 - blob[..., None]) + mole * blob[..., None]
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def make_image(seed, name, fname, w, h, kind):
    """-> (file bytes, mime, stored width, stored height, exif orientation)."""
    rgb = lesion_rgb(seed, w, h)
    buf = io.BytesIO()
    orientation = 1
    if kind == "gray":
        img = Image.fromarray(rgb).convert("L")
    elif kind == "rgba":
        alpha = np.full((h, w), 255, np.uint8)
        alpha[:, : w // 5] = 0                                       # fully transparent band
        alpha[:, w // 5: 2 * w // 5] = np.linspace(0, 255, 2 * w // 5 - w // 5).astype(np.uint8)
        alpha[h - h // 6:, :] = 128                                  # half transparent band
        img = Image.fromarray(np.dstack([rgb, alpha]), "RGBA")
    else:
        img = Image.fromarray(rgb)
    if kind == "exif6":
        img = img.transpose(Image.Transpose.ROTATE_90)  # stored; exif_transpose undoes it
        orientation = 6
    if fname.endswith(".jpg"):
        exif = Image.Exif()
        if orientation != 1:
            exif[0x0112] = orientation
        img.save(buf, "JPEG", quality=88, exif=exif.tobytes())
        mime = "image/jpeg"
    else:
        img.save(buf, "PNG", optimize=True)
        mime = "image/png"
    return buf.getvalue(), mime, img.width, img.height, orientation


def decode(data):
    """What the browser hands the app: EXIF-oriented image."""
    return preprocessing.exif_oriented(Image.open(io.BytesIO(data)))


def _png(img):
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _floats(v):
    return [float(f"{x:.9g}") for x in np.asarray(v, np.float32).tolist()]


def build(model, tok, spec: preprocessing.Preprocess, seed=0, prompts=None):
    """-> (files {relative path: bytes}, references dict, inputs for parity checks).
    prompts: the reference prompts (default PROMPTS)."""
    prompts = PROMPTS if prompts is None else prompts
    files, images, tensors = {}, [], []
    for i, (name, fname, w, h, kind) in enumerate(IMAGES):
        data, mime, sw, sh, orientation = make_image(seed * 1000 + i, name, fname, w, h, kind)
        img = decode(data)
        crop = preprocessing.crop_u8(img, spec)
        x = preprocessing.crop_to_tensor(crop, spec)
        ref = preprocessing.tensor(img, spec)
        assert torch.allclose(x, ref, atol=1e-6), name  # crop u8 -> tensor == open_clip's tensor
        stem = fname.rsplit(".", 1)[0]
        files[f"references/{fname}"] = data
        files[f"references/{stem}.decoded.png"] = _png(img.convert("RGBA"))
        files[f"references/{stem}.crop.u8"] = crop.tobytes()
        tensors.append(ref)
        images.append({"name": name, "file": f"references/{fname}", "mime": mime,
                       "width": sw, "height": sh, "exifOrientation": orientation,
                       "decoded": f"references/{stem}.decoded.png",
                       "crop": f"references/{stem}.crop.u8"})
    pixels = torch.stack(tensors)
    ids = torch.tensor([tok.tokenize(p, model.cfg.context_length) for p in prompts], dtype=torch.int64)
    with torch.no_grad():
        img_emb = model.encode_image(pixels).numpy()
        txt_emb = model.encode_text(ids).numpy()
    for entry, e in zip(images, img_emb):
        entry["embedding"] = _floats(e)
    prompts = [{"text": p, "ids": i.tolist(), "embedding": _floats(e)}
               for p, i, e in zip(prompts, ids, txt_emb)]
    refs = {"images": images, "prompts": prompts}
    return files, refs, {"pixel_values": pixels.numpy(), "input_ids": ids.numpy(),
                         "image_embeds": img_emb, "text_embeds": txt_emb}
