"""Operator fusions written into an exported graph with the onnx package (onnxruntime's Python
optimizer is not installable here), for onnxruntime's CPU / WASM contrib kernels (com.microsoft):

- attention: the exported self-attention core (3 Slices of the QKV projection -> Reshape ->
  Transpose -> q * d^-0.5 @ k^T -> Softmax -> @ v -> Transpose -> Reshape) becomes
  Split -> MultiHeadAttention. The QKV and output projections stay as they are (int8 MatMuls in
  the int8 variant). Blocks with an attention mask (the text tower's causal mask) are left alone.
- skip_layernorm: Add(x, y) -> LayerNormalization becomes SkipLayerNormalization, whose fourth
  output is the sum (x + y) the next residual needs.

Each fusion matches the exact pattern tools/model/model.py exports and leaves anything else
untouched; `fuse` returns the counts so the caller can check that every block was fused.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper

MS_DOMAIN = "com.microsoft"


class Graph:
    """Producer / consumer maps of a graph's nodes, and constant lookups."""

    def __init__(self, model):
        self.model = model
        self.g = model.graph
        self.producer = {o: n for n in self.g.node for o in n.output}
        self.consumers = {}
        for n in self.g.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        self.inits = {t.name: t for t in self.g.initializer}
        self.outputs = {o.name for o in self.g.output}

    def const(self, name):
        if name in self.inits:
            return numpy_helper.to_array(self.inits[name])
        p = self.producer.get(name)
        if p is not None and p.op_type == "Constant":
            for a in p.attribute:
                if a.name == "value":
                    return numpy_helper.to_array(a.t)
        return None

    def prod(self, name, op):
        p = self.producer.get(name)
        return p if p is not None and p.op_type == op else None

    def only_consumer(self, name, op):
        c = self.consumers.get(name, [])
        return c[0] if len(c) == 1 and c[0].op_type == op and name not in self.outputs else None


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _heads_dims(g, reshape):
    """(heads, head size) from the shape a Reshape of q, k or v to [n, t, h, d] is given."""
    cat = g.prod(reshape.input[1], "Concat")
    if cat is None or len(cat.input) != 4:
        return None
    h, d = g.const(cat.input[2]), g.const(cat.input[3])
    if h is None or d is None:
        return None
    return int(np.asarray(h).reshape(-1)[0]), int(np.asarray(d).reshape(-1)[0])


def _slice_path(g, name, perm):
    """name = Transpose(perm)(Reshape(Slice(X))): returns (X, Slice, Reshape, Transpose) or None."""
    tr = g.prod(name, "Transpose")
    if tr is None or list(_attr(tr, "perm", [])) != perm:
        return None
    rs = g.prod(tr.input[0], "Reshape")
    sl = g.prod(rs.input[0], "Slice") if rs is not None else None
    if sl is None:
        return None
    return sl.input[0], sl, rs, tr


def _match_attention(g, softmax):
    mm1 = g.prod(softmax.input[0], "MatMul")  # an Add here is a masked (causal) block: not fused
    mm2 = g.only_consumer(softmax.output[0], "MatMul")
    if mm1 is None or mm2 is None or mm2.input[0] != softmax.output[0] or _attr(softmax, "axis", -1) != -1:
        return None
    tr_out = g.only_consumer(mm2.output[0], "Transpose")
    if tr_out is None or list(_attr(tr_out, "perm", [])) != [0, 2, 1, 3]:
        return None
    rs_out = g.only_consumer(tr_out.output[0], "Reshape")
    mul = g.prod(mm1.input[0], "Mul")
    if rs_out is None or mul is None:
        return None
    scale = g.const(mul.input[1])
    q = _slice_path(g, mul.input[0], [0, 2, 1, 3])
    k = _slice_path(g, mm1.input[1], [0, 2, 3, 1])
    v = _slice_path(g, mm2.input[1], [0, 2, 1, 3])
    if scale is None or np.asarray(scale).size != 1 or not (q and k and v) or not (q[0] == k[0] == v[0]):
        return None
    hd = _heads_dims(g, q[2])
    if hd is None or hd != _heads_dims(g, k[2]) or hd != _heads_dims(g, v[2]):
        return None
    return {"x": q[0], "heads": hd[0], "head_size": hd[1], "scale": float(np.asarray(scale).reshape(-1)[0]),
            "out": rs_out.output[0],
            "dead": [mul, mm1, softmax, mm2, tr_out, rs_out, *q[1:], *k[1:], *v[1:]]}


