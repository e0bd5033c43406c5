# Source of tutorials/05_gan.ipynb (build it with: python tutorials/build_notebooks.py 05).

# %% [markdown]
# # 05 · The GAN (Algorithm 1)
#
# Part 1 of the lecture: a generator G turns simple noise into samples [GAN-1], a discriminator D
# tells them from real data, and the two play min_G max_D V(D, G) [GAN-2]. Goodfellow et al.'s
# Algorithm 1 trains them by turns: k ascent steps of D [GAN-3], one descent step of G [GAN-4] —
# in practice with the non-saturating loss −log D(G(z)) [GAN-5].
#
# This notebook: the transform method; the value V and the optimal discriminator D*, checked
# numerically (V = −log 4 when p_g = p_data [GAN-6]); why the generator's minimax loss saturates;
# then Algorithm 1 on PacGAN's ring of 8 Gaussians with the mode metrics, a mode collapse caught
# by those metrics [GAN-HARD], and a DCGAN on 8×8 digits.

# %%
import inspect
import time

import matplotlib.pyplot as plt
import numpy as np
from _quick import setup, steps
from threadpoolctl import threadpool_limits

import minigan
from minigan import optim
from minigan.data import DataLoader, images, toy2d
from minigan.functional import sigmoid
from minigan.gan import GAN, losses, make_optimizer, recipes, sample_noise
from minigan.gan.models import gan_mlps, mlp_discriminator, mlp_generator
from minigan.metrics import class_histogram, digits_frechet_distance, mode_coverage, squared_distances
from minigan.viz.gan import image_grid

setup()

# %% [markdown]
# ## 1. The transform method [GAN-1]
#
# **[GAN-1]** Sample simple noise z ~ p_z (uniform, or normal — "use a spherical z"), return
# x = G(z). G is a neural network that maps the simple distribution onto p_data.
#
# In minigan the prior is one function, and a `GAN` draws its noise and its samples through it:

# %%
print(inspect.getsource(sample_noise))
print(inspect.getsource(GAN.noise))
print(inspect.getsource(GAN.sample))

# %% [markdown]
# The idea is older than GANs. The inverse-CDF method turns z ~ U(0, 1) into any distribution
# whose CDF F can be inverted: x = F⁻¹(z). For the exponential distribution F(x) = 1 − e^(−x), so
# x = −log(1 − z). A GAN learns such a map when no formula for F⁻¹ exists. Before training, G is a
# random network: it already transforms the prior, into an arbitrary blob (right: an untrained
# generator of section 4, 2-D output, 64-D z, with each prior).

# %%
z = sample_noise(20000, 1, "uniform").numpy()[:, 0].astype(np.float64) * 0.5 + 0.5   # U[−1, 1) → U[0, 1)
x = -np.log1p(-z)                                                       # F⁻¹(z) for Exp(1)
print(f"z ~ U(0, 1): mean {z.mean():.3f} (1/2)    x = −log(1 − z): mean {x.mean():.3f}, "
      f"std {x.std():.3f} (Exp(1): 1, 1)")

minigan.manual_seed(1)
untrained = {prior: GAN(*gan_mlps(64), None, None, latent_dim=64, prior=prior) for prior in ("normal", "uniform")}
for prior, gan in untrained.items():
    zs = gan.noise(5000).numpy()
    print(f"prior {prior:7s}: z mean {zs.mean():+.3f}, std {zs.std():.3f}, ‖z‖ mean {np.linalg.norm(zs, axis=1).mean():.2f}")

fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
axes[0].hist(x, bins=80, range=(0, 6), density=True, alpha=0.6, label="−log(1 − z)")
grid_x = np.linspace(0, 6, 200)
axes[0].plot(grid_x, np.exp(-grid_x), "k", lw=1.5, label="e^(−x)")
axes[0].set_title("x = F⁻¹(z), z ~ U(0, 1)")
axes[0].legend(fontsize=8)
for ax, (prior, gan) in zip(axes[1:], untrained.items()):
    samples = gan.sample(2000).numpy()
    ax.scatter(samples[:, 0], samples[:, 1], s=2, alpha=0.4)
    ax.set_title(f"untrained G(z), z ~ {prior}")
    ax.set_aspect("equal", adjustable="datalim")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 2. The value and the discriminator [GAN-2, GAN-3, GAN-6]
