# Source of tutorials/08_adversarial_examples.ipynb (build it with: python tutorials/build_notebooks.py 08).

# %% [markdown]
# # 08 · Adversarial examples
#
# The lecture's last part turns the gradient around: instead of asking how to change θ to lower the
# loss J(θ, x, y), ask how to change the **input** x to raise it. A step of size ε along
# sign(∇ₓJ) — the fast gradient sign method [ADV-1] — turns the panda into a gibbon. Then come the
# defences and the other attacks of the slides: training on the attack's own examples [ADV-2], a
# patch that fools the classifier wherever it is pasted [ADV-3], and projecting the input onto the
# range of a GAN's generator before classifying it [ADV-4].
#
# Everything here runs on scikit-learn's 8×8 digits (1,438 training and 359 test images) with a
# small MLP, so it trains in seconds. The settings are those of `docs/results_adversarial.md`,
# `benchmarks/bench_adversarial.py` and `python -m minigan attack`.
#
# | section | slide | minigan |
# |---|---|---|
# | 1. FGSM, the triptych | [ADV-1] x_adv = x + ε sign(∇ₓJ(θ, x, y)) | `minigan/adversarial/fgsm.py` `fgsm` |
# | 2. Error against ε; BIM and PGD | [ADV-1], iterated | `bim`, `pgd` |
# | 3. Targeted attacks | [ADV-1] x − ε sign(∇ₓJ(θ, x, y_target)) | `fgsm(..., targeted=True)` |
# | 4. Adversarial training | [ADV-2] J̃ = α J(x) + (1 − α) J(x + ε sign ∇ₓJ) | `minigan/adversarial/training.py` `adversarial_loss` |
# | 5. The adversarial patch | [ADV-3] p̂ = argmax_p E log Pr(ŷ \| A(p, x, l, t)) | `minigan/adversarial/patch.py` `train_patch` |
# | 6. The manifold defense | [ADV-4] z* = argmin ‖G(z) − x‖², classify G(z*) | `minigan/adversarial/manifold.py` `manifold_defense` |

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from _quick import setup, steps
from IPython.display import display
from threadpoolctl import threadpool_limits

import minigan
from minigan import optim
from minigan.adversarial import (
    accuracy,
    adversarial_loss,
    attack_report,
    bim,
    classification_data,
    fgsm,
    loss_gradient,
    manifold_defense,
    mlp_classifier,
    patch_success_rate,
    pgd,
    predict,
    project,
    train_classifier,
    train_patch,
)
from minigan.data import ArrayDataset, DataLoader, images
from minigan.gan.gan import GAN
from minigan.gan.models import dcgan_discriminator, dcgan_generator
from minigan.viz.adversarial import error_vs_eps, patch_examples, triptych
from minigan.viz.gan import image_grid

setup()
blas = threadpool_limits(1)  # one BLAS thread, as `python -m minigan` uses: faster for these small products

# %% [markdown]
# One line of that cell needs a word: the classifiers multiply small float32 matrices, and NumPy's
# BLAS with two threads is many times slower at this on a busy machine than with one.
#
# ## 0. The data and the classifier
#
# `classification_data("digits")` gives the images in [0, 1] (minigan's datasets lie in [−1, 1],
# a tanh generator's range; (x + 1)/2 maps them), so **ε is a fraction of the pixel range**:
# ε = 0.25 is a quarter of it, as in the paper's MNIST experiments. The classifier is an MLP
# 64-128-10 trained with Adam on the cross-entropy J(θ, x, y).

# %%
x_train, y_train, x_test, y_test = classification_data("digits")
print("train", x_train.shape, "test", x_test.shape, "pixel range", (x_train.min(), x_train.max()))

epochs = steps(60, 15)
minigan.manual_seed(0)
model = mlp_classifier()
print(model)
history = train_classifier(model, (x_train, y_train), epochs)
x = minigan.tensor(x_test)
print(f"{epochs} epochs, last mean loss {history[-1]:.4f}; clean test accuracy {100 * accuracy(model, x, y_test):.1f}%")

