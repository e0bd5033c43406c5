"""The computation graph that ``backward`` walks, drawn (no Graphviz needed).

    g = minigan.viz.graph(loss, params=model)   # capture the graph now (before backward frees it)
    g                                            # in Jupyter: shown inline as SVG
    loss.backward()
    g.save("loss.svg"); g.save("loss.png")       # now with the gradient norms

One box per Function (its class name and output shape), one per leaf that requires grad (named
after its Module parameter, e.g. ``0.weight``, where ``params`` names it), arrows in the forward
direction (inputs at the top, the output at the bottom, drawn with a bold border). After a
``backward``, each box also shows ‖∂L/∂t‖ for its tensor t: for a Function, the norm of the gradient
that arrived at its output and that its ``backward`` passes on to its inputs; for a leaf, its
``.grad``. Nodes recorded while a ``create_graph=True`` backward ran (``fn.from_backward``: the
double-backward part of WGAN-GP's penalty) are orange with a dashed border.
"""
import html
import shutil
import subprocess
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from minigan import backend
from minigan.autograd import Tensor
from minigan.viz.graph_layout import layered_layout

FONT_PX = 12
CHAR_PX = 7.25  # the advance of a 12 px monospace glyph (DejaVu Sans Mono: 0.602 em)
LINE_PX = 15
PAD_X, PAD_Y = 8, 5
LEGEND_PX = 24
FONTS = "DejaVu Sans Mono, Menlo, Consolas, monospace"
INK, ORANGE_INK = "#555555", "#c05a00"
DASHES = ' stroke-dasharray="5 3"'
STYLES = {  # kind: (fill, legend text)
    "leaf": ("#add8e6", "leaf (requires grad)"),
    "function": ("#e8e8e8", "Function"),
    "backward": ("#ffcf99", "recorded by a create_graph backward"),
    "constant": ("#ffffff", "constant (needs no gradient)"),
}


@dataclass(eq=False)
class Node:
    """One box: a Function's output, a leaf that requires grad, or (constants=True) a constant."""
    index: int
    kind: str  # "function", "leaf" or "constant"
    name: str  # the Function's class name; the leaf's name in params ("" when unnamed)
    shape: tuple
    tensor: Tensor = field(repr=False)
    from_backward: bool = False

    @property
    def function(self):
        return self.tensor.grad_fn

    @property
    def grad_norm(self):
        """‖tensor.grad‖₂ over all its elements, None before a backward reached it."""
        g = self.tensor.grad
        return None if g is None else float(np.linalg.norm(backend.to_numpy(g.data).ravel()))

    def lines(self, grad_norm=None):
        """The label: the name, the shape and, when given, the gradient norm."""
        if self.name or self.kind != "constant":
            title = self.name or "leaf"
        else:
            title = f"{self.tensor.item():.4g}" if self.tensor.size == 1 else "constant"
        lines = [title, "scalar" if self.shape == () else str(self.shape)]
        if grad_norm is not None:
            lines.append(f"‖grad‖ {grad_norm:.3g}")
        return lines


