"""Optimizer checkpoints (state_dict/load_state_dict resume bit for bit, also after a JSON-like round trip)
and the clear errors on bad hyperparameters and states."""
import json

import numpy as np
import pytest
from helpers import host

import minigan
from minigan import optim

MAKERS = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda ps: optim.RMSProp(ps, lr=0.01),
    "adam": lambda ps: optim.Adam(ps, lr=0.01, betas=(0.5, 0.9)),
    "omd": lambda ps: optim.OptimisticSGD(ps, lr=0.05),
    "oadam": lambda ps: optim.OptimisticAdam(ps, lr=0.01),
}


def params():
    rng = np.random.default_rng(0)
    return [minigan.tensor(rng.normal(size=(3, 2)), requires_grad=True),
            minigan.tensor(rng.normal(size=(2,)), requires_grad=True)]


def train(opt, ps, steps):
    for _ in range(steps):
        opt.zero_grad()
        (((ps[0] @ ps[1]) ** 2).sum() + (ps[1] ** 4).sum()).backward()
        opt.step()


def through_json(state):
    """What a file round trip does to a state: string keys, lists for tuples, NumPy arrays (also for a
    state on the GPU)."""
    arrays = {}

    def encode(obj):
        if isinstance(obj, np.ndarray) or minigan.backend.is_cupy_array(obj):
            arrays[str(len(arrays))] = host(obj)
            return {"__array__": str(len(arrays) - 1)}
        if isinstance(obj, dict):
            return {str(k): encode(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [encode(v) for v in obj]
        return obj

    def decode(obj):
        if isinstance(obj, dict):
            return np.array(arrays[obj["__array__"]]) if "__array__" in obj else {k: decode(v) for k, v in obj.items()}
        return [decode(v) for v in obj] if isinstance(obj, list) else obj

    return decode(json.loads(json.dumps(encode(state))))


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_resume_from_state_dict_is_bit_for_bit(name):
    ps = params()
    opt = MAKERS[name](ps)
    train(opt, ps, 4)
    saved_params = [p.numpy().copy() for p in ps]
    saved = through_json(opt.state_dict())
    train(opt, ps, 5)
    resumed_params = [minigan.tensor(a.copy(), requires_grad=True) for a in saved_params]
    resumed = MAKERS[name](resumed_params)
    resumed.load_state_dict(saved)
    train(resumed, resumed_params, 5)
    for p, q in zip(ps, resumed_params):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    fresh_params = [minigan.tensor(a.copy(), requires_grad=True) for a in saved_params]
    train(MAKERS[name](fresh_params), fresh_params, 5)  # without the state the path differs
    assert not np.array_equal(fresh_params[0].numpy(), ps[0].numpy())


def test_state_dict_layout_and_copies():
    ps = params()
    opt = optim.Adam([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.1}], lr=0.01)
    train(opt, ps, 2)
    state = opt.state_dict()
    assert [g["params"] for g in state["param_groups"]] == [[0], [1]]
    assert [g["lr"] for g in state["param_groups"]] == [0.01, 0.1]
    assert state["state"][1]["step"] == 2 and state["state"][0]["exp_avg"].shape == (3, 2)
    before = host(state["state"][0]["exp_avg"]).copy()
    train(opt, ps, 1)
    np.testing.assert_array_equal(host(state["state"][0]["exp_avg"]), before)  # a snapshot, not a live view


def test_loaded_hyperparameters_replace_the_constructor_ones():
    ps = params()
    opt = optim.SGD(ps, lr=0.5)
    opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.01, "momentum": 0.0, "dampening": 0.0,
                                                        "nesterov": False, "weight_decay": 0.0, "maximize": True,
                                                        "params": [0, 1]}]})
    assert opt.param_groups[0]["lr"] == 0.01 and opt.param_groups[0]["maximize"] is True


def test_load_state_dict_checks_counts_and_shapes():
    ps = params()
    opt = optim.Adam(ps)
    train(opt, ps, 1)
    state = opt.state_dict()
    with pytest.raises(ValueError, match="the state has 1 parameters, this optimizer 2"):
        optim.Adam(ps).load_state_dict({"state": {}, "param_groups": [{**state["param_groups"][0], "params": [0]}]})
    with pytest.raises(ValueError, match="2 parameter groups, this optimizer 1"):
        optim.Adam(ps).load_state_dict({"state": {}, "param_groups": state["param_groups"] * 2})
    other = [minigan.tensor(np.ones((2, 3)), requires_grad=True), minigan.tensor(np.ones(2), requires_grad=True)]
    with pytest.raises(ValueError, match=r"'exp_avg' of parameter 0 has shape \(3, 2\).*shape \(2, 3\)"):
        optim.Adam(other).load_state_dict(state)
    with pytest.raises(ValueError, match="names parameter 7"):
        optim.Adam(ps).load_state_dict({"state": {"7": {"step": 1}}, "param_groups": state["param_groups"]})


@pytest.mark.parametrize("make, message", [
    (lambda ps: optim.SGD(ps, lr=-0.1), "learning rate must be a number >= 0, got lr=-0.1"),
    (lambda ps: optim.Adam(ps, lr=-1e-3), "lr=-0.001"),
    (lambda ps: optim.Adam(ps, betas=(0.9, 1.0)), r"betas must be two numbers in \[0, 1\), got betas=\(0.9, 1.0\)"),
    (lambda ps: optim.OptimisticAdam(ps, betas=(-0.1, 0.9)), "betas must be two numbers in"),
    (lambda ps: optim.Adam(ps, eps=-1e-8), "eps must be a number >= 0"),
    (lambda ps: optim.RMSProp(ps, alpha=1.5), r"alpha must be a number in \[0, 1\)"),
    (lambda ps: optim.RMSProp(ps, eps=-1.0), "eps must be a number >= 0"),
    (lambda ps: optim.OptimisticSGD(ps, lr=-0.1), "lr=-0.1"),
    (lambda ps: optim.OptimisticSGD(ps, lr=0.1, first_step="triple"), "first_step must be one of"),
    (lambda ps: optim.SGD(ps, lr=0.1, nesterov=True), "Nesterov momentum needs momentum > 0"),
    (lambda ps: optim.SGD(ps, lr=0.1, momentum=-0.5), "momentum must be a number >= 0"),
    (lambda ps: optim.SGD([{"params": ps, "lr": -2.0}], lr=0.1), "lr=-2.0"),
    (lambda ps: optim.SGD([], lr=0.1), "empty list of parameters"),
    (lambda ps: optim.SGD([minigan.tensor([1.0])], lr=0.1), "does not require grad"),
    (lambda ps: optim.SGD([ps[0], ps[0]], lr=0.1), "appears in more than one place"),
])
def test_bad_hyperparameters_raise_clear_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make(params())


def test_bad_param_types_raise_type_errors():
    with pytest.raises(TypeError, match="got a single Tensor: wrap it in a list"):
        optim.SGD(params()[0], lr=0.1)
    with pytest.raises(TypeError, match="parameter 0 of the group is a ndarray"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(TypeError, match=r"unknown hyperparameters \['momentum'\] for Adam"):
        optim.Adam([{"params": params(), "momentum": 0.9}])


def test_a_gradient_of_the_wrong_shape_is_reported():
    p = minigan.tensor(np.ones(3), requires_grad=True)
    p.grad = minigan.tensor(np.ones(4))
    with pytest.raises(ValueError, match=r"parameter of shape \(3,\) has shape \(4,\)"):
        optim.SGD([p], lr=0.1).step()
