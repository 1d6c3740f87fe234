"""Graph variants of the image encoder for kernel-path A/B runs (bench/kernels/ab.mjs).

/usr/bin/python3 bench/kernels/variants.py <bundle dir> <out dir> [names...] [--calib calib.json]

Reads <bundle>/image.fp32.onnx, writes <out>/<name>.onnx (+ .onnx.data). Names: see VARIANTS.
Each variant differs from the shipped int8 graph (quantize.to_int8) in one thing only.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "model"))
import export  # noqa: E402
import quantize as q  # noqa: E402

MS = q.MS_DOMAIN


# ---------------------------------------------------------------- MatMulNBits, accuracy level 4

def quantize_nbits_blocks(w, bits, block):
    """Asymmetric `bits`-bit per block of `block` rows of each column of w [K, N] (MatMulNBits
    layout): B uint8 [N, nblocks, block*bits/8], scales f32 [N*nblocks], zero points uint8."""
    if bits == 4:
        return q.quantize_q4_blocks(w, block)
    assert bits == 8
    qq, scale, zp = q.quantize_blocks(w, block, 255)
    return qq, scale.reshape(-1), zp.reshape(-1)


def nbits(bits, block, level):
    def fn(node, w, nodes, inits):
        packed, scales, zps = quantize_nbits_blocks(w, bits, block)
        wname = node.input[1]
        inits += [numpy_helper.from_array(packed, wname + "_qb"),
                  numpy_helper.from_array(scales, wname + "_scales"),
                  numpy_helper.from_array(zps, wname + "_zp")]
        nodes.append(helper.make_node(
            "MatMulNBits", [node.input[0], wname + "_qb", wname + "_scales", wname + "_zp"],
            [node.output[0]], domain=MS, K=w.shape[0], N=w.shape[1], bits=bits, block_size=block,
            accuracy_level=level))
    return lambda m: q._rewrite(m, fn, domains=(MS,))


# ---------------------------------------------------------------- uint8 weights (u8u8 GEMM)

def _matmul_u8w(node, w, nodes, inits):
    """Asymmetric per-column uint8 weights, uint8 activations (DynamicQuantizeLinear)."""
    wmin = np.minimum(w.min(axis=0), 0.0)
    wmax = np.maximum(w.max(axis=0), 0.0)
    scale = np.where(wmax > wmin, (wmax - wmin) / 255.0, 1.0).astype(np.float32)
    zp = np.clip(np.rint(-wmin / scale), 0, 255).astype(np.uint8)
    qw = np.clip(np.rint(w / scale) + zp, 0, 255).astype(np.uint8)
    a, wname, out = node.input[0], node.input[1], node.output[0]
    inits += [numpy_helper.from_array(qw, wname + "_u8"), numpy_helper.from_array(scale, wname + "_scale"),
              numpy_helper.from_array(zp, wname + "_zp")]
    nodes += [
        helper.make_node("DynamicQuantizeLinear", [a], [out + "_aq", out + "_as", out + "_azp"]),
        helper.make_node("MatMulInteger", [out + "_aq", wname + "_u8", out + "_azp", wname + "_zp"], [out + "_i32"]),
        helper.make_node("Cast", [out + "_i32"], [out + "_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [out + "_as", wname + "_scale"], [out + "_s"]),
        helper.make_node("Mul", [out + "_f", out + "_s"], [out]),
    ]


# ---------------------------------------------------------------- int8 activations (s8s8 GEMM)

def _matmul_s8a(node, w, nodes, inits):
    """Symmetric int8 activations, scale computed at run time (max |a| / 127), int8 weights:
    MatMulIntegerToFloat(a_s8, w_s8)."""
    qw, scale = q.quantize_int8_columns(w)
    a, wname, out = node.input[0], node.input[1], node.output[0]
    inits += [numpy_helper.from_array(qw, wname + "_int8"), numpy_helper.from_array(scale, wname + "_scale")]
    c127 = out + "_c127"
    inits += [numpy_helper.from_array(np.array(1 / 127.0, np.float32), c127),
              numpy_helper.from_array(np.array(0, np.int8), out + "_zp0")]
    nodes += [
        helper.make_node("Abs", [a], [out + "_abs"]),
        helper.make_node("ReduceMax", [out + "_abs"], [out + "_amax"], keepdims=0),
        helper.make_node("Mul", [out + "_amax", c127], [out + "_as"]),
        helper.make_node("QuantizeLinear", [a, out + "_as", out + "_zp0"], [out + "_aq"]),
        helper.make_node("MatMulIntegerToFloat", [out + "_aq", wname + "_int8", out + "_as", wname + "_scale"],
                         [out], domain=MS),
    ]


# ---------------------------------------------------------------- static activation ranges

def activation_scale(calibrated):
    """Scale and uint8 zero point of an activation from its calibrated (min, max), 0 included."""
    lo, hi = calibrated
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    s = (hi - lo) / 255.0 or 1.0
    return s, int(np.clip(np.rint(-lo / s), 0, 255))


def static_u8(calib):
    """Activation scale and zero point fixed from calibration (min/max of each MatMul input over
    calibration photos): QuantizeLinear -> MatMulIntegerToFloat (no run-time range pass)."""
    def fn(node, w, nodes, inits):
        s, zp = activation_scale(calib[node.input[0]])
        qw, scale = q.quantize_int8_columns(w)
        a, wname, out = node.input[0], node.input[1], node.output[0]
        inits += [numpy_helper.from_array(qw, wname + "_int8"), numpy_helper.from_array(scale, wname + "_scale"),
                  numpy_helper.from_array(np.array(s, np.float32), out + "_as"),
                  numpy_helper.from_array(np.array(zp, np.uint8), out + "_azp")]
        nodes += [
            helper.make_node("QuantizeLinear", [a, out + "_as", out + "_azp"], [out + "_aq"]),
            helper.make_node("MatMulIntegerToFloat", [out + "_aq", wname + "_int8", out + "_as", wname + "_scale", out + "_azp"],
                             [out], domain=MS),
        ]
    return lambda m: q._rewrite(m, fn, domains=(MS,))


def static_qdq(calib):
    """QDQ form (QuantizeLinear -> DequantizeLinear around each MatMul input, DequantizeLinear of
    the int8 weight): onnxruntime's QDQ transformer turns it into its own quantized MatMul."""
    def fn(node, w, nodes, inits):
        s, zp = activation_scale(calib[node.input[0]])
        qw, scale = q.quantize_int8_columns(w)
        a, wname, out = node.input[0], node.input[1], node.output[0]
        inits += [numpy_helper.from_array(qw, wname + "_int8"), numpy_helper.from_array(scale, wname + "_scale"),
                  numpy_helper.from_array(np.zeros(scale.shape, np.int8), wname + "_wzp"),
                  numpy_helper.from_array(np.array(s, np.float32), out + "_as"),
                  numpy_helper.from_array(np.array(zp, np.uint8), out + "_azp")]
        nodes += [
            helper.make_node("QuantizeLinear", [a, out + "_as", out + "_azp"], [out + "_aq"]),
            helper.make_node("DequantizeLinear", [out + "_aq", out + "_as", out + "_azp"], [out + "_adq"]),
            helper.make_node("DequantizeLinear", [wname + "_int8", wname + "_scale", wname + "_wzp"], [out + "_wdq"], axis=1),
            helper.make_node("MatMul", [out + "_adq", out + "_wdq"], [out]),
        ]
    return lambda m: q._rewrite(m, fn)