#
# **[GAN-2]** min_G max_D V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))]
#
# **[GAN-3]** (Algorithm 1, repeated k times) sample m noise samples and m data examples, update D
# by *ascending* ∇_θd (1/m) Σ_i [log D(x_i) + log(1 − D(G(z_i)))].
#
# **[GAN-6]** For a fixed G the best discriminator is D*(x) = p_data(x) / (p_data(x) + p_g(x)); at
# the global optimum (p_g = p_data) D* = ½ everywhere and V = −log 4.
#
# minigan's D outputs a logit a with D = σ(a), and the losses are written with softplus, because
# log σ(a) = −softplus(−a) and log(1 − σ(a)) = −softplus(a) never take the log of an underflowed 0.
# The discriminator's loss is −V on a batch (its optimizer descends):

# %%
print(inspect.getsource(losses.value))
print(inspect.getsource(losses.discriminator_loss))
print(inspect.getsource(losses.optimal_discriminator))
print(inspect.getsource(GAN.discriminator_step))

# %% [markdown]
# ### V at the optimum
#
# First the global optimum itself. Take p_g = p_data = the ring of section 4 (fakes are fresh
# draws from the same mixture): D* = p/(p + p) = ½ at every point, i.e. every logit is 0, and
# V must be log ½ + log ½ = −log 4. The discriminator's loss on the same batch is −V.

# %%
ring = toy2d.ring()
rng = np.random.default_rng(0)
real, fake = ring.sample(4096, rng), ring.sample(4096, rng)


def mixture_density(points, data):
    """p(x) = (1/K) Σ_k N(x; c_k, σ² I) of a 2-D mixture."""
    d2 = squared_distances(points.astype(np.float64), data.centers)
    return np.exp(-d2 / (2 * data.std ** 2)).mean(axis=1) / (2 * np.pi * data.std ** 2)


def logit(d):
    """a = log D − log(1 − D): the logit of a probability."""
    return np.log(d) - np.log1p(-d)


d_real = losses.optimal_discriminator(mixture_density(real, ring), mixture_density(real, ring))
d_fake = losses.optimal_discriminator(mixture_density(fake, ring), mixture_density(fake, ring))
v_opt = losses.value(minigan.tensor(logit(d_real)), minigan.tensor(logit(d_fake))).item()
loss_d = losses.discriminator_loss(minigan.tensor(logit(d_real)), minigan.tensor(logit(d_fake))).item()
print(f"D* on real points: {d_real.min()} … {d_real.max()}    on fakes: {d_fake.min()} … {d_fake.max()}")
print(f"V(D*, G) = {v_opt:.10f}    −log 4 = {-np.log(4):.10f}    discriminator_loss = {loss_d:.10f} = −V")

# %% [markdown]
# ### V(D*, G) when G is not at the optimum
#
# A 1-D example with densities in closed form: p_data = N(0, 1), p_g = N(μ, 1). For each μ, D* comes
# from `optimal_discriminator`, and V(D*, G) is estimated twice: with `value` on 200,000 samples of
# each distribution (the batch mean of Algorithm 1), and by quadrature on a fine grid. The paper's
# Theorem 1 says V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g): at least −log 4, with equality only at
# μ = 0. And for a fixed G, D* is the best discriminator: scaling its logit by any c ≠ 1 lowers V.


# %%
def normal_pdf(x, mu=0.0):
    return np.exp(-0.5 * (x - mu) ** 2) / np.sqrt(2 * np.pi)


n_mc = steps(200_000, 20_000)
x_real = rng.standard_normal(n_mc)
noise_1d = rng.standard_normal(n_mc)
x_grid = np.linspace(-8, 8, 16001)     # D* stays < 1 in float64 here
dx = x_grid[1] - x_grid[0]


def value_at(mu, scale=1.0):
    """V(D, G_μ) by Monte Carlo (minigan's `value`) and by quadrature, for D = σ(scale · logit D*)."""
    x_fake = mu + noise_1d                                           # G_μ(z) = z + μ
    a_real = scale * logit(losses.optimal_discriminator(normal_pdf(x_real), normal_pdf(x_real, mu)))
    a_fake = scale * logit(losses.optimal_discriminator(normal_pdf(x_fake), normal_pdf(x_fake, mu)))
    mc = losses.value(minigan.tensor(a_real), minigan.tensor(a_fake)).item()
    a = scale * logit(losses.optimal_discriminator(normal_pdf(x_grid), normal_pdf(x_grid, mu)))
    log_d, log_1md = -np.logaddexp(0, -a), -np.logaddexp(0, a)       # log σ(a), log(1 − σ(a))
    quadrature = ((normal_pdf(x_grid) * log_d + normal_pdf(x_grid, mu) * log_1md) * dx).sum()
    return mc, quadrature


