"""The differentiable primitives, one Function subclass each, grouped by family."""
from minigan.ops.batchnorm import Normalize  # noqa: F401
from minigan.ops.conv import Convolution, Fold, TransposedConvolution, Unfold  # noqa: F401
from minigan.ops.elementwise import (  # noqa: F401
    ELU,
    Abs,
    Add,
    Cast,
    Clip,
    Div,
    Exp,
    LeakyReLU,
    Log,
    Maximum,
    Mul,
    Neg,
    Pow,
    ReLU,
    Sigmoid,
    Softplus,
    Sqrt,
    Sub,
    Tanh,
    ToBackend,
    Where,
    maximum,
    minimum,
    where,
)
from minigan.ops.linear import Affine  # noqa: F401
from minigan.ops.matmul import MatMul, matmul  # noqa: F401
from minigan.ops.reduce import Max, Sum  # noqa: F401
from minigan.ops.shape import (  # noqa: F401
    BroadcastTo,
    Concat,
    GetItem,
    IndexAdd,
    Pad,
    Reshape,
    Transpose,
    arange_like,
    concat,
    normalize_index,
    pad,
    stack,
)