# %% [markdown]
# ## 1. The fast gradient sign method [ADV-1]
#
# $$x_{adv} = x + \varepsilon\,\mathrm{sign}(\nabla_x J(\theta, x, y))$$
#
# One gradient with respect to the input — the same backward pass as training, stopped at x instead
# of θ — and one step of size ε in every pixel, in the direction that raises the loss. The result is
# clipped back into the valid pixel range. Goodfellow et al. explain why such a small step suffices
# with linearity: a change of ε per pixel moves an activation w·x by up to ε‖w‖₁, which grows with
# the number of pixels.

# %%
print(inspect.getsource(loss_gradient))
print(inspect.getsource(fgsm))

# %% [markdown]
# The slide's formula written out in NumPy gives exactly minigan's FGSM:

# %%
eps = 0.1
gradient = loss_gradient(model, x, y_test).numpy()                      # ∇ₓ J(θ, x, y), one per image
by_hand = np.clip(x_test + eps * np.sign(gradient), 0.0, 1.0)            # x + ε·sign(∇ₓJ), clipped to [0, 1]
x_adv = fgsm(model, x, y_test, eps)
print("max |minigan − slide| =", np.abs(x_adv.numpy() - by_hand).max())
print("max |x_adv − x| =", np.abs(x_adv.numpy() - x_test).max(), " (= ε)")

# %% [markdown]
# ### The triptych
#
# The panda slide for our digits: x with the classifier's label and confidence, the perturbation
# ε·sign(∇ₓJ) (red +ε, blue −ε), and x_adv. Shown on test images of three classes that the
# classifier gets right and FGSM gets wrong at ε = 0.1.

# %%
labels, confidences = predict(model, x)
adv_labels, adv_confidences = predict(model, x_adv)
fooled = np.flatnonzero((labels == y_test) & (adv_labels != y_test))
shown = np.array([fooled[y_test[fooled] == c][0] for c in np.unique(y_test[fooled])[:3]])   # three digits
fig = triptych(x_test[shown], x_adv.numpy()[shown], eps, labels[shown], confidences[shown], adv_labels[shown],
               adv_confidences[shown], perturbation=eps * np.sign(gradient[shown]))
display(fig)  # minigan.viz returns a matplotlib Figure
for eps_ in (0.1, 0.25):
    report = attack_report(model, fgsm(model, x, y_test, eps_), y_test)
    print(f"FGSM at ε = {eps_}: error {100 * report['error']:.1f}% of the {len(y_test)} test images, "
          f"mean confidence of the wrong labels {100 * report['confidence']:.1f}%")
print("the paper (MNIST, ε = 0.25, shallow softmax): 99.9% error, mean confidence 79.3%")

# %% [markdown]
# The panda needed ε = 0.007; an 8×8 digit needs more. With 64 pixels instead of 150,528 the sum
# ε‖w‖₁ of many tiny changes is much smaller, and at ε = 0.1 the perturbation is plainly visible on
# images this coarse. At ε = 0.25 every test digit is misclassified, and with high confidence, as in
# the paper.
#
# ## 2. Error against ε: FGSM, BIM and PGD
#
# FGSM takes one step, from a linear model of J. The iterative attacks take many small ones and
# project back after each:
#
# * **BIM** (Kurakin et al.): X₀ = X, X_{N+1} = Clip_{X,ε}{X_N + α sign(∇ₓJ(X_N, y))}, α one grey
#   level (1/255) and int(min(255ε + 4, 1.25 · 255ε)) steps;
# * **PGD** (Madry et al.): the same from a uniform random point of the ε-ball, here 40 steps of
#   α = 2.5ε/40.
#
# Both share the loop and the projection onto {‖x' − x‖∞ ≤ ε} ∩ [0, 1]:

# %%
from minigan.adversarial.fgsm import _iterate, _project  # the module: minigan.adversarial.fgsm is the function

print(inspect.getsource(_iterate))
print(inspect.getsource(_project))

# %%
epsilons = (0.0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)   # the grid of `python -m minigan attack`
attacks = {"FGSM": lambda m, eps: fgsm(m, x, y_test, eps),
           "BIM": lambda m, eps: bim(m, x, y_test, eps),
           "PGD": lambda m, eps: pgd(m, x, y_test, eps, steps=40)}
errors = {name: [attack_report(model, attack(model, e), y_test)["error"] for e in epsilons]
          for name, attack in attacks.items()}
