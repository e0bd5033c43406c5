"""Walking in the latent space (BEGAN-6): samples along a path between two codes, and the codes of
real images, found by inverting the generator.

    lerp(z₁, z₂; t) = (1 − t) z₁ + t z₂
    slerp(z₁, z₂; t) = sin((1 − t)Ω)/sin Ω · z₁ + sin(tΩ)/sin Ω · z₂,   cos Ω = z₁·z₂ / (‖z₁‖ ‖z₂‖)
    invert:  z* = argmin_z ‖G(z) − x‖²

Under a Gaussian prior most of the mass lies near the sphere of radius √d, and the straight line
between two codes cuts through its low-density interior; the great circle (slerp) stays where the
generator was trained (White 2016, "Sampling generative networks").
"""
import numpy as np

from minigan import backend, nn, optim
from minigan.autograd import Tensor, no_grad
from minigan.creation import tensor
from minigan.gan.base import sample_noise


def _codes(z, name):
    z = z if isinstance(z, Tensor) else tensor(z)
    if z.ndim not in (1, 2):
        raise ValueError(f"{name} must be a code (latent_dim,) or a batch of codes (B, latent_dim), "
                         f"got shape {z.shape}")
    return z.detach()


def interpolation_codes(z1, z2, n, spherical=True):
    """[BEGAN-6] n codes from z₁ to z₂ (both ends included), along the great circle (slerp) or the
    line (lerp). z1, z2: (d,) → (n, d); or (B, d) each → (B, n, d), one path per row."""
    z1, z2 = _codes(z1, "z1"), _codes(z2, "z2")
    if z1.shape != z2.shape:
        raise ValueError(f"z1 and z2 must have the same shape, got {z1.shape} and {z2.shape}")
    if n < 2:
        raise ValueError(f"an interpolation needs n >= 2 points (the two ends), got n={n}")
    xp = backend.get_array_module(z1.data)
    a, b = z1.data.reshape(-1, 1, z1.shape[-1]), z2.data.reshape(-1, 1, z2.shape[-1])   # (B, 1, d)
    t = xp.linspace(0.0, 1.0, n, dtype=z1.dtype).reshape(1, n, 1)
    wa, wb = 1 - t, t                                                                 # lerp weights
    if spherical:
        norms = xp.linalg.norm(a, axis=-1, keepdims=True) * xp.linalg.norm(b, axis=-1, keepdims=True)
        cos = (a * b).sum(-1, keepdims=True) / xp.maximum(norms, xp.finfo(norms.dtype).tiny)  # cos Ω
        omega = xp.arccos(xp.clip(cos, -1.0, 1.0))
        sin = xp.sin(omega)
        parallel = sin < 1e-6                                     # Ω ≈ 0 (or π): slerp's limit is the line
        safe = xp.where(parallel, 1.0, sin)
        wa = xp.where(parallel, wa, xp.sin((1 - t) * omega) / safe)
        wb = xp.where(parallel, wb, xp.sin(t * omega) / safe)
    codes = (wa * a + wb * b).astype(z1.dtype)                                       # (B, n, d)
    return Tensor(codes[0] if z1.ndim == 1 else codes)


@no_grad()
def interpolate(generator, z1, z2, n, spherical=True):
    """[BEGAN-6] G at n points from z₁ to z₂ (slerp, or lerp with spherical=False), the generator in
    eval mode. z1, z2: (d,) → samples (n, ...); (B, d) → (B, n, ...)."""
    codes = interpolation_codes(z1, z2, n, spherical)
    flat = codes.reshape(-1, codes.shape[-1])
    with nn.evaluating(generator):
        samples = generator(flat)
    return samples.reshape(*codes.shape[:-1], *samples.shape[1:])


def latent_dim_of(generator):
    """The size of z: generator.latent_dim, else the input width of its first Linear layer."""
    if getattr(generator, "latent_dim", None):
        return int(generator.latent_dim)
    for module in generator.modules():
        if hasattr(module, "in_features"):
            return int(module.in_features)
    raise ValueError(f"cannot tell the latent size of {type(generator).__name__}: pass latent_dim=")


def invert(generator, x, steps=200, lr=0.1, restarts=1, latent_dim=None, prior=None):
    """z* = argmin_z ‖G(z) − x‖² for each sample of the batch x (N, ...), by Adam on z.

    Every sample is inverted `restarts` times from codes z ~ p_z (all N·restarts in one batch), and
    the code with the smallest error is kept. The learning rate follows a cosine from lr to 0 over
    the `steps` steps (optim.schedule.CosineAnnealingLR), so that the last iterates settle instead of
    circling the minimum. The generator runs in eval mode and its weights stay untouched.
    Returns (z* (N, d), G(z*) (N, ...)), Tensors without a graph.
    """
    x = (x if isinstance(x, Tensor) else tensor(x)).detach()
    if steps < 0 or restarts < 1 or not lr > 0:
        raise ValueError(f"invert needs steps >= 0, restarts >= 1 and lr > 0, got steps={steps}, "
                         f"restarts={restarts}, lr={lr}")
    d = latent_dim or latent_dim_of(generator)
    n = x.shape[0]
    z = sample_noise(n * restarts, d, prior or getattr(generator, "prior", "normal")).astype(x.dtype)
    z = Tensor(z.data, requires_grad=True)
    targets = Tensor(backend.get_array_module(x.data).concatenate([x.data] * restarts))
    with nn.evaluating(generator), nn.frozen(generator):
        opt = optim.Adam([z], lr=lr)
        schedule = optim.schedule.CosineAnnealingLR(opt, T_max=max(steps, 1))   # η_t = lr · (1 + cos(π t/steps))/2
        for _ in range(steps):
            loss = ((generator(z) - targets) ** 2).sum()          # Σ_i ‖G(z_i) − x_i‖²: samples independent
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
        with no_grad():
            fakes = generator(z)
    errors = backend.to_numpy(((fakes.data - targets.data) ** 2).reshape(restarts, n, -1).sum(-1))
    best = backend.get_array_module(z.data).asarray(errors.argmin(axis=0) * n + np.arange(n))  # best restart
    return Tensor(z.data[best]), Tensor(fakes.data[best])
