"""Variants of an exported fp32 ONNX graph, with numpy + onnx only.

- fp16: weights and compute in float16; graph inputs/outputs stay float32 (Cast at the edges).
  Ops listed in FP16_KEEP_FP32 run in float32 between casts (none by default: see to_fp16).
- int8: dynamic quantization for CPU/WASM. MatMul(A, W) with a constant W [K, N] becomes
  DynamicQuantizeLinear(A) -> MatMulInteger(A_u8, W_s8, A_zp) -> Cast -> Mul(A_scale * w_scale[N])
  (symmetric per-column int8 weights). Large Gather tables (the token embedding) become
  Gather(int8 table) -> Cast -> Mul(Gather(row scales)).
- q4: com.microsoft MatMulNBits (bits 4, block 32, asymmetric with zero points) for every
  MatMul with a constant weight, and the same int8 Gather table as int8 (for WebGPU).
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MS_DOMAIN = "com.microsoft"
FP16_KEEP_FP32 = ()          # op types to keep in float32 inside the fp16 graph
GATHER_MIN_ELEMENTS = 1 << 16  # Gather tables at least this big are quantized to int8


def _initializers(graph):
    return {t.name: t for t in graph.initializer}


def _const_weight(graph, name):
    init = _initializers(graph).get(name)
    if init is None or init.data_type != TensorProto.FLOAT or len(init.dims) != 2:
        return None
    return numpy_helper.to_array(init)


def _replace(model, new_nodes, new_inits, drop_inits, domains=()):
    g = model.graph
    kept = [t for t in g.initializer if t.name not in drop_inits]
    del g.initializer[:]
    g.initializer.extend(kept + new_inits)
    del g.node[:]
    g.node.extend(new_nodes)
    for d in domains:
        if not any(o.domain == d for o in model.opset_import):
            model.opset_import.append(helper.make_opsetid(d, 1))
    del g.value_info[:]
    return model


def _used_elsewhere(graph, init_name, node):
    return any(init_name in n.input for n in graph.node if n is not node)


# ---------------------------------------------------------------- int8 weights / tables

def quantize_int8_columns(w):
    """Symmetric per-column int8: w [K, N] ~= q * scale[N]."""
    amax = np.abs(w).max(axis=0)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def quantize_int8_rows(t):
    """Symmetric per-row int8 for a Gather table t [V, D]: t ~= q * scale[V, 1]."""
    q, scale = quantize_int8_columns(t.T)
    return np.ascontiguousarray(q.T), scale.reshape(-1, 1)


def _gather_int8(graph, node, table, name, nodes, inits):
    q, scale = quantize_int8_rows(table)
    inits += [numpy_helper.from_array(q, name + "_int8"),
              numpy_helper.from_array(scale, name + "_scale")]
    out = node.output[0]
    nodes += [
        helper.make_node("Gather", [name + "_int8", node.input[1]], [out + "_q"], axis=0),
        helper.make_node("Cast", [out + "_q"], [out + "_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", [name + "_scale", node.input[1]], [out + "_s"], axis=0),
        helper.make_node("Mul", [out + "_f", out + "_s"], [out]),
    ]


def _is_big_table(graph, node):
    if node.op_type != "Gather" or any(a.name == "axis" and a.i != 0 for a in node.attribute):
        return None
    t = _const_weight(graph, node.input[0])
    return t if t is not None and t.size >= GATHER_MIN_ELEMENTS else None


def _rewrite(model, matmul_fn, domains=()):
    model = _copy(model)
    g = model.graph
    nodes, inits, drop = [], [], set()
    for node in g.node:
        w = _const_weight(g, node.input[1]) if node.op_type == "MatMul" else None
        table = _is_big_table(g, node)
        if w is not None and not _used_elsewhere(g, node.input[1], node):
            matmul_fn(node, w, nodes, inits)
            drop.add(node.input[1])
        elif table is not None and not _used_elsewhere(g, node.input[0], node):
            _gather_int8(g, node, table, node.input[0], nodes, inits)
            drop.add(node.input[0])
        else:
            nodes.append(node)
    return _replace(model, nodes, inits, drop, domains)


def _matmul_int8(node, w, nodes, inits):
    q, scale = quantize_int8_columns(w)
    a, wname, out = node.input[0], node.input[1], node.output[0]
    inits += [numpy_helper.from_array(q, wname + "_int8"),
              numpy_helper.from_array(scale, wname + "_scale")]
    nodes += [
        helper.make_node("DynamicQuantizeLinear", [a], [out + "_aq", out + "_as", out + "_azp"]),
        helper.make_node("MatMulInteger", [out + "_aq", wname + "_int8", out + "_azp"], [out + "_i32"]),
        helper.make_node("Cast", [out + "_i32"], [out + "_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [out + "_as", wname + "_scale"], [out + "_s"]),
        helper.make_node("Mul", [out + "_f", out + "_s"], [out]),
    ]


def to_int8(model):
    return _rewrite(model, _matmul_int8)


# ---------------------------------------------------------------- 4-bit MatMulNBits

def quantize_blocks(w, block, levels):
    """Asymmetric quantization to 0..levels per block of `block` rows of each column of w [K, N]
    (the range always holds 0). Returns q uint8 [N, nblocks, block], scales f32 [N, nblocks] and
    zero points uint8 [N, nblocks]; rows past K are zero."""
    k, n = w.shape
    nblocks = -(-k // block)
    wt = np.zeros((n, nblocks * block), np.float32)
    wt[:, :k] = w.T
    wb = wt.reshape(n, nblocks, block)
    vmin = np.minimum(wb.min(axis=2), 0.0)
    vmax = np.maximum(wb.max(axis=2), 0.0)
    scale = ((vmax - vmin) / float(levels)).astype(np.float32)
    scale = np.where(scale > 0, scale, np.float32(1.0)).astype(np.float32)
    zp = np.clip(np.rint(-vmin / scale), 0, levels).astype(np.uint8)
    q = np.clip(np.rint(wb / scale[:, :, None]) + zp[:, :, None], 0, levels).astype(np.uint8)
    return q, scale, zp


def quantize_q4_blocks(w, block=32):
    """Asymmetric 4-bit per block of `block` rows of each column of w [K, N].

    Returns packed B uint8 [N, nblocks, block/2], scales f32 [N * nblocks],
    zero points uint8 [N * ceil(nblocks/2)] (MatMulNBits layout, low nibble first)."""
    q, scale, zp = quantize_blocks(w, block, 15)
    n, nblocks = zp.shape
    packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
    zpad = np.full((n, nblocks + (nblocks % 2)), 8, np.uint8)
    zpad[:, :nblocks] = zp
    zpacked = (zpad[:, 0::2] | (zpad[:, 1::2] << 4)).astype(np.uint8)
    return packed, scale.reshape(-1), zpacked.reshape(-1)


def dequantize_q4_blocks(packed, scales, zps, k, block=32):
    """Inverse of quantize_q4_blocks: returns w [K, N] (for tests and error estimates)."""
    n, nblocks, _ = packed.shape
    q = np.empty((n, nblocks, block), np.float32)
    q[:, :, 0::2] = packed & 0x0F
    q[:, :, 1::2] = packed >> 4
    zb = zps.reshape(n, -1)
    z = np.empty((n, zb.shape[1] * 2), np.float32)
    z[:, 0::2] = zb & 0x0F
    z[:, 1::2] = zb >> 4
    z = z[:, :nblocks]
    w = (q - z[:, :, None]) * scales.reshape(n, nblocks)[:, :, None]
    return w.reshape(n, -1)[:, :k].T


def _matmul_q4(node, w, nodes, inits, block=32):
    packed, scales, zps = quantize_q4_blocks(w, block)
    wname = node.input[1]
    inits += [numpy_helper.from_array(packed, wname + "_q4"),
              numpy_helper.from_array(scales, wname + "_scales"),
              numpy_helper.from_array(zps, wname + "_zp")]
    nodes.append(helper.make_node(
        "MatMulNBits", [node.input[0], wname + "_q4", wname + "_scales", wname + "_zp"],
        [node.output[0]], domain=MS_DOMAIN, K=w.shape[0], N=w.shape[1], bits=4,
        block_size=block))


def to_q4(model):
    return _rewrite(model, _matmul_q4, domains=(MS_DOMAIN,))


# ---------------------------------------------------------------- fp16

def _f16_tensor(t):
    return numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float16), t.name)


def to_fp16(model, keep_fp32=FP16_KEEP_FP32):
    """float16 weights and activations; float32 graph inputs and outputs."""
    model = _copy(model)
    g = model.graph
    F32, F16 = TensorProto.FLOAT, TensorProto.FLOAT16
    inits32 = {t.name: t for t in g.initializer if t.data_type == F32}
    nodes = []
    for inp in g.input:
        if inp.type.tensor_type.elem_type == F32:
            nodes.append(helper.make_node("Cast", [inp.name], [inp.name + "_f16"], to=F16))
    renamed_in = {i.name: i.name + "_f16" for i in g.input if i.type.tensor_type.elem_type == F32}
    renamed_out = {o.name: o.name + "_f16" for o in g.output if o.type.tensor_type.elem_type == F32}
    extra_inits = []
    for node in g.node:
        for i, name in enumerate(node.input):
            if name in renamed_in:
                node.input[i] = renamed_in[name]
        for i, name in enumerate(node.output):
            if name in renamed_out:
                node.output[i] = renamed_out[name]
        if node.op_type in keep_fp32:
            for i, name in enumerate(node.input):
                if name in inits32:
                    extra_inits.append(numpy_helper.from_array(
                        numpy_helper.to_array(inits32[name]), name + "_f32"))
                    node.input[i] = name + "_f32"
                elif name:
                    nodes.append(helper.make_node("Cast", [name], [name + "_to32"], to=F32))
                    node.input[i] = name + "_to32"
            outs = list(node.output)
            for i, name in enumerate(outs):
                node.output[i] = name + "_is32"
            nodes.append(node)
            for name in outs:
                nodes.append(helper.make_node("Cast", [name + "_is32"], [name], to=F16))
            continue
        if node.op_type == "Cast":
            for a in node.attribute:
                if a.name == "to" and a.i == F32:
                    a.i = F16
        for a in node.attribute:
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == F32:
                a.t.CopyFrom(_f16_tensor(a.t))
        nodes.append(node)
    for out in g.output:
        if out.name in renamed_out:
            nodes.append(helper.make_node("Cast", [renamed_out[out.name]], [out.name], to=F32))
    converted = [_f16_tensor(t) if t.data_type == F32 else t for t in g.initializer]
    del g.initializer[:]
    g.initializer.extend(converted + extra_inits)
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return model


def _copy(model):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    return m


VARIANTS = {
    "fp32": lambda m: _copy(m),
    "fp16": to_fp16,
    "int8": to_int8,
    "q4": to_q4,
}
