# Source of tutorials/07_began.ipynb (build it with: python tutorials/build_notebooks.py 07).

# %% [markdown]
# # 07 · BEGAN
#
# Part 3 of the lecture: the **boundary equilibrium GAN** (Berthelot, Schumm, Metz 2017). The slides
# show its faces and its interpolations; the formulas behind them come from the paper
# (`docs/lecture/FORMULAS.md`, BEGAN-1 … BEGAN-6). Two ideas set BEGAN apart from the GAN and the WGAN:
#
# * the discriminator is an **autoencoder**: what D says about an image is how badly it reconstructs it;
# * a **proportional controller** k_t keeps the game at an equilibrium, E[L(G(z))] = γ E[L(x)], and a
#   **convergence measure** M_global tells how far training has come, which a GAN's losses do not.
#
# This notebook: the autoencoder (§1), the losses (§2), the controller k_t and the ratio γ (§3), two
# training runs on the 8×8 digits, with γ = 1 and γ = 0.5, and their k_t and M_global over the steps
# (§4), and interpolations in the latent space, between random codes and between real images (§5).

# %%
import inspect
import time

import matplotlib.pyplot as plt
import numpy as np
from _quick import setup, steps
from IPython.display import display
from threadpoolctl import threadpool_limits

import minigan
from minigan import metrics, optim
from minigan.data import DataLoader
from minigan.data.images import digits
from minigan.gan.began import BEGAN
from minigan.gan.began_models import Decoder, began_autoencoder, began_generator
from minigan.gan.interpolate import interpolate, interpolation_codes, invert
from minigan.metrics_classifier import class_histogram, digits_classifier, predict
from minigan.viz.gan import image_grid, running_median
from minigan.viz.wgan import interpolation_strip

setup()
threadpool_limits(1)  # as `python -m minigan train` (--threads 1): small products run fastest on one thread


def show_rows(rows, labels, title=None):
    """Images (N, 1, H, W) in [−1, 1], one row per array of `rows`, with a label at the left of each."""
    n, side = len(rows[0]), rows[0].shape[-1]
    grid = image_grid(np.concatenate([np.asarray(r) for r in rows]), columns=n)
    fig, ax = plt.subplots(figsize=(0.55 * n + 1.2, 0.55 * len(rows) + 0.4))
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks([(side + 1) * i + side / 2 - 0.5 for i in range(len(rows))], labels)
    ax.set_xticks([])
    ax.grid(False)
    if title:
        ax.set_title(title, fontsize=10)
    plt.show()


def show_strip(images, ends=None, title=None):
    """minigan's interpolation strip, displayed (a matplotlib Figure)."""
    display(interpolation_strip(images, ends=ends, title=title))


# %% [markdown]
# ## 1. The autoencoder discriminator
#
# BEGAN's D maps an image to an image: an **encoder** (3×3 convolutions with ELU, a stride-2
# convolution down per scale, the filters growing n, 2n, 3n, …) ends in a fully connected layer to
# an embedding h ∈ ℝ^{N_h}; a **decoder** (fully connected back to n × b × b, 3×3 convolutions with
# ELU, nearest-neighbour upsampling) returns D(x). No batch norm, no non-linearity at h, no
# activation at the output. **G has the decoder's architecture** with its own weights: z plays the
# role of h.
#
# For the 8×8 digits the bottleneck is b = 4, so there are two scales (4×4 and 8×8). The sizes are
# small, so that §4's runs fit this notebook's budget: `--latent-dim 16 --filters 16`, so
# N_h = N_z = 16 and n = 16 (the benchmark recipe `RECIPES["began-digits"]` of
# `benchmarks/bench_quality_wgan_began.py` uses 32 of each, one convolution per scale, and a tanh
# at G's output).

# %%
data = digits()
latent_dim, filters = 16, 16
autoencoder = began_autoencoder(data.image_shape, latent_dim, filters)   # D
generator = began_generator(data.image_shape, latent_dim, filters)       # G: the decoder's shape, own weights
print(data)
print(autoencoder)


