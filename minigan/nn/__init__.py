"""Layers and models: Module, Parameter, Sequential and the layers of the lecture's networks."""
from minigan.nn import init, utils  # noqa: F401
from minigan.nn.conv_layers import Conv2d, ConvTranspose2d  # noqa: F401
from minigan.nn.layers import (  # noqa: F401
    ELU,
    AvgPool2d,
    Dropout,
    Dropout2d,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
    Unflatten,
    Upsample,
)
from minigan.nn.module import Module, Parameter, Sequential  # noqa: F401
from minigan.nn.norm import BatchNorm1d, BatchNorm2d  # noqa: F401
from minigan.nn.utils import clip_parameters_, evaluating, frozen  # noqa: F401
