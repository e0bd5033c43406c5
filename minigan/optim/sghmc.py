"""Stochastic gradient Hamiltonian Monte Carlo (Chen, Fox & Guestrin 2014), the sampler of the Bayesian
GAN (VAR-BAYES-2), and the authors' practical stand-in for it, Adam on a gradient with added noise.

SGHMC draws weights from a posterior p(θ | data) ∝ exp(−U(θ)) instead of minimising U: momentum SGD
with friction, plus Gaussian noise whose variance is tied to the friction so that the chain's
stationary distribution is the posterior.
"""
from minigan.creation import randn
from minigan.optim.adam import Adam
from minigan.optim.optimizer import Optimizer, check_nonnegative


def check_friction(alpha):
    if not isinstance(alpha, (int, float)) or not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha (SGHMC's friction) must be in (0, 1] (a number), got alpha={alpha!r}: "
                         f"α = 1 − momentum; the Bayesian GAN uses 0.01–0.1")


def check_data_size(data_size):
    if not isinstance(data_size, (int, float)) or not data_size > 0:
        raise ValueError(f"data_size (N, the number of data points the gradient is a mean over) must be "
                         f"positive, got data_size={data_size!r}")


def gaussian_like(p, variance):
    """An array of p's shape, dtype and backend with N(0, variance) entries (minigan's random stream)."""
    return randn(*p.shape, dtype=p.data.dtype).data * variance ** 0.5


class SGHMC(Optimizer):
    """[VAR-BAYES-2] For each weight sample, with ∇ log p(θ | ·) the gradient of the log posterior:

        v ← (1 − α) v + η ∇_θ log p(θ | ·) + n,    n ~ N(0, 2αη I)
        θ ← θ + v

    α is the friction (1 − α the momentum), η the step size; the gradient-noise estimate α̂ of the
    slide is taken as 0 (as the Bayesian GAN does).

    minigan's losses are minibatch MEANS: the gradient g that backward leaves is ∇ℓ(θ) with
    U(θ) = −log p(θ | ·) = N ℓ(θ) + (prior), N the number of data points. With lr = ηN the same
    update reads, as `update` computes it,

        v ← (1 − α) v − lr g + n,    n ~ N(0, 2α lr / N · I)          (lr = ηN, data_size = N)
        θ ← θ + v

    so lr is on the scale of SGD's, and with data_size = 1 the two forms are the same line. noise=False
    leaves n out (then α = 1 is plain SGD). v starts at 0.

    lr: η N; alpha: α in (0, 1]; data_size: N > 0; maximize=True ascends (g = −∇).
    """

    def __init__(self, params, lr, alpha=0.1, data_size=1.0, noise=True, maximize=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, data_size=data_size, noise=noise, maximize=maximize))

    def validate(self, group):
        super().validate(group)
        check_friction(group["alpha"])
        check_data_size(group["data_size"])

    def update(self, p, g, state, group):
        lr, alpha = group["lr"], group["alpha"]
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = 0.0 * p.data                            # v_0 = 0
        v = state["momentum_buffer"]
        v *= 1.0 - alpha                                                       # (1 − α) v
        v -= lr * g                                                            # + η ∇ log p = − lr g
        if group["noise"]:
            v += gaussian_like(p, 2.0 * alpha * lr / group["data_size"])      # + n, n ~ N(0, 2αη I)
        p.data += v                                                            # θ ← θ + v


class NoisyAdam(Adam):
    """The Bayesian GAN authors' practical sampler (their code's default, andrewgordonwilson/bayesgan;
    its issue #18 asks what it equates to): Adam on the gradient of the loss plus a noise term

        U(θ) + θ·n / N,   n ~ N(0, 2αη I)       ⇒   g ← g + n / N

    then Adam's update (OPT-ADAM) on g. It is not SGHMC: Adam rescales the noise with the gradient's
    own moments, so no stationary distribution is known; it trains in CPU minutes where a literal
    SGHMC from scratch did not (docs/results.md).

    lr: Adam's α (and the η of the noise); alpha: α in (0, 1]; data_size: N > 0.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, alpha=0.01, data_size=1.0, maximize=False):
        Optimizer.__init__(self, params, dict(lr=lr, betas=betas, eps=eps, alpha=alpha, data_size=data_size,
                                              maximize=maximize))

    def validate(self, group):
        super().validate(group)
        check_friction(group["alpha"])
        check_data_size(group["data_size"])
        check_nonnegative("eps", group["eps"])

    def update(self, p, g, state, group):
        n = gaussian_like(p, 2.0 * group["alpha"] * group["lr"])              # n ~ N(0, 2αη I)
        super().update(p, g + n / group["data_size"], state, group)           # Adam on ∇(U + θ·n / N)