def count(module):
    return sum(p.data.size for p in module.parameters())


print(f"D has {count(autoencoder)} parameters (encoder {count(autoencoder.encoder)}, decoder "
      f"{count(autoencoder.decoder)}); G has {count(generator)}, as many as D's decoder")

# %% [markdown]
# The decoder (and so G) in code: h → h₀ of shape n × b × b, then per scale an upsampling and two
# convolutions.

# %%
print(inspect.getsource(Decoder.forward))

# %% [markdown]
# An untrained autoencoder reconstructs nothing: its output is close to 0 everywhere, a flat grey,
# and the reconstruction error per image (the mean |x − D(x)| over the 64 pixels, in the [−1, 1]
# scale) is large.

# %%
x8 = minigan.tensor(data.images[:10])
with minigan.no_grad():
    recon8 = autoencoder(x8).numpy()
show_rows([x8.numpy(), recon8], ["x", "D(x)"], "untrained D")
print("mean |x − D(x)| per image:", np.abs(x8.numpy() - recon8).mean(axis=(1, 2, 3)).round(3))

# %% [markdown]
# ## 2. The losses
#
# With the autoencoder loss of a batch of images v
#
# * **[BEGAN-1]** L(v) = |v − D(v)|^η, η = 1: the mean absolute reconstruction error;
# * **[BEGAN-2]** L_D = L(x) − k_t · L(G(z_D)), minimised over θ_D;  L_G = L(G(z_G)), minimised over θ_G.
#
# D wants to reconstruct the real images well and the fakes badly; G wants its fakes to be
# reconstructed well, i.e. to look to D like the images it has learned to autoencode. Unlike the
# GAN's D, this one never outputs a probability: the game is about the *distributions of
# reconstruction errors* of real and fake images (the paper matches them with a lower bound of the
# Wasserstein distance between them). In minigan:

# %%
print(inspect.getsource(BEGAN.reconstruction_loss))
print(inspect.getsource(BEGAN.losses))

# %% [markdown]
# The settings: those of the digits row of `minigan.gan.recipes.DEFAULTS["began"]` (γ = 1.0,
# λ_k = 0.003; Adam with β = (0.5, 0.999) for both players, the normal prior), except the learning
# rates and the length of the run, which §4 explains.

# %%
gamma, lambda_k = 1.0, 0.003                     # --gamma 1.0 --lambda-k 0.003, as the recipe
lr, lr_patience = 3e-4, 500                      # the recipe: G's --lr 3e-4, D's --lr-d 3e-4 / 11 (end of §4)
opt_g = optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
opt_d = optim.Adam(autoencoder.parameters(), lr=lr, betas=(0.5, 0.999))
began = BEGAN(generator, autoencoder, opt_g, opt_d, gamma=gamma, lambda_k=lambda_k, latent_dim=latent_dim,
              prior="normal", lr_patience=lr_patience)
print(f"γ = {began.gamma}, λ_k = {began.lambda_k}, k_0 = {began.k_t}, prior {began.prior}, lr {lr}")

# %% [markdown]
# ### The formulas by hand
#
# On one batch of 64 real digits and 64 codes: L(x), L(G(z_G)) and the two losses written in NumPy
# from the formulas, against `BEGAN.losses`. At the start k_0 = 0, so L_D = L(x): D first only learns
# to autoencode the real data, and the fakes enter its loss as k_t grows.

# %%
m = 64
x = minigan.tensor(data.images[np.random.default_rng(0).permutation(len(data))[:m]])
z_D, z_G = began.noise(m), began.noise(m)
losses = began.losses(x, z_D, z_G)

with minigan.no_grad():
    x_np, fake_D, fake_G = x.numpy(), generator(z_D).numpy(), generator(z_G).numpy()
    rec_x, rec_D, rec_G = (autoencoder(minigan.tensor(v)).numpy() for v in (x_np, fake_D, fake_G))
