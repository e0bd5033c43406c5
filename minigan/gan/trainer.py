"""The training loop every algorithm shares: `fit(algorithm, data, steps, out_dir)`.

An algorithm is a minigan.gan.base.Algorithm (``step(batches) -> dict``, ``sample(n)``,
``state_dict()``/``load_state_dict()``); minigan.gan.recipes builds one for a dataset.

What `fit` writes into out_dir:
    metrics.csv            one row per logged step (the algorithm's figures: losses, D(x), ...)
    samples_<step>.png     a grid of samples (images) or a scatter over the real modes (2-D); for a
                           conditional model one row per label (points coloured by their label)
    codes.png, code_plane.png   for a model with an encoder: the dataset's codes over the prior,
                           and the decoder swept over the code plane (minigan.viz.variants)
    losses.png             the curves at the end, with a running median
    checkpoint.npz         networks, optimizers, the algorithm's state, the step, minigan's RNG state,
                           the DataLoader's position and the run's configuration — minigan.save:
                           atomic, no pickle. resume=True continues it, bit for bit as if never stopped.
A NaN or an infinity in a logged figure stops the run (TrainingDiverged, naming the step and the
quantity) without touching the last good checkpoint; Ctrl-C finishes the current step, saves, and stops.
"""
import csv
import math
import os
import signal

import minigan
from minigan.data import DataLoader, Toy2D, labelled

CHECKPOINT = "checkpoint.npz"


class TrainingDiverged(RuntimeError):
    """A logged quantity became NaN or infinite."""


class _StopFlag:
    """Turns Ctrl-C into a flag that the loop checks between steps (a step is never cut in half)."""

    def __init__(self):
        self.raised = False

    def __enter__(self):
        self.previous = signal.signal(signal.SIGINT, self._handler) if _main_thread() else None
        return self

    def _handler(self, signum, frame):
        self.raised = True

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def _main_thread():
    import threading

    return threading.current_thread() is threading.main_thread()


def save_checkpoint(out_dir, algorithm, step, loader, config):
    minigan.save({"algorithm": algorithm.state_dict(), "step": step, "rng": minigan.get_rng_state(),
                  "loader": loader.state_dict(), "config": config}, os.path.join(out_dir, CHECKPOINT))


def load_checkpoint(out_dir):
    path = os.path.join(out_dir, CHECKPOINT)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint in {out_dir} (looked for {path}); train first, without --resume")
    return minigan.load(path)


class MetricsLog:
    """metrics.csv: appends rows; on resume, drops the rows logged after the checkpoint."""

    def __init__(self, path, keep_until=None):
        self.path, self.rows = path, []
        if keep_until is not None and os.path.exists(path):
            with open(path, newline="") as f:
                self.rows = [r for r in csv.DictReader(f) if int(r["step"]) <= keep_until]
        self._write_all()

    def _write_all(self):
        with open(self.path, "w", newline="") as f:
            if self.rows:
                writer = csv.DictWriter(f, fieldnames=list(self.rows[0]))
                writer.writeheader()
                writer.writerows(self.rows)

    def append(self, row):
        new_file = not self.rows
        self.rows.append({k: str(v) for k, v in row.items()})
        with open(self.path, "a", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(row))
            if new_file:
                writer.writeheader()
            writer.writerow(row)


def _check_finite(stats, step):
    for name, value in stats.items():
        if not math.isfinite(value):
            raise TrainingDiverged(f"{name} became {value} at step {step}; the run stopped and the last good "
                                   f"checkpoint was kept (try a lower learning rate)")


def training_set(algorithm, data):
    """What `algorithm` trains on: (x, y) pairs for a model that needs labels (the conditional GAN,
    minigan.data.labelled), else the data itself."""
    return labelled(data) if getattr(algorithm, "needs_labels", False) else data


def fit(algorithm, data, steps, out_dir, batch_size=64, seed=0, log_every=10, sample_every=500,
        checkpoint_every=500, resume=False, config=None, progress=True, figures=True):
    """Train `algorithm` on the dataset `data` for `steps` generator iterations; returns the list of
    logged rows. With resume=True the run continues from out_dir's checkpoint."""
    from tqdm.auto import tqdm  # here, not at import: in a notebook without widgets it warns
    os.makedirs(out_dir, exist_ok=True)
    config = dict(config or {})
    loader = DataLoader(training_set(algorithm, data), batch_size, shuffle=True, drop_last=True, seed=seed)
    start = 0
    if resume:
        checkpoint = load_checkpoint(out_dir)
        algorithm.load_state_dict(checkpoint["algorithm"])
        loader.load_state_dict(checkpoint["loader"])
        minigan.set_rng_state(checkpoint["rng"])
        start = int(checkpoint["step"])
    log = MetricsLog(os.path.join(out_dir, "metrics.csv"), keep_until=start if resume else None)
    batches = loader.forever()
    bar = tqdm(range(start + 1, steps + 1), initial=start, total=steps, disable=not progress, desc="training")
    step = start
    with _StopFlag() as stop:
        for step in bar:
            stats = algorithm.step(batches)
            _check_finite(stats, step)
            if step % log_every == 0 or step == steps:
                log.append({"step": step, **stats})
                bar.set_postfix({k: f"{v:.3g}" for k, v in stats.items()})   # lr 3e-4 stays readable
            if figures and (step % sample_every == 0 or step == steps):
                _sample_figure(algorithm, data, os.path.join(out_dir, f"samples_{step:06d}.png"))
            if step % checkpoint_every == 0 or step == steps or stop.raised:
                save_checkpoint(out_dir, algorithm, step, loader, config)
            if stop.raised:
                bar.write(f"interrupted: checkpoint saved at step {step}; continue with --resume")
                break
    bar.close()
    if figures and log.rows:
        from minigan.viz.gan import loss_curves

        loss_curves(log.rows, os.path.join(out_dir, "losses.png"))
        from minigan.viz.variants import run_figures

        run_figures(algorithm, log.rows, out_dir, data)              # EBGAN's energies, ALI's encoder
    if figures and hasattr(algorithm, "decode"):                     # the adversarial autoencoder's codes
        from minigan.viz.variants import encoder_figures

        with minigan.fork_rng(0):
            encoder_figures(algorithm, data, out_dir)
    return log.rows


def _sample_figure(algorithm, data, path):
    """Samples of the same codes z at every figure, drawn off the run's random stream: a run's
    numbers do not depend on how often it draws figures."""
    from minigan.viz.gan import sample_grid, scatter_2d

    points = isinstance(data, Toy2D)
    if getattr(algorithm, "num_classes", None):
        from minigan.viz.variants import label_figure

        with minigan.fork_rng(0):
            label_figure(algorithm, data, path)
        return
    if points and hasattr(algorithm, "member_samples"):              # the Bayesian GAN: a colour per sample
        from minigan.viz.variants import members_scatter

        with minigan.fork_rng(0):
            parts = [part.numpy() for part in algorithm.member_samples(512)]
        members_scatter(parts, data.centers, path)
        return
    with minigan.fork_rng(0):
        samples = algorithm.sample(256 if points else 64).numpy()
    if points:
        scatter_2d(samples, data.centers, path)
    else:
        sample_grid(samples[:64], path)
