"""The GD-vs-OMD games (OPT-GD, OPT-OMD) played by minigan's optimizers: closed forms on x·y, the
published figures of FORMULAS.md and the optimism paper's notebook to 1e-6, and the errors."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan import games

lrs = st.floats(0.01, 0.5)
coordinates = st.floats(-2.0, 2.0).filter(lambda c: abs(c) > 0.05)


@given(lr=lrs, x0=coordinates, y0=coordinates, steps=st.integers(1, 60))
def test_simultaneous_gd_spirals_out_by_sqrt_one_plus_eta_squared(lr, x0, y0, steps):
    """[OPT-GD] (x, y) ← (x − ηy, y + ηx) is a rotation times √(1 + η²): ‖z_t‖ = ‖z_0‖ (1 + η²)^{t/2}."""
    path = games.run_bilinear("gd", steps, lr, start=(x0, y0))
    expected = np.hypot(x0, y0) * (1 + lr * lr) ** (np.arange(steps + 1) / 2)
    np.testing.assert_allclose(games.distance_to_equilibrium(path), expected, rtol=1e-10)


@given(lr=lrs, x0=coordinates, y0=coordinates)
def test_alternating_gd_conserves_its_modified_energy(lr, x0, y0):
    """x ← x − ηy, then y ← y + ηx (the new x): the map has determinant 1 and keeps x² + y² − ηxy
    constant, so the orbit is a bounded ellipse (the cycle), never converging."""
    path = games.run_bilinear("alt-gd", 200, lr, start=(x0, y0))
    x, y = path[:, 0], path[:, 1]
    np.testing.assert_allclose(x * x + y * y - lr * x * y, x0 * x0 + y0 * y0 - lr * x0 * y0, rtol=1e-9)
    assert games.distance_to_equilibrium(path)[-20:].min() > 0.5 * np.hypot(x0, y0) * np.sqrt(1 - lr / 2)


def test_first_steps_by_hand():
    """From (1, 1) with η = 0.1: GD moves both from the same point; alternating GD answers the new x;
    OMD's first step is 2η∇ (look-back 0) or η∇ (first_step="single")."""
    np.testing.assert_allclose(games.run_bilinear("gd", 1), [[1, 1], [0.9, 1.1]], rtol=1e-15)
    np.testing.assert_allclose(games.run_bilinear("alt-gd", 1), [[1, 1], [0.9, 1.09]], rtol=1e-15)
    np.testing.assert_allclose(games.run_bilinear("omd", 2), [[1, 1], [0.8, 1.2], [0.8 - 0.24 + 0.1, 1.2 + 0.16 - 0.1]],
                               rtol=1e-14)
    np.testing.assert_allclose(games.run_bilinear("omd", 1, first_step="single"), [[1, 1], [0.9, 1.1]], rtol=1e-15)


def test_bilinear_reference_figures():
    """FORMULAS.md / algorithms.md §4 (η = 0.1, (1, 1), 1000 steps): ‖(x, y)‖ ≈ 204.7 (GD), ≈ 1.40
    (alternating), < 0.05 for OMD (0.0089 in the table, computed with the notebook's first step)."""
    final = {d: games.distance_to_equilibrium(games.run_bilinear(d))[-1] for d in ("gd", "alt-gd", "omd")}
    assert final["gd"] == pytest.approx(np.sqrt(2) * 1.01 ** 500, rel=1e-10)
    assert round(final["gd"], 1) == 204.7
    assert round(final["alt-gd"], 2) == 1.40
    assert final["omd"] < 0.01
    single = games.distance_to_equilibrium(games.run_bilinear("omd", first_step="single"))
    assert [round(single[t], 2) for t in (10, 100)] == [1.36, 0.86] and round(single[1000], 4) == 0.0089