mus = np.linspace(-3, 3, 25)
v_mu = np.array([value_at(mu) for mu in mus])
scales = np.linspace(0, 2.5, 26)
v_scale = np.array([value_at(1.5, c) for c in scales])
print("  μ    V(D*, G_μ) by value()   by quadrature")
for mu, (mc, quad) in zip(mus[::4], v_mu[::4]):
    print(f"{mu:+5.1f}   {mc:+.4f}                {quad:+.4f}")
print(f"min over μ (quadrature): {v_mu[:, 1].min():.6f} at μ = {mus[v_mu[:, 1].argmin()]:+.2f};   −log 4 = {-np.log(4):.6f}")
print(f"μ = 1.5: V is largest at scale c = {scales[v_scale[:, 1].argmax()]:.1f} (quadrature), "
      f"{scales[v_scale[:, 0].argmax()]:.1f} (value())")

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
mu_show = 1.5
axes[0].plot(x_grid, normal_pdf(x_grid), label="p_data = N(0, 1)")
axes[0].plot(x_grid, normal_pdf(x_grid, mu_show), label=f"p_g = N({mu_show}, 1)")
axes[0].plot(x_grid, losses.optimal_discriminator(normal_pdf(x_grid), normal_pdf(x_grid, mu_show)), "k", label="D*(x)")
axes[0].set_xlim(-4, 5.5)
axes[0].legend(fontsize=8)
axes[0].set_title("the optimal discriminator [GAN-6]")
axes[1].plot(mus, v_mu[:, 1], "k", lw=1, label="quadrature")
axes[1].plot(mus, v_mu[:, 0], "o", ms=3, label="value() on samples")
axes[1].axhline(-np.log(4), color="C3", ls="--", lw=1, label="−log 4")
axes[1].set_xlabel("μ (G_μ(z) = z + μ)")
axes[1].set_title("V(D*, G_μ)")
axes[1].legend(fontsize=8)
axes[2].plot(scales, v_scale[:, 1], "k", lw=1, label="quadrature")
axes[2].plot(scales, v_scale[:, 0], "o", ms=3, label="value() on samples")
axes[2].axvline(1.0, color="C3", ls="--", lw=1)
axes[2].set_xlabel("c (D = σ(c · logit D*))")
axes[2].set_title(f"V(D, G) for μ = {mu_show}: D* maximizes it")
axes[2].legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The Monte-Carlo values of `value` follow the quadrature, the curve over μ touches −log 4 only at
# μ = 0, and over c the maximum is at c = 1: D* is the best reply to a fixed G, and V(D*, G) is the
# quantity G then minimizes.
#
# ## 3. The generator's losses: minimax [GAN-4] vs non-saturating [GAN-5]
#
# **[GAN-4]** sample m noise samples, update G by *descending* ∇_θg (1/m) Σ_i log(1 − D(G(z_i))).
#
# **[GAN-5]** the five steps: (1) a real batch, (2) a fake batch, (3) train D with real labelled 1
# and fake labelled 0, (4) a new fake batch, (5) train G through D with the fakes labelled 1, i.e.
# minimize −log D(G(z)). The paper (§3): log(1 − D(G(z))) *saturates* early in training, when D
# rejects the fakes with confidence; −log D(G(z)) has the same fixed point and strong gradients.

# %%
print(inspect.getsource(losses.minimax_generator_loss))
print(inspect.getsource(losses.non_saturating_generator_loss))
print(inspect.getsource(GAN.generator_step))

# %% [markdown]
# ### The gradient with respect to the logit
#
# G's gradient is ∂loss/∂θ_g = Σ_i ∂loss/∂a_i · ∂a_i/∂θ_g: both losses share the second factor (the
# networks), and differ in ∂loss/∂a. `minigan.grad` computes it for each fake's logit a (we
# multiply the batch-mean loss by m to get the per-sample derivative):

# %%
a = minigan.tensor(np.linspace(-12, 12, 481), requires_grad=True)
m = a.shape[0]
d_fake = sigmoid(a).numpy()
grads = {}
for name, loss_fn in losses.GENERATOR_LOSSES.items():
    (g,) = minigan.grad(loss_fn(a) * m, a)
    grads[name] = g.numpy()