print("error (%)   ε = " + "  ".join(f"{e:5.3f}" for e in epsilons))
for name, values in errors.items():
    print(f"{name:5s}           " + "  ".join(f"{100 * v:5.1f}" for v in values))
fig = error_vs_eps(epsilons, errors, title="MLP on 8×8 digits")
display(fig)  # minigan.viz returns a matplotlib Figure

# %% [markdown]
# The error climbs from the clean error at ε = 0 to 100% by ε = 0.25. On this small MLP the
# iterative attacks gain only a few points over FGSM, a sign that J is close to linear within the
# ε-ball: FGSM's one step already lands near the ball's worst corner. The gap opens on the robust
# model of section 4.
#
# ## 3. Targeted attacks
#
# To make the classifier answer a chosen class y_target, step **down** the loss of that class:
#
# $$x_{adv} = x - \varepsilon\,\mathrm{sign}(\nabla_x J(\theta, x, y_{target}))$$
#
# (`targeted=True` in `fgsm`, `bim` and `pgd`; `attack_report(..., targeted=True)` counts the
# images classified as their target). Here every test image is aimed at the next class, y + 1 mod 10.

# %%
target = (y_test + 1) % 10
print("targeted success (%)      ε = 0.1    ε = 0.25")
for name in ("FGSM", "BIM", "PGD"):
    attack = {"FGSM": fgsm, "BIM": bim, "PGD": pgd}[name]
    success = [attack_report(model, attack(model, x, target, e, targeted=True), target, targeted=True)["success"]
               for e in (0.1, 0.25)]
    print(f"{name:24s} " + "  ".join(f"{100 * s:8.1f}" for s in success))

# %% [markdown]
# A targeted attack has one right answer out of nine wrong ones, so it is harder than making the
# classifier err: FGSM's single step is often not enough, and the iterative attacks, which can turn
# as the gradient turns, do much better at ε = 0.25. One test digit aimed at every class with PGD:

# %%
i = shown[0]
goals = np.arange(10)
aimed = pgd(model, x[[i] * 10], goals, 0.25, steps=40, targeted=True)
aimed_labels, aimed_confidences = predict(model, aimed)
fig, axes = plt.subplots(1, 11, figsize=(11, 1.9))
axes[0].imshow(x_test[i, 0], cmap="gray", vmin=0, vmax=1)
axes[0].set_title(f"x\n“{labels[i]}” {100 * confidences[i]:.0f}%", fontsize=8)
for ax, image, goal, got, conf in zip(axes[1:], aimed.numpy(), goals, aimed_labels, aimed_confidences):
    ax.imshow(image[0], cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"aim {goal}\n“{got}” {100 * conf:.0f}%", fontsize=8, color="black" if got == goal else "red")
for ax in axes:
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("targeted PGD, ε = 0.25: the aim, the MLP's label and its confidence (red: aim missed)", fontsize=9,
             y=1.1)
plt.show()
print("aims reached:", int(np.sum(aimed_labels == goals)), "of 10")

# %% [markdown]
# ## 4. Adversarial training [ADV-2]
#
# $$\tilde J(\theta, x, y) = \alpha\,J(\theta, x, y) + (1 - \alpha)\,J(\theta,\ x + \varepsilon\,\mathrm{sign}(\nabla_x J(\theta, x, y)),\ y),\qquad \alpha = 0.5$$
#
# Every minibatch is trained on itself and on its FGSM examples, recomputed against the current θ
# at every step (and held constant: no gradient flows through the sign). The training loop is the
# plain one of section 0; only its loss changes: `train_classifier(..., loss=J̃)`.

# %%
print(inspect.getsource(adversarial_loss))

# %%
minigan.manual_seed(0)
robust = mlp_classifier()
robust_history = train_classifier(robust, (x_train, y_train), epochs,
                                  loss=lambda model, x, y: adversarial_loss(model, x, y, eps=0.25, alpha=0.5))
print(f"adversarial training, ε = 0.25, α = 0.5, {epochs} epochs: last mean J̃ {robust_history[-1]:.4f}")
print(f"clean test accuracy: plain {100 * accuracy(model, x, y_test):.1f}%, "
      f"adversarially trained {100 * accuracy(robust, x, y_test):.1f}%")