def test_adam_dynamics_are_the_slide_formulas_played_simultaneously():
    """[OPT-ADAM] / [OPT-OADAM] on x·y: the path equals the slide's recursions written out in NumPy,
    x descending on ∇_x = y and y ascending on ∇_y = x, both gradients taken at (x_t, y_t)."""
    lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    for dynamics, optimistic in (("adam", False), ("oadam", True)):
        z, m, v, previous = np.array([1.0, 1.0]), np.zeros(2), np.zeros(2), np.zeros(2)
        expected = [z.copy()]
        for t in range(1, 31):
            g = np.array([z[1], -z[0]])                      # descent directions: ∇_x V, −∇_y V
            m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
            direction = (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
            z = z - (2 * lr * direction - lr * previous if optimistic else lr * direction)
            previous = direction
            expected.append(z.copy())
        np.testing.assert_allclose(games.run_bilinear(dynamics, 30, lr), expected, rtol=1e-12, atol=1e-14)


def test_mean_game_gd_with_clipping_reproduces_the_notebook():
    """The notebook's "limit cycle" run: T = 1000 iterates (999 GD steps), w clipped to [−1, 1].
    The last iterate orbits, the average converges to v = (3, 4)."""
    path = games.run_mean_game("gd", steps=999, lr=0.1, clip=1.0)
    np.testing.assert_allclose(path.theta[-1], [3.48000545, 5.07760794], atol=1e-6)
    np.testing.assert_allclose(path.theta.mean(axis=0), [3.01224287, 3.98588748], atol=1e-6)
    np.testing.assert_allclose(path.w[-1], [-1.0, -0.15], atol=5e-3)
    assert np.abs(path.w[1:]).max() <= 1.0  # w_0 = 1.4 is clipped after the first step
    np.testing.assert_allclose(games.running_mean(path.theta)[-1], path.theta.mean(axis=0), rtol=1e-12)


def test_mean_game_omd_reproduces_the_notebook():
    """The notebook's OMD run: its history starts with θ_0 twice (so its first step looks back at the
    same point: first_step="single") and holds T = 1000 iterates, i.e. 998 OMD steps."""
    path = games.run_mean_game("omd", steps=998, lr=0.1, first_step="single")
    np.testing.assert_allclose(path.theta[-1], [2.99125639, 3.98489638], atol=1e-6)
    assert np.abs(path.w[-1]).max() < 0.01  # last w ≈ 0.008: last-iterate convergence
    default = games.run_mean_game("omd", steps=1000)
    assert games.distance_to_equilibrium(default.theta, games.MEAN_GAME_V)[-1] < 0.02


def test_mean_game_gd_without_clipping_diverges():
    """algorithms.md §4: GD without clipping ends near θ ≈ [−270, −351]."""
    theta = games.run_mean_game("gd", steps=999).theta[-1]
    np.testing.assert_allclose(theta, [-270, -351], atol=1.0)


def test_running_mean_and_distance():
    path = np.array([[0.0, 0.0], [2.0, 4.0], [4.0, 2.0]])
    np.testing.assert_allclose(games.running_mean(path), [[0, 0], [1, 2], [2, 2]])
    np.testing.assert_allclose(games.distance_to_equilibrium(path, (1.0, 0.0)), [1, np.hypot(1, 4), np.hypot(3, 2)])


@pytest.mark.parametrize("call, message", [
    (lambda: games.run_bilinear("sgd"), "unknown dynamics 'sgd': choose one of gd, alt-gd, omd, adam, oadam"),
    (lambda: games.run_mean_game("OMD"), "unknown dynamics 'OMD'"),
    (lambda: games.run_bilinear("gd", lr=-0.1), "learning rate must be a number >= 0, got lr=-0.1"),
    (lambda: games.run_mean_game("gd", steps=-1), "steps must be an integer >= 0"),
    (lambda: games.run_mean_game("gd", clip=0.0), "clip must be None or a number > 0"),
    (lambda: games.run_bilinear("gd", start=(1.0,)), "start is the point"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
