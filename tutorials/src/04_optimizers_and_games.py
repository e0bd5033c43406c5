# Source of tutorials/04_optimizers_and_games.ipynb (build it with: python tutorials/build_notebooks.py 04).

# %% [markdown]
# # 04 · Optimizers, and why games are harder than minimization
#
# Part 2 of the lecture ("Training GANs") puts two facts side by side. The optimizers that train a
# network — gradient descent, RMSProp, Adam — are built to **minimize**. A GAN is a **game**:
# min_G max_D V(D, G) [GAN-2], and on a game gradient descent can circle the equilibrium forever.
# Optimistic mirror descent fixes this on bilinear games, and Optimistic Adam carries the idea to WGANs.
#
# This notebook: the update rules as the slides print them, next to minigan's code, checked step
# by step; then the bilinear game min_x max_y xy, where simultaneous GD spirals out and OMD
# converges; then the toy GAN of the optimism paper (Daskalakis et al., ICLR 2018).

# %%
import inspect

import numpy as np

import minigan
from minigan import optim
from minigan.games import distance_to_equilibrium, play, run_bilinear, run_mean_game, running_mean
from minigan.viz.games import COLORS, LABELS, bilinear_figure, mean_game_figure

import matplotlib.pyplot as plt
from _quick import setup, steps

setup()

# %% [markdown]
# ## 1. The update rules, slide by slide
#
# With g_t = ∇_θ f_t(θ_{t−1}) the gradient at step t:
#
# | ID | rule |
# |---|---|
# | **OPT-GD** | θ_{t+1} = θ_t − η ∇_{θ,t}  (the player that maximizes: w_{t+1} = w_t + η ∇_{w,t}) |
# | **OPT-RMSPROP** | v_t = α v_{t−1} + (1 − α) g_t²;  θ_t = θ_{t−1} − lr · g_t / (√v_t + ε) |
# | **OPT-ADAM** | m_t = β₁ m_{t−1} + (1 − β₁) g_t;  v_t = β₂ v_{t−1} + (1 − β₂) g_t²;  m̂_t = m_t/(1 − β₁ᵗ);  v̂_t = v_t/(1 − β₂ᵗ);  θ_t = θ_{t−1} − α m̂_t/(√v̂_t + ε) |
# | **OPT-OADAM** | the same m̂_t, v̂_t, then θ_t = θ_{t−1} − 2η m̂_t/(√v̂_t + ε) + η m̂_{t−1}/(√v̂_{t−1} + ε) |
# | **OPT-OMD** | θ_{t+1} = θ_t − 2η ∇_{θ,t} + η ∇_{θ,t−1} |
#
# Each minigan optimizer writes its rule in one method, `update(p, g, state, group)`, with the ID
# beside the line (g is already −∇ for a player with `maximize=True`):

# %%
for optimizer in (optim.SGD, optim.RMSProp, optim.Adam, optim.OptimisticAdam, optim.OptimisticSGD):
    print(f"# ---- {optimizer.__name__}.update")
    print(inspect.getsource(optimizer.update))

# %% [markdown]
# Adam's moments are shared with Optimistic Adam, in one function:

# %%
print(inspect.getsource(optim.adam.adam_moments))

# %% [markdown]
# ### Two steps by hand against minigan
#
# Take two gradients g₁, g₂ (random, for three parameters), write the slide formulas in NumPy, and
# compare with what the optimizers do when they are handed the same gradients. A few facts fall out
# of the formulas: Adam's first step is m̂₁/√v̂₁ = g₁/|g₁|, i.e. α in every coordinate; RMSProp
# (no bias correction, v₁ = 0.01 g₁²) starts with lr · g₁/(0.1|g₁|) = **10·lr**; Optimistic Adam and
# OMD, whose look-back term is zero at t = 1, start with **twice** the plain step.

# %%
rng = np.random.default_rng(0)
g1, g2 = rng.standard_normal(3), rng.standard_normal(3)
lr, eps, alpha, (beta1, beta2) = 0.1, 1e-8, 0.99, (0.9, 0.999)

