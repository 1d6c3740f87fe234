import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper

import export
import model
import openclip_config
import quantize


def test_int8_columns_roundtrip():
    w = np.random.default_rng(0).normal(0, 0.05, (64, 48)).astype(np.float32)
    q, s = quantize.quantize_int8_columns(w)
    assert q.dtype == np.int8 and s.shape == (48,)
    assert np.abs(q).max() == 127
    assert np.abs(q * s - w).max() <= s.max() / 2 + 1e-7


def test_int8_rows_roundtrip():
    t = np.random.default_rng(1).normal(0, 0.02, (100, 32)).astype(np.float32)
    q, s = quantize.quantize_int8_rows(t)
    assert q.shape == t.shape and s.shape == (100, 1)
    assert np.all(np.abs(q * s - t) <= s / 2 + 1e-7)


@pytest.mark.parametrize("k", [32, 64, 80])
def test_q4_pack_roundtrip(k):
    w = np.random.default_rng(2).normal(0, 0.05, (k, 24)).astype(np.float32)
    packed, scales, zps = quantize.quantize_q4_blocks(w, 32)
    nblocks = -(-k // 32)
    assert packed.shape == (24, nblocks, 16) and packed.dtype == np.uint8
    assert scales.shape == (24 * nblocks,) and zps.shape == (24 * ((nblocks + 1) // 2),)
    back = quantize.dequantize_q4_blocks(packed, scales, zps, k, 32)
    assert back.shape == w.shape
    # error at most half a step per block
    step = np.repeat(scales.reshape(24, nblocks), 32, axis=1)[:, :k].T
    assert np.all(np.abs(back - w) <= step / 2 + 1e-6)


def test_q4_nibble_order():
    w = np.zeros((32, 1), np.float32)
    w[0, 0], w[1, 0] = -1.0, 2.0  # scale 0.2, zero point 5: q 0 at k=0, q 15 at k=1
    packed, _, _ = quantize.quantize_q4_blocks(w, 32)
    assert packed[0, 0, 0] == 0x0 | (0xF << 4)


def _matmul_model():
    w = np.random.default_rng(3).normal(0, 0.1, (64, 16)).astype(np.float32)
    table = np.random.default_rng(4).normal(0, 0.02, (1 << 12, 64)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "ids"], ["x"], axis=0),
         helper.make_node("MatMul", ["x", "w"], ["y"])],
        "g",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 16])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(table, "table")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_int8_and_q4_graph_rewrite(monkeypatch):
    monkeypatch.setattr(quantize, "GATHER_MIN_ELEMENTS", 1 << 10)
    m = _matmul_model()
    i8 = quantize.to_int8(m)
    ops = [n.op_type for n in i8.graph.node]
    assert "MatMul" not in ops and "MatMulInteger" in ops and "DynamicQuantizeLinear" in ops
    assert ops.count("Gather") == 2
    onnx.checker.check_model(i8)
    q4 = quantize.to_q4(m)
    assert [n.op_type for n in q4.graph.node if n.domain == "com.microsoft"] == ["MatMulNBits"]
    assert any(o.domain == "com.microsoft" for o in q4.opset_import)
    inits = {t.name for t in q4.graph.initializer}
    assert "w" not in inits and "table" not in inits and "table_int8" in inits


def test_fp16_keeps_float32_edges():
    m = _matmul_model()
    f16 = quantize.to_fp16(m)
    assert all(t.data_type != TensorProto.FLOAT for t in f16.graph.initializer)
    assert f16.graph.output[0].type.tensor_type.elem_type == TensorProto.FLOAT
    assert f16.graph.node[-1].op_type == "Cast" and f16.graph.node[-1].output[0] == "y"
    onnx.checker.check_model(f16)


def test_fp16_keep_fp32_ops_wrapped():
    f16 = quantize.to_fp16(_matmul_model(), keep_fp32=("MatMul",))
    mm = [n for n in f16.graph.node if n.op_type == "MatMul"][0]
    assert mm.input[1] == "w_f32"
    onnx.checker.check_model(f16)


def test_export_is_deterministic_and_text_length_is_dynamic():
    tiny = openclip_config.load(openclip_config.fixture_path("tiny")).model
    a = export.to_bytes(export.export_text(model.build(tiny, 0)))
    b = export.to_bytes(export.export_text(model.build(tiny, 0)))
    assert a == b
    m = model.build(tiny, 0)
    ids = torch.tensor([[49406, 320, 1125, 539, 2103, 49407] + [0] * 71])
    with torch.no_grad():
        full, cut = m.encode_text(ids), m.encode_text(ids[:, :6])
    assert torch.allclose(full, cut, atol=1e-5)


def test_state_dict_names_are_open_clips():
    sd = model.DermLIP(openclip_config.load(openclip_config.fixture_path("full")).model).state_dict()
    assert sd["visual.conv1.weight"].shape == (768, 3, 16, 16)
    assert sd["visual.positional_embedding"].shape == (197, 768)
    assert sd["visual.transformer.resblocks.11.attn.in_proj_weight"].shape == (2304, 768)
    assert sd["visual.transformer.resblocks.11.mlp.c_fc.weight"].shape == (3072, 768)
    assert sd["visual.proj"].shape == (768, 512)
    assert sd["token_embedding.weight"].shape == (49408, 512)
    assert sd["transformer.resblocks.11.attn.out_proj.weight"].shape == (512, 512)
    assert sd["text_projection"].shape == (512, 512)
    assert sd["logit_scale"].shape == ()
    assert "attn_mask" not in sd
    assert len(sd) == 24 * 12 + 14  # 302, as open_clip's ViT-B-16 CLIP state dict
