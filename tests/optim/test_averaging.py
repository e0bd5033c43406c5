"""ExponentialMovingAverage: θ̄_t against its closed form, the swap in and out of average_parameters,
the mean of GD's iterates on the bilinear game (OPT-GD), a save/load round trip, bad arguments."""
import numpy as np
import pytest
from helpers import host, on_default_backend

import minigan
from minigan import nn, optim
from minigan.optim.averaging import ExponentialMovingAverage


def test_average_is_the_closed_form_of_the_iterates():
    """θ̄_t = β^t θ_0 + (1 − β) Σ_{s=1..t} β^(t−s) θ_s for any sequence of iterates θ_s."""
    beta = 0.9
    p = minigan.tensor(np.zeros(3), requires_grad=True)
    ema = ExponentialMovingAverage([p], beta)
    iterates = np.random.default_rng(0).normal(size=(7, 3))
    for theta in iterates:
        p.data[...] = on_default_backend(theta)
        ema.update()
    t = len(iterates)
    expected = sum((1 - beta) * beta ** (t - s) * iterates[s - 1] for s in range(1, t + 1))   # θ_0 = 0
    np.testing.assert_allclose(host(ema.averages[0]), expected, rtol=1e-12)


def test_average_parameters_swaps_in_and_back():
    layer = nn.Linear(2, 2)
    ema = ExponentialMovingAverage(layer.parameters(), 0.5)
    before = [p.numpy().copy() for p in layer.parameters()]
    for p in layer.parameters():
        p.data += 1.0                                  # one "step": θ_1 = θ_0 + 1
    ema.update()                                       # θ̄_1 = θ_0 + 0.5
    x = minigan.tensor(np.ones((1, 2), dtype=np.float32))
    with ema.average_parameters():
        for p, b in zip(layer.parameters(), before):
            np.testing.assert_allclose(p.numpy(), b + 0.5, rtol=1e-6)
        averaged_out = layer(x).numpy()
        next(iter(layer.parameters())).data += 100.0   # changing the swapped-in copy ...
    np.testing.assert_allclose(host(ema.averages[0]), before[0] + 0.5, rtol=1e-6)   # ... leaves θ̄ alone
    for p, b in zip(layer.parameters(), before):       # and the trained θ is back
        np.testing.assert_allclose(p.numpy(), b + 1.0, rtol=1e-6)
    expected = (x.numpy() @ (before[0] + 0.5).T) + before[1] + 0.5
    np.testing.assert_allclose(averaged_out, expected, rtol=1e-6)


def test_the_average_of_cycling_gd_is_near_the_equilibrium():
    """[OPT-GD] On min_x max_y x·y, alternating GD orbits (0, 0) at radius ~1 forever; the average of
    its iterates over the last orbits sits near the equilibrium."""
    x = minigan.tensor(np.array([1.0]), requires_grad=True)
    y = minigan.tensor(np.array([0.0]), requires_grad=True)
    opt_x, opt_y = optim.SGD([x], lr=0.1), optim.SGD([y], lr=0.1, maximize=True)
    ema = ExponentialMovingAverage([x, y], 0.995)
    for _ in range(3000):
        for opt, _player in ((opt_x, x), (opt_y, y)):
            opt.zero_grad()
            (x * y).sum().backward()
            opt.step()
        ema.update()
    radius = float(np.hypot(x.item(), y.item()))
    assert radius > 0.8                                           # the last iterate still orbits
    assert float(np.hypot(*[a.item() for a in ema.averages])) < 0.1 * radius


def test_state_dict_round_trip(tmp_path):
    layer = nn.Linear(3, 2)
    ema = ExponentialMovingAverage(layer.parameters(), 0.99)
    for p in layer.parameters():
        p.data *= 2
    ema.update()
    minigan.save({"ema": ema.state_dict()}, tmp_path / "ema.npz")
    fresh = ExponentialMovingAverage(layer.parameters(), 0.5)
    fresh.load_state_dict(minigan.load(tmp_path / "ema.npz")["ema"])
    assert fresh.decay == 0.99
    for a, b in zip(fresh.averages, ema.averages):
        np.testing.assert_array_equal(host(a), host(b))
    with pytest.raises(ValueError, match="shapes"):
        ExponentialMovingAverage(nn.Linear(2, 2).parameters(), 0.5).load_state_dict(ema.state_dict())


@pytest.mark.parametrize("decay", [1.0, -0.1, 2, "0.9"])
def test_bad_decay(decay):
    with pytest.raises(ValueError, match=r"decay .* \[0, 1\)"):
        ExponentialMovingAverage(nn.Linear(2, 2).parameters(), decay)
