# Source of tutorials/10_more_gan_variants.ipynb (build it with: python tutorials/build_notebooks.py 10).

# %% [markdown]
# # 10 · More GAN variants
#
# The lecture's slide "GAN variants (> 100)" names DCGAN, the conditional GAN, ALI, the adversarial
# autoencoder, EBGAN, WGAN, BEGAN and the Bayesian GAN. DCGAN, WGAN and BEGAN have their notebooks
# (05–07), and 09 the conditional GAN and the adversarial autoencoder; this one takes the other three, each with its formula (`docs/lecture/FORMULAS.md` §5), a run on
# data small enough to train here, and the figure that shows what the variant is for:
#
# * **EBGAN** (VAR-EBGAN-1, VAR-EBGAN-2): the autoencoder discriminator that BEGAN refines, with a
#   margin instead of BEGAN's controller, and the pulling-away term against mode collapse;
# * **ALI / BiGAN** (VAR-ALI): a GAN that also learns the inverse map z = E(x), by judging pairs (x, z);
# * **the Bayesian GAN** (VAR-BAYES-1, VAR-BAYES-2): many generators, samples of a posterior over the
#   weights, moved by SGHMC.

# %%
import time

import numpy as np
from _quick import setup, steps
from IPython.display import display
from threadpoolctl import threadpool_limits

import minigan
from minigan import metrics, optim
from minigan.data import DataLoader, toy2d
from minigan.data.images import digits
from minigan.gan import recipes
from minigan.gan.ebgan import margin_loss, pulling_away
from minigan.viz import variants
from minigan.viz.gan import scatter_2d

setup()
threadpool_limits(1)  # as `python -m minigan train` (--threads 1): small products run fastest on one thread


def train(recipe, data, n_steps, every=None):
    """Run `n_steps` of the recipe's algorithm on `data`; returns the logged figures of every step."""
    batches = DataLoader(data, recipe.batch_size, seed=0).forever()
    start, rows = time.perf_counter(), []
    for step in range(1, n_steps + 1):
        rows.append({"step": step, **recipe.algorithm.step(batches)})
    print(f"{n_steps} steps in {time.perf_counter() - start:.0f} s")
    return rows


# %% [markdown]
# ## 1 · EBGAN: the energy-based GAN
#
# EBGAN's discriminator is an autoencoder — BEGAN's (`minigan.gan.began_models`) — and its
# reconstruction error is an **energy**, low on the data and high elsewhere [VAR-EBGAN-1]:
#
# D(x) = ‖Dec(Enc(x)) − x‖,  L_D = D(x) + [m − D(G(z))]⁺,  L_G = D(G(z)).
#
# D lowers the energy of real samples and raises that of the fakes — but only up to the **margin m**:
# a fake already at energy ≥ m gets no gradient. (BEGAN keeps the autoencoder and replaces the fixed
# margin with its controller k_t.) G lowers its samples' energy, and the **pulling-away term**
# [VAR-EBGAN-2], added to L_G with weight 0.1, pushes apart the encoder's codes S of a generated batch:
#
# f_PT(S) = 1/(N(N−1)) Σ_i Σ_{j≠i} (S_iᵀ S_j / (‖S_i‖ ‖S_j‖))².
#
# minigan's energy is the mean squared error per coordinate (`energy="mse"`; "norm" is the paper's
# ‖·‖), so m is on that scale. The two formulas, against a loop over the pairs and by hand:

# %%
codes = minigan.randn(5, 3, dtype="float64")
s = codes.numpy()
loop = sum((s[i] @ s[j] / np.linalg.norm(s[i]) / np.linalg.norm(s[j])) ** 2
           for i in range(5) for j in range(5) if i != j) / (5 * 4)