class Graph:
    """The captured structure: ``nodes`` (inputs before outputs), ``edges`` [(parent, child) node
    indices, one per use, so x * x gives two], ``outputs`` (the indices drawn bold). Labels are read
    when drawn, so a Graph made before ``backward`` shows the gradient norms once it has run."""

    def __init__(self, nodes, edges, outputs):
        self.nodes, self.edges, self.outputs = nodes, edges, outputs
        self._index = {id(n.tensor): n.index for n in nodes}

    def __repr__(self):
        marked = sum(n.from_backward for n in self.nodes)
        extra = f", {marked} recorded by a create_graph backward" if marked else ""
        return f"<minigan.viz.Graph: {len(self.nodes)} nodes, {len(self.edges)} edges{extra}>"

    def node_of(self, tensor):
        """The Node drawn for `tensor` (KeyError if it is not in the graph)."""
        try:
            return self.nodes[self._index[id(tensor)]]
        except KeyError:
            raise KeyError(f"the tensor of shape {tensor.shape} is not in this graph") from None

    def layout(self):
        """Where the boxes go (minigan.viz.graph_layout.Layout), for the labels as they are now."""
        return _scene(self).layout

    # ---------------------------------------------------------------------------- writers
    def to_svg(self):
        """The drawing as an SVG document (a string)."""
        scene = _scene(self)
        out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width:.0f}" height="{scene.height:.0f}" '
                f'viewBox="0 0 {scene.width:.1f} {scene.height:.1f}" font-family="{FONTS}" font-size="{FONT_PX}">'),
               "<defs>" + "".join(
                   f'<marker id="minigan-arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                   f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ink}"/></marker>'
                   for name, ink in (("ink", INK), ("orange", ORANGE_INK))) + "</defs>",
               '<rect width="100%" height="100%" fill="white"/>']
        for item in scene.legend:
            out.append(f'<rect x="{item.x:.1f}" y="{item.y:.1f}" width="14" height="12" rx="2" fill="{item.fill}" '
                       f'stroke="{item.ink}"{DASHES if item.dashed else ""}/>'
                       f'<text x="{item.x + 19:.1f}" y="{item.y + 10:.1f}" font-size="11">{_esc(item.text)}</text>')
        for e in scene.edges:
            marker = "orange" if e.ink == ORANGE_INK else "ink"
            out.append(f'<g class="edge" data-source="{e.source}" data-target="{e.target}" data-count="{e.count}">'
                       f'<path d="{_svg_path(e.points)}" fill="none" stroke="{e.ink}" stroke-width="1.2" '
                       f'marker-end="url(#minigan-arrow-{marker})"/>')
            if e.count > 1:
                x, y = e.points[-1]
                out.append(f'<text x="{x + 5:.1f}" y="{y - 6:.1f}" font-size="10" fill="{e.ink}">×{e.count}</text>')
            out.append("</g>")
        for b in scene.boxes:
            n = b.node
            norm = "" if b.grad_norm is None else f' data-grad-norm="{b.grad_norm:.17g}"'
            out.append(f'<g class="node" data-index="{n.index}" data-kind="{n.kind}" data-name="{_esc(n.name)}" '
                       f'data-shape="{_esc(str(n.shape))}" data-from-backward="{str(n.from_backward).lower()}"'
                       f'{norm}><title>{_esc(b.tooltip)}</title>'
                       f'<rect x="{b.x - b.w / 2:.1f}" y="{b.y - b.h / 2:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" '
                       f'rx="4" fill="{b.fill}" stroke="{b.ink}" stroke-width="{b.stroke_width}"'
                       f'{DASHES if b.dashed else ""}/>')
            top = b.y - b.h / 2 + PAD_Y + LINE_PX - 3.5
            for k, line in enumerate(b.lines):
                weight = ' font-weight="bold"' if k == 0 else ""
                out.append(f'<text x="{b.x:.1f}" y="{top + k * LINE_PX:.1f}" text-anchor="middle"{weight}>'
                           f'{_esc(line)}</text>')
            out.append("</g>")
        out.append("</svg>")
        return "\n".join(out)

    def _repr_svg_(self):  # Jupyter shows the graph inline
        return self.to_svg()

    def to_dot(self):
        """The graph in Graphviz's DOT language (for `dot -Tpdf`, or any DOT viewer)."""
        lines = ["digraph minigan {", f'  node [shape=box, style="rounded,filled", fontname="{FONTS.split(",")[0]}"];']
        for n in self.nodes:
            fill = STYLES["backward" if n.from_backward else n.kind][0]
            extra = ", penwidth=2.5" if n.index in self.outputs else ""
            extra += ', style="rounded,filled,dashed"' if n.from_backward else ""
            label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in n.lines(n.grad_norm))
            lines.append(f'  n{n.index} [label="{label}", fillcolor="{fill}"{extra}];')
        for (u, v), count in _counted(self.edges).items():
            lines.append(f"  n{u} -> n{v}" + (f' [label="×{count}"]' if count > 1 else "") + ";")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self, path, dpi=100, engine="minigan"):
        """Write the drawing to `path`: .svg, .png (drawn with matplotlib) or .dot. With
        engine="dot", Graphviz's `dot` program lays it out instead (it must be on PATH)."""
        path = str(path)
        suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        if suffix not in ("svg", "png", "dot", "gv"):
            raise ValueError(f"cannot save a graph as {path!r}: use a name ending in .svg, .png or .dot")
        if engine == "dot" and suffix in ("svg", "png"):
            if shutil.which("dot") is None:
                raise RuntimeError("engine='dot' needs Graphviz's dot program on PATH; without it, leave "
                                   "engine='minigan' (minigan's own layout needs no binary)")
            subprocess.run(["dot", f"-T{suffix}", "-o", path], input=self.to_dot().encode(), check=True)
        elif engine != "minigan":
            raise ValueError(f"engine must be 'minigan' or 'dot', got {engine!r}")
        elif suffix == "svg":
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.to_svg())
        elif suffix == "png":
            _draw_with_matplotlib(_scene(self), path, dpi)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.to_dot())
        return path


