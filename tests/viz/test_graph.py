"""minigan.viz.graph draws the graph that backward walks: its nodes, edges, names, shapes and gradient
norms are checked against the real graph (Function.parents, topological_order, closed forms and
minigan.grad), the create_graph nodes of WGAN-GP's penalty are the ones marked, and the SVG, PNG
and DOT outputs are well-formed."""
import math
import shutil
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.backprop import topological_order
from minigan.gan import gradient_penalty, interpolates, losses, models
from minigan.viz import graph
from minigan.viz.graph import Graph

SVG = "{http://www.w3.org/2000/svg}"


def worked_example():
    """L = −log σ(w x + b), tutorial 01's smallest discriminator on a real example."""
    x = minigan.tensor(2.0)
    w = minigan.tensor(0.5, dtype=np.float64, requires_grad=True)
    b = minigan.tensor(-1.5, dtype=np.float64, requires_grad=True)
    a = w * x + b
    D = a.sigmoid()
    L = -D.log()
    return SimpleNamespace(x=x, w=w, b=b, a=a, D=D, L=L)


def svg_nodes(g):
    root = ET.fromstring(g.to_svg())
    return root, [e for e in root.iter(f"{SVG}g") if e.get("class") == "node"]


def test_the_nodes_are_the_tensors_that_backward_visits_with_their_functions_and_shapes():
    ex = worked_example()
    visited = topological_order([ex.L])
    g = graph(ex.L, params={"w": ex.w, "b": ex.b})
    assert isinstance(g, Graph) and len(g.nodes) == len(visited) == 7
    assert {id(n.tensor) for n in g.nodes} == {id(t) for t in visited}
    assert id(ex.x) not in {id(n.tensor) for n in g.nodes}          # a constant: backward never visits it
    for n in g.nodes:
        fn = n.tensor.grad_fn
        assert n.kind == ("leaf" if fn is None else "function")
        assert n.name == ({id(ex.w): "w", id(ex.b): "b"}[id(n.tensor)] if fn is None else type(fn).__name__)
        assert n.shape == n.tensor.shape == ()
    assert g.node_of(ex.L).name == "Neg" and g.node_of(ex.D).name == "Sigmoid" and g.node_of(ex.a).name == "Add"
    assert [g.nodes[i].tensor for i in g.outputs] == [ex.L]
    with pytest.raises(KeyError, match="not in this graph"):
        g.node_of(ex.x)


def test_each_edge_is_one_use_of_a_parent_in_the_forward_direction():
    x = minigan.tensor(np.arange(3.0), requires_grad=True)
    y = (x * x + x).sum()                                   # x is used three times
    g = graph(y, params={"x": x})
    for n in g.nodes:
        parents = [] if n.function is None else [p for p in n.function.parents if p.requires_grad]
        assert sorted(u for u, v in g.edges if v == n.index) == sorted(g.node_of(p).index for p in parents)
    mul = next(n for n in g.nodes if n.name == "Mul")
    assert g.edges.count((g.node_of(x).index, mul.index)) == 2
    edges = [e for e in ET.fromstring(g.to_svg()).iter(f"{SVG}g") if e.get("class") == "edge"]
    assert len(edges) == len(set(g.edges)) and sum(int(e.get("data-count")) for e in edges) == len(g.edges)
    assert any(t.text == "×2" for e in edges for t in e.iter(f"{SVG}text"))
    for u, v in g.edges:                                    # inputs above, outputs below
        assert u < v
    layout = g.layout()
    assert all(layout.y[u] < layout.y[v] for u, v in g.edges)


def test_the_gradient_norms_appear_after_backward_and_match_the_chain_rule():
    ex = worked_example()
    g = graph(ex.L, params={"w": ex.w, "b": ex.b})
    _, before = svg_nodes(g)
    assert all(e.get("data-grad-norm") is None for e in before) and "‖grad‖" not in g.to_svg()
    ex.L.backward()                                            # frees the graph: the drawing was captured
    assert ex.L.grad_fn.parents is None
    d = 1 / (1 + math.exp(-(0.5 * 2.0 - 1.5)))
    expected = {"Neg": 1.0, "Log": 1.0, "Sigmoid": 1 / d, "Add": 1 - d, "Mul": 1 - d, "w": (1 - d) * 2.0,
                "b": 1 - d}                                 # |∂L/∂t| by hand (tutorial 01, section 3)
    _, after = svg_nodes(g)
    for n, e in zip(g.nodes, after, strict=True):
        assert n.grad_norm == pytest.approx(expected[n.name], rel=1e-12)
        assert float(e.get("data-grad-norm")) == pytest.approx(expected[n.name], rel=1e-12)
    assert "‖grad‖ 0.622" in g.to_svg()


