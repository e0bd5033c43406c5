"""[ADV-1] Projected gradient descent (Madry et al.), FGSM in small steps, projected after every step:

    x⁰ = x,   x^{t+1} = Π( x^t + α · sign(∇ₓ J(θ, x^t, y)) )
    Π: clip to the ε-ball around the ORIGINAL x, [x − ε, x + ε], then to the pixel range [0, 1]

(minigan.adversarial.pgd also starts from a random point of the ball; this exercise starts at x.)
"""
import minigan
import minigan.functional as F


def pgd(model, x, y, eps, alpha, steps):
    """model, x (images in [0, 1]), y (labels), eps ε, alpha α, steps: as above. Returns x_adv (a Tensor)."""
    ### BEGIN SOLUTION
    x_adv = x
    for _ in range(steps):
        leaf = minigan.Tensor(x_adv.data, requires_grad=True)
        (grad,) = minigan.grad(F.cross_entropy(model(leaf), y), leaf)
        step = x_adv.data + alpha * grad.sign().data
        x_adv = minigan.Tensor(step.clip(x.data - eps, x.data + eps).clip(0.0, 1.0))
    return x_adv
    ### END SOLUTION