def _fuse_attention(model):
    g = Graph(model)
    replace, extra_inits, n = {}, [], 0
    for node in list(g.g.node):
        if node.op_type != "Softmax":
            continue
        m = _match_attention(g, node)
        if m is None:
            continue
        c = m["heads"] * m["head_size"]
        tag = m["out"] + "_mha"
        extra_inits.append(numpy_helper.from_array(np.array([c, c, c], np.int64), tag + "_split"))
        qkv = [tag + "_q", tag + "_k", tag + "_v"]
        split = helper.make_node("Split", [m["x"], tag + "_split"], qkv, axis=-1, name=tag + "_Split")
        mha = helper.make_node("MultiHeadAttention", qkv, [m["out"]], domain=MS_DOMAIN, name=tag,
                               num_heads=m["heads"], scale=m["scale"])
        # the fused pair takes the place of the pattern's last node (graph order stays topological)
        replace[m["dead"][5].output[0]] = [split, mha]
        for d in m["dead"]:
            replace.setdefault(d.output[0], [])
        n += 1
    if n:
        _replace_nodes(g, replace)
        g.g.initializer.extend(extra_inits)
    return n


def _replace_nodes(g, replace):
    """Rewrite the node list: each node whose first output is a key of `replace` becomes that list."""
    nodes = []
    for node in g.g.node:
        nodes.extend(replace.get(node.output[0], [node]))
    del g.g.node[:]
    g.g.node.extend(nodes)


def _fuse_skip_layernorm(model):
    g = Graph(model)
    replace, n = {}, 0
    for ln in list(g.g.node):
        if ln.op_type != "LayerNormalization" or len(ln.input) < 3 or _attr(ln, "axis", -1) != -1:
            continue
        add = g.prod(ln.input[0], "Add")
        if add is None or any(i in g.inits or g.const(i) is not None for i in add.input) or add.output[0] in replace:
            continue
        others = [c for c in g.consumers.get(add.output[0], []) if c is not ln] or add.output[0] in g.outputs
        outs = [ln.output[0], "", "", add.output[0]] if others else [ln.output[0]]
        sln = helper.make_node("SkipLayerNormalization", [add.input[0], add.input[1], ln.input[1], ln.input[2]], outs,
                               domain=MS_DOMAIN, name=ln.output[0] + "_skipln", epsilon=float(_attr(ln, "epsilon", 1e-5)))
        replace[add.output[0]] = []
        replace[ln.output[0]] = [sln]
        n += 1
    if n:
        _replace_nodes(g, replace)
    return n


def remove_dead_nodes(model):
    """Drop nodes none of whose outputs is used (repeatedly), and initializers no node uses."""
    g = model.graph
    keep_out = {o.name for o in g.output}
    while True:
        used = {i for n in g.node for i in n.input} | keep_out
        live = [n for n in g.node if any(o in used for o in n.output if o)]
        if len(live) == len(g.node):
            break
        del g.node[:]
        g.node.extend(live)
    used = {i for n in g.node for i in n.input}
    inits = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(inits)


FUSIONS = {"attention": _fuse_attention, "skip_layernorm": _fuse_skip_layernorm}


def fuse(model, which=("attention", "skip_layernorm")):
    """A fused copy of the model and the number of patterns fused per kind."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    counts = {k: FUSIONS[k](m) for k in which}
    remove_dead_nodes(m)
    if any(counts.values()) and not any(o.domain == MS_DOMAIN for o in m.opset_import):
        m.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    del m.graph.value_info[:]
    return m, counts
