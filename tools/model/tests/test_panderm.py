"""DermLIP-PanDerm module (panderm.py) and its config reader (panderm_config.py).

The vision tower is compared with the Derm1M fork's own CAE code when a checkout of the fork's
src/ is given (DERM1M_SRC=/path/to/Derm1M/src; timm, which it imports, is replaced by four
one-line stand-ins). The text tower is compared with torch's own nn.TransformerEncoderLayer
(post-LN, as BERT) run on each prompt without its padding.
"""
import copy
import functools
import importlib.util
import json
import os
import sys
import types

import pytest
import torch
from torch import nn

import panderm
import panderm_config as pc

TINY = pc.parse(json.load(open(pc.fixture_path("tiny")))).model
DERM1M_SRC = os.environ.get("DERM1M_SRC")


def one_layer():
    return panderm.PanDermConfig(vision_width=8, vision_layers=1, vision_heads=2, text_width=8, text_layers=1,
                                 text_heads=2, text_intermediate=16, vocab_size=50, max_positions=20,
                                 context_length=16, embed_dim=4)


def test_state_dict_names_are_the_forks():
    """The names open_clip's CustomTextCLIP (CAE visual, HF BertModel without pooler, mlp proj) saves."""
    block = [f"visual.blocks.0.{n}" for n in (
        "gamma_1", "gamma_2", "norm1.weight", "norm1.bias", "attn.q_bias", "attn.v_bias", "attn.qkv.weight",
        "attn.proj.weight", "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias",
        "mlp.fc2.weight", "mlp.fc2.bias")]
    emb = [f"text.transformer.embeddings.{n}.weight" for n in ("word_embeddings", "position_embeddings",
                                                               "token_type_embeddings")]
    layer = [f"text.transformer.encoder.layer.0.{n}.{p}" for n in (
        "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
        "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm") for p in ("weight", "bias")]
    want = (["logit_scale", "visual.cls_token", "visual.pos_embed", "visual.patch_embed.proj.weight",
             "visual.patch_embed.proj.bias"] + block + ["visual.norm.weight", "visual.norm.bias", "visual.head.weight",
                                                        "visual.head.bias"]
            + emb + ["text.transformer.embeddings.LayerNorm.weight", "text.transformer.embeddings.LayerNorm.bias"]
            + layer + ["text.proj.0.weight", "text.proj.2.weight"])
    sd = panderm.DermLIPPanDerm(one_layer()).state_dict()
    assert sorted(sd) == sorted(want)
    assert sd["text.proj.0.weight"].shape == (6, 8) and sd["text.proj.2.weight"].shape == (4, 6)  # (8 + 4) // 2
    assert sd["visual.head.weight"].shape == (4, 8) and sd["visual.pos_embed"].shape == (1, 197, 8)


def test_full_size_shapes():
    sd = panderm.DermLIPPanDerm(pc.parse(json.load(open(pc.fixture_path("full")))).model).state_dict()
    assert sd["text.proj.0.weight"].shape == (640, 768) and sd["text.proj.2.weight"].shape == (512, 640)
    assert sd["visual.head.weight"].shape == (512, 768) and sd["visual.head.bias"].shape == (512,)
    assert sd["visual.blocks.11.attn.qkv.weight"].shape == (2304, 768)
    assert sd["text.transformer.embeddings.word_embeddings.weight"].shape == (30522, 768)
    assert sum(v.numel() for v in sd.values()) > 190_000_000


def test_sincos_position_embedding():
    """CAE: meshgrid(w, h) 'ij', so the first half encodes the patch row; the class token gets zeros."""
    pe = panderm.sincos_pos_embed(14, 16)[0]
    assert torch.equal(pe[0], torch.zeros(16))
    omega = 1.0 / 10000 ** (torch.arange(4, dtype=torch.float32) / 4)
    row, col = 3, 5
    tok = pe[1 + row * 14 + col]
    assert torch.allclose(tok[:4], torch.sin(row * omega)) and torch.allclose(tok[4:8], torch.cos(row * omega))
    assert torch.allclose(tok[8:12], torch.sin(col * omega)) and torch.allclose(tok[12:], torch.cos(col * omega))


def bert_reference(model, ids, pad=0):
    """The text tower from torch's nn.TransformerEncoderLayer (post-LN = BERT), one prompt at a time
    without its padding, then the mean of every token and the MLP projection."""
    cfg, t = model.cfg, model.text.transformer
    layers = []
    for L in t.encoder.layer:
        e = nn.TransformerEncoderLayer(cfg.text_width, cfg.text_heads, cfg.text_intermediate, dropout=0.0,
                                       activation="gelu", layer_norm_eps=cfg.text_ln_eps, batch_first=True)
        s = L.attention.self
        with torch.no_grad():
            e.self_attn.in_proj_weight.copy_(torch.cat([s.query.weight, s.key.weight, s.value.weight]))
            e.self_attn.in_proj_bias.copy_(torch.cat([s.query.bias, s.key.bias, s.value.bias]))
            e.self_attn.out_proj.load_state_dict(L.attention.output.dense.state_dict())
            e.norm1.load_state_dict(L.attention.output.LayerNorm.state_dict())
            e.linear1.load_state_dict(L.intermediate.dense.state_dict())
            e.linear2.load_state_dict(L.output.dense.state_dict())
            e.norm2.load_state_dict(L.output.LayerNorm.state_dict())
        layers.append(e.eval())
    out = []
    for row in ids:
        real = row[row != pad][None]
        em = t.embeddings
        x = em.LayerNorm(em.word_embeddings(real) + em.position_embeddings(torch.arange(real.shape[1]))
                         + em.token_type_embeddings(torch.zeros_like(real)))
        for e in layers:
            x = e(x)
        out.append(model.text.proj(x.mean(dim=1))[0])
    return torch.stack(out)