# the slides' formulas, two steps from θ_0 = 0 (step t uses g_t)
v1 = (1 - alpha) * g1 ** 2
v2 = alpha * v1 + (1 - alpha) * g2 ** 2
m1, s1 = (1 - beta1) * g1, (1 - beta2) * g1 ** 2
m2, s2 = beta1 * m1 + (1 - beta1) * g2, beta2 * s1 + (1 - beta2) * g2 ** 2
adam_dir1 = (m1 / (1 - beta1)) / (np.sqrt(s1 / (1 - beta2)) + eps)               # m̂_1 / (√v̂_1 + ε)
adam_dir2 = (m2 / (1 - beta1 ** 2)) / (np.sqrt(s2 / (1 - beta2 ** 2)) + eps)     # m̂_2 / (√v̂_2 + ε)
by_hand = {
    "SGD": [-lr * g1, -lr * g1 - lr * g2],
    "RMSProp": [-lr * g1 / (np.sqrt(v1) + eps), -lr * g1 / (np.sqrt(v1) + eps) - lr * g2 / (np.sqrt(v2) + eps)],
    "Adam": [-lr * adam_dir1, -lr * adam_dir1 - lr * adam_dir2],
    "OptimisticAdam": [-2 * lr * adam_dir1, -2 * lr * adam_dir1 - 2 * lr * adam_dir2 + lr * adam_dir1],
    "OptimisticSGD": [-2 * lr * g1, -2 * lr * g1 - 2 * lr * g2 + lr * g1],
}

for name, expected in by_hand.items():
    theta = minigan.tensor(np.zeros(3), requires_grad=True)
    opt = getattr(optim, name)([theta], lr=lr)
    got = []
    for g in (g1, g2):
        theta.grad = minigan.tensor(g)          # hand the optimizer this gradient
        opt.step()
        got.append(theta.numpy().copy())
    error = max(np.abs(a - b).max() for a, b in zip(got, expected))
    print(f"{name:15s} θ_1 = {np.round(got[0], 4)}   θ_2 = {np.round(got[1], 4)}   max |minigan − slide| = {error:.1e}")
print("sign(g1) =", np.sign(g1), "(Adam's first step is −α·sign(g1); RMSProp's −10·lr·sign(g1))")

# %% [markdown]
# ### Side by side on a narrow valley
#
# Minimize f(θ) = ½ (θ₁² + 100 θ₂²) from (−3, 1): the curvature is 100 times larger across the
# valley than along it. Plain gradient descent must keep η < 2/100 or it diverges across the
# valley, and with such an η it crawls along θ₁ (θ₁ shrinks by 1 − η per step). RMSProp and Adam
# divide each coordinate by its own gradient scale, so both coordinates move at the same pace.
# (The learning rates are chosen for the picture; Optimistic Adam gets half of Adam's because its
# steps are about twice as long.)

# %%
def f(theta):
    return 0.5 * (theta[0] ** 2 + 100 * theta[1] ** 2)


def descend(optimizer, n_steps, **options):
    """Minimize f with a minigan optimizer; returns the path (n_steps + 1, 2)."""
    theta = minigan.tensor(np.array([-3.0, 1.0]), requires_grad=True)
    opt = optimizer([theta], **options)
    path = [theta.numpy().copy()]
    for _ in range(n_steps):
        opt.zero_grad()
        f(theta).backward()
        opt.step()
        path.append(theta.numpy().copy())
    return np.array(path)


n_valley = steps(100, 60)
race = {"SGD, η = 0.019": descend(optim.SGD, n_valley, lr=0.019),
        "RMSProp, lr = 0.03": descend(optim.RMSProp, n_valley, lr=0.03),
        "Adam, α = 0.1": descend(optim.Adam, n_valley, lr=0.1),
        "Optimistic Adam, η = 0.05": descend(optim.OptimisticAdam, n_valley, lr=0.05)}

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
grid1, grid2 = np.meshgrid(np.linspace(-3.5, 1, 200), np.linspace(-1.3, 1.3, 200))
left.contour(grid1, grid2, 0.5 * (grid1 ** 2 + 100 * grid2 ** 2), levels=np.geomspace(0.01, 100, 12), colors="grey", linewidths=0.5)
for name, path in race.items():
    left.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=0.8, label=name)
    right.semilogy([f(p) for p in path], label=name)
