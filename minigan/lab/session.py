"""One lab session: a dataset, an algorithm built by its recipe, and the frames of its training.

    session = Session({"data": "ring", "algorithm": "gan"})
    frame = session.update("d")          # Step D: one discriminator update, then the frame to draw
    frame = session.update("step", 5)    # five iterations of the algorithm (what Play does per frame)
    session.reset({...})                 # new settings: new networks, same id

Every session draws from its own copy of minigan's random stream (swapped in while it computes, under
one lock: minigan's generator is global), so two tabs never shift each other's numbers, and a session
replays bit for bit from its seed. The codes z of the views are fixed per session (drawn off the run's
stream), so between two frames a sample moves only if G changed.
"""
import functools
import math
import secrets
import threading
import time

import numpy as np

import minigan
from minigan.data import DataLoader, labelled
from minigan.gan.conditional import balanced_labels
from minigan.lab import algorithms, frames, lines, settings

COMPUTE = threading.Lock()     # held while a session uses minigan's (global) random generator
N_METRIC = 1000                # generated samples that the mode coverage is measured on
N_SHOWN = 400                  # the first N_SHOWN of them are drawn, each with its arrow
N_REAL = 500                   # real samples drawn
MAX_RECORDED = 200             # frames kept for Export (thinned to every 2nd when full)
ACTIONS = ("d", "g", "step")


@functools.lru_cache(maxsize=1)
def blas_threads():
    from threadpoolctl import ThreadpoolController  # installed with scikit-learn

    return ThreadpoolController()


class SessionError(Exception):
    """A request the session cannot serve in its state (it diverged, ...): HTTP 409."""


