"""Real bundle from an open_clip checkpoint on the Hugging Face hub.

Needs `pip install open_clip_torch` and internet (not available on the build machines here):
  python3 tools/model/export_hub.py --hub redlessone/DermLIP_ViT-B-16 [--out DIR] [--id ID]
The open_clip state dict is copied into model.py's module with strict=True, then every step is
the same as fixture.py's (bundle.write_bundle), without references.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bundle  # noqa: E402
import model as model_mod  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_open_clip(hub):
    import open_clip  # lazy: only this script needs it

    oc_model, _, _ = open_clip.create_model_and_transforms("hf-hub:" + hub)
    state = {k: v for k, v in oc_model.state_dict().items() if k != "attn_mask"}
    model = model_mod.DermLIP(model_mod.CONFIGS["full"])
    model.load_state_dict(state, strict=True)
    return model.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hub", default="redlessone/DermLIP_ViT-B-16")
    ap.add_argument("--id", default="dermlip-vit-b-16")
    ap.add_argument("--out")
    args = ap.parse_args()
    out = args.out or os.path.join(REPO, "public", "models", args.id)
    model = load_open_clip(args.hub)
    meta = {
        "id": args.id,
        "name": "DermLIP ViT-B/16",
        "demo": False,
        "license": {
            "weights": f"See https://huggingface.co/{args.hub} (Derm1M: CC BY-NC 4.0, non-commercial)",
            "data": "Prompts built from the Derm1M ontology: CC BY-NC 4.0 (non-commercial)",
        },
        "source": {"kind": "open_clip", "hub": args.hub},
    }
    bundle.write_bundle(model, out, meta, with_references=False)
    print("wrote", out)


if __name__ == "__main__":
    main()
