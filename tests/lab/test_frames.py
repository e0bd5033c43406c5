"""Every number the lab draws against a direct computation: the networks run again in float64 NumPy
from their weights, the arrows as central differences of the generator's per-sample loss, the mode
coverage counted sample by sample."""
import numpy as np
import pytest
from lab.reference import central_differences, coverage, input_gradient, mlp, per_sample_loss

from minigan.lab import frames
from minigan.lab.session import N_SHOWN, Session

SETTINGS = {
    "gan": {"data": "ring", "algorithm": "gan", "batch_size": 64},
    "gan-minimax": {"data": "grid", "algorithm": "gan", "generator_loss": "minimax", "batch_size": 64, "latent_dim": 2},
    "wgan": {"data": "ring", "algorithm": "wgan", "batch_size": 32, "n_critic": 2},
    "wgan-gp": {"data": "drawn", "centers": [[0.5, 0.5], [-1.0, 0.2], [0.0, -1.5]], "algorithm": "wgan-gp",
                "batch_size": 64},
}


@pytest.fixture(scope="module", params=sorted(SETTINGS))
def trained(request):
    """A session after a few updates of every kind, and the frame it drew last."""
    session = Session(SETTINGS[request.param])
    session.update("step", 2)
    session.update("d")
    frame = session.update("g")
    return session, frame


def test_the_heatmap_is_D_of_the_grid(trained):
    session, frame = trained
    low, high = session.plane
    ticks = np.linspace(low, high, frames.HEATMAP_SIZE)
    points = np.array([(x, y) for y in ticks for x in ticks])          # row i is y = ticks[i]
    out = mlp(session.algorithm.discriminator)(points)[:, 0]
    expected = 1 / (1 + np.exp(-out)) if session.kind == "gan" else out
    drawn = np.array(frame["heatmap"]["values"], dtype=np.float64)
    scale = np.abs(expected).max()
    np.testing.assert_allclose(drawn, expected, rtol=0, atol=2e-4 * scale)
    assert frame["heatmap"]["label"] == ("D(x)" if session.kind == "gan" else "f(x)")
    assert frame["heatmap"]["min"] == pytest.approx(expected.min(), abs=2e-4 * scale)
    assert expected.max() - expected.min() > 100 * 2e-4 * scale     # the surface is not flat: the test can see it


def test_the_samples_are_G_of_the_fixed_codes(trained):
    session, frame = trained
    expected = mlp(session.algorithm.generator)(session.z_metric[:N_SHOWN])
    np.testing.assert_allclose(np.array(frame["fake"]), expected, rtol=0, atol=1e-3 * np.abs(expected).max())


def test_the_arrows_are_minus_the_input_gradient_of_Gs_loss(trained):
    session, frame = trained
    # at the float32 points minigan differentiated at (the frame's are rounded: a rounded point can
    # cross a LeakyReLU kink of D, where the gradient jumps)
    fake = frames.generate(session.algorithm.generator, session.z_metric[:N_SHOWN])
    discriminator = session.algorithm.discriminator
    loss, derivative = per_sample_loss(session.kind, session.config.get("generator_loss"))
    expected = -input_gradient(discriminator, fake, derivative)
    drawn = np.array(frame["arrows"], dtype=np.float64)
    scale = np.linalg.norm(expected, axis=1).max()
    assert scale > 0
    close = np.isclose(drawn, expected, rtol=0, atol=1e-3 * scale).all(axis=1)
    assert close.mean() >= 0.99, np.flatnonzero(~close)      # float32 vs float64 may flip a kink


def test_the_metrics_are_the_mode_coverage_of_the_measured_samples(trained):
    session, frame = trained
    samples = mlp(session.algorithm.generator)(session.z_metric)
    modes, high_quality = coverage(samples, session.data.centers, session.data.std)
    assert frame["metrics"]["n_modes"] == len(session.data.centers)
    assert frame["metrics"]["modes"] == modes
    assert frame["metrics"]["high_quality"] == pytest.approx(high_quality, abs=2 / len(samples))


def test_the_manifold_is_G_of_a_grid_of_codes_for_a_2d_z(trained):
    session, frame = trained
    if session.algorithm.latent_dim != 2:
        assert frame["manifold"] is None and session.scene()["manifold_size"] == 0
        return
    ticks = np.linspace(-2, 2, frames.MANIFOLD_SIZE)
    codes = np.array([(a, b) for b in ticks for a in ticks])
    expected = mlp(session.algorithm.generator)(codes)
    np.testing.assert_allclose(np.array(frame["manifold"]), expected, rtol=0, atol=1e-3 * np.abs(expected).max())


def test_the_reference_gradient_agrees_with_central_differences(trained):
    session, frame = trained
    fake = np.array(frame["fake"][:50], dtype=np.float64)
    discriminator = session.algorithm.discriminator
    loss, derivative = per_sample_loss(session.kind, session.config.get("generator_loss"))
    numerical = central_differences(lambda x: loss(mlp(discriminator)(x)[:, 0]), fake, h=1e-7)
    exact = input_gradient(discriminator, fake, derivative)
    close = np.isclose(exact, numerical, rtol=1e-4, atol=1e-6 * np.abs(exact).max()).all(axis=1)
    assert close.mean() > 0.95          # a sample within 1e-7 of a LeakyReLU kink may differ


def test_rounding_keeps_significant_digits_and_nulls_what_is_not_finite():
    assert frames.rounded([0.0123456789, -0.000123456]) == [0.012346, -0.000123]
    assert frames.rounded([[1.23456789, float("nan")], [float("inf"), 2.0]]) == [[1.2346, None], [None, 2.0]]
    assert frames.rounded([1e-300, 3.0], None) == [1e-300, 3.0]