robust_errors = {name: [attack_report(robust, attack(robust, e), y_test)["error"] for e in epsilons]
                 for name, attack in attacks.items()}
print("\nerror (%)             ε = " + "  ".join(f"{e:5.3f}" for e in epsilons))
for name in attacks:
    for who, table in (("plain", errors), ("adv. trained", robust_errors)):
        print(f"{name:5s} {who:12s}      " + "  ".join(f"{100 * v:5.1f}" for v in table[name]))
for e in (0.1, 0.25):
    report = attack_report(robust, fgsm(robust, x, y_test, e), y_test)
    print(f"adv. trained, FGSM at ε = {e}: mean confidence of the wrong labels {100 * report['confidence']:.1f}%")
print("the paper (maxout network, MNIST, ε = 0.25): FGSM error 89.4% → 17.9% with adversarial training")

fig = error_vs_eps(epsilons, {"FGSM, plain": errors["FGSM"], "FGSM, adv. trained": robust_errors["FGSM"],
                              "PGD, plain": errors["PGD"], "PGD, adv. trained": robust_errors["PGD"]},
                   title="Adversarial training (ε = 0.25, α = 0.5)")
display(fig)  # minigan.viz returns a matplotlib Figure

# %% [markdown]
# Adversarial training costs under a point of clean accuracy, more than halves the FGSM error at
# ε = 0.1 and nearly halves it at ε = 0.25, and the mistakes it still makes are made with much lower
# confidence.
# It does not reach the paper's 17.9% at ε = 0.25 (a maxout network on MNIST's 784 pixels, not an
# MLP on 64). And the protection is mostly against the attack it was trained on: PGD, which FGSM
# training never saw, still fools the adversarially trained model far more often than FGSM at large ε.
#
# ## 5. The adversarial patch [ADV-3]
#
# $$\hat p = \arg\max_p\ \mathbb E_{x\sim X,\,t\sim T,\,l\sim L}\ \log \Pr(\hat y \mid A(p, x, l, t))$$
#
# Not a perturbation of one image but **one small image p** that makes the classifier answer the
# target ŷ wherever it is pasted: A(p, x, l, t) puts p, transformed by t (a rotation by k·90°, a
# flip, a rescaling to 75–100%), at location l of x. The expectation is estimated on minibatches of
# random training images, each with its own t and l, and p climbs it with Adam:

# %%
print(inspect.getsource(train_patch))

# %% [markdown]
# A 4×4 patch (25% of the image) for every target class, 500 ascent steps each; the success is the
# fraction of held-out test images of the other classes that the MLP labels ŷ once the patch is
# pasted at a random place and transformation:

# %%
patch_steps = steps(500, 60)
targets = steps(list(range(10)), [4, 0])
success = {}
for goal in targets:
    minigan.manual_seed(goal)
    patch = train_patch(model, minigan.tensor(x_train), goal, 4, steps=patch_steps)
    success[goal] = patch_success_rate(model, patch, x_test, y_test, goal)
    if goal == 4:
        patch4 = patch
print("4×4 patch, random place:  " + "  ".join(f"ŷ = {goal}: {100 * s:.1f}%" for goal, s in success.items()))

others = np.flatnonzero(y_test != 4)[:7]
with minigan.no_grad():
    patched = patch4.apply(x[others])
patched_labels, patched_confidences = predict(model, patched)
fig = patch_examples(patch4.values.detach(), patched, patched_labels, patched_confidences, 4)
display(fig)  # minigan.viz returns a matplotlib Figure

# %% [markdown]
# This is far from the paper. Brown et al.'s patches cover about 10% of a 224×224 ImageNet photo
# and take it over; here even a patch of 25% of the image fools the MLP on only a minority of the
# digits, for the best target and much less for most. `docs/results_adversarial.md` explains why:
# an 8×8 digit fills its whole frame, so a few pixels pasted at a random place mostly overwrite part
# of the digit rather than add a new, dominant feature. The optimisation is not the problem. Fix
# the place and drop the transformations (the easiest case: one location l, no t), and a 3×3 patch
# (14% of the image) goes much further for target 4 at the location the docs found best (row 3,
# column 0):

