# Source of tutorials/09_gan_variants.ipynb (build it with: python tutorials/build_notebooks.py 09).

# %% [markdown]
# # 09 · GAN variants
#
# The lecture's slide **"GAN variants (> 100)"** names eight: DCGAN, Conditional GAN, ALI, AAE,
# EBGAN, WGAN, BEGAN and the Bayesian GAN. Notebooks 05–07 taught DCGAN, WGAN and BEGAN. This
# notebook adds the variants that change what a GAN *can be asked*:
#
# * the **conditional GAN** (Mirza & Osindero 2014, §1): which digit to draw — formula **VAR-CGAN**;
# * the **adversarial autoencoder** (Makhzani et al. 2015, §2): a GAN on the *code space*, so that
#   an encoder's codes fill a prior we choose and can look at — formulas **VAR-AAE-1** and **VAR-AAE-2**.
#
# Each section goes slide → formula → code → run → figure; the exercises are at the end. The
# formulas are in `docs/lecture/FORMULAS.md` §5, and the code cites them by ID.

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from _quick import setup, steps
from IPython.display import display
from threadpoolctl import threadpool_limits

import minigan
from minigan.cli.evaluate_variants import encoder_figures as code_figures
from minigan.cli.evaluate_variants import label_figures
from minigan.data import DataLoader, labelled, toy2d
from minigan.data.images import digits
from minigan.gan import recipes
from minigan.gan.aae import AdversarialAutoencoder, prior_density, sample_mixture_prior
from minigan.gan.conditional import ConditionalGAN
from minigan.gan.models import with_label
from minigan.viz.variants import code_plane_figure, code_scatter, label_figure

setup()
threadpool_limits(1)  # as `python -m minigan train` (--threads 1): small products run fastest on one thread