print("max |∂/∂a − formula|:  minimax vs −σ(a):", np.abs(grads["minimax"] + d_fake).max(),
      "   non-saturating vs −(1 − σ(a)):", np.abs(grads["non_saturating"] + (1 - d_fake)).max())
for d in (1e-4, 1e-2, 0.5):
    i = np.abs(d_fake - d).argmin()
    print(f"D(G(z)) = {d_fake[i]:.1e}:  |∂/∂a| minimax {abs(grads['minimax'][i]):.1e}, "
          f"non-saturating {abs(grads['non_saturating'][i]):.2f}")

fig, ax = plt.subplots(figsize=(6, 3.6))
ax.loglog(d_fake, np.abs(grads["minimax"]), label="minimax  log(1 − D(G(z)))  [GAN-4]")
ax.loglog(d_fake, np.abs(grads["non_saturating"]), label="non-saturating  −log D(G(z))  [GAN-5]")
ax.set_xlabel("D(G(z))  (← D rejects the fake)")
ax.set_ylabel("|∂ loss / ∂ logit|")
ax.set_ylim(1e-6, 2)
ax.axvline(0.5, color="grey", lw=0.8, ls=":")
ax.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# The minimax gradient is σ(a) = D(G(z)) itself: it vanishes exactly where G most needs a signal.
# The non-saturating gradient is 1 − D(G(z)) → 1 there, and the two meet at D(G(z)) = ½.
#
# ### The same on networks
#
# Now with the networks of section 4: fix an untrained G and train only D, with
# `GAN.discriminator_step`, on ring batches. As D learns to reject the fakes, the generator's
# gradient ‖∇_θg loss‖ (all of G's parameters, on one batch of 512 z, by `minigan.grad`) collapses
# for the minimax loss and not for the non-saturating one.

# %%
minigan.manual_seed(2)
G, D = gan_mlps(64)
probe = GAN(G, D, None, optim.Adam(D.parameters(), lr=3e-4, betas=(0.5, 0.999)), latent_dim=64)
ring_batches = DataLoader(ring, 512, seed=0).forever()
z_probe = probe.noise(512)


def generator_gradient_norms():
    fake_logits = D(G(z_probe))
    norms = {}
    for name, loss_fn in losses.GENERATOR_LOSSES.items():
        gs = minigan.grad(loss_fn(fake_logits), G.parameters(), retain_graph=True)
        norms[name] = float(np.sqrt(sum((g.numpy() ** 2).sum() for g in gs)))
    return float(sigmoid(fake_logits).numpy().mean()), norms


print("D steps   mean D(G(z))   ‖∇θg‖ minimax   ‖∇θg‖ non-saturating   ratio")
done = 0
with threadpool_limits(1):
    for target in steps([0, 10, 50, 100, 200, 500], [0, 20]):
        for _ in range(target - done):
            probe.discriminator_step(next(ring_batches))
        done = target
        mean_d, norms = generator_gradient_norms()
        print(f"{target:7d}   {mean_d:12.2e}   {norms['minimax']:13.2e}   {norms['non_saturating']:20.2e}"
              f"   {norms['non_saturating'] / norms['minimax']:7.1f}")

# %% [markdown]
# The ratio of the two norms grows as D(G(z)) falls, of the order of 1/D(G(z)) once D is
# confident, as the logit-level formulas predict (per sample the ratio is (1 − D)/D; the
# network's Jacobian mixes the samples, so it is not exact). This is why `GAN` defaults to
# `generator_loss="non_saturating"`, as every practical GAN does.
#
# ## 4. Algorithm 1 on the ring, and the mode metrics
#
# PacGAN's two 2-D benchmarks are mixtures of Gaussians: the **ring** (8 modes on the unit circle,
# std 0.01) and the **grid** (25 modes at {−4, −2, 0, 2, 4}², std 0.05). With 2,500 samples, a
# sample is *high quality* (HQ) if it lies within 3σ of its nearest mode, and a mode is *captured*
# if at least one HQ sample is nearest to it:

# %%
print(inspect.getsource(mode_coverage))