left.plot(0, 0, "*", color="gold", mec="black", ms=12)
left.set_xlabel("θ₁")
left.set_ylabel("θ₂")
left.legend(fontsize=7)
right.set_xlabel("step")
right.set_ylabel("f(θ)")
right.legend(fontsize=7)
fig.suptitle("f(θ) = ½ (θ₁² + 100 θ₂²)")
plt.show()
for name, path in race.items():
    print(f"{name:26s} f after {n_valley} steps: {f(path[-1]):.2e}")

# %% [markdown]
# ## 2. The bilinear game: GD cycles, OMD converges
#
# The smallest game: **min_x max_y V(x, y) = x·y**, equilibrium (0, 0). The gradients are
# ∇_x V = y and ∇_y V = x, and the lecture compares:
#
# * **[OPT-GD]** simultaneous gradient descent/ascent: x_{t+1} = x_t − η y_t,  y_{t+1} = y_t + η x_t;
# * alternating GD: the same, but y answers the *new* x_{t+1};
# * **[OPT-OMD]** optimistic mirror descent with predictor M_{t+1} = ∇_t:
#   x_{t+1} = x_t − 2η y_t + η y_{t−1},  y_{t+1} = y_t + 2η x_t − η x_{t−1}.
#
# `minigan.games` plays the game with minigan's own optimizers (SGD for GD, `OptimisticSGD` for
# OMD), the maximizer with `maximize=True`:

# %%
print(inspect.getsource(play))

# %%
paths = {d: run_bilinear(d, steps=1000, lr=0.1, start=(1.0, 1.0)) for d in ("gd", "alt-gd", "omd")}
published = {"gd": (1.49, 2.33, 204.7), "alt-gd": (1.37, 1.39, 1.40), "omd": (1.36, 0.86, 0.0089)}
print("‖(x_t, y_t)‖ from (1, 1), η = 0.1      t = 10    t = 100    t = 1000   (reference)")
for d, path in paths.items():
    norms = distance_to_equilibrium(path)[[10, 100, 1000]]
    print(f"{LABELS[d]:28s} " + "  ".join(f"{n:9.4g}" for n in norms) + f"   {published[d]}")

fig = bilinear_figure(paths, lr=0.1)
plt.show()

# %% [markdown]
# ### Why: the eigenvalues of one step
#
# Write z = (x, y). One step of each dynamics is a linear map, and its eigenvalues decide
# everything:
#
# * simultaneous GD: z_{t+1} = (I − ηA) z_t with A = [[0, 1], [−1, 0]] (the vector field (y, −x)):
#   eigenvalues 1 ± iη, of modulus √(1 + η²) > 1 — an outward spiral, ‖z_t‖ = √2 (1 + η²)^{t/2};
# * alternating GD: x_{t+1} = x_t − η y_t, y_{t+1} = y_t + η x_{t+1}: determinant 1, eigenvalues on
#   the unit circle — a closed orbit;
# * OMD remembers one step, so its map acts on (z_t, z_{t−1}): [[I − 2ηA, ηA], [I, 0]].

# %%
eta = 0.1
A = np.array([[0.0, 1.0], [-1.0, 0.0]])
I2 = np.eye(2)
maps = {"gd": I2 - eta * A,
        "alt-gd": np.array([[1.0, -eta], [eta, 1.0 - eta ** 2]]),
        "omd": np.block([[I2 - 2 * eta * A, eta * A], [I2, np.zeros((2, 2))]])}
