"""Helpers that act on a model's parameters."""
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
