import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import export


def _model():
    rng = np.random.default_rng(0)
    big = numpy_helper.from_array(rng.normal(size=(64, 32)).astype(np.float32), "w")
    big2 = numpy_helper.from_array(rng.integers(-128, 127, size=(33, 40)).astype(np.int8), "q")
    small = numpy_helper.from_array(np.ones(4, np.float32), "b")
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 32])
    g = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "g", [x], [y], [big, big2, small])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def test_split_external_round_trips_every_weight(tmp_path):
    m = _model()
    graph, data = export.split_external(m, "m.onnx.data")
    assert len(graph) < 1000 and len(data) >= 64 * 32 * 4 + 33 * 40
    (tmp_path / "m.onnx").write_bytes(graph)
    (tmp_path / "m.onnx.data").write_bytes(data)
    back = onnx.load(str(tmp_path / "m.onnx"))
    got = {t.name: numpy_helper.to_array(t) for t in back.graph.initializer}
    for t in m.graph.initializer:
        np.testing.assert_array_equal(got[t.name], numpy_helper.to_array(t))


def test_split_external_keeps_small_tensors_inline_and_aligns_offsets():
    graph, _ = export.split_external(_model(), "m.onnx.data")
    g = onnx.ModelProto.FromString(graph).graph
    where = {t.name: {e.key: e.value for e in t.external_data} for t in g.initializer}
    assert where["b"] == {}
    assert where["w"]["location"] == where["q"]["location"] == "m.onnx.data"
    assert all(int(where[n]["offset"]) % export.EXTERNAL_ALIGN == 0 for n in ("w", "q"))


def test_split_external_is_deterministic_and_leaves_the_input_alone():
    m = _model()
    before = m.SerializeToString()
    assert export.split_external(m, "d") == export.split_external(m, "d")
    assert m.SerializeToString() == before
