"""Helpers that act on a model's parameters: weight clipping, and the contexts that freeze a module
or switch it to eval mode for a block."""
import contextlib

from minigan.autograd import no_grad


@no_grad()
def clip_parameters_(params, lo, hi):
    """[WGAN-4 line 7] w ← clip(w, -c, c): every parameter clipped into [lo, hi], in place (the critic's
    weight clipping that keeps f_w K-Lipschitz). Returns the parameters as a list."""
    if lo > hi:
        raise ValueError(f"clip_parameters_: lo={lo} is above hi={hi}")
    params = list(params)
    for p in params:
        p.data = p.data.clip(lo, hi)
    return params


@contextlib.contextmanager
def frozen(module):
    """``with frozen(D):`` D's parameters are constants (no gradient reaches them); each gets its
    own requires_grad back afterwards, also when the block raises. The generator's update sees
    the discriminator this way (GAN-4: "descend ∇_θg" with θ_d fixed)."""
    params = list(module.parameters())
    flags = [p.requires_grad for p in params]
    for p in params:
        p.requires_grad_(False)
    try:
        yield module
    finally:
        for p, flag in zip(params, flags):
            p.requires_grad_(flag)


@contextlib.contextmanager
def evaluating(module):
    """``with evaluating(G):`` the module in eval mode (batch norm on its running statistics,
    dropout off), its previous mode restored afterwards, also when the block raises."""
    was_training = module.training
    module.eval()
    try:
        yield module
    finally:
        module.train(was_training)
