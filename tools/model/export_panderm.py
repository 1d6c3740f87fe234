"""Real DermLIP-PanDerm bundle from its open_clip checkpoint (the Derm1M fork's format).

  python3 tools/model/export_panderm.py --hub redlessone/DermLIP_PanDerm-base-w-PubMed-256 [--out DIR] [--id ID]
  python3 tools/model/export_panderm.py --local DIR [--text TEXT_DIR] [--out DIR] [--id ID]

What is read (the hub's file names):
- open_clip_config.json and open_clip_pytorch_model.bin / open_clip_model.safetensors (the
  checkpoint, as export_hub.py reads them);
- the text model's config.json (BERT sizes) and tokenizer: tokenizer.json, or vocab.txt (+
  tokenizer_config.json for do_lower_case), from the hub repo named by text_cfg.hf_tokenizer_name
  / hf_model_name (neuml/pubmedbert-base-embeddings), or from TEXT_DIR (default DIR/text).
The state dict is loaded into panderm.py's module strictly (text...position_ids, a buffer older
transformers saved, is dropped as open_clip does). Then the parity gate: with the fork's open_clip
(and transformers) importable, its own model, transform and tokenizer run beside ours on the same
images and prompts; token ids must be equal and every cosine >= 0.99999, or nothing is written.
The fork's factory torch.loads vision_cfg.pretrain_path (a relative path to the PanDerm-base
pretraining weights) before the checkpoint overwrites them; the gate skips that load (the weights
are replaced anyway), so the file is not needed (docs/bundle-format.md, "The pretrain_path quirk").
"""
import argparse
import contextlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bundle  # noqa: E402
import export_hub  # noqa: E402
import panderm  # noqa: E402
import panderm_bundle  # noqa: E402
import panderm_config  # noqa: E402
import parity_gate  # noqa: E402
import wordpiece  # noqa: E402
import wordpiece_vocab  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ExportError = export_hub.ExportError


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def text_files_hub(repo):
    """(config.json, tokenizer.json or vocab.txt, tokenizer_config.json or None) from the hub."""
    from huggingface_hub import hf_hub_download

    def get(name):
        try:
            return hf_hub_download(repo, name)
        except Exception:  # noqa: BLE001 (the hub raises several kinds)
            return None
    config = get("config.json")
    tok = get("tokenizer.json") or get("vocab.txt")
    if not config or not tok:
        raise ExportError(f"{repo} has no config.json and tokenizer.json / vocab.txt on the hub")
    return config, tok, get("tokenizer_config.json")


def text_files_local(folder):
    p = lambda n: os.path.join(folder, n)  # noqa: E731
    if not os.path.isfile(p("config.json")):
        raise ExportError(f"{folder} has no config.json (the text model's, e.g. neuml/pubmedbert-base-embeddings)")
    tok = next((p(n) for n in ("tokenizer.json", "vocab.txt") if os.path.isfile(p(n))), None)
    if tok is None:
        raise ExportError(f"{folder} has neither tokenizer.json nor vocab.txt")
    return p("config.json"), tok, p("tokenizer_config.json") if os.path.isfile(p("tokenizer_config.json")) else None


def load_tokenizer(tok_path, tok_config_path=None):
    """The hub's tokenizer.json as it is, or one made from vocab.txt (do_lower_case from
    tokenizer_config.json, default true as BertTokenizer's)."""
    if tok_path.endswith(".json"):
        return wordpiece.WordPieceTokenizer(_read_json(tok_path))
    lower = _read_json(tok_config_path).get("do_lower_case", True) if tok_config_path else True
    return wordpiece.WordPieceTokenizer(wordpiece_vocab.tokenizer_json(wordpiece_vocab.read_vocab_txt(tok_path), lowercase=lower))


def build_ours(cfg, state):
    """panderm.py's module with the checkpoint's weights (every name and shape must fit)."""
    model = panderm.DermLIPPanDerm(cfg)
    state = {k: v for k, v in state.items() if k not in panderm.NON_WEIGHT_KEYS}
    ours = model.state_dict()
    missing, unexpected = sorted(set(ours) - set(state)), sorted(set(state) - set(ours))
    shapes = [f"{k} {tuple(state[k].shape)} vs {tuple(ours[k].shape)}" for k in sorted(set(state) & set(ours))
              if state[k].shape != ours[k].shape]
    if missing or unexpected or shapes:
        raise ExportError("the checkpoint does not fit DermLIP-PanDerm as its config describes it: "
                          f"missing {missing[:5]}, unexpected {unexpected[:5]}, shapes {shapes[:5]}")
    model.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
    return model.eval()


@contextlib.contextmanager
def without_pretrain_path():
    """The fork's factory loads vision_cfg.pretrain_path before the checkpoint replaces every
    weight; build the CAE tower without that load."""
    import open_clip.factory as factory
    original = factory.call_PanDerm_base_visual
    factory.call_PanDerm_base_visual = lambda path, linear_prob=False: original(None, linear_prob=linear_prob)
    try:
        yield
    finally:
        factory.call_PanDerm_base_visual = original