print(f"f_PT: minigan {pulling_away(codes).item():.6f}, loop over pairs i ≠ j {loop:.6f}")
print("parallel codes:", pulling_away(minigan.tensor(np.outer([1.0, 2, -3], [1.0, 0.5]))).item(), "(all cosines ±1)")
energy_real, energy_fake = minigan.tensor([0.2, 0.1]), minigan.tensor([0.1, 0.9])
print("L_D with m = 0.5:", margin_loss(energy_real, energy_fake, 0.5).item(),
      "= mean(0.2, 0.1) + mean([0.5 − 0.1]⁺, [0.5 − 0.9]⁺) =", 0.15 + (0.4 + 0) / 2)

# %% [markdown]
# **A run on the ring** (the recipe of `python -m minigan train ebgan --data ring`: the GAN's tanh
# generator, an autoencoder 2 → 256 → 256 → 8 → 256 → 256 → 2 with LeakyReLU units, m = 0.5). The
# energies over training show the paper's equilibrium (Theorem 2): both settle at one value below m,
# and L_D at m.

# %%
minigan.manual_seed(0)
ring = toy2d.ring()
recipe = recipes.ebgan(ring, steps=steps(4000, 150))
rows = train(recipe, ring, recipe.steps)
display(variants.energy_curves(rows, recipe.algorithm.margin))
samples = recipe.algorithm.sample(2500).numpy()
modes, hq = metrics.mode_coverage(samples, ring.centers, ring.std)
display(scatter_2d(samples, ring.centers, title=f"EBGAN: {modes} of 8 modes, {100 * hq:.0f}% high quality"))

# %% [markdown]
# **Exercises** (`python -m minigan exercises start hw`, then `check hw NAME`): `ebgan_margin_loss`
# (the hinge on each fake, not on the real energy nor on the batch's mean) and `pulling_away` (squared
# cosines, the diagonal i = j left out).
#
# ## 2 · ALI / BiGAN: a GAN that also encodes
#
# The robust-manifold defense (notebook 08) and BEGAN's interpolations between real images
# (notebook 07) need the code z of a given image and find it by gradient descent on ‖G(z) − x‖².
# ALI and BiGAN learn that inverse map, an **encoder E: x → z**, beside G. The discriminator judges
# **pairs** [VAR-ALI]:
#
# min_{G,E} max_D E_x[log D(x, E(x))] + E_z[log(1 − D(G(z), z))],
#
# real data with its code against generated data with the code it came from. The two joint
# distributions can only match if E inverts G: at the optimum G(E(x)) = x, although no term asks for
# a reconstruction. D takes x and z each through its own layers, then together (ALI's joint
# discriminator); E and G descend the same objective with the labels flipped. BiGAN's E is
# deterministic (minigan's default); ALI's draws z = μ(x) + σ(x) ε (`stochastic=True`).
#
# **On the grid with z of 2** we can look at E itself: its map of the plane (each real point coloured
# by its code) and whether E(G(z)) gives z back.

# %%
minigan.manual_seed(0)
grid = toy2d.grid()
recipe = recipes.ali(grid, steps=steps(6000, 150))
rows = train(recipe, grid, recipe.steps)
ali = recipe.algorithm
points = grid.arrays[0][:3000]
display(variants.encoder_map(points, ali.encode(minigan.tensor(points)).numpy(), grid.centers,
                             title="ALI on the grid: E's map of the plane"))
z = ali.noise(2000)
back = ali.encode(ali.generate(z)).numpy()
print("E(G(z)) against z, correlation per coordinate:",
      [round(float(np.corrcoef(z.numpy()[:, k], back[:, k])[0, 1]), 3) for k in range(2)])
samples = ali.sample(2500).numpy()
modes, hq = metrics.mode_coverage(samples, grid.centers, grid.std)
print(f"samples: {modes} of 25 modes, {100 * hq:.1f}% high quality")

# %% [markdown]
# **On the digits** (`python -m minigan train ali`: z of 8, MLPs of 256 units): reconstructions
# G(E(x)) beside their inputs. They are not copies — the objective has no reconstruction term — but
# most keep the digit, which the classifier measures.

