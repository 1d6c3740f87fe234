"""DermLIP-PanDerm (the Derm1M fork's CustomTextCLIP with PanDerm-base vision) as a torch module.

Parameter names and shapes are those of the fork's open_clip state dict, so the hub checkpoint
loads with load_state_dict(strict=True):
- visual.*: the CAE ViT of CAE/models/modeling_finetune.py (VisionTransformer as built by
  open_clip/utils.py call_PanDerm_base_visual): patch_embed.proj (conv with bias), cls_token, a fixed
  2D sin-cos pos_embed (a Parameter, so in the state dict), blocks with norm1/norm2 (LayerNorm eps
  1e-6), attn.qkv (no bias) + q_bias + v_bias (k gets zeros), attn.proj, mlp.fc1/fc2 (exact GELU),
  layer scale gamma_1/gamma_2; then `norm` on every token, the mean of the patch tokens (class token
  left out), the same `norm` again on that mean, head Linear(768, 512) with bias.
- text.*: open_clip's HFTextEncoder on a BERT (transformers BertModel without pooler, as
  hf_pooler_type mean_pooler builds it): embeddings (word + position[:L] + token type 0,
  LayerNorm), post-LN encoder layers, attention mask = ids != pad_token_id computed from the ids,
  mean over the unmasked tokens ([CLS] and [SEP] included), proj = Linear(768, 640, no bias),
  GELU, Linear(640, 512, no bias) (hf_proj_type 'mlp': hidden (768 + 512) // 2).
The masked positions get -10000 added to their attention scores (HF uses the float minimum; the
softmax is the same in fp32, and -10000 survives the fp16 variant where the minimum would not).
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

MASK_VALUE = -10000.0


@dataclass(frozen=True)
class PanDermConfig:
    vision_width: int = 768
    vision_layers: int = 12
    vision_heads: int = 12
    vision_mlp_ratio: float = 4.0
    patch_size: int = 16
    image_size: int = 224
    vision_ln_eps: float = 1e-6
    text_width: int = 768
    text_layers: int = 12
    text_heads: int = 12
    text_intermediate: int = 3072
    vocab_size: int = 30522
    max_positions: int = 512
    type_vocab_size: int = 2
    text_ln_eps: float = 1e-12
    pad_id: int = 0
    context_length: int = 256
    embed_dim: int = 512

    @property
    def vision_mlp_width(self):
        return int(self.vision_width * self.vision_mlp_ratio)

    @property
    def proj_hidden(self):
        return (self.text_width + self.embed_dim) // 2  # open_clip HFTextEncoder, proj_type 'mlp'


def sincos_pos_embed(grid, width, temperature=10000.0):
    """CAE's build_2d_sincos_position_embedding: [1, 1 + grid*grid, width], zeros for the class token."""
    gw, gh = torch.meshgrid(torch.arange(grid, dtype=torch.float32), torch.arange(grid, dtype=torch.float32),
                            indexing="ij")
    pos_dim = width // 4
    omega = 1.0 / (temperature ** (torch.arange(pos_dim, dtype=torch.float32) / pos_dim))
    out_w = torch.einsum("m,d->md", gw.flatten(), omega)
    out_h = torch.einsum("m,d->md", gh.flatten(), omega)
    pe = torch.cat([torch.sin(out_w), torch.cos(out_w), torch.sin(out_h), torch.cos(out_h)], dim=1)
    return torch.cat([torch.zeros(1, width), pe], dim=0)[None]


class CaeAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads, self.width = heads, width
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(width))
        self.v_bias = nn.Parameter(torch.zeros(width))
        self.proj = nn.Linear(width, width)

    def forward(self, x):
        n, t = x.shape[0], x.shape[1]
        h, d = self.heads, self.width // self.heads
        bias = torch.cat([self.q_bias, torch.zeros_like(self.v_bias), self.v_bias])
        qkv = F.linear(x, self.qkv.weight, bias).reshape(n, t, 3, h, d).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * (d ** -0.5), qkv[1], qkv[2]
        a = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(n, t, self.width))


