"""The Python toolchain's export of a checkpoint folder, timed, for `npm run bench`'s conversion
rows: what export_hub.py --local does (load the state dict, build the module, export both towers,
the four variants, tokenizer, prompts, the prompt table), with the prompt table computed by the
fp32 ONNX text tower in onnxruntime-node (torch's reference BLAS here would take hours) and
without the parity gate (no open_clip here) or the fidelity check (not part of a conversion).

  /usr/bin/python3 bench/convert_toolchain.py CHECKPOINT_DIR OUT_DIR

A folder with text/ (the text model's config.json and tokenizer) is DermLIP-PanDerm: exported as
export_panderm.py --local does.

Prints one JSON line: seconds, peak RSS of this process (bytes), the bundle's manifest files.
"""
import json
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools", "model"))

import bundle  # noqa: E402
import export_hub  # noqa: E402


def main():
    src, out = sys.argv[1], sys.argv[2]
    t0 = time.time()
    config = os.path.join(src, export_hub.CONFIG_NAME)
    weights = os.path.join(src, "open_clip_pytorch_model.bin")
    log = lambda *a: print(*a, file=sys.stderr)  # noqa: E731
    meta = {"id": "toolchain-export", "name": "toolchain export (bench)", "demo": False,
            "license": {"weights": "bench", "data": "bench"}, "source": {"kind": "open_clip", "local": src}}
    if os.path.isdir(os.path.join(src, "text")):
        import export_panderm
        import panderm_bundle
        text_cfg, tok_path, tok_cfg = export_panderm.text_files_local(os.path.join(src, "text"))
        tok = export_panderm.load_tokenizer(tok_path, tok_cfg)
        spec, config_bytes, model = export_panderm.checked_model(config, weights, text_cfg, tok, None, gate=False, out=log)
        manifest = bundle.write_bundle(model, out, meta, spec, config_bytes, with_references=False, check=False, embed_backend="ort",
                                       arch=panderm_bundle.arch(spec.model, tok))
    else:
        spec, config_bytes, model = export_hub.checked_model(config, weights, None, gate=False, out=log)
        manifest = bundle.write_bundle(model, out, meta, spec, config_bytes, with_references=False, check=False, embed_backend="ort")
    seconds = time.time() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"seconds": round(seconds, 1), "peakRssBytes": rss, "peakChildRssBytes": children, "files": manifest["files"]}))


if __name__ == "__main__":
    main()
