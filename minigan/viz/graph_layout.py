"""A layered drawing of a directed acyclic graph (Sugiyama's method), written for computation graphs:

1. layers: a node sits one layer below the deepest node it is computed from (its depth from the
   leaves); a leaf, and a chain hanging from it (a weight's reshape), moves down to just above the
   first node that uses it, so that its edges stay short;
2. an edge that spans several layers passes through one invisible "dummy" node per layer in between;
3. ordering: the nodes of each layer are sorted by the barycenter (mean position) of their
   neighbours in the layer above, then below, sweeping down and up; the order with the fewest edge
   crossings is kept;
4. coordinates: each node is pulled towards the mean x of its neighbours, keeping the order and a
   gap between boxes (an isotonic regression, solved exactly by pool-adjacent-violators).

No Graphviz is needed; `minigan.viz.graph` draws the result as SVG or with matplotlib.
"""
from dataclasses import dataclass
from itertools import pairwise


@dataclass
class Layout:
    """Where everything goes: box centres ``x``, ``y`` (one per node, pixels, y downwards), the size
    of the drawing, each node's ``layer``, the left-to-right ``order`` of the real nodes in each
    layer, and for each distinct edge (u, v) its ``route``: the points from the bottom of u's box,
    through the dummy nodes, to the top of v's box."""
    x: list
    y: list
    width: float
    height: float
    layer: list
    order: list
    routes: dict
    crossings: int


def layered_layout(sizes, edges, layer_gap=36.0, node_gap=18.0, margin=12.0, sweeps=12):
    """Lay out the nodes with box sizes ``sizes`` [(width, height), ...] and the directed ``edges``
    [(u, v), ...] (u above v; repeated pairs are drawn once). The graph must be acyclic."""
    n = len(sizes)
    pairs = list(dict.fromkeys(edges))
    for u, v in pairs:
        if not (0 <= u < n and 0 <= v < n) or u == v:
            raise ValueError(f"edge ({u}, {v}) does not join two different nodes of the {n} given")
    layer = assign_layers(n, pairs)
    width, height = [w for w, _ in sizes], [h for _, h in sizes]
    succ, pred, chains = _split_long_edges(layer, pairs, width, height)
    layers = [[] for _ in range(max(layer, default=-1) + 1)]
    for v in range(len(layer)):  # real nodes in the order given (a topological order), dummies after
        layers[layer[v]].append(v)
    layers, crossings = order_layers(layers, succ, pred, sweeps)
    x = _x_coordinates(layers, succ, pred, width, node_gap)
    y, total_height = _y_coordinates(layers, height, layer, layer_gap, margin)
    left = min((x[v] - width[v] / 2 for v in range(len(x))), default=0.0)
    x = [xv - left + margin for xv in x]
    total_width = max((x[v] + width[v] / 2 for v in range(len(x))), default=0.0) + margin
    routes = {}
    for (u, v), chain in chains.items():
        routes[(u, v)] = ([(x[u], y[u] + height[u] / 2)] + [(x[d], y[d]) for d in chain]
                          + [(x[v], y[v] - height[v] / 2)])
    real_order = [[v for v in row if v < n] for row in layers]
    return Layout(x[:n], y[:n], total_width, total_height, layer[:n], real_order, routes, crossings)


def assign_layers(n, edges):
    """Layer of each node: 0 for the sources, else 1 + the deepest predecessor (the depth from the
    leaves); then, from the outputs up, a node with no more inputs than uses (a leaf, a reshape of
    a weight) moves down to just above its highest successor, which shortens its edges."""
    succ, pred = [[] for _ in range(n)], [[] for _ in range(n)]
    for u, v in edges:
        succ[u].append(v)
        pred[v].append(u)
    layer, order = [0] * n, topological_sort(n, succ, pred)
    for v in order:
        if pred[v]:
            layer[v] = 1 + max(layer[u] for u in pred[v])
    for v in reversed(order):  # outputs first, so that a chain moves down as one piece
        if succ[v] and len(pred[v]) <= len(succ[v]):
            layer[v] = max(layer[v], min(layer[w] for w in succ[v]) - 1)
    return layer


def topological_sort(n, succ, pred):
    """Kahn's algorithm; raises ValueError on a cycle."""
    waiting = [len(p) for p in pred]
    ready = [v for v in range(n) if waiting[v] == 0]
    order = []
    while ready:
        v = ready.pop()
        order.append(v)
        for w in succ[v]:
            waiting[w] -= 1
            if waiting[w] == 0:
                ready.append(w)
    if len(order) != n:
        raise ValueError("the graph has a cycle; a layered layout needs a directed acyclic graph")
    return order


