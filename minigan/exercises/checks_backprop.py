"""The check of the exercise `backward` (tutorial 01): the student's topological order and backward
loop, on a graph with broadcasting and a node used twice, against minigan.grad."""
import numpy as np

import minigan

NOT_ADDED = ("a tensor used twice (h here) gets the SUM of the gradients from its uses: add into the "
             "gradient you have for it (grads[id(p)] = grads[id(p)] + g) instead of replacing it")
NOT_UNBROADCAST = ("the bias b (3,) was broadcast to (4, 3): sum its gradient back, "
                   "minigan.unbroadcast(g, parent.shape)")
RECURSION = ("a recursive depth-first search hits Python's recursion limit on a long chain: keep an explicit "
             "stack of (node, expanded) pairs instead")


def _graph(x, w, b):
    """loss = mean(y²) + 0.1·Σ h with h = x W + b (b broadcast) and y = tanh(h) · h (h used twice)."""
    h = x @ w + b
    y = h.tanh() * h
    return (y * y).mean() + h.sum() * 0.1


def _reachable(root):
    """The set of ids of the tensors that lead to root and require grad."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen or not node.requires_grad:
            continue
        seen.add(id(node))
        if node.grad_fn is not None:
            stack.extend(node.grad_fn.parents)
    return seen


def _variant(leaves, add=True, unbroadcast=True):
    """The leaves' gradients from a backward loop with one known mistake (for the hints)."""
    loss = _graph(*leaves)
    order, seen, stack = [], set(), [(loss, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            if node.grad_fn is not None:
                stack.extend((p, False) for p in node.grad_fn.parents if p.requires_grad)
    grads = {id(loss): minigan.ones_like(loss)}
    with minigan.no_grad():
        for node in reversed(order):
            g = grads.get(id(node))
            if g is None or node.grad_fn is None:
                continue
            parent_grads = node.grad_fn.backward(g)
            parent_grads = parent_grads if isinstance(parent_grads, tuple) else (parent_grads,)
            for parent, pg in zip(node.grad_fn.parents, parent_grads):
                if pg is None or not parent.requires_grad:
                    continue
                pg = minigan.unbroadcast(pg, parent.shape) if unbroadcast else pg
                grads[id(parent)] = grads[id(parent)] + pg if add and id(parent) in grads else pg
    return [grads.get(id(leaf)) for leaf in leaves]


def check_backward(g, topological_order, backward):
    values = [g.rng.standard_normal((4, 3)), g.rng.standard_normal((3, 3)), g.rng.standard_normal(3)]

    def leaves():
        return [minigan.Tensor(v.copy(), requires_grad=True) for v in values]
    x, w, b = leaves()
    loss = _graph(x, w, b)
    order = g.call("topological_order", topological_order, loss)
    order = list(order) if isinstance(order, (list, tuple)) else order
    g.require("topological order", isinstance(order, list) and all(isinstance(t, minigan.Tensor) for t in order),
              f"topological_order returned {type(order).__name__}, not a list of Tensors")
    ids = [id(t) for t in order]
    g.require("topological order", len(ids) == len(set(ids)), "a tensor appears twice in the order",
              hint="keep a set of the nodes already visited")
    wanted = _reachable(loss)
    g.require("topological order", set(ids) == wanted,
              f"the order has {len(set(ids) & wanted)} of the {len(wanted)} tensors that lead to the loss"
              + (f" and {len(set(ids) - wanted)} that do not (or that need no grad)" if set(ids) - wanted else ""),
              expected=f"{len(wanted)} tensors", got=f"{len(ids)} tensors")
    g.require("topological order", ids[-1] == id(loss), "the loss (the root) must come last")
    position = {i: k for k, i in enumerate(ids)}
    late = [t for t in order if t.grad_fn is not None
            and any(p.requires_grad and position[id(p)] > position[id(t)] for p in t.grad_fn.parents)]
    g.require("topological order", not late,
              f"{len(late)} tensor(s) come before a tensor they were computed from (first: shape "
              f"{late[0].shape if late else ''}, made by {type(late[0].grad_fn).__name__ if late else ''})",
              hint="emit a node only once all its parents were emitted: push it back as 'expanded' before its "
                   "parents, and append it when it comes off the stack the second time")

    chain = minigan.Tensor(np.array([0.5]), requires_grad=True)
    y = chain
    for _ in range(3000):
        y = y * 1.0001
    deep = g.call("topological order of a chain of 3000 operations", topological_order, y.sum())
    g.require("topological order of a chain of 3000 operations", len(deep) == 3002,
              f"{len(deep)} tensors, expected 3002", expected="3002", got=str(len(deep)))

    reference = leaves()
    expected = minigan.grad(_graph(*reference), reference)
    x, w, b = leaves()
    g.call("backward", backward, _graph(x, w, b))
    mistakes = {NOT_ADDED: lambda k: _variant(leaves(), add=False)[k],
                NOT_UNBROADCAST: lambda k: _variant(leaves(), unbroadcast=False)[k]}
    for k, (name, leaf) in enumerate(zip(("x", "W", "b"), (x, w, b))):
        g.close(f"backward: {name}.grad", leaf.grad, expected[k],
                mistakes={h: (lambda f=f, k=k: f(k)) for h, f in mistakes.items()})
    before = [leaf.grad.numpy().copy() for leaf in (x, w, b)]
    g.call("backward a second time (adds to .grad)", backward, _graph(x, w, b))
    for name, leaf, first in zip(("x", "W", "b"), (x, w, b), before):
        g.close(f"a second backward adds to {name}.grad", leaf.grad, 2 * first,
                mistakes={"add to a leaf's existing .grad (leaf.grad = leaf.grad + g), as PyTorch does": first})


HINTS_FOR_EXCEPTIONS = {   # exercise → ((regex on "Type: message", hint), ...)
    "backward": ((r"RecursionError|recursion", RECURSION),),
}
