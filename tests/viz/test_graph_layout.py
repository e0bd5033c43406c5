"""The layered layout: layers by depth, dummy nodes on long edges, crossings counted right and
reduced by the barycenter sweeps, boxes spaced by an exact isotonic regression."""
import itertools

import numpy as np
import pytest

from minigan.viz.graph_layout import (
    assign_layers,
    closest_spaced,
    count_crossings,
    layered_layout,
    order_layers,
)


def brute_force_crossings(layers, succ):
    total = 0
    for upper, lower in itertools.pairwise(layers):
        ends = [(upper.index(v), lower.index(w)) for v in upper for w in succ[v] if w in lower]
        total += sum((a[0] - b[0]) * (a[1] - b[1]) < 0 for a, b in itertools.combinations(ends, 2))
    return total


def test_count_crossings_matches_brute_force_on_random_bipartite_layers():
    rng = np.random.default_rng(0)
    for _ in range(50):
        n_up, n_low = rng.integers(1, 7, size=2)
        upper, lower = list(range(n_up)), list(range(n_up, n_up + n_low))
        rng.shuffle(lower)
        succ = [[] for _ in range(n_up + n_low)]
        for v in upper:
            succ[v] = sorted({int(w) for w in rng.integers(n_up, n_up + n_low, size=rng.integers(0, 4))})
        assert count_crossings([upper, lower], succ) == brute_force_crossings([upper, lower], succ)
    assert count_crossings([[0, 1], [2, 3]], [[3], [2], [], []]) == 1


def test_the_barycenter_sweeps_untangle_a_crossed_ladder():
    succ = [[5], [4], [3], [], [], []]                      # 0→5, 1→4, 2→3: every pair crosses
    pred = [[], [], [], [2], [1], [0]]
    layers, crossings = order_layers([[0, 1, 2], [3, 4, 5]], succ, pred)
    assert count_crossings([[0, 1, 2], [3, 4, 5]], succ) == 3 and crossings == 0
    assert count_crossings(layers, succ) == 0


def test_closest_spaced_is_the_constrained_least_squares_solution():
    assert closest_spaced([0.0, 0.0, 0.0], [10.0, 10.0]) == pytest.approx([-10.0, 0.0, 10.0])
    assert closest_spaced([0.0, 100.0], [10.0]) == pytest.approx([0.0, 100.0])     # already far enough apart
    from scipy.optimize import minimize

    rng = np.random.default_rng(1)
    for _ in range(20):
        targets, gaps = rng.normal(0, 10, 6), rng.uniform(1, 8, 5)
        x = np.array(closest_spaced(list(targets), list(gaps)))
        assert np.all(np.diff(x) >= gaps - 1e-9)
        constraint = {"type": "ineq", "fun": lambda y, g=gaps: np.diff(y) - g}
        best = minimize(lambda y, t=targets: np.sum((y - t) ** 2), np.cumsum(np.r_[0, gaps]), method="SLSQP",
                        constraints=[constraint], options={"ftol": 1e-12})
        assert np.sum((x - targets) ** 2) == pytest.approx(best.fun, rel=1e-6, abs=1e-8)
        assert x == pytest.approx(best.x, abs=1e-4)


def test_layers_are_depths_and_a_leaf_moves_down_next_to_its_use():
    # 0 → 1 → 2 → 3 ← 4: the leaf 4 is used only by node 3, three layers deep
    assert assign_layers(5, [(0, 1), (1, 2), (2, 3), (4, 3)]) == [0, 1, 2, 3, 2]
    # a weight (5) reshaped (6) before its use by 3 moves down as one piece
    assert assign_layers(7, [(0, 1), (1, 2), (2, 3), (5, 6), (6, 3)])[5:] == [1, 2]
    with pytest.raises(ValueError, match="cycle"):
        assign_layers(2, [(0, 1), (1, 0)])


def test_a_long_edge_is_routed_through_one_point_per_layer_it_crosses():
    sizes = [(40.0, 20.0)] * 5
    layout = layered_layout(sizes, [(0, 1), (1, 2), (2, 3), (0, 3), (4, 3)])
    assert layout.layer[:4] == [0, 1, 2, 3]
    route = layout.routes[(0, 3)]
    assert len(route) == 4 and all(a[1] < b[1] for a, b in itertools.pairwise(route))
    assert route[0] == (layout.x[0], layout.y[0] + 10) and route[-1] == (layout.x[3], layout.y[3] - 10)
    assert layout.width > 0 and layout.height > max(layout.y)


def test_a_tree_is_drawn_without_crossings():
    rng = np.random.default_rng(3)
    edges = [(int(rng.integers(0, v)), v) for v in range(1, 40)]   # every node below one parent: an out-tree
    layout = layered_layout([(30.0, 20.0)] * 40, edges)
    assert layout.crossings == 0


def test_bad_edges_are_rejected():
    with pytest.raises(ValueError, match=r"edge \(0, 5\)"):
        layered_layout([(10.0, 10.0)] * 2, [(0, 5)])