def graph(output, params=None, constants=False, retain_grads=True, max_nodes=5000):
    """The computation graph behind `output` (a Tensor, or a list of them), captured now.

    params: names for leaves, as torchviz's make_dot takes them: a Module (its named_parameters(),
        e.g. ``0.weight``) or a dict {name: Tensor} (any tensor may be named, e.g. {"x̂": x_hat}).
    constants: also draw the inputs that need no gradient (data, Python numbers), which backward
        never visits.
    retain_grads: call ``retain_grad()`` on every non-leaf tensor found, so that a later backward
        keeps their ``.grad`` and the drawing can show ‖∂L/∂t‖ at every node. (``minigan.grad``
        stores no ``.grad`` anywhere, so after it only ``backward`` fills the norms in.)

    The structure is walked at once, because a backward without retain_graph=True frees the graph
    (``fn.parents`` becomes None). The Graph keeps the tensors it drew alive; drop it to free them.
    """
    outputs = [output] if isinstance(output, Tensor) else list(output)
    if not outputs or not all(isinstance(t, Tensor) for t in outputs):
        raise TypeError(f"graph() needs a Tensor or a list of Tensors, got {type(output).__name__}")
    for t in outputs:
        if not t.requires_grad and not constants:
            raise ValueError(f"the tensor of shape {t.shape} does not require grad, so it has no graph to draw "
                             "(no input had requires_grad=True, or it was computed under no_grad)")
    names = _leaf_names(params)
    order = _walk(outputs, constants, max_nodes)
    nodes = []
    for i, t in enumerate(order):
        fn = t.grad_fn
        kind = "function" if fn is not None else ("leaf" if t.requires_grad else "constant")
        name = type(fn).__name__ if fn is not None else names.get(id(t), "")
        nodes.append(Node(i, kind, name, tuple(t.shape), t, bool(getattr(fn, "from_backward", False))))
        if fn is not None and retain_grads:
            t.retain_grad()
    index = {id(t): i for i, t in enumerate(order)}
    edges = [(index[id(p)], i) for i, t in enumerate(order) if t.grad_fn is not None
             for p in t.grad_fn.parents if id(p) in index]
    return Graph(nodes, edges, sorted({index[id(t)] for t in outputs}))


def _leaf_names(params):
    if params is None:
        return {}
    if hasattr(params, "named_parameters"):
        params = dict(params.named_parameters())
    if not isinstance(params, dict):
        raise TypeError(f"params must be a Module or a dict {{name: Tensor}}, got {type(params).__name__}")
    for name, t in params.items():
        if not isinstance(t, Tensor):
            raise TypeError(f"params[{name!r}] is a {type(t).__name__}, not a Tensor")
    return {id(t): name for name, t in params.items()}


def _walk(outputs, constants, max_nodes):
    """Every tensor behind `outputs` that backward visits (and the constants if asked), inputs
    before outputs: the iterative depth-first search of minigan.backprop.topological_order."""
    order, seen = [], set()
    stack = [(t, False) for t in reversed(outputs)]
    while stack:
        t, expanded = stack.pop()
        if expanded:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        if len(seen) > max_nodes:
            raise ValueError(f"the graph has more than max_nodes={max_nodes} nodes, too many to draw legibly; "
                             "draw a part of it (graph() of an intermediate tensor) or raise max_nodes")
        stack.append((t, True))
        fn = t.grad_fn
        if fn is not None:
            if fn.parents is None:
                raise RuntimeError(
                    f"the graph behind the {type(fn).__name__} node (shape {t.shape}) was freed by a backward() "
                    "without retain_graph=True; call graph() before backward (it captures the structure at once)")
            stack.extend((p, False) for p in reversed(fn.parents)
                         if (p.requires_grad or constants) and id(p) not in seen)
    return order


# ------------------------------------------------------------------------------- the scene
@dataclass
class _Box:
    node: Node
    x: float
    y: float
    w: float
    h: float
    lines: list
    grad_norm: float
    fill: str
    ink: str
    dashed: bool
    stroke_width: float
    tooltip: str


@dataclass
class _Edge:
    source: int
    target: int
    count: int
    points: list
    ink: str


@dataclass
class _LegendItem:
    x: float
    y: float
    fill: str
    ink: str
    dashed: bool
    text: str


@dataclass
class _Scene:
    width: float
    height: float
    boxes: list
    edges: list
    legend: list
    layout: object


def _box_size(lines):
    return max(len(line) for line in lines) * CHAR_PX + 2 * PAD_X, len(lines) * LINE_PX + 2 * PAD_Y