def test_text_tower_is_bert_with_masked_mean_pooling():
    model = panderm.build(TINY, 3)
    ids = torch.tensor([[2, 40, 41, 42, 3, 0, 0, 0], [2, 50, 3, 0, 0, 0, 0, 0], [2] + list(range(60, 66)) + [3]])
    with torch.no_grad():
        ours, ref = model.encode_text(ids), bert_reference(model, ids)
    assert (ours - ref).abs().max() < 1e-5
    # padding changes nothing; a different real token does
    with torch.no_grad():
        longer = model.encode_text(torch.cat([ids, torch.zeros(3, 20, dtype=torch.int64)], 1))
        other = model.encode_text(torch.tensor([[2, 40, 41, 43, 3, 0, 0, 0]]))
    assert (longer - ours).abs().max() < 1e-5
    assert (other[0] - ours[0]).abs().max() > 1e-3


def test_pad_id_comes_from_the_config():
    model = panderm.build(panderm.PanDermConfig(**{**TINY.__dict__, "pad_id": 7}), 3)
    a = torch.tensor([[2, 40, 41, 3, 7, 7]])
    with torch.no_grad():
        assert (model.encode_text(a) - model.encode_text(a[:, :4])).abs().max() < 1e-5


def load_fork_cae():
    def stub(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        return m
    saved = {k: sys.modules.get(k) for k in ("timm", "timm.models", "timm.models.layers", "timm.models.registry",
                                             "CAE", "CAE.furnace", "CAE.furnace.utils")}
    sys.modules.update({
        "timm": stub("timm"), "timm.models": stub("timm.models"),
        "timm.models.layers": stub("timm.models.layers", drop_path=lambda x, p, training: x, to_2tuple=lambda x: (x, x),
                                   trunc_normal_=lambda t, std=1.0: nn.init.trunc_normal_(t, std=std)),
        "timm.models.registry": stub("timm.models.registry", register_model=lambda f: f),
        "CAE": stub("CAE"), "CAE.furnace": stub("CAE.furnace"), "CAE.furnace.utils": stub("CAE.furnace.utils")})
    try:
        spec = importlib.util.spec_from_file_location(
            "derm1m_cae_finetune", os.path.join(DERM1M_SRC, "CAE", "models", "modeling_finetune.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


@pytest.mark.skipif(not DERM1M_SRC, reason="set DERM1M_SRC to a checkout of the Derm1M fork's src/ to compare "
                                           "with its CAE vision code")
def test_vision_tower_equals_the_forks_cae_code():
    """As open_clip/utils.py call_PanDerm_base_visual builds it (tiny sizes), loaded strictly."""
    mod = load_fork_cae()
    ours = panderm.build(TINY, 0)
    fork = mod.VisionTransformer(patch_size=16, embed_dim=TINY.vision_width, depth=TINY.vision_layers,
                                 num_heads=TINY.vision_heads, mlp_ratio=4, qkv_bias=True, init_values=0.1,
                                 norm_layer=functools.partial(nn.LayerNorm, eps=1e-6), num_classes=TINY.embed_dim)
    sd = {k[len("visual."):]: v for k, v in ours.state_dict().items() if k.startswith("visual.")}
    assert torch.equal(fork.pos_embed.data, sd["pos_embed"])  # the fixed sin-cos table, bit for bit
    fork.load_state_dict(sd, strict=True)
    x = torch.randn(3, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert (ours.encode_image(x) - fork.eval()(x)).abs().max() < 1e-5
        broken = copy.deepcopy(fork)
        broken.blocks[0].attn.v_bias.zero_()
        assert (ours.encode_image(x) - broken(x)).abs().max() > 1e-3


def test_config_reader():
    full = pc.parse(json.load(open(pc.fixture_path("full"))))
    assert full.model == panderm.PanDermConfig()
    assert any("pretrain_path" in n for n in full.notes)
    base = json.load(open(pc.fixture_path("full")))
    hf = base.pop("fixture")["hf_text_config"]
    assert pc.parse(base, hf).model == full.model
    with pytest.raises(pc.ConfigError, match="config.json of neuml/pubmedbert-base-embeddings"):
        pc.parse(base)
    bad = lambda f: pytest.raises(pc.ConfigError, match=f)  # noqa: E731
    with bad("hf_pooler_type"):
        pc.parse({**base, "model_cfg": {**base["model_cfg"], "text_cfg": {**base["model_cfg"]["text_cfg"],
                                                                         "hf_pooler_type": "cls_pooler"}}}, hf)
    with bad("vision head has 512 outputs"):
        pc.parse({**base, "model_cfg": {**base["model_cfg"], "embed_dim": 768}}, hf)
    with bad("only BERT"):
        pc.parse(base, {**hf, "model_type": "roberta"})
    with bad("hidden_act"):
        pc.parse(base, {**hf, "hidden_act": "gelu_new"})
    with bad("unknown key"):
        pc.parse({**base, "model_cfg": {**base["model_cfg"], "vision_cfg": {"timm_model_name": "x"}}}, hf)
    with bad("exceeds"):
        pc.parse(base, {**hf, "max_position_embeddings": 128})
    moved = pc.parse({**base, "model_cfg": {**base["model_cfg"], "vision_cfg": {"width": 1024}}}, hf)
    assert moved.model.vision_width == 768 and any("is ignored" in n for n in moved.notes)