def test_the_norms_of_a_network_equal_those_of_minigan_grad_on_the_same_graph():
    minigan.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1)).double()
    loss = (model(minigan.randn(4, 3).double()) ** 2).mean()
    tensors = topological_order([loss])
    reference = minigan.grad(loss, tensors, retain_graph=True)   # no .grad touched
    g = graph(loss, params=model)
    loss.backward()
    for t, r in zip(tensors, reference, strict=True):
        assert g.node_of(t).grad_norm == pytest.approx(np.linalg.norm(r.numpy()), rel=1e-12)
    names = {n.name for n in g.nodes if n.kind == "leaf"}
    assert names == {name for name, _ in model.named_parameters()} == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert graph(loss.detach() * 1 + model[0].weight.sum(), params=dict(model.named_parameters())) \
        .node_of(model[0].weight).name == "0.weight"


def test_a_graph_cannot_be_drawn_once_backward_freed_it():
    L = worked_example().L
    L.backward()
    with pytest.raises(RuntimeError, match="freed by a backward"):
        graph(L)


def test_a_graph_with_retain_graph_can_be_drawn_after_backward():
    ex = worked_example()
    ex.L.backward(retain_graph=True)
    g = graph(ex.L)
    assert len(g.nodes) == 7 and g.node_of(ex.w).grad_norm == pytest.approx(abs(ex.w.grad.item()))
    assert g.node_of(ex.D).grad_norm is None                   # retain_grad() came after the backward


def test_the_nodes_of_a_create_graph_backward_are_marked_in_the_gradient_penalty():
    critic = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    x_hat = interpolates(minigan.randn(16, 2), minigan.randn(16, 2))
    out = critic(x_hat).sum()
    forward = {id(t) for t in topological_order([out])}
    (g_x,) = minigan.grad(out, x_hat, create_graph=True)
    recorded = {id(t) for t in topological_order([g_x])} - forward   # made while the backward ran
    norm = ((g_x * g_x).reshape(16, -1).sum(axis=1) + 1e-12).sqrt()
    penalty = ((norm - 1.0) ** 2).mean()                    # [WGAN-GP] as gradient_penalty computes it
    drawn = graph(penalty, params={**dict(critic.named_parameters()), "x̂": x_hat})
    marked = {id(n.tensor) for n in drawn.nodes if n.from_backward}
    assert marked and marked == recorded
    assert all(n.from_backward == n.function.from_backward for n in drawn.nodes if n.kind == "function")
    _, elements = svg_nodes(drawn)
    for n, e in zip(drawn.nodes, elements, strict=True):
        assert e.get("data-from-backward") == str(n.from_backward).lower()
        assert (e.find(f"{SVG}rect").get("stroke-dasharray") is not None) == n.from_backward
    assert "recorded by a create_graph backward" in drawn.to_svg() and "5 recorded" in repr(drawn)
    library = graph(gradient_penalty(critic, x_hat), params=critic)   # the library's penalty: the same graph
    assert [(n.name, n.shape, n.from_backward) for n in library.nodes] == \
        [(n.name if n.tensor is not x_hat else "", n.shape, n.from_backward) for n in drawn.nodes]
    penalty.backward()
    assert drawn.node_of(critic[0].weight).grad_norm == pytest.approx(np.linalg.norm(critic[0].weight.grad.numpy()))


def test_constants_are_drawn_when_asked():
    ex = worked_example()
    g = graph(ex.L, constants=True)
    constant = g.node_of(ex.x)
    assert constant.kind == "constant" and constant.lines()[0] == "2"
    product = ex.a.grad_fn.parents[0]                          # w * x
    assert len(g.nodes) == 8 and (constant.index, g.node_of(product).index) in g.edges
    assert "constant (needs no gradient)" in g.to_svg()
    assert graph(ex.L, params={"x": ex.x}, constants=True).node_of(ex.x).lines()[0] == "x"