def _scene(g):
    """Boxes, edges and legend in pixels (y downwards), for the SVG and the matplotlib writers."""
    norms = [n.grad_norm for n in g.nodes]
    lines = [n.lines(norm) for n, norm in zip(g.nodes, norms, strict=True)]
    layout = layered_layout([_box_size(ls) for ls in lines], g.edges)
    kinds = ["backward" if n.from_backward else n.kind for n in g.nodes]
    legend, at = [], 12.0
    for kind in STYLES:
        if kind in kinds:
            legend.append(_LegendItem(at, 6.0, STYLES[kind][0], ORANGE_INK if kind == "backward" else INK,
                                      kind in ("backward", "constant"), STYLES[kind][1]))
            at += 19 + 6.6 * len(STYLES[kind][1]) + 14
    boxes = []
    for n, ls, norm, kind in zip(g.nodes, lines, norms, kinds, strict=True):
        w, h = _box_size(ls)
        tooltip = f"{n.kind} {n.name} shape {n.shape} dtype {n.tensor.dtype}"
        tooltip += " (recorded by a create_graph backward)" if n.from_backward else ""
        boxes.append(_Box(n, layout.x[n.index], layout.y[n.index] + LEGEND_PX, w, h, ls, norm, STYLES[kind][0],
                          ORANGE_INK if n.from_backward else INK, n.from_backward or kind == "constant",
                          2.5 if n.index in g.outputs else 1.0, tooltip))
    edges = []
    for (u, v), count in _counted(g.edges).items():
        points = [(x, y + LEGEND_PX) for x, y in layout.routes[(u, v)]]
        edges.append(_Edge(u, v, count, points, ORANGE_INK if g.nodes[v].from_backward else INK))
    width = max(layout.width, at)
    return _Scene(width, layout.height + LEGEND_PX, boxes, edges, legend, layout)


def _counted(edges):
    counts = {}
    for e in edges:
        counts[e] = counts.get(e, 0) + 1
    return counts


def _svg_path(points):
    (x0, y0), parts = points[0], []
    for (xa, ya), (xb, yb) in pairwise(points):
        ym = (ya + yb) / 2
        parts.append(f"C{xa:.1f},{ym:.1f} {xb:.1f},{ym:.1f} {xb:.1f},{yb:.1f}")
    return f"M{x0:.1f},{y0:.1f} " + " ".join(parts)


def _esc(text):
    return html.escape(str(text), quote=True)


def _draw_with_matplotlib(scene, path, dpi):
    """The same scene as a PNG: one pixel of the scene is one pixel at dpi=100. (add_artist, not
    add_patch: the limits are set, and updating them for every patch is slow.)"""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    fig = Figure(figsize=(scene.width / 100, scene.height / 100))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, scene.width)
    ax.set_ylim(scene.height, 0)
    ax.axis("off")
    points_per_px = 72 / 100
    text = {"family": "monospace", "fontsize": FONT_PX * points_per_px}
    for item in scene.legend:
        ax.add_artist(FancyBboxPatch((item.x, item.y), 14, 12, boxstyle="round,pad=0,rounding_size=2", fc=item.fill,
                                    ec=item.ink, ls="--" if item.dashed else "-", lw=0.8))
        ax.text(item.x + 19, item.y + 6, item.text, va="center", **{**text, "fontsize": 11 * points_per_px})
    for e in scene.edges:
        verts, codes = [e.points[0]], [Path.MOVETO]
        for (xa, ya), (xb, yb) in pairwise(e.points):
            ym = (ya + yb) / 2
            verts += [(xa, ym), (xb, ym), (xb, yb)]
            codes += [Path.CURVE4] * 3
        ax.add_artist(FancyArrowPatch(path=Path(verts, codes), arrowstyle="-|>", mutation_scale=10, color=e.ink,
                                     lw=1.2 * points_per_px))
        if e.count > 1:
            ax.text(e.points[-1][0] + 5, e.points[-1][1] - 6, f"×{e.count}", color=e.ink, **text)
    for b in scene.boxes:
        ax.add_artist(FancyBboxPatch((b.x - b.w / 2, b.y - b.h / 2), b.w, b.h, boxstyle="round,pad=0,rounding_size=4",
                                    fc=b.fill, ec=b.ink, lw=b.stroke_width * points_per_px,
                                    ls="--" if b.dashed else "-"))
        top = b.y - b.h / 2 + PAD_Y
        ax.text(b.x, top + LINE_PX / 2, b.lines[0], ha="center", va="center", fontweight="bold", **text)
        ax.text(b.x, top + LINE_PX, "\n".join(b.lines[1:]), ha="center", va="top", linespacing=1.2, **text)
    fig.savefig(path, dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
