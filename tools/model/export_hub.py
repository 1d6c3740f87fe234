"""Real bundle from an open_clip checkpoint: from the Hugging Face hub, or a local copy of one.

  python3 tools/model/export_hub.py --hub redlessone/DermLIP_ViT-B-16 [--out DIR] [--id ID]
  python3 tools/model/export_hub.py --local DIR [--out DIR] [--id ID]

DIR holds open_clip_config.json and open_clip_model.safetensors or open_clip_pytorch_model.bin
(the hub's file names). The checkpoint's own open_clip_config.json decides what is built:
openclip_config.py reads model_cfg (activation: GELU or QuickGELU from `quick_gelu`, widths,
layers, heads, patch and image size, context length, vocabulary, embedding size) and
preprocess_cfg (mean, std, interpolation, resize mode, fill colour), and refuses, naming the key,
whatever it cannot build exactly. The state dict is copied into model.py's module (every name
and shape checked). Then the parity gate (parity_gate.py): with open_clip importable, open_clip's
own model, transform and tokenizer are built from the same checkpoint through open_clip's hf-hub
code path and run beside ours on the same images and prompts; below cosine 0.99999 nothing is
written. Without open_clip the export stops unless --no-parity-gate is given.
"""
import argparse
import contextlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bundle  # noqa: E402
import model as model_mod  # noqa: E402
import openclip_config  # noqa: E402
import parity_gate  # noqa: E402
import tokenizer as tokenizer_mod  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG_NAME = "open_clip_config.json"
WEIGHT_NAMES = ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")  # open_clip's order


class ExportError(RuntimeError):
    pass


def _has_safetensors():
    try:
        import safetensors.torch  # noqa: F401
        return True
    except ImportError:
        return False


def hub_files(hub):
    """(config path, weights path) downloaded from the hub (huggingface_hub, as open_clip does)."""
    from huggingface_hub import hf_hub_download  # installed with open_clip_torch
    config = hf_hub_download(hub, CONFIG_NAME)
    errors = []
    for name in WEIGHT_NAMES:
        if name.endswith(".safetensors") and not _has_safetensors():
            continue
        try:
            return config, hf_hub_download(hub, name)
        except Exception as e:  # noqa: BLE001 (the hub raises several kinds)
            errors.append(f"{name}: {e}")
    raise ExportError(f"no open_clip weights on the hub for {hub}: " + "; ".join(errors))


def local_files(folder):
    config = os.path.join(folder, CONFIG_NAME)
    if not os.path.isfile(config):
        raise ExportError(f"{folder} has no {CONFIG_NAME}")
    for name in WEIGHT_NAMES:
        if os.path.isfile(os.path.join(folder, name)):
            return config, os.path.join(folder, name)
    raise ExportError(f"{folder} has none of {', '.join(WEIGHT_NAMES)}")


def load_state(path):
    """The checkpoint's state dict, unwrapped as open_clip's load_state_dict does."""
    if path.endswith(".safetensors"):
        if not _has_safetensors():
            raise ExportError(f"{path} needs the safetensors package (pip install safetensors)")
        from safetensors.torch import load_file
        state = load_file(path, device="cpu")
    else:
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except TypeError:  # torch without weights_only
            state = torch.load(path, map_location="cpu")
    if isinstance(state, dict) and "state_dict" in state:
        state = state["state_dict"]
    if next(iter(state)).startswith("module."):
        state = {k[len("module."):]: v for k, v in state.items()}
    return state


def build_ours(spec, state):
    """model.py's module for spec, with the checkpoint's weights (names and shapes must all fit)."""
    model = model_mod.DermLIP(spec.model)
    state = {k: v for k, v in state.items() if k != "attn_mask"}  # a buffer, not a weight
    ours = model.state_dict()
    missing = sorted(set(ours) - set(state))
    unexpected = sorted(set(state) - set(ours))
    shapes = [f"{k} {tuple(state[k].shape)} vs {tuple(ours[k].shape)}" for k in sorted(set(state) & set(ours))
              if state[k].shape != ours[k].shape]
    if missing or unexpected or shapes:
        raise ExportError("the checkpoint does not fit the model its config describes: "
                          f"missing {missing[:5]}, unexpected {unexpected[:5]}, shapes {shapes[:5]}")
    model.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
    return model.eval()


