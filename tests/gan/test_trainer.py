"""The training loop: a resumed run equals an uninterrupted one bit for bit, a NaN stops the run and
keeps the last good checkpoint, Ctrl-C saves, and the run folder holds its metrics and figures."""
import os
import signal

import numpy as np
import pytest
from helpers import host

import minigan
from minigan import optim
from minigan.data import toy2d
from minigan.gan.gan import GAN
from minigan.gan.models import dcgan_discriminator, dcgan_generator, mlp_discriminator, mlp_generator
from minigan.gan.trainer import TrainingDiverged, fit, load_checkpoint


def small_gan(seed=0, ema_decay=None):
    minigan.manual_seed(seed)
    g, d = mlp_generator(4, 2, 16, 2), mlp_discriminator(2, 16, 2)
    opt_g = optim.Adam(g.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = optim.Adam(d.parameters(), 1e-3, betas=(0.5, 0.999))
    decay = [optim.schedule.StepLR(opt, 7, gamma=0.1) for opt in (opt_g, opt_d)]  # after the resume point
    return GAN(g, d, opt_g, opt_d, k=2, latent_dim=4, schedules=decay, ema_decay=ema_decay)


def small_gan_averaged(seed=0):
    return small_gan(seed, ema_decay=0.9)


def small_dcgan(seed=0):
    minigan.manual_seed(seed)
    g, d = dcgan_generator(8, (1, 8, 8), width=8), dcgan_discriminator((1, 8, 8), width=8)
    return GAN(g, d, optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999)),
               optim.OptimisticAdam(d.parameters(), 2e-4, betas=(0.5, 0.999)), latent_dim=8)


def weights(algorithm):
    average = algorithm.generator_average.averages if algorithm.generator_average else []
    return {k: v.numpy().copy() for k, v in algorithm.state_dict()["generator"].items()} | \
        {"d." + k: v.numpy().copy() for k, v in algorithm.state_dict()["discriminator"].items()} | \
        {f"average.{i}": host(a).copy() for i, a in enumerate(average)}


@pytest.mark.parametrize("make", [small_gan, small_dcgan, small_gan_averaged])
def test_resumed_run_equals_uninterrupted_run_bit_for_bit(tmp_path, make):
    from minigan.data import ArrayDataset

    data = ArrayDataset(np.random.default_rng(0).uniform(-1, 1, (300, 1, 8, 8)).astype(np.float32)) \
        if make is small_dcgan else toy2d.ring(n_samples=2000)
    whole = make()
    rows_whole = fit(whole, data, 12, str(tmp_path / "whole"), batch_size=32, log_every=1, progress=False,
                     figures=False)
    first = make()
    fit(first, data, 5, str(tmp_path / "split"), batch_size=32, log_every=1, progress=False, figures=False)
    minigan.manual_seed(123)  # the resumed process starts from another RNG state: the checkpoint must restore it
    second = make(seed=99)
    rows_split = fit(second, data, 12, str(tmp_path / "split"), batch_size=32, log_every=1, resume=True,
                     progress=False, figures=False)
    for key, value in weights(whole).items():
        np.testing.assert_array_equal(weights(second)[key], value, err_msg=key)
    assert [r["loss_d"] for r in rows_split] == [str(r["loss_d"]) for r in rows_whole]


class ExplodingGAN:
    """Reports a NaN loss from step 7 on (what a too-large learning rate produces)."""

    def __init__(self):
        self.inner, self.calls = small_gan(), 0

    def step(self, batches):
        self.calls += 1
        stats = self.inner.step(batches)
        return {**stats, "loss_d": float("nan")} if self.calls >= 7 else stats

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_nan_stops_the_run_and_keeps_the_last_good_checkpoint(tmp_path):
    with pytest.raises(TrainingDiverged, match="loss_d became nan at step 7"):
        fit(ExplodingGAN(), toy2d.ring(n_samples=1000), 20, str(tmp_path), batch_size=16, checkpoint_every=5,
            progress=False, figures=False)
    assert load_checkpoint(str(tmp_path))["step"] == 5


class InterruptedGAN(ExplodingGAN):
    def step(self, batches):
        self.calls += 1
        if self.calls == 3:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of step 3
        return self.inner.step(batches)


def test_ctrl_c_finishes_the_step_and_saves(tmp_path):
    fit(InterruptedGAN(), toy2d.ring(n_samples=1000), 50, str(tmp_path), batch_size=16, checkpoint_every=100,
        progress=False, figures=False)
    assert load_checkpoint(str(tmp_path))["step"] == 3


def test_run_folder_has_metrics_figures_and_checkpoint(tmp_path):
    fit(small_gan(), toy2d.ring(n_samples=1000), 20, str(tmp_path), batch_size=16, log_every=5, sample_every=10,
        progress=False)
    names = sorted(os.listdir(tmp_path))
    assert names == ["checkpoint.npz", "losses.png", "metrics.csv", "samples_000010.png", "samples_000020.png"]
    lines = (tmp_path / "metrics.csv").read_text().splitlines()
    assert lines[0] == "step,loss_d,D(x),D(G(z)),loss_g" and len(lines) == 5


def test_figures_do_not_change_the_run(tmp_path):
    # the sample figures draw their codes off the run's random stream (minigan.fork_rng)
    with_figures = small_gan()                      # seeds minigan's generator, then builds the networks
    rows_a = fit(with_figures, toy2d.ring(n_samples=1000), 12, str(tmp_path / "a"), batch_size=16, log_every=1,
                 sample_every=3, progress=False)
    without = small_gan()
    rows_b = fit(without, toy2d.ring(n_samples=1000), 12, str(tmp_path / "b"), batch_size=16, log_every=1,
                 progress=False, figures=False)
    assert len(list((tmp_path / "a").glob("samples_*.png"))) == 4
    assert rows_a == rows_b
    for key, value in weights(without).items():
        np.testing.assert_array_equal(weights(with_figures)[key], value, err_msg=key)


def test_resume_without_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        fit(small_gan(), toy2d.ring(n_samples=1000), 5, str(tmp_path), resume=True, progress=False)