# %% [markdown]
# First the metric on real data. A 2-D Gaussian sample lies within 3σ of its centre with probability
# 1 − e^(−9/2): that is the best HQ fraction a perfect generator gets. Spreading the same modes 2×
# or 4× wider (a blurry generator) drops HQ fast; putting all samples on one mode keeps HQ but
# captures 1 mode.

# %%
grid = toy2d.grid()
print(f"perfect-generator HQ: 1 − e^(−9/2) = {1 - np.exp(-4.5):.4f}")
print("                                   ring: modes   HQ        grid: modes   HQ")
cases = {"real samples": 1.0, "modes 2× wider": 2.0, "modes 4× wider": 4.0}
for label, widen in cases.items():
    row = []
    for data in (ring, grid):
        samples = toy2d.sample_mixture(data.centers, widen * data.std, 2500, np.random.default_rng(1))
        row.append(mode_coverage(samples, data.centers, data.std))
    print(f"{label:30s} " + "      ".join(f"{m:4d}/{len(d.centers):<3d} {hq:6.1%}" for (m, hq), d in zip(row, (ring, grid))))
one_mode = toy2d.sample_mixture(ring.centers[:1], ring.std, 2500, np.random.default_rng(1))
modes, hq = mode_coverage(one_mode, ring.centers, ring.std)
print(f"ring, every sample on mode 0   {modes:4d}/8   {hq:6.1%}")

fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, data in zip(axes, (ring, grid)):
    ax.scatter(data.arrays[0][:2500, 0], data.arrays[0][:2500, 1], s=2, alpha=0.5)
    ax.scatter(data.centers[:, 0], data.centers[:, 1], marker="x", color="red", s=30)
    ax.set_title(f"{data.name}: {len(data.centers)} modes, std {data.std}")
    ax.set_aspect("equal")
plt.tight_layout()
plt.show()

# %% [markdown]
# ### Training on the ring
#
# The command line (`python -m minigan train gan --data ring`) builds this GAN with the recipe
# `minigan.gan.recipes.gan`: `gan_mlps` (G a tanh MLP of 3 × 128 units, D a LeakyReLU MLP of
# 2 × 256), z of 64 normal dimensions, batches of 512, Adam with β = (0.5, 0.999), G's learning rate
# 1e-3 and D's 3e-4, both divided by 10 after 70 % of the steps. The measured defaults of every
# algorithm and kind of data stand in one table, `recipes.DEFAULTS`:

# %%
print(inspect.getsource(gan_mlps))
print("recipes.DEFAULTS['gan'] =", recipes.DEFAULTS["gan"])
print(inspect.getsource(recipes.gan))

# %% [markdown]
# We call the same recipe here and run Algorithm 1 (k = 1, non-saturating G), measuring the modes
# and the HQ fraction on 2,500 samples every few steps. The command line's default is 4,000
# generator iterations; this notebook asks the recipe for fewer (`steps=`), to stay within its time
# budget, so the rates drop at 70 % of *its* steps. `GAN.step` is one iteration of Algorithm 1:

# %%
print(inspect.getsource(GAN.step))


# %%
def train_2d(gan, data, n_steps, batch_size, every, snapshots=()):
    """Algorithm 1 for n_steps; every `every` steps: modes, HQ, and the share of samples nearest each mode."""
    batches = DataLoader(data, batch_size, seed=0).forever()
    history, shots = [], {}
    start = time.perf_counter()
    with threadpool_limits(1):                      # as the command line (--threads 1)
        for step in range(1, n_steps + 1):
            stats = gan.step(batches)
            if step % every == 0 or step in snapshots:
                x = gan.sample(2500).numpy()
                modes, hq = mode_coverage(x, data.centers, data.std)
                nearest = np.bincount(squared_distances(x.astype(np.float64), data.centers).argmin(1),
                                      minlength=len(data.centers)) / len(x)
                history.append({"step": step, "modes": modes, "hq": hq, "nearest": nearest, **stats})
                if step in snapshots:
                    shots[step] = x
    print(f"{n_steps} steps in {time.perf_counter() - start:.0f} s")
    return history, shots