class CaeMlp(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class CaeBlock(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        w = cfg.vision_width
        self.norm1 = nn.LayerNorm(w, eps=cfg.vision_ln_eps)
        self.attn = CaeAttention(w, cfg.vision_heads)
        self.norm2 = nn.LayerNorm(w, eps=cfg.vision_ln_eps)
        self.mlp = CaeMlp(w, cfg.vision_mlp_width)
        self.gamma_1 = nn.Parameter(torch.ones(w))
        self.gamma_2 = nn.Parameter(torch.ones(w))

    def forward(self, x):
        x = x + self.gamma_1 * self.attn(self.norm1(x))
        return x + self.gamma_2 * self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.proj = nn.Conv2d(3, cfg.vision_width, kernel_size=cfg.patch_size, stride=cfg.patch_size)


class CaeVisionTransformer(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        grid = cfg.image_size // cfg.patch_size
        self.patch_embed = PatchEmbed(cfg)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.vision_width))
        self.pos_embed = nn.Parameter(sincos_pos_embed(grid, cfg.vision_width), requires_grad=False)
        self.blocks = nn.ModuleList([CaeBlock(cfg) for _ in range(cfg.vision_layers)])
        self.norm = nn.LayerNorm(cfg.vision_width, eps=cfg.vision_ln_eps)
        self.head = nn.Linear(cfg.vision_width, cfg.embed_dim)

    def forward(self, pixel_values):
        x = self.patch_embed.proj(pixel_values).flatten(2).transpose(1, 2)   # [N, g*g, W]
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)                                                     # every token
        return self.head(self.norm(x[:, 1:, :].mean(dim=1)))                 # and the mean again


class BertEmbeddings(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.text_width)
        self.position_embeddings = nn.Embedding(cfg.max_positions, cfg.text_width)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.text_width)
        self.LayerNorm = nn.LayerNorm(cfg.text_width, eps=cfg.text_ln_eps)

    def forward(self, input_ids):
        length = input_ids.shape[1]
        x = (self.word_embeddings(input_ids) + self.position_embeddings.weight[:length]
             + self.token_type_embeddings.weight[0])                         # token_type_ids = 0
        return self.LayerNorm(x)


class BertSelfAttention(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        w = cfg.text_width
        self.heads, self.width = cfg.text_heads, w
        self.query, self.key, self.value = nn.Linear(w, w), nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x, bias):
        n, t = x.shape[0], x.shape[1]
        h, d = self.heads, self.width // self.heads
        q = self.query(x).reshape(n, t, h, d).transpose(1, 2)
        k = self.key(x).reshape(n, t, h, d).permute(0, 2, 3, 1)
        v = self.value(x).reshape(n, t, h, d).transpose(1, 2)
        a = ((q @ k) * (d ** -0.5) + bias).softmax(dim=-1)
        return (a @ v).transpose(1, 2).reshape(n, t, self.width)