def _split_long_edges(layer, edges, width, height):
    """Adjacency lists between consecutive layers, with a dummy node (appended to layer, width,
    height) on each layer that an edge crosses; chains[(u, v)] are the dummies of edge (u, v)."""
    n = len(layer)
    succ, pred = [[] for _ in range(n)], [[] for _ in range(n)]
    chains = {}
    for u, v in edges:
        chain, previous = [], u
        for step in range(layer[u] + 1, layer[v]):
            dummy = len(layer)
            layer.append(step)
            width.append(2.0)
            height.append(0.0)
            succ.append([])
            pred.append([])
            succ[previous].append(dummy)
            pred[dummy].append(previous)
            chain.append(dummy)
            previous = dummy
        succ[previous].append(v)
        pred[v].append(previous)
        chains[(u, v)] = chain
    return succ, pred, chains


def order_layers(layers, succ, pred, sweeps=12):
    """Barycenter ordering: sweep down (sort by the mean position of the predecessors), then up
    (of the successors); return the ordering with the fewest crossings seen, and that count."""
    best, best_count = [list(row) for row in layers], count_crossings(layers, succ)
    current = [list(row) for row in layers]
    for sweep in range(sweeps):
        if best_count == 0:
            break
        downwards = sweep % 2 == 0
        rows = range(1, len(current)) if downwards else range(len(current) - 2, -1, -1)
        for i in rows:
            fixed = current[i - 1] if downwards else current[i + 1]
            neighbours = pred if downwards else succ
            current[i] = _sort_by_barycenter(current[i], fixed, neighbours)
        count = count_crossings(current, succ)
        if count < best_count:
            best, best_count = [list(row) for row in current], count
    return best, best_count


def _sort_by_barycenter(row, fixed, neighbours):
    position = {v: i for i, v in enumerate(fixed)}
    keys = []
    for i, v in enumerate(row):
        near = [position[w] for w in neighbours[v] if w in position]
        keys.append(sum(near) / len(near) if near else float(i))  # no neighbour there: stay put
    return [v for _, _, v in sorted(zip(keys, range(len(row)), row, strict=True))]


def count_crossings(layers, succ):
    """The number of pairs of edges that cross between consecutive layers (inversions counted with
    a Fenwick tree: O(E log V) per pair of layers)."""
    total = 0
    for upper, lower in pairwise(layers):
        position = {v: i for i, v in enumerate(lower)}
        ends = sorted((i, position[w]) for i, v in enumerate(upper) for w in succ[v] if w in position)
        tree = [0] * (len(lower) + 1)
        for seen, (_, p) in enumerate(ends):  # crossings: earlier edges that end to the right of p
            total += seen - _prefix(tree, p + 1)
            i = p + 1
            while i < len(tree):
                tree[i] += 1
                i += i & -i
    return total


def _prefix(tree, i):
    s = 0
    while i > 0:
        s += tree[i]
        i -= i & -i
    return s


def _x_coordinates(layers, succ, pred, width, node_gap, passes=8):
    """Centres packed left to right, then pulled towards their neighbours' mean, layer by layer,
    alternately from above and below, never closer than node_gap."""
    x = [0.0] * len(width)
    for row in layers:
        at = 0.0
        for v in row:
            x[v] = at + width[v] / 2
            at += width[v] + node_gap
    for sweep in range(passes):
        downwards = sweep % 2 == 0
        rows = layers[1:] if downwards else layers[-2::-1]
        for row in rows:
            wanted = []
            for v in row:
                near = pred[v] if downwards else succ[v]
                near = near or (succ[v] if downwards else pred[v])
                wanted.append(sum(x[w] for w in near) / len(near) if near else x[v])
            gaps = [(width[a] + width[b]) / 2 + node_gap for a, b in pairwise(row)]
            for v, xv in zip(row, closest_spaced(wanted, gaps), strict=True):
                x[v] = xv
    return x


def closest_spaced(targets, gaps):
    """The x minimising Σ (x_i − targets_i)² subject to x_{i+1} − x_i >= gaps_i: with
    c_i = Σ_{j<i} gaps_j and y = x − c, y must be non-decreasing, an isotonic regression of
    targets − c, solved by pool-adjacent-violators (merge neighbouring blocks out of order)."""
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks = []  # [mean, count]
    for t, c in zip(targets, offsets, strict=True):
        blocks.append([t - c, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1][0] = (blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count)
            blocks[-1][1] += count
    y = [mean for mean, count in blocks for _ in range(count)]
    return [yi + c for yi, c in zip(y, offsets, strict=True)]


def _y_coordinates(layers, height, layer, layer_gap, margin):
    row_height = [max((height[v] for v in row), default=0.0) for row in layers]
    top, centre = margin, []
    for h in row_height:
        centre.append(top + h / 2)
        top += h + layer_gap
    y = [centre[layer[v]] for v in range(len(layer))]
    return y, top - layer_gap + margin
