"""[OPT-OMD] Optimistic mirror descent on the bilinear game min_x max_y x·y (∇_x = y, ∇_y = x):

    x_{t+1} = x_t − 2η ∇_{x,t} + η ∇_{x,t−1}       the minimizer descends
    y_{t+1} = y_t + 2η ∇_{y,t} − η ∇_{y,t−1}       the maximizer ascends
    both gradients taken at (x_t, y_t); ∇_{·,0} = 0 (the first step is 2η ∇)

Simultaneous gradient descent/ascent (OPT-GD) spirals out on this game; OMD converges to (0, 0) in
the last iterate: after 1000 steps of η = 0.1 from (1, 1), ‖(x, y)‖ ≈ 0.009.
"""
import numpy as np


def omd_bilinear(steps, lr=0.1, start=(1.0, 1.0)):
    """Returns the path, a NumPy array (steps + 1, 2) of (x_t, y_t), the start included."""
    ### BEGIN SOLUTION
    x, y = start
    previous_x = previous_y = 0.0
    path = [(x, y)]
    for _ in range(steps):
        grad_x, grad_y = y, x
        x, y = x - 2 * lr * grad_x + lr * previous_x, y + 2 * lr * grad_y - lr * previous_y
        previous_x, previous_y = grad_x, grad_y
        path.append((x, y))
    return np.array(path)
    ### END SOLUTION
