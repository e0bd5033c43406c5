"""[AD-BROADCAST] Undo broadcasting in a gradient.

When an input of shape `shape` was broadcast to a larger shape in the forward pass, its gradient is
the sum of the output's gradient over every copy:

    unbroadcast(G, shape) = Σ over the leading axes that broadcasting added,
                            then Σ (keeping the axis) over the axes where `shape` has size 1

Example: a (4, 1) times b (2, 1, 3) gives (2, 4, 3); ∂L/∂a = G · b summed over axis 0 (added) and
axis 2 (size 1 in a), shape (4, 1).
"""


def unbroadcast(grad, shape):
    """grad: a minigan Tensor of the broadcast shape; shape: the input's shape (a tuple).
    Returns a Tensor of `shape`. Use Tensor.sum(axis=..., keepdims=...) and Tensor.reshape."""
    ### BEGIN SOLUTION
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad
    ### END SOLUTION
