"""Module bookkeeping: registration, PyTorch's dotted names, modes, apply, state_dict round trips and their
errors, repr."""
import numpy as np
import pytest

import minigan
from minigan import nn


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 8), nn.BatchNorm1d(8))
        self.head = nn.Linear(8, 1, bias=False)
        self.scale = 2.0  # a plain attribute, not state

    def forward(self, x):
        return self.head(self.net(x)) * self.scale


def test_parameters_have_pytorchs_dotted_names():
    names = [name for name, _ in Critic().named_parameters()]
    assert names == ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.3.weight", "net.3.bias",
                     "head.weight"]
    assert all(p.requires_grad for p in Critic().parameters())


def test_state_dict_holds_parameters_and_running_statistics():
    model = Critic()
    keys = list(model.state_dict())
    assert keys == ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.3.weight", "net.3.bias",
                    "net.3.running_mean", "net.3.running_var", "net.3.num_batches_tracked", "head.weight"]
    state = model.state_dict()
    state["head.weight"].data[...] = 7.0  # a copy: the model is untouched
    assert not np.any(model.head.weight.numpy() == 7.0)


def test_shared_parameters_are_listed_once():
    layer = nn.Linear(3, 3)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_reassigning_an_attribute_unregisters_it():
    model = Critic()
    model.head = None
    assert "head.weight" not in dict(model.named_parameters())
    del model.net
    assert list(model.parameters()) == []


def test_load_state_dict_restores_every_value_and_the_outputs():
    source, target = Critic(), Critic()
    source.train()(minigan.randn(16, 4))  # move the running statistics away from 0 and 1
    target.load_state_dict(source.state_dict())
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    x = minigan.randn(5, 4)
    np.testing.assert_array_equal(source.eval()(x).numpy(), target.eval()(x).numpy())


def test_load_state_dict_errors_name_the_key_and_both_shapes():
    model = Critic()
    state = model.state_dict()
    state["net.2.weight"] = minigan.zeros(8, 9)
    with pytest.raises(ValueError, match=r"'net.2.weight'.*\(8, 9\).*\(8, 8\)"):
        model.load_state_dict(state)
    state = model.state_dict()
    del state["head.weight"]
    state["head.bias"] = minigan.zeros(1)
    with pytest.raises(KeyError, match=r"missing keys \['head.weight'\].*unexpected keys \['head.bias'\]"):
        model.load_state_dict(state)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert (missing, unexpected) == (["head.weight"], ["head.bias"])


def test_load_state_dict_keeps_the_models_dtype_and_accepts_arrays():
    model = nn.Linear(2, 3)
    model.load_state_dict({"weight": np.ones((3, 2)), "bias": np.arange(3.0)})
    assert model.weight.dtype == np.float32 and model.bias.dtype == np.float32
    np.testing.assert_array_equal(model(minigan.zeros(1, 2)).numpy(), [[0.0, 1.0, 2.0]])


def test_train_eval_reach_every_submodule_and_apply_visits_children_first():
    model = Critic()
    assert all(m.training for m in model.modules())
    model.eval()
    assert not any(m.training for m in model.modules())
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "LeakyReLU", "Linear", "BatchNorm1d", "Sequential", "Linear", "Critic"]


def test_zero_grad_clears_and_requires_grad_freezes():
    model = Critic()
    model(minigan.randn(3, 4)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.requires_grad_(False)
    assert not model(minigan.randn(3, 4)).requires_grad


def test_to_float64_converts_parameters_and_buffers_but_not_counters():
    model = Critic().double()
    assert all(p.dtype == np.float64 for p in model.parameters())
    assert model.net[3].running_mean.dtype == np.float64
    assert model.net[3].num_batches_tracked.dtype == np.int64
    assert model(minigan.tensor(np.ones((2, 4)))).dtype == np.float64


def test_sequential_indexing_and_repr_like_pytorch():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Tanh()))
    assert isinstance(model[0], nn.Linear) and len(model) == 3 and len(model[1:]) == 2
    assert repr(model) == ("Sequential(\n"
                           "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
                           "  (1): ReLU()\n"
                           "  (2): Sequential(\n"
                           "    (0): Tanh()\n"
                           "  )\n"
                           ")")


def test_module_without_super_init_or_forward_is_a_clear_error():
    class Forgot(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match="super"):
        Forgot()
    with pytest.raises(TypeError, match="forward"):
        nn.Module()(minigan.zeros(1))