n_ring = steps(1200, 60)
ring_shots = (n_ring // 10, n_ring // 3, int(0.7 * n_ring), n_ring)
minigan.manual_seed(0)
recipe = recipes.gan(ring, steps=n_ring)
gan = recipe.algorithm
ring_history, ring_samples = train_2d(gan, ring, n_ring, batch_size=recipe.batch_size, every=steps(n_ring // 40, 5), snapshots=ring_shots)
for h in ring_history[4::5]:
    print(f"step {h['step']:5d}: modes {h['modes']}/8, HQ {h['hq']:6.1%}, D(x) {h['D(x)']:.3f}, D(G(z)) {h['D(G(z))']:.3f}")
final = ring_history[-1]
print(f"final: {final['modes']}/8 modes, {final['hq']:.1%} high quality; share of samples nearest each mode:",
      np.round(final["nearest"], 3))

# %%
fig, axes = plt.subplots(1, len(ring_shots), figsize=(12, 3.2))
for ax, (step, x) in zip(axes, ring_samples.items()):
    ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.3)
    ax.scatter(ring.centers[:, 0], ring.centers[:, 1], marker="x", color="red", s=30)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    ax.set_aspect("equal")
    ax.set_title(f"step {step}")
fig.suptitle("G(z) on the ring (red: the 8 modes)")
plt.tight_layout()
plt.show()


def metric_curves(history, title):
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.2))
    s = [h["step"] for h in history]
    left.plot(s, [h["modes"] for h in history], ".-", ms=3)
    left.set_ylim(-0.3, len(history[0]["nearest"]) + 0.3)
    left.set_ylabel("modes captured")
    right.plot(s, [100 * h["hq"] for h in history], ".-", ms=3, color="C1")
    right.set_ylabel("high-quality samples (%)")
    for ax in (left, right):
        ax.set_xlabel("generator iteration")
    fig.suptitle(title)
    plt.tight_layout()
    plt.show()


metric_curves(ring_history, "ring, the command line's networks")

# %% [markdown]
# What to read in the figures: before the learning rates drop, the samples are smeared along the
# ring, few of them lie within 3σ = 0.03 of a centre, and the mode count and the HQ fraction
# fluctuate from one measurement to the next — the instability of the game. Once the rates drop
# (at 70 % of the steps), the samples settle into the modes and the HQ fraction jumps. The printed
# numbers are the measurement; compare them with the published GAN baselines on this ring —
# 6.3 modes / 98.2 % HQ (PacGAN) and 1 mode / 99.3 % HQ (VEEGAN), both with other networks and
# far longer training.
#
# **The grid** is not trained here: its 25 modes need the command line's 6,000 steps of batch 512
# (`python -m minigan train gan --data grid`), several minutes on a CPU, beyond this notebook's
# budget. The metric on grid data is shown above; exercise 3 trains it.
#
# ### In the lab
#
# The same, live in the browser and computed by minigan: the ring with the minimax loss
# (GAN-4). Step D and G by hand and watch D(G(z)) and the arrows −∇ₓ of G's loss.
# From a terminal: `python -m minigan lab`.

# %%
import minigan.lab

minigan.lab.show(data="ring", algorithm="gan", generator_loss="minimax")

# %% [markdown]
# ## 5. A mode collapse, caught by the metric [GAN-HARD]
#
# The lecture's list of why GANs are hard to train: vanishing gradients (section 3), instability,
# and **mode collapse** — G puts all its samples on a few modes, D learns to reject them there, G
# jumps to another mode, and so on. Take ReLU networks instead of the recipe's: the MLPs of
# `mlp_generator` (ReLU) and `mlp_discriminator` (LeakyReLU), 3 × 256 units each, z of 16, with
# DCGAN's Adam (2e-4 for both, β₁ = 0.5), batches of 256 and no learning-rate decay — the recipe
# uses `gan_mlps` because of what follows. Same training loop; besides modes and HQ, we record
# which mode each of the 2,500 samples is nearest to.

# %%
n_collapse = steps(800, 50)
minigan.manual_seed(0)
relu_g, relu_d = mlp_generator(16, 2), mlp_discriminator(2)
print(relu_g, relu_d, sep="\n")
relu_gan = GAN(relu_g, relu_d, make_optimizer("adam", relu_g.parameters(), 2e-4, (0.5, 0.999)),
               make_optimizer("adam", relu_d.parameters(), 2e-4, (0.5, 0.999)), latent_dim=16)