# %%
minigan.manual_seed(4)
fixed = train_patch(model, minigan.tensor(x_train), 4, 3, steps=steps(300, 60), location=(3, 0), rotate=False,
                    flip=False, scale=(1.0, 1.0))
print(f"3×3 patch at (3, 0), no rotation, flip or scaling, target 4: "
      f"success {100 * patch_success_rate(model, fixed, x_test, y_test, 4):.1f}%")

# %% [markdown]
# ## 6. The manifold defense [ADV-4]
#
# $$z^* = \arg\min_z \|G(z) - x\|^2,\qquad \hat y = f(G(z^*))$$
#
# An adversarial perturbation pushes x off the manifold of natural digits. The range of a generator
# trained on the digits stands in for that manifold: project x onto it, by gradient descent on z
# from several random starts (Defense-GAN's L steps and R restarts), and classify the projection.
# The search is `invert` of minigan.gan.interpolate (BEGAN-6), wrapped with the change of range
# between the generator's [−1, 1] and the classifier's [0, 1]:

# %%
print(inspect.getsource(project))
print(inspect.getsource(manifold_defense))

# %% [markdown]
# ### A generator of digits
#
# The defense needs G. We train the DCGAN that `python -m minigan train gan` builds for images
# (`dcgan_generator`, `dcgan_discriminator`; a 64-dimensional normal z, Adam with lr 2e-4 and
# β = (0.5, 0.999), batches of 64) on the classifier's **training** images only, so that the test
# images the defense will project were never shown to G. The command line's
# `python -m minigan train gan` runs 3,000 steps; a few hundred already give recognisable digits.

# %%
gan_steps = steps(600, 60)
digits = images.digits()
generator, discriminator = dcgan_generator(64, digits.image_shape), dcgan_discriminator(digits.image_shape)
minigan.manual_seed(0)
adam = {"lr": 2e-4, "betas": (0.5, 0.999)}
gan = GAN(generator, discriminator, optim.Adam(generator.parameters(), **adam),
          optim.Adam(discriminator.parameters(), **adam), latent_dim=64)
batches = DataLoader(ArrayDataset(x_train * 2 - 1), 64, seed=0).forever()   # [0, 1] → G's [−1, 1]
for _ in range(gan_steps):
    stats = gan.step(batches)
print(f"{gan_steps} generator steps; last step: " + ", ".join(f"{k} {v:.3f}" for k, v in stats.items()))

samples = gan.sample(500).numpy()
sample_labels, sample_confidences = predict(model, (samples + 1) / 2)
print("the MLP's labels of 500 samples, per class:", np.bincount(sample_labels, minlength=10),
      f" mean confidence {100 * sample_confidences.mean():.1f}%")
fig, ax = plt.subplots(figsize=(6, 2.0))
ax.imshow(image_grid(samples[:36], columns=12), cmap="gray", vmin=0, vmax=1)
ax.set_title(f"G(z) after {gan_steps} steps", fontsize=9)
ax.axis("off")
plt.show()

# %% [markdown]
# ### Projecting FGSM examples
#
# The attack is the undefended MLP's FGSM at ε = 0.1, where it fools about half the test images.
# As on the lecture's review slide, the attacker does not know about the defense: the gradient is
# the classifier's, not that of the whole pipeline x ↦ f(G(z*(x))). The projection uses 100 Adam
# steps from 5 random z per image (Defense-GAN uses L = 200 and R = 10, as the docs' measurement does;
# fewer keep this notebook within its time budget). Red labels are wrong.

# %%
n_defended = steps(200, 16)
projection = dict(steps=steps(100, 20), restarts=steps(5, 2))
xs, ys = x[:n_defended], y_test[:n_defended]
xs_adv = fgsm(model, xs, ys, 0.1)
defended_clean, projected_clean = manifold_defense(gan.generator, xs, model, **projection)
defended_adv, projected_adv = manifold_defense(gan.generator, xs_adv, model, **projection)
print(f"the first {n_defended} test images        undefended   manifold defense")
for what, inputs, defended in (("clean accuracy", xs, defended_clean),
                               ("accuracy on FGSM, ε = 0.1", xs_adv, defended_adv)):
    print(f"{what:35s}{100 * accuracy(model, inputs, ys):6.1f}%      {100 * np.mean(defended == ys):6.1f}%")
