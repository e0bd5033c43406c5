"""[ADV-1] The fast gradient sign method (panda → gibbon at ε = 0.007):

    x_adv = clip(x + ε · sign(∇ₓ J(θ, x, y)), 0, 1),   J = the cross-entropy of the model on (x, y)

One step of size ε in every pixel, in the direction that increases the loss; the SIGN of the
gradient, not the gradient (which may be tiny). Take ∇ₓ J with minigan.grad on a leaf copy of x.
"""
import minigan
import minigan.functional as F


def fgsm(model, x, y, eps):
    """model: a classifier (logits (N, classes)); x: images in [0, 1] (a Tensor (N, ...)); y: integer
    labels (N,); eps: ε. Returns x_adv, a Tensor of x's shape with values in [0, 1]."""
    ### BEGIN SOLUTION
    x = minigan.Tensor(x.data, requires_grad=True)
    (grad,) = minigan.grad(F.cross_entropy(model(x), y), x)
    with minigan.no_grad():
        return (x + eps * grad.sign()).clip(0.0, 1.0)
    ### END SOLUTION