class DenseNorm(nn.Module):
    """BertSelfOutput / BertOutput: LayerNorm(dense(x) + residual)."""

    def __init__(self, fan_in, width, eps):
        super().__init__()
        self.dense = nn.Linear(fan_in, width)
        self.LayerNorm = nn.LayerNorm(width, eps=eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class BertAttention(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.self = BertSelfAttention(cfg)
        self.output = DenseNorm(cfg.text_width, cfg.text_width, cfg.text_ln_eps)


class BertIntermediate(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.dense = nn.Linear(cfg.text_width, cfg.text_intermediate)


class BertLayer(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.attention = BertAttention(cfg)
        self.intermediate = BertIntermediate(cfg)
        self.output = DenseNorm(cfg.text_intermediate, cfg.text_width, cfg.text_ln_eps)

    def forward(self, x, bias):
        a = self.attention.output(self.attention.self(x, bias), x)
        return self.output(F.gelu(self.intermediate.dense(a)), a)


class BertEncoder(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(cfg) for _ in range(cfg.text_layers)])


class BertModel(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.embeddings = BertEmbeddings(cfg)
        self.encoder = BertEncoder(cfg)


class HFTextEncoder(nn.Module):
    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.pad_id = cfg.pad_id
        self.transformer = BertModel(cfg)
        self.proj = nn.Sequential(nn.Linear(cfg.text_width, cfg.proj_hidden, bias=False), nn.GELU(),
                                  nn.Linear(cfg.proj_hidden, cfg.embed_dim, bias=False))

    def forward(self, input_ids):
        mask = (input_ids != self.pad_id).to(torch.float32)                  # [N, L]
        bias = ((1.0 - mask) * MASK_VALUE)[:, None, None, :]                 # [N, 1, 1, L]
        x = self.transformer.embeddings(input_ids)
        for layer in self.transformer.encoder.layer:
            x = layer(x, bias)
        pooled = (x * mask[:, :, None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)
        return self.proj(pooled)


class DermLIPPanDerm(nn.Module):
    ARCHITECTURE = "PanDerm-base-w-PubMed-256"

    def __init__(self, cfg: PanDermConfig):
        super().__init__()
        self.cfg = cfg
        self.visual = CaeVisionTransformer(cfg)
        self.text = HFTextEncoder(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_image(self, pixel_values):
        return self.visual(pixel_values)

    def encode_text(self, input_ids):
        return self.text(input_ids)


# Buffers some checkpoints carry (transformers < 4.31 saved position_ids; open_clip's
# load_checkpoint drops it the same way): not weights.
NON_WEIGHT_KEYS = ("text.transformer.embeddings.position_ids", "text.transformer.embeddings.token_type_ids")
VISION_GAIN = 2.0  # sharper attention in the random image tower (see model.py GAIN)


def init_random(model: DermLIPPanDerm, seed: int) -> DermLIPPanDerm:
    """Seeded random weights in sorted parameter-name order. pos_embed keeps its fixed sin-cos
    values. LayerNorm weights and layer-scale gammas are not 1, so that a graph leaving one out
    differs from the reference."""
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg

    def randn(shape, std, mean=0.0):
        return torch.randn(shape, generator=g) * std + mean

    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            vis = name.startswith("visual.")
            w = cfg.vision_width if vis else cfg.text_width
            layers = cfg.vision_layers if vis else cfg.text_layers
            gain = VISION_GAIN if vis else 1.0
            if name == "visual.pos_embed" or name == "logit_scale":
                continue
            if "norm" in name.lower() and name.endswith("weight"):
                p.copy_(randn(p.shape, 0.1, 1.0))
            elif name.endswith("gamma_1") or name.endswith("gamma_2"):
                p.copy_(randn(p.shape, 0.1, 0.5))
            elif name.endswith("bias"):
                p.copy_(randn(p.shape, 0.02 if "norm" in name.lower() or "head" in name else 0.1))
            elif name == "visual.patch_embed.proj.weight":
                p.copy_(randn(p.shape, (p.shape[1] * p.shape[2] * p.shape[3]) ** -0.5))
            elif name == "visual.cls_token":
                p.copy_(randn(p.shape, 0.5))
            elif "embeddings" in name:
                p.copy_(randn(p.shape, 0.02))  # BERT's init; a larger token-type row drowns the words
            elif name.endswith("attn.qkv.weight") or any(f"self.{k}.weight" in name for k in ("query", "key", "value")):
                p.copy_(randn(p.shape, gain * w ** -0.5))
            elif name.endswith("attn.proj.weight") or name.endswith("mlp.fc2.weight"):
                p.copy_(randn(p.shape, w ** -0.5 * (2 * layers) ** -0.5))
            elif p.dim() == 2:
                p.copy_(randn(p.shape, p.shape[1] ** -0.5))  # fan-in scaled: fc1, dense, head, proj
            else:
                raise ValueError(f"no init rule for {name}")
    return model


def build(cfg: PanDermConfig, seed: int = 0) -> DermLIPPanDerm:
    return init_random(DermLIPPanDerm(cfg), seed).eval()