by_hand = {"L(x)": np.abs(x_np - rec_x).mean(), "L(G(z_D))": np.abs(fake_D - rec_D).mean()}
by_hand["L_D"] = by_hand["L(x)"] - began.k_t * by_hand["L(G(z_D))"]
by_hand["L_G"] = np.abs(fake_G - rec_G).mean()
for name, value in by_hand.items():
    print(f"{name:10s} by hand {value:.6f}   BEGAN.losses {losses[name].item():.6f}")

# %% [markdown]
# ### Each loss reaches only its own player
#
# The paper: "while the updates are made simultaneously, they are still adversarial … it is
# important to optimize θ_D and θ_G independently with respect to their corresponding losses".
# `losses` makes G(z_D) a constant for D (`no_grad`) and freezes D's parameters while it builds L_G
# (carpedm20/BEGAN-pytorch's single `(d_loss + g_loss).backward()` leaks L_G's gradient into D,
# its issue #4). Backpropagate each loss alone and count the parameters that receive a gradient:

# %%
def with_gradient(module):
    return sum(p.grad is not None and bool(np.any(p.grad.numpy() != 0)) for p in module.parameters())


for name in ("L_D", "L_G"):
    opt_d.zero_grad()
    opt_g.zero_grad()
    losses[name].backward()
    print(f"{name}.backward(): D's tensors with a gradient {with_gradient(autoencoder):2d} of "
          f"{len(list(autoencoder.parameters()))},  G's {with_gradient(generator):2d} of {len(list(generator.parameters()))}")
opt_d.zero_grad()
opt_g.zero_grad()

# %% [markdown]
# ## 3. The equilibrium: k_t and γ
#
# * **[BEGAN-3]** k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1),  k_0 = 0, λ_k = 0.001 in the paper;
# * **[BEGAN-4]** γ = E[L(G(z))] / E[L(x)] ∈ [0, 1], the *diversity ratio*.
#
# k_t is a **proportional controller** with gain λ_k. Its error signal is γ L(x) − L(G(z)): when the
# fakes are reconstructed better than γ times the real images, D is not paying them enough
# attention, so k_t grows and L_D pushes their error up; when they are reconstructed worse, k_t
# falls and D spends its capacity on autoencoding the real images. k_t stops moving exactly when
# E[L(G(z))] = γ E[L(x)]: γ is not measured, it is the **target** of the controller, a
# hyper-parameter. The paper: a lower γ makes D concentrate on autoencoding real images, which gives
# sharper but less diverse samples. The recipe, whose target is all ten classes, asks for γ = 1.0
# (fakes exactly as hard to reconstruct as the real digits); §4 trains with both 1.0 and 0.5.
#
# The update runs after both optimizer steps, with the losses measured before them
# (BEGAN-tensorflow does the same); `step` also computes M_global (§4) and feeds it to the
# learning-rate schedule. `step` draws one z for both losses, as BEGAN-tensorflow does, so that G(z)
# and D's pass on it serve both players: one backward of L(G(z)) gives G its ∇L_G and D the
# gradient of its fake term, which `step` scales by −k_t before L(x)'s backward adds the rest of
# ∇L_D — the gradients of the two losses above with z_D = z_G, for a quarter less work:

# %%
print(inspect.getsource(BEGAN.update_k))
print(inspect.getsource(BEGAN.step))

# %% [markdown]
# The controller on made-up losses, with the paper's γ = 0.5 and λ_k = 0.001 (a second BEGAN
# object on the same networks, used only for its `update_k`):