for d, M in maps.items():
    radius = np.abs(np.linalg.eigvals(M)).max()
    print(f"{LABELS[d]:20s} spectral radius {radius:.6f}   ‖z_0‖ · radius^1000 = {np.sqrt(2) * radius ** 1000:.4g}"
          f"   (measured ‖z_1000‖ = {distance_to_equilibrium(paths[d])[-1]:.4g})")

# %% [markdown]
# For simultaneous GD the bound is exact, √2 (1 + η²)⁵⁰⁰ = 204.7. OMD's spectral radius is below 1:
# the last iterate converges, about 0.5 % closer per step at η = 0.1. The look-back term +η∇_{t−1}
# (a "negative momentum") is what pulls the spiral in.
#
# ## 3. The toy GAN of the optimism paper
#
# Data x ~ N(v, I) with v = (3, 4); a linear critic D(x) = ⟨w, x⟩ and a generator G(z) = z + θ.
# With expected gradients the WGAN objective [WGAN-3] is
#
# $$\min_\theta \max_w\; \mathbb E_x D(x) - \mathbb E_z D(G(z)) = \langle w, v\rangle - \langle w, \theta\rangle,$$
#
# a bilinear game in (θ − v, w) with its equilibrium at θ = v, w = 0. The authors' notebook runs
# T = 1000 iterates from w₀ = 1.4·𝟙, θ₀ = 1.7·𝟙 with η = 0.1: GD with the critic clipped to [−1, 1]
# (WGAN's weight clipping) and OMD. `run_mean_game` reproduces both (the docstring explains the
# step counts 999 and 998 and OMD's first step):

# %%
gd = run_mean_game("gd", steps=999, lr=0.1, clip=1.0)
omd = run_mean_game("omd", steps=998, lr=0.1, first_step="single")
print("GD, clipped critic : last θ =", gd.theta[-1].round(8), "  mean θ =", running_mean(gd.theta)[-1].round(8),
      "  last w =", gd.w[-1].round(3))
print("    reference      : last θ = [3.48000545 5.07760794]   mean θ = [3.01224287 3.98588748]")
print("OMD                : last θ =", omd.theta[-1].round(8), "  last w =", omd.w[-1].round(4))
print("    reference      : last θ = [2.99125639 3.98489638]")

fig = mean_game_figure({"gd": gd, "omd": omd}, lr=0.1)
plt.show()

# %% [markdown]
# GD's last θ keeps orbiting v (its *average* converges — the classic remedy is to average the
# iterates); OMD's last iterate converges. Without the clipping, GD spirals out:

# %%
unclipped = run_mean_game("gd", steps=999, lr=0.1)
print("GD, no clipping: last θ =", unclipped.theta[-1].round(1), "(the authors' notebook: ≈ [−270, −351])")

# %% [markdown]
# ## 4. Adam and Optimistic Adam on the game
#
# Optimistic Adam [OPT-OADAM] is the paper's proposal for WGANs on images. On the bilinear game,
# with the β = (0.5, 0.9) of its CIFAR-10 experiments, neither it nor Adam reaches the equilibrium:
# Adam divides the step by √v̂, so near (0, 0) the steps do not shrink with the gradient, and both
# settle on an orbit whose radius grows with the learning rate. The convergence theorem is about OMD.

# %%
def play_adam(optimizer, n_steps, lr, betas=(0.5, 0.9)):
    """min_x max_y x·y from (1, 1) with two minigan optimizers taking simultaneous steps."""
    x = minigan.tensor(np.array(1.0), requires_grad=True)
    y = minigan.tensor(np.array(1.0), requires_grad=True)
    opt_x, opt_y = optimizer([x], lr=lr, betas=betas), optimizer([y], lr=lr, betas=betas, maximize=True)
    path = [(x.item(), y.item())]
    for _ in range(n_steps):
        x.grad = y.grad = None
        (x * y).backward()                                           # ∇ at (x_t, y_t) for both players
        opt_x.step()
        opt_y.step()
        path.append((x.item(), y.item()))
    return np.array(path)