class Session:
    def __init__(self, config, session_id=None):
        self.id = session_id or secrets.token_urlsafe(12)
        self.touch()
        self.build(config)

    def touch(self):
        self.last_seen = time.monotonic()

    # ------------------------------------------------------------------ building
    def reset(self, config):
        """Build everything anew from the settings (on a SettingsError nothing changes); returns the
        first frame, with the scene."""
        self.build(config)
        return self.first_frame()

    def build(self, config):
        """The dataset, the recipe's algorithm, the loader, the views' codes and the counters."""
        data_name, centers, kind, overrides = settings.check(config)
        with COMPUTE, blas_threads().limit(limits=1):
            outside = minigan.get_rng_state()
            try:
                seed = overrides.get("seed", 0)
                minigan.manual_seed(seed)
                data = settings.dataset(data_name, centers, seed)
                algorithm, resolved = algorithms.build(data, kind, overrides)
                pairs = labelled(data) if algorithm.needs_labels else data     # (x, y) for the conditional GAN
                loader = DataLoader(pairs, resolved["batch_size"], shuffle=True, drop_last=True, seed=seed)
                with minigan.fork_rng(seed + 1):           # the views' codes, off the run's stream
                    z_metric = algorithm.noise(N_METRIC).numpy()
                run_state = minigan.get_rng_state()
            finally:
                minigan.set_rng_state(outside)
        self.kind, self.data, self.algorithm, self.loader = kind, data, algorithm, loader
        self.batches = loader.forever()
        self.config = {"data": data_name, "algorithm": kind, **resolved}
        if centers is not None:
            self.config["centers"] = centers.tolist()
        self.rng_state, self.z_metric = run_state, z_metric       # the first N_SHOWN codes are drawn
        self.num_classes = getattr(algorithm, "num_classes", None)
        self.labels = balanced_labels(N_METRIC, self.num_classes) if self.num_classes else None
        self.lines = lines.algorithm_lines(kind, self.config)
        self.loss = frames.sample_loss(kind, self.config.get("generator_loss", "non_saturating"))
        self.plane = settings.plane(data)
        self.iterations = self.d_updates = self.g_updates = self.frame_count = 0
        self.diverged = None
        self.recorded, self.record_stride, self.since_recorded = [], 1, 0

    def scene(self):
        """What stays the same from frame to frame: the settings, the real samples, the lines."""
        latent_dim = int(self.algorithm.latent_dim)
        return {"settings": self.config, "kind": self.kind, "plane": list(self.plane),
                "real": frames.rounded(self.data.arrays[0][:N_REAL]), "centers": frames.rounded(self.data.centers),
                "std": self.data.std, "lines": [list(line) for line in self.lines],
                "surface": frames.SURFACE_LABELS.get(self.kind, "f(x)"), "latent_dim": latent_dim,
                "num_classes": self.num_classes or 0,
                "manifold_size": frames.MANIFOLD_SIZE if latent_dim == 2 else 0}

    def first_frame(self):
        return {**self.compute(lambda: self.frame("reset", {})), "scene": self.scene()}

    # ------------------------------------------------------------------ training
    def compute(self, work):
        """Run `work()` with this session's random stream in minigan's generator, under COMPUTE, on
        one BLAS thread (these small products run fastest on one; several on a busy machine are
        many times slower). NumPy's overflow warnings are silenced: a divergence is detected and
        reported by the session itself."""
        with COMPUTE, blas_threads().limit(limits=1), np.errstate(all="ignore"):
            outside = minigan.get_rng_state()
            minigan.set_rng_state(self.rng_state)
            try:
                return work()
            finally:
                self.rng_state = minigan.get_rng_state()
                minigan.set_rng_state(outside)

    def update(self, action, repeat=1, interrupted=None):
        """`repeat` times Step D ("d"), Step G ("g") or Step ("step"), then the frame to draw.
        interrupted(): checked after each update; True ends the repeats early (Pause, a closed tab)."""
        if action not in ACTIONS:
            raise settings.SettingsError(f"unknown action {action!r}: choose one of {', '.join(ACTIONS)}")
        if not (isinstance(repeat, int) and 1 <= repeat <= 1000):
            raise settings.SettingsError(f"repeat must be a whole number from 1 to 1000, got {repeat!r}")
        if self.diverged:
            raise SessionError(f"{self.diverged} Press Reset to start again.")
        self.touch()
        return self.compute(lambda: self.train(action, repeat, interrupted))

    def train(self, action, repeat, interrupted=None):
        log = {}
        for done in range(repeat):
            if done and interrupted is not None and interrupted():
                break
            if action == "d":
                log = algorithms.discriminator_update(self.algorithm, self.batches)
                self.d_updates += 1
            elif action == "g":
                log = algorithms.generator_update(self.algorithm, self.config["batch_size"])
                self.g_updates += 1
            else:
                self.d_updates += algorithms.discriminator_updates_per_iteration(self.algorithm)
                log = algorithms.iteration(self.algorithm, self.batches)
                self.g_updates += 1
                self.iterations += 1
            bad = [name for name, value in log.items() if not math.isfinite(value)]
            if bad:
                self.diverged = (f"Diverged: {bad[0]} became {log[bad[0]]} after {self.d_updates} D and "
                                 f"{self.g_updates} G updates; training stopped. Lower the learning rates.")
                break
        return self.frame(action, log)

    def frame(self, action, log):
        """The views after the last update (see minigan.lab.frames), as plain JSON-able values."""
        generator, discriminator = self.algorithm.generator, self.algorithm.discriminator
        labels = self.labels
        measured = frames.generate(generator, self.z_metric, labels)
        fake, shown = measured[:N_SHOWN], None if labels is None else labels[:N_SHOWN]
        members = None
        if hasattr(self.algorithm, "member_samples"):              # the Bayesian GAN: each sample its colour
            from minigan.gan.bayesian_gan import chunk_sizes

            fake = frames.generate(generator, self.z_metric[:N_SHOWN])
            members = chunk_sizes(N_SHOWN, self.algorithm.members)
        arrows = (frames.input_gradients(discriminator, self.loss, fake, self.kind, shown) if np.isfinite(fake).all()
                  else np.full_like(fake, np.nan))
        modes, high_quality = frames.coverage(measured, self.data)
        on_label = None if labels is None else frames.on_label(measured, labels, self.data)
        if not np.isfinite(fake).all() and not self.diverged:
            self.diverged = "Diverged: G's samples became NaN or infinite; training stopped. Lower the learning rates."
        self.frame_count += 1
        frame = {"frame": self.frame_count, "action": action, "lit": lines.lit(self.lines, action),
                 "iteration": self.iterations, "d_updates": self.d_updates, "g_updates": self.g_updates,
                 "log": {name: (value if math.isfinite(value) else None) for name, value in log.items()},
                 "fake": frames.rounded(fake), "arrows": frames.rounded(arrows), "members": members,
                 "fake_labels": None if shown is None else shown.tolist(),
                 "heatmap": frames.heatmap(self.kind, discriminator, *self.plane, num_classes=self.num_classes),
                 "manifold": frames.rounded(self.manifold(generator)) if self.algorithm.latent_dim == 2 else None,
                 "metrics": {"modes": modes, "n_modes": len(self.data.centers), "high_quality": high_quality,
                             "on_label": on_label},
                 "lr": [self.algorithm.opt_g.param_groups[0]["lr"], self.algorithm.opt_d.param_groups[0]["lr"]],
                 "diverged": self.diverged}
        self.record(frame)
        return frame

    def manifold(self, generator):
        """G's image of the grid of 2-D codes (for the conditional GAN: G(z | y = 0), label 0's)."""
        codes = frames.manifold_codes(self.algorithm.prior)
        labels = None if self.labels is None else np.zeros(len(codes), dtype=np.int64)
        return frames.generate(generator, codes, labels)

    def record(self, frame):
        """Keep the frame for Export: every record_stride-th frame, at most MAX_RECORDED (then every
        second one is dropped and the stride doubles)."""
        self.since_recorded += 1
        if self.since_recorded < self.record_stride and frame["action"] != "reset" and not frame["diverged"]:
            return
        self.since_recorded = 0
        self.recorded.append(frame)
        if len(self.recorded) > MAX_RECORDED:
            self.recorded = self.recorded[::2]
            self.record_stride *= 2


class Sessions:
    """The server's sessions by id: one per browser tab, freed when the tab's live connection closes
    (`close`) or after `idle_timeout` seconds without a request (`sweep`)."""

    def __init__(self, idle_timeout=900.0, max_sessions=64):
        self.idle_timeout, self.max_sessions = float(idle_timeout), int(max_sessions)
        self.by_id = {}

    def create(self, config):
        self.sweep()
        if len(self.by_id) >= self.max_sessions:
            raise SessionError(f"{len(self.by_id)} sessions are open, the most this server keeps: close a tab")
        session = Session(config)
        self.by_id[session.id] = session
        return session

    def get(self, session_id):
        """The session, or KeyError (an unknown or expired id)."""
        session = self.by_id[session_id]
        session.touch()
        return session

    def close(self, session_id):
        self.by_id.pop(session_id, None)

    def sweep(self, now=None):
        """Free the sessions idle for longer than idle_timeout; returns their ids."""
        now = time.monotonic() if now is None else now
        idle = [sid for sid, s in self.by_id.items() if now - s.last_seen > self.idle_timeout]
        for sid in idle:
            self.close(sid)
        return idle

    def __len__(self):
        return len(self.by_id)