def open_clip_reference(hub=None, folder=None, weights=None):
    """The fork's open_clip pipeline for the same checkpoint, or None when it is not importable
    (it needs transformers for the text tower)."""
    try:
        import open_clip
        import open_clip.factory  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return None
    # 'PanDerm-base' in the name is what makes the fork build the CAE tower.
    name = "hf-hub:" + (hub or "local/PanDerm-base-" + os.path.basename(os.path.abspath(folder)))
    with contextlib.ExitStack() as stack:
        stack.enter_context(without_pretrain_path())
        if folder:
            stack.enter_context(export_hub.local_hub(folder, weights))
        oc_model, _, oc_preprocess = open_clip.create_model_and_transforms(name)
        oc_tokenizer = open_clip.get_tokenizer(name)
    pipe = parity_gate.open_clip_pipeline(oc_model.float(), oc_preprocess, oc_tokenizer, name="open_clip (Derm1M fork)")
    pipe.tokenize = lambda texts: oc_tokenizer(texts).tolist()
    return pipe


def checked_model(config_path, weights_path, text_config_path, tok, reference, gate=True, out=print):
    """(spec, config bytes, module) after the parity gate; raises instead of returning a mismatch."""
    with open(config_path, "rb") as f:
        config_bytes = f.read()
    spec = panderm_config.parse(json.loads(config_bytes.decode("utf-8")), _read_json(text_config_path))
    for note in spec.notes:
        out("note:", note)
    cfg = spec.model
    out(f"config: CAE ViT {cfg.vision_width}w x {cfg.vision_layers}; BERT {cfg.text_width}w x {cfg.text_layers}, "
        f"vocab {cfg.vocab_size}, {cfg.context_length} tokens; embed {cfg.embed_dim}; tokenizer {len(tok.vocab)} "
        f"pieces, [CLS] {tok.start_id} [SEP] {tok.end_id} pad {tok.pad_id}")
    panderm_bundle.check_tokenizer(tok, cfg)
    model = build_ours(cfg, export_hub.load_state(weights_path))
    if reference is not None:
        images, texts = parity_gate.inputs()
        theirs, ours_ids = reference.tokenize(texts), [tok.tokenize(t, cfg.context_length) for t in texts]
        bad = [t for t, a, b in zip(texts, ours_ids, theirs) if a != b]
        if bad:
            raise parity_gate.ParityError(f"token ids differ from the fork's tokenizer on {len(bad)} prompts, e.g. {bad[0]!r}")
        parity_gate.check(parity_gate.ours(model, spec.preprocess, tok), reference, images, texts, out=out)
    elif gate:
        raise parity_gate.ParityError(
            "the Derm1M fork's open_clip (with transformers) is not importable, so the module cannot be compared "
            "with its own model; pass --no-parity-gate to export without that check")
    else:
        out("WARNING: parity gate skipped (--no-parity-gate): this bundle was not compared with open_clip")
    return spec, config_bytes, model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--hub", help="hub id (default redlessone/DermLIP_PanDerm-base-w-PubMed-256)")
    src.add_argument("--local", help="folder with open_clip_config.json and the weights")
    ap.add_argument("--text", help="folder with the text model's config.json and tokenizer (default: --local's "
                                   "text/, or the hub repo its config names)")
    ap.add_argument("--id", default="dermlip-panderm-base")
    ap.add_argument("--name", default="DermLIP PanDerm-base (PubMedBERT, 256 tokens)")
    ap.add_argument("--out")
    ap.add_argument("--no-parity-gate", action="store_true", help="export without open_clip (not recommended)")
    args = ap.parse_args()
    hub = args.hub or (None if args.local else "redlessone/DermLIP_PanDerm-base-w-PubMed-256")
    out = args.out or os.path.join(REPO, "public", "models", args.id)
    try:
        config_path, weights_path = export_hub.hub_files(hub) if hub else export_hub.local_files(args.local)
        tc = _read_json(config_path)["model_cfg"]["text_cfg"]
        text_dir = args.text or (os.path.join(args.local, "text") if args.local else None)
        text_cfg_path, tok_path, tok_cfg_path = (
            text_files_local(text_dir) if text_dir else
            text_files_hub(tc.get("hf_tokenizer_name") or tc["hf_model_name"]))
        tok = load_tokenizer(tok_path, tok_cfg_path)
        reference = open_clip_reference(hub=hub, folder=args.local, weights=weights_path)
        spec, config_bytes, model = checked_model(config_path, weights_path, text_cfg_path, tok, reference,
                                                  gate=not args.no_parity_gate)
    except (panderm_config.ConfigError, wordpiece.TokenizerError, ExportError, parity_gate.ParityError, KeyError) as e:
        sys.exit(f"export refused: {e}")
    where = f"https://huggingface.co/{hub}" if hub else os.path.basename(os.path.abspath(args.local))
    meta = {
        "id": args.id, "name": args.name, "demo": False,
        "license": {
            "weights": f"See the checkpoint's model card: {where} (Derm1M: CC BY-NC 4.0, non-commercial)",
            "data": "Prompts built from the Derm1M ontology: CC BY-NC 4.0 (non-commercial)",
        },
        "source": {"kind": "open_clip", "hub": hub} if hub else {"kind": "open_clip", "local": where},
    }
    bundle.write_bundle(model, out, meta, spec, config_bytes, with_references=False,
                        arch=panderm_bundle.arch(spec.model, tok))
    print("wrote", out)


if __name__ == "__main__":
    torch.set_grad_enabled(False)
    main()