n_adam = steps(4000, 600)
print(f"radius of the last {n_adam // 2} steps (min … max)   lr = 0.1        lr = 0.03       lr = 0.01")
for name, optimizer in (("adam", optim.Adam), ("oadam", optim.OptimisticAdam)):
    tails = [distance_to_equilibrium(play_adam(optimizer, n_adam, lr))[n_adam // 2:] for lr in (0.1, 0.03, 0.01)]
    print(f"{LABELS[name]:36s}" + "".join(f"{t.min():6.3f} … {t.max():5.3f} " for t in tails))

lr_game = 0.01
curves = {"adam": play_adam(optim.Adam, n_adam, lr_game), "oadam": play_adam(optim.OptimisticAdam, n_adam, lr_game),
          "omd": run_bilinear("omd", steps=n_adam, lr=lr_game)}
fig, ax = plt.subplots()
for d, path in curves.items():
    ax.semilogy(distance_to_equilibrium(path), color=COLORS[d], lw=1, label=f"{LABELS[d]}, lr = {lr_game}")
ax.semilogy(distance_to_equilibrium(run_bilinear("omd", steps=n_adam, lr=0.1)), "--", color=COLORS["omd"], lw=1,
            label=f"{LABELS['omd']}, lr = 0.1")
ax.set_ylim(1e-3, 5)
ax.set_xlabel("step t")
ax.set_ylabel("‖(x_t, y_t)‖")
ax.set_title("min_x max_y x·y from (1, 1); Adams with β = (0.5, 0.9)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ### In the lab
#
# The same, live in the browser and computed by minigan: the games tab, with simultaneous GD,
# alternating GD, OMD and Optimistic Adam on x·y side by side and η on a slider.
# From a terminal: `python -m minigan lab`.

# %%
import minigan.lab

minigan.lab.show(tab="games", game="bilinear")

# %% [markdown]
# ## Summary
#
# * Each optimizer's `update` is its slide formula line for line ([OPT-GD], [OPT-RMSPROP],
#   [OPT-ADAM], [OPT-OADAM], [OPT-OMD]); two steps by hand agree to rounding.
# * RMSProp without bias correction starts with steps of 10·lr; Adam with steps of α; the optimistic
#   methods with twice their plain step.
# * On min_x max_y xy simultaneous GD spirals out (spectral radius √(1 + η²)), alternating GD orbits
#   (radius 1), OMD converges (radius < 1): ‖z₁₀₀₀‖ ≈ 204.7, 1.40 and 0.009 from (1, 1) at η = 0.1.
# * On the optimism paper's toy GAN, clipped GD orbits around v = (3, 4) while its average converges;
#   OMD's last iterate converges.
# * Adam-type methods stall on a small orbit around the equilibrium of the bilinear game (its radius
#   grows with the learning rate): their normalised steps do not shrink. OMD keeps converging.
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw sgd_momentum_step rmsprop_step adam_step optimistic_adam_step omd_bilinear` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw sgd_momentum_step rmsprop_step adam_step optimistic_adam_step omd_bilinear`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("sgd_momentum_step", my_function)`.
# The questions below are experiments with this notebook's code.
#
# 1. Simultaneous GD's radius grows by √(1 + η²) per step. For which η does OMD converge on x·y?
#    Scan η with the eigenvalues of section 2, then check with `run_bilinear("omd", lr=η)`.
# 2. Replace OMD's predictor M_{t+1} = ∇_t by M_{t+1} = 0. Which dynamics of this notebook do you get?
# 3. Run `run_mean_game("omd", 998, first_step="double")`. How far is its last θ from the reference,
#    and why (read the docstring of `minigan/optim/optimistic.py`)?
# 4. With `optim.Adam(..., betas=(0.0, 0.999))` on x·y, does the orbit shrink? What does β₁ = 0 make
#    of Adam (compare with RMSProp)?
# 5. Take two Adam steps on f(θ) = θ² from θ = 1 with a pencil and compare with `optim.Adam`
#    (`docs/exercises.md`, exercise 7; the tests are in `tests/optim/`).