def test_svg_is_well_formed_and_shows_every_node_with_its_name_and_shape():
    ex = worked_example()
    g = graph(ex.L, params={"w": ex.w, "b": ex.b})
    root, elements = svg_nodes(g)
    assert root.tag == f"{SVG}svg" and float(root.get("width")) > 0 and float(root.get("height")) > 0
    assert [e.get("data-name") for e in elements] == [n.name for n in g.nodes]
    assert [e.get("data-shape") for e in elements] == [str(n.shape) for n in g.nodes]
    texts = ["".join(t.itertext()) for e in elements for t in e.iter(f"{SVG}text")]
    assert {"w", "b", "Mul", "Add", "Sigmoid", "Log", "Neg", "scalar"} <= set(texts)
    assert g._repr_svg_() == g.to_svg()
    tricky = minigan.tensor(1.0, requires_grad=True)
    assert ET.fromstring(graph(tricky * 2, params={'<a & "b">': tricky}).to_svg()) is not None


def test_boxes_of_a_layer_do_not_overlap():
    minigan.manual_seed(2)
    model = models.dcgan_discriminator((1, 16, 16), width=8)
    loss = losses.discriminator_loss(model(minigan.randn(4, 1, 16, 16)), model(minigan.randn(4, 1, 16, 16)))
    g = graph(loss, params=model)
    root, elements = svg_nodes(g)
    boxes = [[float(r.get(k)) for k in ("x", "y", "width", "height")] for r in (e.find(f"{SVG}rect") for e in elements)]
    for i, (x0, y0, w0, h0) in enumerate(boxes):
        assert 0 <= x0 and x0 + w0 <= float(root.get("width")) and y0 + h0 <= float(root.get("height"))
        for x1, y1, w1, h1 in boxes[i + 1:]:
            assert x0 + w0 <= x1 or x1 + w1 <= x0 or y0 + h0 <= y1 or y1 + h1 <= y0, "two boxes overlap"
    assert len(g.nodes) == len(topological_order([loss]))
    assert {n.name for n in g.nodes if n.kind == "leaf"} == {name for name, _ in model.named_parameters()}


def test_png_is_written_with_the_size_of_the_drawing(tmp_path):
    import matplotlib.image

    L = worked_example().L
    g = graph(L)
    path = g.save(tmp_path / "graph.png")
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    height, width = matplotlib.image.imread(path).shape[:2]
    root = ET.fromstring(g.to_svg())
    assert abs(width - float(root.get("width"))) <= 2 and abs(height - float(root.get("height"))) <= 2
    g.save(tmp_path / "big.png", dpi=200)
    assert matplotlib.image.imread(tmp_path / "big.png").shape[1] >= 2 * width - 4


def test_svg_and_dot_files(tmp_path):
    ex = worked_example()
    g = graph(ex.L, params={"w": ex.w, "b": ex.b})
    ET.parse(g.save(tmp_path / "graph.svg"))
    with open(g.save(tmp_path / "graph.dot")) as f:
        dot = f.read()
    assert dot.startswith("digraph minigan {") and dot.count(" -> ") == len(set(g.edges))
    assert all(f"n{n.index} [label=\"{n.name}" in dot for n in g.nodes)
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.dot"):
        g.save(tmp_path / "graph.jpg")
    with pytest.raises(ValueError, match="engine"):
        g.save(tmp_path / "graph.svg", engine="neato")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_lays_out_the_same_graph(tmp_path):
    L = worked_example().L
    ET.parse(graph(L).save(tmp_path / "dot.svg", engine="dot"))


def test_dot_engine_without_graphviz_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    L = worked_example().L
    with pytest.raises(RuntimeError, match="needs Graphviz"):
        graph(L).save(tmp_path / "dot.svg", engine="dot")


def test_bad_input_gets_a_clear_error():
    with pytest.raises(TypeError, match="Tensor or a list"):
        graph(np.ones(3))
    with pytest.raises(ValueError, match=r"shape \(3,\) does not require grad"):
        graph(minigan.ones(3))
    w = minigan.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="Module or a dict"):
        graph(w * 2, params=[w])
    with pytest.raises(TypeError, match=r"params\['w'\] is a float"):
        graph(w * 2, params={"w": 1.0})
    y = w
    for _ in range(20):
        y = y * 1.5
    with pytest.raises(ValueError, match="more than max_nodes=10"):
        graph(y, max_nodes=10)


def test_several_outputs_and_a_leaf_alone():
    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    u, v = (w * 2).sum(), (w * 3).sum()
    g = graph([u, v], params={"w": w})
    assert len(g.nodes) == 5 and sorted(g.nodes[i].tensor is u or g.nodes[i].tensor is v for i in g.outputs) == [1, 1]
    alone = graph(w, params={"w": w})
    assert [n.name for n in alone.nodes] == ["w"] and alone.edges == [] and ET.fromstring(alone.to_svg()) is not None