# ---------------------------------------------------------------- graph outputs for calibration

def with_matmul_inputs(model):
    """The fp32 graph with every constant-weight MatMul's input as an extra output."""
    m = q._copy(model)
    g = m.graph
    names = []
    for node in g.node:
        if node.op_type == "MatMul" and q._const_weight(g, node.input[1]) is not None:
            names.append(node.input[0])
    for n in names:
        g.output.append(helper.make_tensor_value_info(n, TensorProto.FLOAT, None))
    return m, names


VARIANTS = {
    "int8": lambda m, c: q.to_int8(m),
    "nb8a4b32": lambda m, c: nbits(8, 32, 4)(m),
    "nb8a4b128": lambda m, c: nbits(8, 128, 4)(m),
    "nb4a4b32": lambda m, c: nbits(4, 32, 4)(m),
    "nb4a4b128": lambda m, c: nbits(4, 128, 4)(m),
    "nb4a0b32": lambda m, c: nbits(4, 32, 0)(m),
    "u8w": lambda m, c: q._rewrite(m, _matmul_u8w),
    "s8act": lambda m, c: q._rewrite(m, _matmul_s8a, domains=(MS,)),
    "static_u8": lambda m, c: static_u8(c)(m),
    "static_qdq": lambda m, c: static_qdq(c)(m),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("out")
    ap.add_argument("names", nargs="*")
    ap.add_argument("--calib")
    ap.add_argument("--calib-graph", action="store_true", help="write calib.onnx (fp32 + MatMul inputs as outputs)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    model = onnx.load(os.path.join(a.bundle, "image.fp32.onnx"))
    if a.calib_graph:
        m, names = with_matmul_inputs(model)
        graph, data = export.split_external(m, "calib.onnx.data")
        open(os.path.join(a.out, "calib.onnx"), "wb").write(graph)
        open(os.path.join(a.out, "calib.onnx.data"), "wb").write(data)
        json.dump(names, open(os.path.join(a.out, "calib-names.json"), "w"))
        return
    calib = json.load(open(a.calib)) if a.calib else None
    for name in a.names or VARIANTS:
        fn = VARIANTS.get(name)
        if fn is None:
            sys.exit(f"unknown variant {name}; known: {', '.join(VARIANTS)}")
        graph, data = export.split_external(fn(model, calib), f"{name}.onnx.data")
        open(os.path.join(a.out, f"{name}.onnx"), "wb").write(graph)
        open(os.path.join(a.out, f"{name}.onnx.data"), "wb").write(data)
        print("wrote", name, len(data) >> 20, "MB", flush=True)



import fusions  # noqa: E402


def fused(which):
    def fn(m, c):
        out, counts = fusions.fuse(q.to_int8(m), which)
        print("fused", counts, flush=True)
        return out
    return fn


VARIANTS.update({
    "int8_mha": fused(("attention",)),
    "int8_sln": fused(("skip_layernorm",)),
    "int8_mha_sln": fused(("attention", "skip_layernorm")),
})


def _regelu(kind):
    """The int8 graph with its QuickGELU (x * sigmoid(1.702 x)) replaced by another activation, to
    time the activation kernels of an exact-GELU model (PanDerm): erf (torch's export of nn.GELU,
    fused by onnxruntime into Gelu), fast (com.microsoft FastGelu, the tanh approximation), bias
    (com.microsoft BiasGelu taking the c_fc bias: onnxruntime folds that bias into the int8 MatMul
    otherwise)."""
    def fn(m, c):
        m = q.to_int8(m)
        g = fusions.Graph(m)
        out_nodes, inits = [], []
        swap = {}
        for node in m.graph.node:
            if node.op_type != "Sigmoid":
                continue
            pre = g.prod(node.input[0], "Mul")
            post = g.only_consumer(node.output[0], "Mul")
            if pre is None or post is None:
                continue
            x, y = pre.input[0], post.output[0]
            t = y + "_gelu"
            if kind == "erf":
                inits += [numpy_helper.from_array(np.array(2 ** 0.5, np.float32), t + "_sqrt2"),
                          numpy_helper.from_array(np.array(1.0, np.float32), t + "_one"),
                          numpy_helper.from_array(np.array(0.5, np.float32), t + "_half")]
                new = [helper.make_node("Div", [x, t + "_sqrt2"], [t + "_d"]),
                       helper.make_node("Erf", [t + "_d"], [t + "_e"]),
                       helper.make_node("Add", [t + "_e", t + "_one"], [t + "_a"]),
                       helper.make_node("Mul", [x, t + "_a"], [t + "_m"]),
                       helper.make_node("Mul", [t + "_m", t + "_half"], [y])]
            elif kind == "fast":
                new = [helper.make_node("FastGelu", [x], [y], domain=MS)]
            else:
                add = g.prod(x, "Add")
                bias = [i for i in add.input if i in g.inits][0]
                pre_bias = [i for i in add.input if i != bias][0]
                new = [helper.make_node("BiasGelu", [pre_bias, bias], [y], domain=MS)]
                swap[add.output[0]] = []
            swap[pre.output[0]] = []
            swap[node.output[0]] = []
            swap[post.output[0]] = new
        for node in m.graph.node:
            out_nodes.extend(swap.get(node.output[0], [node]))
        del m.graph.node[:]
        m.graph.node.extend(out_nodes)
        m.graph.initializer.extend(inits)
        if not any(o.domain == MS for o in m.opset_import):
            m.opset_import.append(helper.make_opsetid(MS, 1))
        return m
    return fn


VARIANTS.update({"int8_gelu_erf": _regelu("erf"), "int8_gelu_fast": _regelu("fast"), "int8_gelu_bias": _regelu("bias")})


if __name__ == "__main__":
    main()
