"""Optimizers as the slides print them (OPT-GD, OPT-RMSPROP, OPT-ADAM, OPT-OMD, OPT-OADAM), the
Bayesian GAN's sampler SGHMC (VAR-BAYES-2) and its authors' noisy Adam, learning-rate schedules, and
an average of the iterates (ExponentialMovingAverage). PyTorch's interface:

    opt = minigan.optim.Adam(model.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt.zero_grad(); loss.backward(); opt.step()
"""
from minigan.optim import schedule  # noqa: F401
from minigan.optim.adam import Adam  # noqa: F401
from minigan.optim.averaging import ExponentialMovingAverage  # noqa: F401
from minigan.optim.optimistic import OptimisticAdam, OptimisticSGD  # noqa: F401
from minigan.optim.optimizer import Optimizer  # noqa: F401
from minigan.optim.rmsprop import RMSProp, RMSprop  # noqa: F401
from minigan.optim.sgd import SGD  # noqa: F401
from minigan.optim.sghmc import SGHMC, NoisyAdam  # noqa: F401
