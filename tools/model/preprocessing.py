"""open_clip's eval image transform, for any preprocess_cfg this toolchain accepts.

open_clip (transform.py, image_transform with is_train=False) on a PIL image of a square target
size S:
- resize_mode 'shortest': torchvision Resize(S) (shortest side to S, the other int(S*long/short))
  then CenterCrop(S) (offsets int(round((len - S) / 2)), Python's half-to-even round);
- 'longest': ResizeKeepRatio(S, longest=1) (ratio = max(h/S, w/S), new size round(h/ratio),
  round(w/ratio)) then CenterCropOrPad(S, fill=fill_color) (pad left/top (S-len)//2,
  right/bottom (S-len+1)//2 with fill_color in every channel, then centre crop);
- 'squash': Resize((S, S)) (both sides to S, aspect ratio not kept);
then convert('RGB'), ToTensor, Normalize(mean, std). The resize filter is PIL's BICUBIC or
BILINEAR ('random' means bicubic at inference). Pillow resizes RGBA with premultiplied alpha and
convert('RGB') drops alpha afterwards; a padded RGBA pixel is (fill, fill, fill, fill) and so
becomes (fill, fill, fill).

This module is this toolchain's own implementation; the export parity gate (parity_gate.py)
compares it with open_clip's transform on the same images when open_clip is importable.
"""
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps
from torchvision.transforms import functional as F

OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)
RESIZE_MODES = ("shortest", "longest", "squash")
INTERPOLATIONS = ("bicubic", "bilinear")
_PIL_FILTERS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR}


@dataclass(frozen=True)
class Preprocess:
    size: int = 224
    resize_mode: str = "shortest"
    interpolation: str = "bicubic"
    mean: tuple = OPENAI_MEAN
    std: tuple = OPENAI_STD
    fill_color: int = 0

    def __post_init__(self):
        if self.resize_mode not in RESIZE_MODES:
            raise ValueError(f"resize_mode must be one of {RESIZE_MODES}, not {self.resize_mode!r}")
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(f"interpolation must be one of {INTERPOLATIONS}, not {self.interpolation!r}")

    def manifest(self):
        """The manifest's `image` preprocessing fields (docs/bundle-format.md)."""
        return {"size": self.size, "resize": self.resize_mode, "interpolation": self.interpolation,
                "crop": "center", "fill": self.fill_color,
                "mean": [float(v) for v in self.mean], "std": [float(v) for v in self.std]}


def _round(x):
    return int(round(x))  # Python's round: half to even, as open_clip and torchvision use


def keep_ratio_size(w, h, size):
    """ResizeKeepRatio(size, longest=1).get_params: (new w, new h), same float arithmetic."""
    ratio_h, ratio_w = h / size, w / size
    ratio = max(ratio_h, ratio_w) * 1.0 + min(ratio_h, ratio_w) * (1.0 - 1.0)
    return _round(w * 1.0 / ratio), _round(h * 1.0 / ratio)


def center_crop_or_pad(img, size, fill):
    """open_clip's center_crop_or_pad on a PIL image (torchvision F.pad, then F.crop)."""
    w, h = img.size
    if size > w or size > h:
        pad = [(size - w) // 2 if size > w else 0, (size - h) // 2 if size > h else 0,
               (size - w + 1) // 2 if size > w else 0, (size - h + 1) // 2 if size > h else 0]
        img = F.pad(img, pad, fill=fill)
        w, h = img.size
        if (w, h) == (size, size):
            return img
    top, left = _round((h - size) / 2.0), _round((w - size) / 2.0)
    return F.crop(img, top, left, size, size)


def crop_pil(img, spec: Preprocess):
    """Resize (+ crop or pad) as open_clip does, then RGB: a PIL RGB image of spec.size square."""
    s, mode = spec.size, F.InterpolationMode.BICUBIC
    if spec.interpolation == "bilinear":
        mode = F.InterpolationMode.BILINEAR
    if spec.resize_mode == "shortest":
        img = F.center_crop(F.resize(img, s, interpolation=mode), s)
    elif spec.resize_mode == "squash":
        img = F.resize(img, [s, s], interpolation=mode)
    else:
        nw, nh = keep_ratio_size(img.width, img.height, s)
        if nw < 1 or nh < 1:
            raise ValueError(f"a {img.width}x{img.height} image resized to fit {s} px would be {nw}x{nh}")
        img = center_crop_or_pad(F.resize(img, [nh, nw], interpolation=mode), s, spec.fill_color)
    return img.convert("RGB")


def crop_u8(img, spec: Preprocess):
    """u8 [S, S, 3]: what the model sees before normalising."""
    return np.asarray(crop_pil(img, spec), np.uint8)


def crop_to_tensor(crop, spec: Preprocess):
    """ToTensor + Normalize of a u8 crop: f32 [3, S, S]."""
    x = crop.astype(np.float32) / 255.0
    x = (x - np.array(spec.mean, np.float32)) / np.array(spec.std, np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))


def tensor(img, spec: Preprocess):
    """The whole eval transform through torchvision's ToTensor + Normalize: f32 [3, S, S]."""
    x = F.to_tensor(crop_pil(img, spec))
    return F.normalize(x, list(spec.mean), list(spec.std))


def exif_oriented(img):
    """What a browser hands the app: the image with its EXIF orientation applied."""
    return ImageOps.exif_transpose(img)
