"""ONNX export of the two towers (opset 17, dynamic batch; text also dynamic length)."""
import io

import onnx
import torch
from torch import nn

OPSET = 17


class ImageTower(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model.encode_image(pixel_values)


class TextTower(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        return self.model.encode_text(input_ids)


def _export(module, example, input_name, output_name, dynamic_axes) -> onnx.ModelProto:
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            module, (example,), buf, opset_version=OPSET, do_constant_folding=True,
            input_names=[input_name], output_names=[output_name], dynamic_axes=dynamic_axes)
    proto = onnx.load_from_string(buf.getvalue())
    proto.producer_name = "dermlip-tools"
    proto.producer_version = "1"
    return proto


def export_image(model) -> onnx.ModelProto:
    s = model.cfg.image_size
    example = torch.zeros(2, 3, s, s)
    return _export(ImageTower(model).eval(), example, "pixel_values", "image_embeds",
                   {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})


CLIP_EXAMPLE_IDS = [[49406, 320, 1125, 539, 2103, 49407, 0], [49406, 320, 49407, 0, 0, 0, 0]]


def export_text(model, example_ids=None) -> onnx.ModelProto:
    """example_ids: the trace input, ids the model's vocabulary has (CLIP's by default), with some
    padding; of length 7 (not the context length) so no shape gets baked in as the context length."""
    example = torch.tensor(example_ids or CLIP_EXAMPLE_IDS, dtype=torch.int64)
    return _export(TextTower(model).eval(), example, "input_ids", "text_embeds",
                   {"input_ids": {0: "batch", 1: "sequence"}, "text_embeds": {0: "batch"}})


def to_bytes(proto: onnx.ModelProto) -> bytes:
    return proto.SerializeToString()


EXTERNAL_MIN_BYTES = 1024
EXTERNAL_ALIGN = 64


def split_external(proto: onnx.ModelProto, data_name: str, min_bytes=EXTERNAL_MIN_BYTES, align=EXTERNAL_ALIGN):
    """The graph with its large initializers moved to one external data file named `data_name`
    (ONNX external data: location / offset / length, offsets aligned to `align` bytes).
    Returns (graph bytes, data bytes). onnxruntime-web then copies each weight once into its heap
    instead of copying the whole model and parsing the weights out of it (about 110 MB less memory
    for the int8 image tower). Deterministic: same proto, same bytes."""
    m = onnx.ModelProto()
    m.CopyFrom(proto)
    data = bytearray()
    for t in m.graph.initializer:
        if not t.HasField("raw_data") or len(t.raw_data) < min_bytes:
            continue
        data += b"\0" * ((-len(data)) % align)
        offset, length = len(data), len(t.raw_data)
        data += t.raw_data
        t.ClearField("raw_data")
        t.data_location = onnx.TensorProto.EXTERNAL
        del t.external_data[:]
        for k, v in (("location", data_name), ("offset", str(offset)), ("length", str(length))):
            e = t.external_data.add()
            e.key, e.value = k, v
    return m.SerializeToString(), bytes(data)