collapse_history, collapse_samples = train_2d(relu_gan, ring, n_collapse, batch_size=256,
                                              every=steps(n_collapse // 32, 2), snapshots=(n_collapse,))
print(" step   modes   HQ      share of the samples nearest each mode 0 … 7")
for h in collapse_history[3::4]:
    print(f"{h['step']:5d}   {h['modes']}/8   {h['hq']:5.1%}   {np.round(h['nearest'], 2)}")
most = [int(h["nearest"].argmax()) for h in collapse_history]
print("the most populated mode at each measurement:", most)
print(f"over the {len(collapse_history)} measurements: at most {max(h['modes'] for h in collapse_history)}/8 modes captured, "
      f"at most {max(h['hq'] for h in collapse_history):.1%} high quality")
print("largest share of one mode: min over the measurements",
      f"{min(h['nearest'].max() for h in collapse_history):.2f}, median {np.median([h['nearest'].max() for h in collapse_history]):.2f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), gridspec_kw={"width_ratios": [1.3, 1.3, 1]}, layout="constrained")
for ax, (history, name) in zip(axes[:2], ((collapse_history, "ReLU MLPs"), (ring_history, "the recipe (gan_mlps)"))):
    shares = np.array([h["nearest"] for h in history])
    image = ax.imshow(shares.T, aspect="auto", origin="lower", cmap="viridis", vmin=0, vmax=1,
                      extent=(history[0]["step"], history[-1]["step"], -0.5, 7.5))
    ax.set_xlabel("generator iteration")
    ax.set_ylabel("nearest mode")
    ax.set_title(name)
    ax.grid(False)
fig.colorbar(image, ax=axes[1], label="share of the samples")
x = collapse_samples[n_collapse]
axes[2].scatter(x[:, 0], x[:, 1], s=2, alpha=0.3)
axes[2].scatter(ring.centers[:, 0], ring.centers[:, 1], marker="x", color="red", s=30)
axes[2].set_xlim(-1.6, 1.6)
axes[2].set_ylim(-1.6, 1.6)
axes[2].set_aspect("equal")
axes[2].set_title(f"ReLU G at step {n_collapse}")
plt.show()
metric_curves(collapse_history, "ring, ReLU MLPs")

# %% [markdown]
# The share heat map shows the collapse directly: for the ReLU networks each column is dominated
# by one or two rows, and the bright row changes over training — G hops from mode to mode instead of
# covering them (the printed list of most populated modes). The mode metric raises the alarm: at
# most one mode captured at any measurement, and almost no HQ samples, because the collapsed cloud
# is also too wide to lie within 3σ of the mode it sits on. The recipe's networks (middle)
# spread their samples evenly over the 8 modes.
#
# One caution: "few modes, few HQ samples" alone does not say *which* failure it is — a G that
# spread its samples thinly over the whole plane would score the same. The nearest-mode shares
# (or a scatter plot) tell a collapse from a blur; that is why we recorded them.
#
# ## 6. Digits with a DCGAN
#
# For images the recipe builds the DCGAN networks (Radford et al.): a generator of transposed
# convolutions with batch normalization and ReLU, ending in tanh; a discriminator of strided
# convolutions with LeakyReLU(0.2). Batch norm and a spherical (normal) z are the lecture's tips
# for stable training [GAN-HARD]; every weight starts from N(0, 0.02²) (`dcgan_init`). The data are scikit-learn's 1,797 8×8 digits, scaled to [−1, 1].
# Two metrics, both from a small classifier trained on the digits (`minigan.metrics_classifier`):
# the **class histogram** of the samples (a collapsed G misses classes) and the **Fréchet distance**
# between classifier features of fakes and reals (the recipe of FID, with this classifier in
# place of Inception); its scale is set by the distance between two halves of the real data.

# %%
digits = images.digits()
print(digits)
minigan.manual_seed(0)
n_digits = steps(800, 20)
drecipe = recipes.gan(digits, steps=n_digits)
dcgan = drecipe.algorithm
print(dcgan.generator)
print(dcgan.discriminator)
print({k: drecipe.config[k] for k in ("lr", "lr_d", "betas", "batch_size", "latent_dim")})
real_images = digits.images
fd_real = digits_frechet_distance(real_images[:898], real_images[898:1796])
print(f"Fréchet distance between two halves of the real digits: {fd_real:.2f}")

# %%
batches = DataLoader(digits, drecipe.batch_size, seed=0).forever()
check_every = max(1, n_digits // 4)
digits_log = []
start = time.perf_counter()
with threadpool_limits(1):
    for step in range(1, n_digits + 1):
        stats = dcgan.step(batches)
        if step % check_every == 0:
            fake_images = dcgan.sample(1000)
            fd = digits_frechet_distance(fake_images, real_images[:1000])
            digits_log.append((step, fd, class_histogram(fake_images)))
            print(f"step {step:5d}: Fréchet distance {fd:7.2f}, D(x) {stats['D(x)']:.3f}, D(G(z)) {stats['D(G(z))']:.3f}, "
                  f"classes {digits_log[-1][2]}")
print(f"{n_digits} steps in {time.perf_counter() - start:.0f} s;  real vs real: {fd_real:.2f}")

# %%
fake = dcgan.sample(64).numpy()
counts = digits_log[-1][2]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), gridspec_kw={"width_ratios": [1, 1, 1.3]})
axes[0].imshow(image_grid(real_images[:64]), cmap="gray", vmin=0, vmax=1)
axes[0].set_title("real digits")
axes[1].imshow(image_grid(fake), cmap="gray", vmin=0, vmax=1)
axes[1].set_title(f"G(z) after {n_digits} steps")
for ax in axes[:2]:
    ax.axis("off")
axes[2].bar(range(10), counts, color="C0", label="1000 samples of G")
axes[2].plot(range(10), class_histogram(real_images[:1000]), "k_", ms=14, mew=2, label="1000 real digits")
axes[2].set_xticks(range(10))
axes[2].set_xlabel("class predicted by the digits classifier")
axes[2].legend(fontsize=8)
plt.tight_layout()
plt.show()
print("class histogram of 1000 samples:", counts, f"  classes present: {(counts > 0).sum()}/10")

# %% [markdown]
# The Fréchet distance falls over training (the printed log); compare its last value with the
# real-vs-real distance, the level at which two samples of the true distribution differ. The
# histogram shows whether every digit is generated: a collapsed G would leave bars empty (early
# in training, the printed class counts are far from uniform).
#
# ## Summary
#
# * [GAN-1] A generator is a learned transform of the prior: `sample_noise` draws z (normal, the
#   "spherical z", or uniform), `GAN.sample` returns G(z).
# * [GAN-2, GAN-6] `value` is V(D, G) in logits; with D* from `optimal_discriminator`, V = −log 4
#   when p_g = p_data, and V(D*, G_μ) ≥ −log 4 otherwise (Monte Carlo and quadrature agree);
#   D* maximizes V for a fixed G. [GAN-3] `discriminator_loss` = −V.
# * [GAN-4, GAN-5] ∂loss/∂logit is −D(G(z)) for the minimax loss and −(1 − D(G(z))) for the
#   non-saturating one: when D rejects the fakes, only the second leaves G a gradient — on the
#   networks too.
# * [GAN-HARD] The ring's mode metrics (modes captured, % within 3σ) separate a GAN that covers the
#   ring from one that collapses and hops between modes; the networks and their settings decide
#   which one we get.
# * A DCGAN on 8×8 digits, judged by a class histogram and a classifier-feature Fréchet distance.
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw bce_with_logits discriminator_loss minimax_generator_loss non_saturating_generator_loss` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw bce_with_logits discriminator_loss minimax_generator_loss non_saturating_generator_loss`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("bce_with_logits", my_function)`.
# The questions below are experiments with this notebook's code.
#
# 1. Train the ring GAN of section 4 with `generator_loss="minimax"`. Print D(G(z)) over the first
#    hundred steps: does training start, and how do the metrics end up?
# 2. Algorithm 1 has a k. Rerun section 4 with k = 5 (`GAN(..., k=5)`), same number of generator
#    iterations. What happens to D(x), D(G(z)) and the modes? How much longer does it take?
# 3. Train the grid: `python -m minigan train gan --data grid` (6,000 steps, written to
#    runs/gan-grid), then `python -m minigan evaluate runs/gan-grid`. How many of the 25 modes, how
#    many HQ samples? Compare with the published 17.3 modes / 94.8 % (PacGAN) and 3.3 / 0.5 % (VEEGAN).
# 4. The runs of sections 4 and 5 differ in G (tanh 3 × 128 vs ReLU 3 × 256), D's depth, z's size,
#    the learning rates, the batch and the decay. Change one at a time, starting with G's
#    activation: which change causes the collapse?
# 5. Show, with pencil and paper, that for a fixed G, D*(x) = p_data / (p_data + p_g) maximizes
#    p_data(x) log D + p_g(x) log(1 − D) pointwise; then derive V(D*, G) = −log 4 + 2·JSD.