@contextlib.contextmanager
def local_hub(folder, weights):
    """Serve open_clip's hf-hub downloads from a local folder, so that a local copy goes through
    open_clip's own hub code path (config, preprocess_cfg, checkpoint loading, tokenizer)."""
    import open_clip.factory as factory
    original = factory.download_pretrained_from_hf

    def download(model_id, filename=None, revision=None, cache_dir=None):
        return os.path.join(folder, filename) if filename else weights

    factory.download_pretrained_from_hf = download
    try:
        yield
    finally:
        factory.download_pretrained_from_hf = original


def open_clip_reference(hub=None, folder=None, weights=None):
    """open_clip's pipeline for the same checkpoint, or None when open_clip is not importable."""
    try:
        import open_clip
    except ImportError:
        return None
    name = "hf-hub:" + (hub or "local/" + os.path.basename(os.path.abspath(folder)))
    with local_hub(folder, weights) if folder else contextlib.nullcontext():
        oc_model, _, oc_preprocess = open_clip.create_model_and_transforms(name)
        oc_tokenizer = open_clip.get_tokenizer(name)
    return parity_gate.open_clip_pipeline(oc_model.float(), oc_preprocess, oc_tokenizer,
                                          name=f"open_clip {getattr(open_clip, '__version__', '')}".strip())


def checked_model(config_path, weights_path, reference, gate=True, out=print):
    """(spec, config bytes, our module) after the parity gate; raises ConfigError, ExportError or
    parity_gate.ParityError instead of returning anything that does not match."""
    with open(config_path, "rb") as f:
        config_bytes = f.read()
    spec = openclip_config.parse(json.loads(config_bytes.decode("utf-8")))
    for note in spec.notes:
        out("note:", note)
    cfg, pre = spec.model, spec.preprocess
    out(f"config: {'QuickGELU' if cfg.quick_gelu else 'GELU'}; vision {cfg.vision_width}w x {cfg.vision_layers} "
        f"layers, {cfg.vision_heads} heads, patch {cfg.patch_size}, {cfg.image_size} px; text {cfg.text_width}w x "
        f"{cfg.text_layers}, {cfg.text_heads} heads, {cfg.context_length} tokens; embed {cfg.embed_dim}; "
        f"preprocess {pre.resize_mode} {pre.interpolation} fill {pre.fill_color} mean {pre.mean} std {pre.std}")
    model = build_ours(spec, load_state(weights_path))
    if reference is not None:
        images, texts = parity_gate.inputs()
        ours = parity_gate.ours(model, pre, tokenizer_mod.SimpleTokenizer())
        parity_gate.check(ours, reference, images, texts, out=out)
    elif gate:
        raise parity_gate.ParityError(
            "open_clip is not importable, so the exported module cannot be compared with open_clip's own "
            "model (pip install open_clip_torch); pass --no-parity-gate to export without that check")
    else:
        out("WARNING: parity gate skipped (--no-parity-gate): this bundle was not compared with open_clip")
    return spec, config_bytes, model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--hub", help="Hugging Face hub id (default redlessone/DermLIP_ViT-B-16)")
    src.add_argument("--local", help="folder with open_clip_config.json and the weights")
    ap.add_argument("--id", default="dermlip-vit-b-16")
    ap.add_argument("--name", default="DermLIP ViT-B/16")
    ap.add_argument("--out")
    ap.add_argument("--no-parity-gate", action="store_true",
                    help="export even when open_clip is not importable (not recommended)")
    args = ap.parse_args()
    hub = args.hub or (None if args.local else "redlessone/DermLIP_ViT-B-16")
    out = args.out or os.path.join(REPO, "public", "models", args.id)
    try:
        config_path, weights_path = hub_files(hub) if hub else local_files(args.local)
        reference = open_clip_reference(hub=hub, folder=args.local, weights=weights_path)
        spec, config_bytes, model = checked_model(config_path, weights_path, reference,
                                                  gate=not args.no_parity_gate)
    except (openclip_config.ConfigError, ExportError, parity_gate.ParityError) as e:
        sys.exit(f"export refused: {e}")
    where = f"https://huggingface.co/{hub}" if hub else os.path.basename(os.path.abspath(args.local))
    meta = {
        "id": args.id,
        "name": args.name,
        "demo": False,
        "license": {
            "weights": f"See the checkpoint's model card: {where} (Derm1M: CC BY-NC 4.0, non-commercial)",
            "data": "Prompts built from the Derm1M ontology: CC BY-NC 4.0 (non-commercial)",
        },
        "source": {"kind": "open_clip", "hub": hub} if hub else {"kind": "open_clip", "local": where},
    }
    bundle.write_bundle(model, out, meta, spec, config_bytes, with_references=False)
    print("wrote", out)


if __name__ == "__main__":
    main()