# %%
minigan.manual_seed(0)
data = digits()
recipe = recipes.ali(data, steps=steps(10000, 150))
rows = train(recipe, data, recipe.steps)
x = data.images[:16]
reconstructions = recipe.algorithm.reconstruct(minigan.tensor(x)).numpy()
display(variants.reconstruction_pairs(x, reconstructions))
from minigan.metrics_classifier import digits_classifier, predict  # noqa: E402

agree = (predict(digits_classifier(), recipe.algorithm.reconstruct(minigan.tensor(data.images)).numpy())
         == np.asarray(data.labels)).mean()
print(f"reconstructions classified as their input's digit: {100 * agree:.1f}%")

# %% [markdown]
# **Exercise** `ali_losses`: the joint discriminator's loss and E and G's, with the pair in the right
# order.
#
# ## 3 · The Bayesian GAN: a posterior over generators
#
# Mode collapse is one generator putting its mass on a few modes. The Bayesian GAN keeps **many
# generators**: samples θ_g¹ … θ_g^M of a posterior over G's weights [VAR-BAYES-1],
#
# p(θ_g | z, θ_d) ∝ Π_i D(G(z⁽ⁱ⁾; θ_g); θ_d) · p(θ_g),
# p(θ_d | z, X, θ_g) ∝ Π_i D(x⁽ⁱ⁾; θ_d) · Π_i (1 − D(G(z⁽ⁱ⁾; θ_g); θ_d)) · p(θ_d),
#
# with Gaussian priors on the weights — minus their logs are the GAN's losses plus weight decay —
# each moved by **SGHMC** [VAR-BAYES-2]: v ← (1 − α) v + η ∇ log p(θ | ·) + n, n ~ N(0, 2αη I);
# θ ← θ + v. The noise's variance 2αη is tied to the friction α so that the chain *samples* the
# posterior instead of climbing to its mode. On a posterior we know, a Gaussian of variance 0.5:

# %%
minigan.manual_seed(1)
theta = minigan.tensor(np.zeros(2000), requires_grad=True)          # 2000 independent chains
sampler = optim.SGHMC([theta], lr=0.05, alpha=0.2)
for _ in range(steps(400, 400)):
    theta.grad = minigan.tensor(theta.numpy() / 0.5)                   # ∇U(θ) = θ / 0.5, U = −log p
    sampler.step()
print(f"variance of the SGHMC draws: {theta.numpy().var():.3f} (the posterior's: 0.5; SGD would sit at 0)")

# %% [markdown]
# **On the grid**: M = 4 generators against one discriminator, each on a quarter of the batch (the
# vanilla GAN's compute), which sees the fakes of all four. The authors' code runs Adam with a small
# added gradient noise rather than the literal SGHMC (their issue #18); minigan offers both
# (`--sampler noisy-adam`, the default, and `--sampler sghmc`), and docs/results.md measures them.
# Each generator's samples in its own colour:

# %%
minigan.manual_seed(0)
recipe = recipes.bayesian_gan(grid, steps=steps(6000, 150))
rows = train(recipe, grid, recipe.steps)
parts = [p.numpy() for p in recipe.algorithm.member_samples(2500)]
display(variants.members_scatter(parts, grid.centers))
pooled = metrics.mode_coverage(np.concatenate(parts), grid.centers, grid.std)
print(f"all four: {pooled[0]} of 25 modes, {100 * pooled[1]:.1f}% high quality")
for i, part in enumerate(parts):
    modes, hq = metrics.mode_coverage(part, grid.centers, grid.std)
    print(f"  generator sample {i + 1}: {modes} modes, {100 * hq:.1f}% high quality")

# %% [markdown]
# **Exercise** `sghmc_step`: one SGHMC step, with the noise's variance 2αη (not its standard
# deviation).
