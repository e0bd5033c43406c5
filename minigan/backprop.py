"""The backward pass: walk the graph from the outputs to the inputs in reverse topological order and
apply the chain rule at every node,

    ∂L/∂input = Σ over the uses of input  (∂L/∂output) · (∂output/∂input),

each node's local factor being its Function's ``backward``. ``Tensor.backward`` accumulates the result
into the leaves' ``.grad``; ``minigan.grad`` returns it and leaves ``.grad`` alone.

The walk reads only what a node shows: a tensor's ``grad_fn``, ``requires_grad`` and ``retains_grad``,
a Function's ``parents`` and ``input_grads``; the gradients it is given are Tensors.
"""
from minigan.grad_mode import backward_pass


def topological_order(roots):
    """Every tensor that leads to `roots` and requires grad, inputs before outputs.

    An iterative depth-first search (no recursion, so a chain of 100,000 operations is fine):
    a node is emitted once all the nodes it was computed from have been emitted.
    """
    order, seen = [], set()
    stack = [(root, False) for root in roots]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        fn = node.grad_fn
        if fn is not None:
            if fn.parents is None:
                raise RuntimeError(
                    "backward through a graph whose intermediate values were already freed by an earlier "
                    "backward(); pass retain_graph=True to the first call if you need to go back twice")
            stack.extend((p, False) for p in fn.parents if p.requires_grad and id(p) not in seen)
    return order


def backpropagate(roots, root_grads, create_graph=False, retain_graph=False, wanted=None):
    """The chain rule over the graph. Accumulates into ``.grad`` when `wanted` is None; otherwise
    returns {id(t): gradient} for the tensors in `wanted` and leaves every ``.grad`` alone."""
    order = topological_order(roots)
    needed = None
    if wanted is not None:  # prune: only nodes with a path back to a wanted tensor
        needed = set(wanted)
        for node in order:
            fn = node.grad_fn
            if fn is not None and any(id(p) in needed for p in fn.parents):
                needed.add(id(node))
    grads = {}
    for root, g in zip(roots, root_grads):
        if g.shape != root.shape:
            raise ValueError(f"the gradient has shape {g.shape} but the output has shape {root.shape}")
        grads[id(root)] = grads[id(root)] + g if id(root) in grads else g
    captured = {}
    with backward_pass(create_graph):
        while order:
            # Outputs first. Popping drops this list's reference, so without retain_graph a node's
            # value and what its Function saved are freed as soon as the walk has passed it.
            node = order.pop()
            g = grads.pop(id(node), None)
            if g is None:
                continue
            fn = node.grad_fn
            if wanted is None:
                if fn is None or node.retains_grad:
                    node.grad = g if node.grad is None else node.grad + g
            elif id(node) in wanted:
                captured[id(node)] = g
            if fn is None or (needed is not None and id(node) not in needed):
                continue
            for parent, pg in zip(fn.parents, fn.input_grads(g)):
                if pg is None or not parent.requires_grad:
                    continue
                if needed is not None and id(parent) not in needed:
                    continue
                key = id(parent)
                grads[key] = grads[key] + pg if key in grads else pg
            if not retain_graph:
                fn.parents = None  # free what the forward pass kept for this node
    return captured
