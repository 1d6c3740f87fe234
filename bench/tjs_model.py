"""Writes a bundle's weights in the layout transformers.js loads (bench baseline only).

usage: /usr/bin/python3 bench/tjs_model.py <bundle dir> <out dir> [variant ...]

The zero-shot-image-classification pipeline wants one merged CLIP graph (inputs input_ids,
attention_mask, pixel_values; outputs logits_per_image, logits_per_text, text_embeds,
image_embeds). It is built here from the bundle's own image and text ONNX files (same weights,
same quantization: no re-export), with the L2 normalisation and the logit product appended.
The vision tower alone is copied as vision_model*.onnx (CLIPVisionModelWithProjection).
attention_mask is accepted and ignored: the text tower's causal mask makes padding after the end
token irrelevant, and features are taken at the end token (argmax of ids).
"""
import json
import os
import shutil
import sys

import onnx
from onnx import TensorProto, helper

# transformers.js file names by dtype
NAMES = {"fp32": "", "int8": "_quantized", "fp16": "_fp16", "q4": "_q4"}


def prefixed(model: onnx.ModelProto, prefix: str, keep: set):
    """Nodes and initializers of a graph with every internal tensor name prefixed."""
    g = model.graph
    ren = lambda n: n if (n == "" or n in keep) else prefix + n
    nodes = []
    for k, node in enumerate(g.node):
        if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for a in node.attribute):
            raise SystemExit("subgraphs are not supported")
        n = onnx.NodeProto()
        n.CopyFrom(node)
        n.name = prefix + (node.name or f"node{k}")
        del n.input[:]
        n.input.extend(ren(x) for x in node.input)
        del n.output[:]
        n.output.extend(ren(x) for x in node.output)
        nodes.append(n)
    inits = []
    for t in g.initializer:
        c = onnx.TensorProto()
        c.CopyFrom(t)
        c.name = ren(t.name)
        inits.append(c)
    return nodes, inits


def merged(image: onnx.ModelProto, text: onnx.ModelProto, logit_scale: float) -> onnx.ModelProto:
    # the towers' outputs become internal tensors (img_raw, txt_raw)
    for m, old, new in ((image, "image_embeds", "img_raw"), (text, "text_embeds", "txt_raw")):
        for node in m.graph.node:
            for i, o in enumerate(node.output):
                if o == old:
                    node.output[i] = new
            for i, x in enumerate(node.input):
                if x == old:
                    node.input[i] = new
    n1, i1 = prefixed(image, "v/", {"pixel_values", "img_raw"})
    n2, i2 = prefixed(text, "t/", {"input_ids", "txt_raw"})
    tail = [
        helper.make_node("ReduceL2", ["img_raw"], ["img_norm"], axes=[-1], keepdims=1),
        helper.make_node("Div", ["img_raw", "img_norm"], ["image_embeds"]),
        helper.make_node("ReduceL2", ["txt_raw"], ["txt_norm"], axes=[-1], keepdims=1),
        helper.make_node("Div", ["txt_raw", "txt_norm"], ["text_embeds"]),
        helper.make_node("Transpose", ["image_embeds"], ["img_t"], perm=[1, 0]),
        helper.make_node("MatMul", ["text_embeds", "img_t"], ["lpt_raw"]),
        helper.make_node("Mul", ["lpt_raw", "logit_scale"], ["logits_per_text"]),
        helper.make_node("Transpose", ["logits_per_text"], ["logits_per_image"], perm=[1, 0]),
        # attention_mask is part of the signature; consume it so no runtime drops or rejects it
        helper.make_node("Shape", ["attention_mask"], ["mask_shape"]),
    ]
    scale = helper.make_tensor("logit_scale", TensorProto.FLOAT, [], [logit_scale])
    f = TensorProto.FLOAT
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["text_batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["text_batch", "sequence"]),
        helper.make_tensor_value_info("pixel_values", f, ["image_batch", 3, 224, 224]),
    ]
    outputs = [
        helper.make_tensor_value_info("logits_per_image", f, ["image_batch", "text_batch"]),
        helper.make_tensor_value_info("logits_per_text", f, ["text_batch", "image_batch"]),
        helper.make_tensor_value_info("text_embeds", f, ["text_batch", 512]),
        helper.make_tensor_value_info("image_embeds", f, ["image_batch", 512]),
        helper.make_tensor_value_info("mask_shape", TensorProto.INT64, [2]),
    ]
    graph = helper.make_graph(n1 + n2 + tail, "clip-merged", inputs, outputs, i1 + i2 + [scale])
    opsets = {}
    for m in (image, text):
        for o in m.opset_import:
            opsets[o.domain] = max(opsets.get(o.domain, 0), o.version)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets.items()])
    model.ir_version = max(image.ir_version, text.ir_version)
    model.producer_name = "dermlip-bench"
    return model


