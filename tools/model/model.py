"""DermLIP-B/16 (open_clip ViT-B-16) as a plain torch module.

Parameter names and shapes are open_clip's, so a real open_clip CLIP state dict loads with
load_state_dict(strict=True). The forward pass is written for ONNX export:
- batch-first [N, T, C] tensors, attention as explicit MatMuls (same maths as
  nn.MultiheadAttention, same parameter names in_proj_weight / in_proj_bias / out_proj);
- the activation the config says: exact GELU (nn.GELU) or QuickGELU x * sigmoid(1.702 x), as
  open_clip's `quick_gelu` (the same in both towers); widths, layers, heads, MLP widths, patch and
  image size, context length, vocabulary and embedding size all come from the Config, which
  openclip_config.py reads from an open_clip_config.json;
- text tower with a dynamic length L <= context_length: positional embedding and causal mask
  are sliced to L; features are taken at the end token (argmax of ids; 49407 is the largest id).
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class Config:
    """open_clip ViT-B-16's values as defaults; build one from a config with openclip_config.py."""
    vision_width: int = 768
    vision_layers: int = 12
    vision_heads: int = 12
    vision_mlp_ratio: float = 4.0
    patch_size: int = 16
    image_size: int = 224
    text_width: int = 512
    text_layers: int = 12
    text_heads: int = 8
    text_mlp_ratio: float = 4.0
    vocab_size: int = 49408
    context_length: int = 77
    embed_dim: int = 512
    quick_gelu: bool = False

    @property
    def vision_mlp_width(self):
        return int(self.vision_width * self.vision_mlp_ratio)  # open_clip: int(d_model * mlp_ratio)

    @property
    def text_mlp_width(self):
        return int(self.text_width * self.text_mlp_ratio)