def train(recipe, data, n_steps, every=None):
    """`n_steps` iterations of the recipe's algorithm on shuffled minibatches of `data` (labelled
    pairs (x, y) when the algorithm needs them); prints the logged figures `every` steps."""
    algorithm = recipe.algorithm
    dataset = labelled(data) if algorithm.needs_labels else data
    batches = DataLoader(dataset, recipe.batch_size, seed=0).forever()
    every = every or max(1, n_steps // 4)
    for step in range(1, n_steps + 1):
        stats = algorithm.step(batches)
        if step % every == 0 or step == n_steps:
            print(f"step {step:5d}  " + "  ".join(f"{k} {v:.3f}" for k, v in stats.items()))
    return algorithm


# %% [markdown]
# ## 1. The conditional GAN: a digit on request
#
# **The slide.** A GAN draws *some* sample of p_data; we cannot ask it for a "3". The conditional
# GAN gives **both players the condition y** — here a class label, one-hot:
#
# **[VAR-CGAN]** min_G max_D V = E_{x,y~p_data}[log D(x | y)] + E_{z~p_z, y}[log(1 − D(G(z | y) | y))]
#
# It is Algorithm 1 (GAN-3, GAN-5) with D(x) replaced by D(x | y) and G(z) by G(z | y). In the
# paper y is concatenated to z for G and to x (or to a hidden layer) for D. D must see y: a D(x)
# alone accepts a perfect "7" handed in as a "3", and G is then free to ignore its label.
#
# **The code.** `with_label` is the concatenation (for images y becomes K constant channels);
# `models.Conditioned` wraps a network with it, so that the DCGAN models and the MLPs take the
# condition without a second copy of themselves.

# %%
print(inspect.getsource(with_label))
print(inspect.getsource(ConditionalGAN.discriminator_step))

# %% [markdown]
# The fakes' labels y′ are drawn from p_y (uniform over the K classes), not copied from the real
# batch. The generator's step is GAN-5's non-saturating loss with the condition:

# %%
print(inspect.getsource(ConditionalGAN.generator_step))

# %% [markdown]
# **A run on the ring.** The label is the index of the mode a point was drawn from
# (`toy2d.ring().labels`); the networks and rates are the vanilla GAN's ring recipe
# (`python -m minigan train cgan --data ring`). Without labels, notebook 05 fought mode collapse;
# with them every label is a single Gaussian, an easy target.

# %%
ring = toy2d.ring()
minigan.manual_seed(0)
ring_recipe = recipes.cgan(ring, steps=steps(3000, 150))
cgan_ring = train(ring_recipe, ring, ring_recipe.steps)
display(label_figure(cgan_ring, ring))

# %% [markdown]
# Each colour is the label asked for. `evaluate` measures the share of samples within 3σ of the
# mode they were asked for, per label:

# %%
with minigan.fork_rng(1):
    ring_figures = label_figures(cgan_ring, ring, 2500)
print(f"within 3σ of the requested mode: {100 * ring_figures['label_accuracy']:.1f}%; per label:",
      np.round(ring_figures["label_accuracy_per_label"], 3))

# %% [markdown]
# **Digits on request.** On the 8×8 digits y is the class; the recipe's networks are notebook 05's
# DCGAN pair, G's first layer taking [z, y] and D's first convolution y as 10 constant channels
# beside the image (`python -m minigan train cgan`). The figure has one row per requested digit.

# %%
data = digits()
minigan.manual_seed(0)
digit_recipe = recipes.cgan(data, steps=steps(3000, 60))
cgan_digits = train(digit_recipe, data, digit_recipe.steps)
display(label_figure(cgan_digits, data))

# %% [markdown]
# The digits classifier of `minigan.metrics` reads each sample; the share it assigns to the
# requested digit is the conditional model's accuracy (the classifier itself scores about 97% on
# held-out real digits):

# %%
with minigan.fork_rng(1):
    digit_figures = label_figures(cgan_digits, data, 2000)
print(f"classified as the requested digit: {100 * digit_figures['label_accuracy']:.1f}%; per digit:",
      np.round(digit_figures["label_accuracy_per_label"], 3))

# %% [markdown]
# **Label use appears late.** Early in training the samples look like digits before they look like
# the *requested* digit: D first learns "digit or not", and only then "this digit or not".
#
# ## 2. The adversarial autoencoder: a code space you can see
#
# **The slide.** An autoencoder enc: x → z, dec: z → x̂ learns codes, but nothing says where they
# lie: sampling a code to decode is guesswork. The AAE puts a **GAN on the code space**: a
# discriminator D tells samples z′ of a chosen prior p(z) from the codes enc(x), and the encoder,
# as the generator, learns to fool it. Each minibatch runs two phases:
#
# * **[VAR-AAE-1]** reconstruction: min over enc, dec of ‖x − dec(enc(x))‖²;
# * **[VAR-AAE-2]** regularisation: D ascends log D(z′) + log(1 − D(enc(x))), z′ ~ p(z) (the
#   encoder fixed); then the encoder descends −log D(enc(x)) (D fixed).
#
# Then x = dec(z), z ~ p(z), is a generator. D sees **codes only** — a D on images would make an
# autoencoder-GAN, another model.

# %%
print(inspect.getsource(AdversarialAutoencoder.step))
print(inspect.getsource(AdversarialAutoencoder.discriminator_step))
print(inspect.getsource(AdversarialAutoencoder.generator_step))

# %% [markdown]
# **A run with the normal prior** (`python -m minigan train aae`: codes of 8 dimensions, MLPs of
# 2 × 256 units, Adam 1e-3 for every phase, all rates ÷10 after 70% of the steps so that the codes
# settle). After training, the dataset's codes should look like N(0, I): every dimension's mean near
# 0 and standard deviation near 1.

# %%
minigan.manual_seed(0)
aae_recipe = recipes.aae(data, steps=steps(4000, 100))
aae = train(aae_recipe, data, aae_recipe.steps)
figures = code_figures(aae, data)
print("code means:", np.round(figures["code_mean"], 3))
print("code stds: ", np.round(figures["code_std"], 3))
print(f"reconstruction error {figures['reconstruction_mse']:.4f} per pixel; reconstructions classified as "
      f"their input's digit: {100 * figures['reconstruction_class_agreement']:.1f}%")

# %%
x = minigan.tensor(data.images[:12])
rows = np.concatenate([data.images[:12], aae.reconstruct(x).numpy(), aae.sample(12).numpy()])
fig, ax = plt.subplots(figsize=(7, 2))
ax.imshow(np.clip((np.vstack([np.hstack(list(r[:, 0])) for r in rows.reshape(3, 12, 1, 8, 8)]) + 1) / 2, 0, 1),
          cmap="gray")
ax.set_yticks([4, 12, 20], ["x", "dec(enc(x))", "dec(z), z ~ p(z)"])
ax.set_xticks([])
ax.grid(False)
plt.show()

# %% [markdown]
# **A prior you can see.** With a 2-D code and the paper's **mixture of 10 Gaussians on a circle**
# (`python -m minigan train aae --data digits --prior mixture --code-size 2`), the codes of the
# dataset, coloured by their digit, fill the petals of the prior, and the decoder swept over the
# plane shows what each region draws.

# %%
with minigan.fork_rng(0):
    petals, _ = sample_mixture_prior(2000)
display(code_scatter(petals, np.repeat(np.arange(10), 200), lambda z: prior_density(z, "mixture"),
                     title="samples of the mixture prior p(z)", extent=2.5))

# %%
minigan.manual_seed(0)
mix_recipe = recipes.aae(data, prior="mixture", code_size=2, steps=steps(4000, 100))
aae2 = train(mix_recipe, data, mix_recipe.steps)
codes = aae2.encode(minigan.tensor(data.images)).numpy()
display(code_scatter(codes, data.labels, lambda z: prior_density(z, "mixture"), extent=2.5))
display(code_plane_figure(aae2, extent=2.0))

# %% [markdown]
# Without labels the AAE does not know which petal belongs to which digit: the classes are where
# the encoder put them. Giving the label to the decoder (`--conditional-decoder`, dec(z | y)) is
# the paper's style/content split: y carries the class, and the code is left with the style.
#
# ## Summary
#
# * **cGAN [VAR-CGAN]**: the same game with y concatenated to both players' inputs. It works only
#   if D sees y; then "which sample" becomes a question the model answers (`sample --label`).
# * **AAE [VAR-AAE-1, VAR-AAE-2]**: an autoencoder whose codes a GAN pushes to fill p(z), in two
#   phases per minibatch; the encoder is the generator, D judges codes, and dec(z), z ~ p(z), draws
#   new samples (`encode`, `reconstruct`).
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw conditional_discriminator_loss conditional_generator_loss aae_discriminator_loss aae_encoder_loss`
# writes the stubs of this notebook's formulas into `hw/`; fill them in, then
# `python -m minigan exercises check hw conditional_discriminator_loss conditional_generator_loss aae_discriminator_loss aae_encoder_loss`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("aae_encoder_loss", my_function)`.
# The known mistakes have hints: labels not given to D, a fake judged with another label than the
# one it was drawn for, the encoder not frozen during D's update, prior samples and codes swapped.
#
# 1. Train the ring's cGAN with a D that does not see y (give `discriminator` a zero label always).
#    What does the figure show, and what does `label_figures` measure?
# 2. Draw the fakes' labels from the real batch's labels instead of p_y. On the ring nothing
#    changes; when would it matter?
# 3. Train the AAE without the regularisation phase (skip `discriminator_step` and `generator_step`).
#    Where do the codes lie, and what do samples dec(z), z ~ N(0, I), look like?
# 4. Train the 2-D AAE with the label given to the decoder (`recipes.aae(data, prior="mixture",
#    code_size=2, conditional_decoder=True)`) and sweep the code plane with y = 3 and y = 7: what
#    does the code hold now?