def main():
    bundle, out = sys.argv[1], sys.argv[2]
    variants = sys.argv[3:] or ["int8"]
    manifest = json.load(open(os.path.join(bundle, "manifest.json")))
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    for v in variants:
        spec = manifest["variants"][v]
        suffix = NAMES[v]
        image = onnx.load(os.path.join(bundle, spec["image"]))
        text = onnx.load(os.path.join(bundle, spec["text"]))
        model = merged(image, text, float(manifest["logitScale"]))
        onnx.save(model, os.path.join(out, "onnx", f"model{suffix}.onnx"))
        # one file each (the bundle keeps weights in external .data files; transformers.js wants them inline)
        onnx.save(onnx.load(os.path.join(bundle, spec["image"])), os.path.join(out, "onnx", f"vision_model{suffix}.onnx"))
        onnx.save(onnx.load(os.path.join(bundle, spec["text"])), os.path.join(out, "onnx", f"text_model{suffix}.onnx"))
    shutil.copyfile(os.path.join(bundle, manifest["tokenizer"]["file"]), os.path.join(out, "tokenizer.json"))
    img = manifest["image"]
    json.dump({
        "model_type": "clip", "architectures": ["CLIPModel"], "projection_dim": manifest["embedDim"],
        "logit_scale_init_value": 2.6592,
        "text_config": {"model_type": "clip_text_model", "max_position_embeddings": 77, "hidden_size": 512,
                        "num_attention_heads": 8, "num_hidden_layers": 12, "vocab_size": 49408,
                        "bos_token_id": 49406, "eos_token_id": 49407, "pad_token_id": 49407},
        "vision_config": {"model_type": "clip_vision_model", "image_size": img["size"], "patch_size": 16,
                          "hidden_size": 768, "num_attention_heads": 12, "num_hidden_layers": 12},
    }, open(os.path.join(out, "config.json"), "w"), indent=1)
    json.dump({
        "image_processor_type": "CLIPImageProcessor", "feature_extractor_type": "CLIPFeatureExtractor",
        "do_resize": True, "size": {"shortest_edge": img["size"]}, "resample": 3,
        "do_center_crop": True, "crop_size": {"height": img["size"], "width": img["size"]},
        "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": img["mean"], "image_std": img["std"], "do_convert_rgb": True,
    }, open(os.path.join(out, "preprocessor_config.json"), "w"), indent=1)
    json.dump({
        "tokenizer_class": "CLIPTokenizer", "model_max_length": manifest["tokenizer"]["contextLength"],
        "bos_token": "<start_of_text>", "eos_token": "<end_of_text>", "pad_token": "<end_of_text>",
        "unk_token": "<end_of_text>", "do_lower_case": True, "clean_up_tokenization_spaces": False,
    }, open(os.path.join(out, "tokenizer_config.json"), "w"), indent=1)
    print(f"wrote {out} ({', '.join(variants)})")


if __name__ == "__main__":
    main()