# %%
paper = BEGAN(generator, autoencoder, opt_g, opt_d, gamma=0.5, lambda_k=0.001, latent_dim=latent_dim, lr_patience=None)
for loss_real, loss_fake in [(0.30, 0.05), (0.30, 0.05), (0.30, 0.15), (0.30, 0.40)]:
    before = paper.k_t
    after = paper.update_k(loss_real, loss_fake)
    print(f"L(x) = {loss_real:.2f}, L(G(z)) = {loss_fake:.2f}:  γ L(x) − L(G(z)) = {0.5 * loss_real - loss_fake:+.3f}"
          f"   k_t {before:.5f} → {after:.5f}")
paper.k_t, paper.lambda_k = 0.0, 100.0
print("with a gain λ_k = 100, from k = 0 and an error of +0.10: k →", paper.update_k(0.30, 0.05), "(clipped at 1)")

# %% [markdown]
# ## 4. Training on the digits: k_t, M_global and γ
#
# * **[BEGAN-5]** M_global = L(x) + |γ L(x) − L(G(z_G))|
#
# M_global adds how well D autoencodes the real data to how far the game is from its equilibrium.
# The paper shows it falling as the samples improve; minigan also uses it to halve both learning
# rates when its mean over a window of `lr_patience` steps stops falling
# (`minigan.optim.schedule.HalveOnPlateau`, "lr halved whenever M stalls"), not below a quarter of
# the initial rate.

# %%
print(inspect.getsource(BEGAN.convergence_measure))

# %% [markdown]
# **The runs.** The recipe's 8000 steps of batch 64 take about five minutes on one core, more than
# this notebook's budget, so the runs are shorter, and the batches hold 16 images (the paper's batch
# size), which makes a step about three times cheaper: what mattered in try-outs was the number of
# updates rather than the number of images. Both players learn at 3e-4 (with 1e-4, runs this short
# stayed on a few classes; the paper warns that a high initial rate gives mode collapse or
# artefacts, and 1e-3 did collapse). The M_global window is scaled with the run: 500 steps.
#
# Two runs from the same seed — the same initial networks, the same batches, the same codes — that
# differ only in γ: the recipe's 1.0 and the paper's 0.5. `train_began` does what
# `python -m minigan train began` does — seed, build G then D, then the loop of
# `minigan.gan.trainer.fit` — and gives the same numbers; the first run from the command line is
#
# `python -m minigan train began --data digits --latent-dim 16 --filters 16 --convs-per-scale 2 --no-tanh --gamma 1.0 --lambda-k 0.003 --lr 3e-4 --lr-d 3e-4 --lr-patience 500 --ema 0 --batch-size 16 --steps 1500 --seed 2`
#
# Seed 2 is the best of the seeds 0–4 tried: BEGAN trained this briefly is fragile. With the
# others the γ = 1 run covered seven to nine classes; the γ = 0.5 run collapsed onto one to four
# classes every time (exercise 1).

# %%
def train_began(gamma, seed, n_steps, batch_size):
    """A fresh BEGAN with the networks and settings above and the given γ, trained for n_steps;
    returns it and its log (one array per logged quantity)."""
    minigan.manual_seed(seed)
    generator = began_generator(data.image_shape, latent_dim, filters)
    autoencoder = began_autoencoder(data.image_shape, latent_dim, filters)
    model = BEGAN(generator, autoencoder, optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999)),
                  optim.Adam(autoencoder.parameters(), lr=lr, betas=(0.5, 0.999)), gamma=gamma,
                  lambda_k=lambda_k, latent_dim=latent_dim, prior="normal", lr_patience=lr_patience)
    batches = DataLoader(data, batch_size, shuffle=True, drop_last=True, seed=seed).forever()
    history = [model.step(batches) for _ in range(n_steps)]
    return model, {key: np.array([row[key] for row in history]) for key in history[0]}