class QuickGELU(nn.Module):
    """open_clip's QuickGELU (OpenAI CLIP's activation): x * sigmoid(1.702 x)."""

    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    """Self-attention with nn.MultiheadAttention's parameter names."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.width = width
        self.in_proj_weight = nn.Parameter(torch.empty(3 * width, width))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * width))
        self.out_proj = nn.Linear(width, width)

    def forward(self, x, mask=None):
        n, t = x.shape[0], x.shape[1]
        c, h = self.width, self.heads
        d = c // h  # python ints: no shape arithmetic in the graph
        q, k, v = F.linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        q = q.reshape(n, t, h, d).transpose(1, 2) * (d ** -0.5)
        k = k.reshape(n, t, h, d).permute(0, 2, 3, 1)
        v = v.reshape(n, t, h, d).transpose(1, 2)
        a = q @ k
        if mask is not None:
            a = a + mask
        a = a.softmax(dim=-1)
        o = (a @ v).transpose(1, 2).reshape(n, t, c)
        return self.out_proj(o)


class Mlp(nn.Module):
    def __init__(self, width, mlp_width, quick_gelu):
        super().__init__()
        self.c_fc = nn.Linear(width, mlp_width)
        self.gelu = QuickGELU() if quick_gelu else nn.GELU()
        self.c_proj = nn.Linear(mlp_width, width)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, mlp_width, quick_gelu):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = Mlp(width, mlp_width, quick_gelu)

    def forward(self, x, mask=None):
        x = x + self.attn(self.ln_1(x), mask)
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, mlp_width, quick_gelu):
        super().__init__()
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads, mlp_width, quick_gelu)
                                        for _ in range(layers)])

    def forward(self, x, mask=None):
        for block in self.resblocks:
            x = block(x, mask)
        return x


class VisionTransformer(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        w = cfg.vision_width
        grid = cfg.image_size // cfg.patch_size
        self.conv1 = nn.Conv2d(3, w, kernel_size=cfg.patch_size, stride=cfg.patch_size, bias=False)
        self.class_embedding = nn.Parameter(torch.empty(w))
        self.positional_embedding = nn.Parameter(torch.empty(grid * grid + 1, w))
        self.ln_pre = nn.LayerNorm(w)
        self.transformer = Transformer(w, cfg.vision_layers, cfg.vision_heads, cfg.vision_mlp_width, cfg.quick_gelu)
        self.ln_post = nn.LayerNorm(w)
        self.proj = nn.Parameter(torch.empty(w, cfg.embed_dim))

    def forward(self, pixel_values):
        x = self.conv1(pixel_values)                      # [N, W, g, g]
        x = x.flatten(2).transpose(1, 2)                  # [N, g*g, W]
        cls = self.class_embedding.reshape(1, 1, -1).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.transformer(self.ln_pre(x))
        x = self.ln_post(x[:, 0, :])                      # 'tok' pooling, ln_post on the token
        return x @ self.proj


class DermLIP(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.visual = VisionTransformer(cfg)
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.text_width)
        self.positional_embedding = nn.Parameter(torch.empty(cfg.context_length, cfg.text_width))
        self.transformer = Transformer(cfg.text_width, cfg.text_layers, cfg.text_heads, cfg.text_mlp_width,
                                       cfg.quick_gelu)
        self.ln_final = nn.LayerNorm(cfg.text_width)
        self.text_projection = nn.Parameter(torch.empty(cfg.text_width, cfg.embed_dim))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        mask = torch.full((cfg.context_length, cfg.context_length), float("-inf")).triu(1)
        self.register_buffer("attn_mask", mask, persistent=False)  # as open_clip: not in state dict

    def encode_image(self, pixel_values):
        return self.visual(pixel_values)

    def encode_text(self, input_ids):
        length = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.positional_embedding[:length]
        x = self.transformer(x, self.attn_mask[:length, :length])
        x = self.ln_final(x)
        # end token = argmax of ids (int32: onnxruntime has no int64 ArgMax on every backend)
        eot = input_ids.to(torch.int32).argmax(dim=-1)
        index = eot.reshape(-1, 1, 1).expand(-1, 1, x.shape[2]).to(torch.int64)
        x = torch.gather(x, 1, index)[:, 0, :]
        return x @ self.text_projection


# Residual-branch gain over open_clip's init scales. > 1 in the image tower: sharper attention, so
# that the output of a random model depends clearly on its input (a parity test would not notice
# a wrong input else). The text tower varies enough at 1, and more gain makes it chaotic
# (quantization errors blow up far beyond what a trained model shows).
GAIN = {"visual": 2.0, "text": 1.0}


def init_random(model: DermLIP, seed: int) -> DermLIP:
    """Seeded random weights (open_clip-like scales), in sorted parameter-name order."""
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg

    def randn(shape, std):
        return torch.randn(shape, generator=g) * std

    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            width = cfg.vision_width if name.startswith("visual.") else cfg.text_width
            layers = cfg.vision_layers if name.startswith("visual.") else cfg.text_layers
            gain = GAIN["visual" if name.startswith("visual.") else "text"]
            if name == "logit_scale":
                p.fill_(math.log(1 / 0.07))
            elif ".ln_" in name or name.startswith("ln_") or "ln_final" in name:
                p.copy_(torch.ones_like(p) if name.endswith("weight") else randn(p.shape, 0.02))
            elif name.endswith("bias"):
                p.copy_(randn(p.shape, 0.02))
            elif name == "visual.conv1.weight":
                fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                p.copy_(randn(p.shape, fan_in ** -0.5))
            elif name == "token_embedding.weight":
                p.copy_(randn(p.shape, 0.02))
            elif name == "positional_embedding":
                p.copy_(randn(p.shape, 0.01))
            elif name in ("visual.class_embedding", "visual.positional_embedding", "visual.proj",
                          "text_projection"):
                p.copy_(randn(p.shape, width ** -0.5))
            elif name.endswith("attn.in_proj_weight"):
                p.copy_(randn(p.shape, gain * width ** -0.5))
            elif name.endswith("attn.out_proj.weight") or name.endswith("mlp.c_proj.weight"):
                p.copy_(randn(p.shape, gain * width ** -0.5 * (2 * layers) ** -0.5))
            elif name.endswith("mlp.c_fc.weight"):
                p.copy_(randn(p.shape, (2 * width) ** -0.5))
            else:
                raise ValueError(f"no init rule for {name}")
    return model


def build(cfg: Config, seed: int = 0) -> DermLIP:
    return init_random(DermLIP(cfg), seed).eval()
