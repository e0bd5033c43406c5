"""minigan: a from-scratch reverse-mode autodiff library on NumPy or CuPy, and the GAN lecture on it.

    import minigan
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()          # x.grad == 2x
"""
__version__ = "0.1.0"

from minigan import (
    backend,  # noqa: F401
    functional,  # noqa: F401
)
from minigan.autograd import (  # noqa: F401
    Function,
    Tensor,
    enable_grad,
    get_default_dtype,
    grad,
    is_grad_enabled,
    no_grad,
    set_default_dtype,
    set_grad_enabled,
    unbroadcast,
)
from minigan.creation import (  # noqa: F401
    arange,
    eye,
    fork_rng,
    full,
    generator,
    get_rng_state,
    manual_seed,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    set_rng_state,
    tensor,
    zeros,
    zeros_like,
)
from minigan.gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: F401
from minigan.ops import concat, matmul, maximum, minimum, pad, stack, where  # noqa: F401
from minigan.ops.threads import get_num_threads, set_num_threads  # noqa: F401
from minigan.serialization import load, save  # noqa: F401,E402
