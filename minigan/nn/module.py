"""Module, Parameter and Sequential: the containers that layers and models are built from.

A Module is a function with state. Assigning a Parameter or another Module to an attribute registers
it, so ``model.parameters()`` finds every weight and ``model.state_dict()`` names it with PyTorch's
dotted path (``0.weight``, ``net.2.bias``); tensors that are state but not trained (batch norm's running
statistics) are registered with ``register_buffer``.

    class Critic(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 1))

        def forward(self, x):
            return self.net(x)
"""
import numpy as np

from minigan import backend
from minigan.autograd import Tensor, _wrap


class Parameter(Tensor):
    """A Tensor that a Module trains: requires_grad=True, found by ``Module.parameters()``."""

    __slots__ = ()

    def __init__(self, data, requires_grad=True):
        super().__init__(data.data if isinstance(data, Tensor) else data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """The base class of layers and models: ``forward`` computes, ``__call__`` calls it.

    Registered state: parameters (trained), buffers (saved but not trained) and sub-modules, each in
    the order of assignment, as in PyTorch.
    """

    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    # ----------------------------------------------------------------- registration
    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}.__init__ must call super().__init__() before "
                                 f"assigning attributes (assigning {name!r})")
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        elif name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"buffer {name!r} must be a Tensor (or None), got {type(value).__name__}")
            self._buffers[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        for store in (self._parameters, self._buffers, self._modules):
            store.pop(name, None)
        object.__delattr__(self, name)

    def register_buffer(self, name, tensor):
        """Register state that is saved in state_dict but not trained (e.g. a running mean)."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"buffer {name!r} must be a Tensor (or None), got {type(tensor).__name__}")
        self._buffers[name] = tensor
        object.__setattr__(self, name, tensor)

    def register_parameter(self, name, param):
        """Register a Parameter (or None, for an absent bias) under `name`."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"parameter {name!r} must be a Parameter (or None), got {type(param).__name__}")
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{name!r} must be a Module, got {type(module).__name__}")
        self._modules[str(name)] = module
        object.__setattr__(self, str(name), module)

    # ---------------------------------------------------------------------- calling
    def forward(self, *inputs):
        raise TypeError(f"{type(self).__name__} defines no forward(); a Module subclass must define one")

    def __call__(self, *inputs, **kwargs):
        return self.forward(*inputs, **kwargs)

    # -------------------------------------------------------------------- traversal
    def named_modules(self, prefix=""):
        """(dotted name, module) for this module and every module below it, each once."""
        seen, stack = set(), [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child_name}" if name else child_name, child)
                        for child_name, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self):
        return (module for _, module in self.named_modules())

    def named_children(self):
        return ((name, child) for name, child in self._modules.items() if child is not None)

    def children(self):
        return (child for _, child in self.named_children())

    def _named_members(self, store):
        seen = set()
        for prefix, module in self.named_modules():
            for name, tensor in getattr(module, store).items():
                if tensor is None or id(tensor) in seen:
                    continue
                seen.add(id(tensor))
                yield (f"{prefix}.{name}" if prefix else name), tensor

    def named_parameters(self):
        """(dotted name, Parameter) for every parameter, each once (shared weights are not repeated)."""
        return self._named_members("_parameters")

    def parameters(self):
        return (p for _, p in self.named_parameters())

    def named_buffers(self):
        return self._named_members("_buffers")

    def buffers(self):
        return (b for _, b in self.named_buffers())

    # ------------------------------------------------------------------------ modes
    def train(self, mode=True):
        """Training mode (batch statistics in batch norm, dropout active); returns self."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        """Evaluation mode (running statistics, no dropout); returns self."""
        return self.train(False)

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def requires_grad_(self, requires_grad=True):
        """Switch gradients of every parameter on or off (e.g. freeze the critic while G trains)."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def apply(self, fn):
        """Call fn(module) on every sub-module, then on self (PyTorch's order); returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, target):
        """Move every parameter and buffer to a backend ("numpy", "cupy") or convert the floating ones
        to a dtype ("float64", np.float32, ...), in place; returns self."""
        if target in ("numpy", "cupy"):
            xp = backend.module(target)

            def convert(a):
                return backend.to_numpy(a) if xp is np else xp.asarray(a)
        else:
            dtype = np.dtype(target)

            def convert(a):
                return a.astype(dtype) if a.dtype.kind == "f" else a
        for tensor in list(self.parameters()) + list(self.buffers()):
            tensor.data = convert(tensor.data)
            if tensor.grad is not None:
                tensor.grad = _wrap(convert(tensor.grad.data))
        return self

    def double(self):
        return self.to(np.float64)

    def float(self):
        return self.to(np.float32)

    # ------------------------------------------------------------------ state_dict
    def state_dict(self):
        """{dotted name: Tensor} for every parameter and buffer (copies, detached), PyTorch's keys."""
        state = {}
        for prefix, module in self.named_modules():
            for name, tensor in list(module._parameters.items()) + list(module._buffers.items()):
                if tensor is not None:
                    state[f"{prefix}.{name}" if prefix else name] = _wrap(tensor.data.copy())
        return state

    def load_state_dict(self, state_dict, strict=True):
        """Copy the values of `state_dict` (Tensors or arrays, e.g. from minigan.load or from a PyTorch
        model via .numpy()) into the parameters and buffers, keeping each one's backend and dtype.

        strict=True: a missing or unexpected key is an error. A shape mismatch is always an error.
        Returns (missing_keys, unexpected_keys)."""
        own = {}
        for prefix, module in self.named_modules():
            for name, tensor in list(module._parameters.items()) + list(module._buffers.items()):
                if tensor is not None:
                    own[f"{prefix}.{name}" if prefix else name] = tensor
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict into {type(self).__name__}: missing keys {missing}, "
                           f"unexpected keys {unexpected}; load a state_dict of the same architecture, "
                           f"or pass strict=False")
        for key, tensor in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            value = value.data if isinstance(value, Tensor) else value
            value = value if hasattr(value, "shape") else np.asarray(value)
            if tuple(value.shape) != tuple(tensor.shape):
                raise ValueError(f"load_state_dict: {key!r} has shape {tuple(value.shape)} in the state_dict "
                                 f"but {tuple(tensor.shape)} in the model")
            xp = backend.get_array_module(tensor.data)
            value = backend.to_numpy(value) if xp is np else xp.asarray(value)
            tensor.data = value.astype(tensor.dtype, copy=True)
        return missing, unexpected

    # ------------------------------------------------------------------------ repr
    def extra_repr(self):
        """The constructor arguments shown inside the parentheses of repr (empty by default)."""
        return ""

    def __repr__(self):
        lines = [f"({name}): " + _indent(repr(child)) for name, child in self._modules.items()]
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        body = ([extra] if extra else []) + lines
        return f"{type(self).__name__}(\n  " + "\n  ".join(body) + "\n)"


def _indent(text):
    return text.replace("\n", "\n  ")


class Sequential(Module):
    """y = f_n(... f_2(f_1(x))): the modules applied in order, named "0", "1", ..."""

    def __init__(self, *modules):
        super().__init__()
        for i, module in enumerate(modules):
            self.add_module(str(i), module)

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*modules[index])
        return modules[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self