print("the docs (all 359 test images, a 3,000-step DCGAN, 200 steps × 10 restarts): 51.0% → 78.0%, clean 98.1% → 97.8%")

# %%
adv_predicted, _ = predict(model, xs_adv)
rows = np.flatnonzero(adv_predicted != ys)[:6]
fig, axes = plt.subplots(3, len(rows), figsize=(1.5 * len(rows), 5))
for column, j in enumerate(rows):
    panels = ((xs.numpy()[j], f"x, y = {ys[j]}", ys[j]),
              (xs_adv.numpy()[j], f"x_adv: “{adv_predicted[j]}”", adv_predicted[j]),
              (projected_adv.numpy()[j], f"G(z*): “{defended_adv[j]}”", defended_adv[j]))
    for row, (image, title, label) in enumerate(panels):
        ax = axes[row, column]
        ax.imshow(image[0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8, color="black" if label == ys[j] else "red")
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("FGSM examples (ε = 0.1) that fool the MLP, and their projections onto G's range", fontsize=9)
plt.show()

# %% [markdown]
# The projection removes most of the speckle: G cannot draw it, so G(z*) is the nearest digit G can
# draw, and the MLP labels most of those correctly. The clean accuracy drops a little: some clean
# digits, too, are projected onto a G(z*) of another class. Two caveats. G(z*) can be the nearest
# *wrong* digit, when the FGSM example lies closer to another class in G's range (red in the bottom
# row). And the defense itself was not attacked: adaptive attacks that differentiate through the
# projection, or approximate its gradient (BPDA, Athalye et al. 2018), are known to weaken defenses
# of this kind considerably; exercise 6 tries the simplest one.
#
# ## Summary
#
# * [ADV-1] FGSM is one input gradient and one sign: `fgsm` is the slide's formula plus a clip to
#   the pixel range, identical to the formula written in NumPy. On the 8×8 digits it misclassifies
#   about half the test images at ε = 0.1 and all of them at ε = 0.25, with confident wrong labels.
# * BIM and PGD iterate FGSM with a projection onto the ε-ball; on the plain MLP they add a few
#   points, as a targeted attack they add much more.
# * [ADV-2] Adversarial training on FGSM examples costs under a point of clean accuracy and about
#   halves the FGSM error (more at small ε), but leaves the model much weaker against PGD.
# * [ADV-3] The patch is trained exactly as the formula says, but on 8×8 digits a randomly placed
#   patch of 25% of the image reaches a small success rate; a fixed place does much better. The
#   paper's 10% patches live on 224×224 photos.
# * [ADV-4] Projecting onto the range of a small DCGAN restores much of the accuracy lost to FGSM
#   at ε = 0.1, for a small loss of clean accuracy — against an attacker who ignores the defense.
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw fgsm pgd adversarial_loss` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw fgsm pgd adversarial_loss`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("fgsm", my_function)`.
# The questions below are experiments with this notebook's code.
#
# 1. Goodfellow et al.'s linear explanation: for the MLP's first layer W₁, compare the largest
#    change ε‖w‖₁ of a hidden unit's input under an L∞ step of ε with the typical size of w·x.
#    How does the ratio scale with the number of pixels?
# 2. `fgsm` uses the true labels y. cleverhans uses the model's own predictions when y is not given,
#    to avoid "label leaking". Attack with `predict(model, x)[0]` as y: does the error change?
# 3. Plot the BIM error at ε = 0.1 against the number of steps (pass `steps=`, `alpha=ε/steps`).
#    When does it stop improving over FGSM?
# 4. Adversarially train with PGD examples instead of FGSM ones: pass `train_classifier` a `loss=`
#    that computes α J(x) + (1 − α) J(pgd(model, x, y, ε)) instead of `adversarial_loss`. Does the PGD curve of
#    section 4 drop, and what does it cost in time and clean accuracy?
# 5. Repeat section 6 with a generator trained for 60 steps only. What happens to the clean
#    accuracy of the defense, and why?
# 6. Attack the defense: approximate ∇ₓ f(G(z*(x))) by ∇ at G(z*) (BPDA, Athalye et al. 2018) and
#    take an FGSM step with it. How much of the defense's gain survives?
