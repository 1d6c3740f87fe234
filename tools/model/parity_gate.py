"""The export parity gate: this toolchain's pipeline vs a reference pipeline on the same inputs.

A pipeline turns decoded images (PIL, EXIF orientation applied) and prompt strings into raw
embeddings: preprocessing + tokenizer + model, all of it. `check` runs both on the same images and
prompts, prints every cosine of ours vs the reference, and raises ParityError when any is below
the threshold (0.99999: both are fp32 torch, the same weights and the same maths; a wrong
activation measures 0.9999x on random weights and far less on trained ones).

export_hub.py runs it with open_clip's own model, transform and tokenizer as the reference
(`open_clip_pipeline`); the tests run it with copies of our module, exact and perturbed.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

import preprocessing
import prompts as prompts_mod
import references as references_mod

THRESHOLD = 0.99999


class ParityError(RuntimeError):
    pass


@dataclass
class Pipeline:
    name: str
    embed_images: Callable  # [PIL.Image] -> np.ndarray [N, D]
    embed_texts: Callable   # [str] -> np.ndarray [N, D]


def ours(model, spec: preprocessing.Preprocess, tokenizer, name="tools/model"):
    """This toolchain's pipeline: preprocessing.py, tokenizer.py, model.py (fp32 torch)."""
    def images(imgs):
        x = torch.stack([preprocessing.crop_to_tensor(preprocessing.crop_u8(im, spec), spec) for im in imgs])
        with torch.no_grad():
            return model.encode_image(x).numpy()

    def texts(ts):
        ids = torch.tensor([tokenizer.tokenize(t, model.cfg.context_length) for t in ts], dtype=torch.int64)
        with torch.no_grad():
            return model.encode_text(ids).numpy()
    return Pipeline(name, images, texts)


def open_clip_pipeline(oc_model, oc_preprocess, oc_tokenizer, name="open_clip"):
    """open_clip's own pipeline: its eval transform, its tokenizer, its model (eval mode)."""
    oc_model.eval()

    def images(imgs):
        with torch.no_grad():
            return oc_model.encode_image(torch.stack([oc_preprocess(im) for im in imgs])).float().numpy()

    def texts(ts):
        with torch.no_grad():
            return oc_model.encode_text(oc_tokenizer(ts)).float().numpy()
    return Pipeline(name, images, texts)


def inputs(seed=0, n_prompts=24):
    """The gate's images (the fixtures' 9 generated reference images: sizes, JPEG/PNG, EXIF,
    RGBA, gray) and prompts (ASCII reference prompts and an even sample of the shipped table;
    prompts that only ftfy would change are left out, as the pipelines may clean differently
    there without any model difference)."""
    imgs = []
    for i, (name, fname, w, h, kind) in enumerate(references_mod.IMAGES):
        data = references_mod.make_image(seed * 1000 + i, name, fname, w, h, kind)[0]
        imgs.append(references_mod.decode(data))
    shipped = prompts_mod.build_prompts()
    step = max(1, len(shipped) // n_prompts)
    texts = [p for p in references_mod.PROMPTS if p.isascii()] + shipped[::step][:n_prompts]
    return imgs, texts


def _cos(a, b):
    return (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def check(ours_p: Pipeline, ref_p: Pipeline, images, texts, threshold=THRESHOLD, out=print):
    """Cosine of every image and prompt embedding, ours vs reference. Prints both pipelines'
    results; raises ParityError below threshold. Returns {"image": [...], "text": [...]}."""
    result, failures = {}, []
    for tower, items, labels in (("image", images, [f"image {i}" for i in range(len(images))]),
                                 ("text", texts, [repr(t[:48]) for t in texts])):
        embed = "embed_images" if tower == "image" else "embed_texts"
        a = np.asarray(getattr(ours_p, embed)(items), np.float64)
        b = np.asarray(getattr(ref_p, embed)(items), np.float64)
        if a.shape != b.shape:
            raise ParityError(f"{tower} embeddings: {ours_p.name} gives {a.shape}, {ref_p.name} {b.shape}")
        cos = _cos(a, b)
        result[tower] = cos.tolist()
        worst = int(np.argmin(cos))
        diff = float(np.abs(a - b).max())
        out(f"parity {tower}: {ours_p.name} vs {ref_p.name}: min cosine {cos.min():.10f} (mean {cos.mean():.10f}, "
            f"{len(cos)} inputs; max |diff| {diff:.2e}; threshold {threshold})")
        out(f"  worst {labels[worst]}: {ours_p.name} {np.round(a[worst][:4], 5).tolist()}... "
            f"{ref_p.name} {np.round(b[worst][:4], 5).tolist()}...")
        failures += [f"{tower} {labels[i]}: cosine {cos[i]:.10f}" for i in np.flatnonzero(cos < threshold)]
    if failures:
        raise ParityError(f"{ours_p.name} does not reproduce {ref_p.name} (cosine < {threshold} on "
                          f"{len(failures)} inputs): " + "; ".join(failures[:8]))
    return result
