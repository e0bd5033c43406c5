"""An average of the iterates θ_t, kept beside the trained parameters (torch_ema's interface).

On the bilinear game, simultaneous gradient descent orbits the equilibrium (OPT-GD) while the mean
of its iterates converges to it (minigan.games.running_mean). GAN practice keeps the same kind of
average of the generator's weights and samples from it. The exponential moving average is a running
mean over the last ≈ 1 / (1 − β) steps, which forgets the early, poor iterates:

    θ̄_0 = θ_0,    θ̄_t = β θ̄_{t−1} + (1 − β) θ_t          (after every optimizer step)

    ema = ExponentialMovingAverage(generator.parameters(), decay=0.998)
    opt.step(); ema.update()
    with ema.average_parameters():        # inside the block the parameters hold θ̄
        samples = generator(z)

Only parameters are averaged; buffers (batch norm's running statistics) stay the module's own.
"""
import contextlib
import numbers

from minigan.autograd import Tensor, _wrap


class ExponentialMovingAverage:
    """θ̄ ← β θ̄ + (1 − β) θ for each of `parameters`, β = `decay` in [0, 1) (0: θ̄ is the last θ)."""

    def __init__(self, parameters, decay):
        if not isinstance(decay, numbers.Real) or not 0 <= decay < 1:
            raise ValueError(f"decay (β of θ̄ ← β θ̄ + (1 − β) θ) must lie in [0, 1), got {decay!r}; "
                             f"0.999 averages over about the last 1000 steps")
        self.parameters = list(parameters)
        self.decay = float(decay)
        self.averages = [p.data.copy() for p in self.parameters]          # θ̄_0 = θ_0

    def update(self):
        """θ̄ ← β θ̄ + (1 − β) θ, in place; call it after every optimizer step."""
        for average, p in zip(self.averages, self.parameters):
            average *= self.decay
            average += (1.0 - self.decay) * p.data

    @contextlib.contextmanager
    def average_parameters(self):
        """Inside the block the parameters hold (copies of) θ̄; after it, the trained θ again."""
        trained = [p.data for p in self.parameters]
        self.copy_to()
        try:
            yield
        finally:
            for p, data in zip(self.parameters, trained):
                p.data = data

    def copy_to(self):
        """θ ← θ̄ for good: for a network that is kept for inference only."""
        for p, average in zip(self.parameters, self.averages):
            p.data = average.copy()

    def state_dict(self):
        return {"decay": self.decay, "averages": [_wrap(average.copy()) for average in self.averages]}

    def load_state_dict(self, state):
        averages = state["averages"]
        shapes = [p.data.shape for p in self.parameters]
        saved = [tuple(a.shape) for a in averages]
        if saved != shapes:
            raise ValueError(f"the saved averages have shapes {saved}, the parameters {shapes}: "
                             f"load the state of an average of the same network")
        self.decay = float(state["decay"])
        self.averages = [(a.data if isinstance(a, Tensor) else a).astype(p.data.dtype, copy=True)
                         for a, p in zip(averages, self.parameters)]