seed, n_steps, batch_size = 2, steps(1500, 40), 16      # the recipe: 8000 steps of 64
gammas = (1.0, 0.5)
runs, logs = {}, {}
tenth = max(1, n_steps // 10)
for g in gammas:
    start = time.perf_counter()
    runs[g], logs[g] = train_began(g, seed, n_steps, batch_size)
    log = logs[g]
    print(f"γ = {g}: {n_steps} steps of batch {batch_size} in {time.perf_counter() - start:.0f} s")
    print(f"   k_t: max {log['k_t'].max():.3f}, last {log['k_t'][-1]:.3f};  M_global: mean of the first tenth "
          f"{log['M_global'][:tenth].mean():.3f} → last tenth {log['M_global'][-tenth:].mean():.3f};  "
          f"lr {lr:.0e} → {log['lr'][-1]:.1e} ({int((np.diff(log['lr']) < 0).sum())} halvings)")
    print(f"   over the last tenth: L(x) {log['L(x)'][-tenth:].mean():.3f}, L(G(z)) {log['loss_g'][-tenth:].mean():.3f}, "
          f"ratio E[L(G(z))] / E[L(x)] = {log['loss_g'][-tenth:].mean() / log['L(x)'][-tenth:].mean():.2f}")

# %%
t = np.arange(1, n_steps + 1)
width = min(51, n_steps // 4 * 2 + 1)
colors = {1.0: "tab:blue", 0.5: "tab:orange"}
fig, axes = plt.subplots(1, 3, figsize=(13, 3.4))
for g, log in logs.items():
    c = colors[g]
    axes[0].plot(t, log["k_t"], color=c, label=f"γ = {g}")
    axes[1].plot(t, log["M_global"], lw=0.5, alpha=0.3, color=c)
    axes[1].plot(t, running_median(log["M_global"], width), lw=2, color=c, label=f"γ = {g}")
    axes[2].plot(t, running_median(log["loss_g"] / log["L(x)"], width), color=c, label=f"γ = {g}")
    axes[2].axhline(g, ls=":", color=c)
axes[0].set_title("k_t  [BEGAN-3]")
axes[1].set_yscale("log")
axes[1].set_title(f"M_global  [BEGAN-5] (thick: running median of {width})")
axes[2].set_title("L(G(z)) / L(x)  (dotted: γ)  [BEGAN-4]")
for ax in axes:
    ax.set_xlabel("step")
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# What the curves show. In the γ = 1 run k_t climbs through about the first half of the run — the
# fakes are easier to reconstruct than the real digits, L(G(z)) < γ L(x) — and drifts down once the
# ratio L(G(z))/L(x) has passed its target. With γ = 0.5 the target γ L(x) is half as high, the
# error signal is smaller, and k_t stays small. In both runs the ratio ends near its γ, above it
# (1.10 and 0.66, printed above): the controller steers towards its target.
# M_global falls in both runs and ends *lower* for γ = 0.5, the run whose samples turn out to be the
# worse below. It measures how well D autoencodes and how close the game is to its equilibrium, not
# whether the samples are diverse; and since γ is in its formula, the values of runs with different
# γ do not compare.

# %% [markdown]
# The samples of both runs, and what the digits classifier (`minigan.metrics_classifier`, an MLP
# trained with minigan on the real digits) makes of 1000 of each:

# %%
order = np.random.default_rng(0).permutation(len(data))
half = len(data) // 2
real_counts = class_histogram(data.images)
fig, axes = plt.subplots(1, 3, figsize=(13, 4), gridspec_kw={"width_ratios": [1, 1, 1.3]})
counts = {}
for ax, g in zip(axes, gammas):
    minigan.manual_seed(0)
    samples = runs[g].sample(1000).numpy()
    counts[g] = class_histogram(samples)
    ax.imshow(image_grid(samples[:64]), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(f"γ = {g}: 64 samples")
    ax.axis("off")
    print(f"γ = {g}: classes of 1000 samples {counts[g].tolist()} → {int((counts[g] > 0).sum())} classes seen; "
          f"Fréchet distance to 1000 real digits {metrics.digits_frechet_distance(samples, data.images[order[:1000]]):.1f}")
for i, (label, c) in enumerate([*((f"γ = {g}", counts[g]) for g in gammas), ("real digits", real_counts)]):
    axes[2].bar(np.arange(10) + 0.27 * (i - 1), c / c.sum(), width=0.27, label=label)
axes[2].set_xticks(range(10))
axes[2].set_xlabel("class predicted by the digits classifier")
axes[2].set_ylabel("fraction")
axes[2].legend(fontsize=8)
plt.show()
print(f"Fréchet distance between two halves of the real digits: "
      f"{metrics.digits_frechet_distance(data.images[order[:half]], data.images[order[half:2 * half]]):.2f}")

# %% [markdown]
# The γ = 1 run covers all ten classes, though unevenly (some barely appear), while the γ = 0.5 run
# has collapsed onto two digits: the "less diverse" end of γ's trade-off in an extreme form.
# Both Fréchet distances stay far above the one between two halves of the real digits — 1500 short
# steps make rough digits; the recipe trains larger networks for longer, on batches four times
# larger, and with a slower D, for the reason that follows.
#
# **Why the classes come out uneven.** In L_D = L(x) − k_t L(G(z_D)) the images of a class c weigh
# p_data(c) − k_t p_g(c): D keeps reconstructing a class well — and so keeps it cheap for G — until G
# draws it more than p_data(c) / k_t times. With k_t near 0.2, as in the γ = 1 run, G may draw a
# class about five times too often before D pushes back, and its histogram has two classes at more
# than twice their share. How much of the Fréchet distance is that alone? Draw *real* digits in
# the run's class proportions (`metrics.resample_classes`) and measure them:

# %%
k_end = logs[1.0]["k_t"][-tenth:].mean()
like = metrics.resample_classes(data.images, data.labels, counts[1.0])
print(f"k_t over the last tenth: {k_end:.2f} → D pushes back on a class once G draws it "
      f"{1 / max(k_end, 1e-3):.1f}× its share; the largest share drawn: {counts[1.0].max() / counts[1.0].sum():.0%}")
print(f"Fréchet distance of real digits in the γ = 1 run's class proportions: "
      f"{metrics.digits_frechet_distance(like, data.images[order[:1000]]):.1f}")

# %% [markdown]
# Every one of those images is real, yet their distance is of the order of the run's: most of what
# separates these samples from the data is which digits they draw, not how they draw them. Giving D
# a twelfth of G's learning rate (`--lr-d`) keeps the fakes easy to reconstruct for longer, so the
# controller settles at a higher k_t (about 0.8) and the classes even out; sampling from an average
# of G's iterates (`--ema`, exercise 7) steadies the last iterate's wandering. The recipe's distance
# falls from 90–140 to 3–5.5 over 8000 steps, within 4× of two halves of the real digits, and what
# is left is still mostly the classes' imbalance (`docs/results.md`; exercise 6).

# %% [markdown]
# The trained autoencoder of the γ = 1 run on real digits and on fakes (compare with the untrained
# D of §1):

# %%
began = runs[1.0]
generator, autoencoder = began.generator, began.discriminator
with minigan.no_grad():
    fakes10 = began.sample(10)
    rows = [x8.numpy(), autoencoder(x8).numpy(), fakes10.numpy(), autoencoder(fakes10).numpy()]
show_rows(rows, ["x", "D(x)", "G(z)", "D(G(z))"], f"D after {n_steps} steps (γ = 1)")
print(f"mean |v − D(v)|: real {np.abs(rows[0] - rows[1]).mean():.3f}, fakes {np.abs(rows[2] - rows[3]).mean():.3f}")

# %% [markdown]
# After training, D reconstructs the real digits and G's fakes about equally well (the means printed
# above), as the equilibrium E[L(G(z))] = γ E[L(x)] with γ = 1 asks; its reconstructions are blurred
# versions of its inputs.

# %% [markdown]
# ## 5. Interpolations
#
# **[BEGAN-6]** The slides' interpolations: samples G(z_t) along a path from z₁ to z₂, and
# "interpolations of real images", whose codes must first be found.
#
# * lerp: z_t = (1 − t) z₁ + t z₂;
# * slerp: z_t = sin((1 − t)Ω)/sin Ω · z₁ + sin(tΩ)/sin Ω · z₂, cos Ω = z₁·z₂ / (‖z₁‖ ‖z₂‖): the great circle.
#
# Under a normal prior in d dimensions the codes lie near the sphere of radius √d, and two random
# codes are nearly orthogonal: the straight line between them passes at about √(d/2) from the
# origin, where G has hardly seen a code. The great circle keeps the norm.

# %%
print(inspect.getsource(interpolation_codes))

# %% [markdown]
# Four pairs of codes: z₁ the first four of 200 codes drawn from the prior, z₂ for each the first
# later code whose sample the digits classifier puts in another class (so that each path has
# somewhere to go). The norms along the paths:

# %%
minigan.manual_seed(2)
pool = began.noise(200).numpy()
with minigan.no_grad():
    pool_classes = predict(digits_classifier(), generator(minigan.tensor(pool)))
partner = [next((j for j in range(4, len(pool)) if pool_classes[j] != pool_classes[i]), 4 + i) for i in range(4)]
z1, z2 = pool[:4], pool[partner]
print("classes of G(z₁):", pool_classes[:4].tolist(), "  of G(z₂):", pool_classes[partner].tolist())
for spherical in (False, True):
    norms = np.linalg.norm(interpolation_codes(z1, z2, 9, spherical).numpy(), axis=-1)
    print(f"{'slerp' if spherical else 'lerp '}: ‖z_t‖ along the first path:", norms[0].round(2),
          f"  (middle / ends over the 4 paths: {(norms[:, 4] / norms[:, [0, -1]].mean(1)).mean():.2f})")

# %%
strips = {spherical: interpolate(generator, z1, z2, 10, spherical=spherical).numpy() for spherical in (True, False)}
for spherical, strip in strips.items():
    show_strip(strip, title=f"{'slerp' if spherical else 'lerp'} between random codes (the same 4 pairs)")
print(f"mean |slerp − lerp| per pixel over the inner points: {np.abs(strips[True] - strips[False])[:, 1:-1].mean():.3f};  "
      f"mean |G(z₁) − G(z₂)| per pixel: {np.abs(strips[True][:, 0] - strips[True][:, -1]).mean():.3f}")

# %% [markdown]
# Each path morphs one digit into another. Here, with d = 16, lerp's dip is mild (the norms above)
# and the two strips differ little: their mean pixel difference is small next to the one between
# the two ends of a path. The dip deepens as d grows (exercise 4), and with it the case for slerp.

# %% [markdown]
# ### Interpolations of real images
#
# First invert G: z* = argmin_z ‖G(z) − x‖², by Adam on z (G's weights untouched), from a few random
# starts per image, keeping the best (the manifold defense of notebook 08 projects images the same
# way, [ADV-4]). The real images and their projections G(z*):

# %%
print(inspect.signature(invert))
print(inspect.getdoc(invert))

# %%
minigan.manual_seed(3)
pairs = 4
chosen = data.images[np.random.default_rng(3).permutation(len(data))[:2 * pairs]]
start = time.perf_counter()
codes, projections = invert(generator, minigan.tensor(chosen), steps=steps(300, 30), lr=0.1, restarts=4,
                            latent_dim=latent_dim, prior=began.prior)   # the interpolate command's defaults
print(f"inverted {2 * pairs} digits in {time.perf_counter() - start:.0f} s")
projections = projections.numpy()
show_rows([chosen, projections], ["x", "G(z*)"], "real digits and their projections on G's range")
print("mean |x − G(z*)| per image:", np.abs(chosen - projections).mean(axis=(1, 2, 3)).round(3))
print(f"‖z*‖: {np.linalg.norm(codes.numpy(), axis=1).round(1)}  (√d = {np.sqrt(latent_dim):.1f})")

# %% [markdown]
# The inversion is unconstrained: nothing keeps z* near the shell ‖z‖ ≈ √d where the prior puts its
# codes, and the best codes found lie well outside it (the norms above), where G extrapolates.
# A penalty on ‖z‖, or a projection of z back onto the sphere after each step, would keep them in
# (exercise 5). Between the codes of two real digits, along the great circle:

# %%
strip = interpolate(generator, codes[:pairs], codes[pairs:], 10).numpy()
ends = np.stack([chosen[:pairs], chosen[pairs:]], axis=1)
show_strip(strip, ends=ends, title="slerp between inverted real digits (the real images at the ends)")

# %% [markdown]
# Each row goes from G's version of one real digit to G's version of the other; the real images at
# the sides show how far each projection is from its digit.

# %% [markdown]
# ## Summary
#
# * BEGAN's D is an autoencoder, and its verdict on an image is the reconstruction error
#   L(v) = mean |v − D(v)| [BEGAN-1]; G has the decoder's architecture.
# * L_D = L(x) − k_t L(G(z_D)) and L_G = L(G(z_G)) [BEGAN-2] each reach only their own player.
# * k_t [BEGAN-3] is a proportional controller that steers the game to E[L(G(z))] = γ E[L(x)]
#   [BEGAN-4]; γ is a target set by hand, and in both runs the measured ratio ended near it.
#   With γ = 1 the samples covered every class; with γ = 0.5, from the same seed, they collapsed
#   onto two digits.
# * M_global [BEGAN-5] fell in both runs and drives the learning-rate halving, but it did not tell
#   the collapsed run from the diverse one.
# * Interpolations [BEGAN-6]: slerp keeps ‖z‖ where the prior puts it, lerp dips towards the origin;
#   real images are interpolated through their codes, found by inverting G.
# * A BEGAN trained for a minute on the digits is fragile: the seed decides much (exercise 1).
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw reconstruction_loss began_losses update_k convergence_measure` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw reconstruction_loss began_losses update_k convergence_measure`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("reconstruction_loss", my_function)`.
# The questions below are experiments with this notebook's code.
#
# 1. Train with γ = 0.75, and with γ = 1.0 from two other seeds (`train_began(γ, seed, ...)`).
#    Where does the ratio L(G(z))/L(x) settle, how many classes do the samples cover, and how much
#    does a run this short depend on its seed?
# 2. Set λ_k = 0 (k_t stays 0). What do L_D and the samples become, and why?
# 3. Build L_G without freezing D (`began.reconstruction_loss(generator(z))`), add it to L_D and
#    call `backward()` once, as BEGAN-pytorch does. Count D's tensors that receive a gradient, and
#    compare D's gradient with the one of L_D alone (§2).
# 4. Plot ‖z_t‖ along lerp paths for d = 2, 16 and 256. How does the dip in the middle scale with d?
# 5. Invert a digit with `restarts=1` and with `restarts=8` a few times: how much does the best
#    error depend on the start? Then write an inversion that adds λ‖z‖² to the error (or rescales z
#    to norm √d after each step): how do ‖z*‖, the error and the real-image strips change?
#    From the command line: `python -m minigan interpolate DIR --real` on a run folder.
# 6. Give D a sixth of G's learning rate (`optim.Adam(autoencoder.parameters(), lr=lr / 6, ...)` in
#    `train_began`), then a twelfth. Where does k_t settle now, and how even is the class histogram?
#    Predict the largest share G can give one class from k_t, and check it against the histogram.
# 7. Keep an average of G's iterates (`optim.ExponentialMovingAverage(generator.parameters(), 0.998)`,
#    `update()` after every step) and measure the Fréchet distance of samples drawn inside its
#    `average_parameters()` every 100 steps, beside the last iterate's. Which curve is steadier, and
#    why does the lecture's bilinear game (notebook 04) predict it?
