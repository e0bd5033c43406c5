# Source of tutorials/03_layers.ipynb (build it with: python tutorials/build_notebooks.py 03).

# %% [markdown]
# # 03 · Layers: dense, convolution, transposed convolution, batch norm
#
# **[GAN-1]** "G is a neural network" that maps simple noise z onto p_data, and D is another. The
# lecture's networks are built from four kinds of layer:
#
# * dense layers y = x Wᵀ + b (the MLPs of the toy GANs and of WGAN's critic);
# * strided **convolutions**, which shrink an image (DCGAN's discriminator, BEGAN's encoder);
# * **transposed convolutions**, which grow one (DCGAN's generator);
# * **batch normalization** — one of the tips of [GAN-HARD] ("batch normalization", after ganhacks).
#
# minigan writes each with a handful of autograd operations, and this notebook opens them: the
# weight layouts (PyTorch's), convolution as *im2col* + one matrix product, the transposed
# convolution as the adjoint of the convolution, and batch norm in training and evaluation mode.

# %%
# %matplotlib inline
import inspect

import matplotlib.pyplot as plt
import numpy as np

import minigan
import minigan.functional as F
from minigan import nn
from minigan.ops.conv import Unfold
from minigan.ops.linear import Affine
from _quick import setup, steps

setup()
rng = minigan.generator()

# %% [markdown]
# ## 1. The dense layer
#
# $$y = x W^\top + b, \qquad x: (N, \text{in}),\; W: (\text{out}, \text{in}),\; b: (\text{out},)$$
#
# and, with G = ∂L/∂y, the three gradients ∂L/∂x = G W, ∂L/∂W = Gᵀ x, ∂L/∂b = Σ_rows G (the sum is
# the `unbroadcast` of notebook 01). minigan computes the layer as one fused node:

# %%
print(inspect.getsource(Affine))

# %%
layer = nn.Linear(3, 2)
print(layer)
print({name: p.shape for name, p in layer.named_parameters()}, "(PyTorch's layout: weight is (out, in))")
x = minigan.tensor(rng.standard_normal((4, 3)).astype(np.float32))
y = layer(x)
by_hand = x.numpy() @ layer.weight.numpy().T + layer.bias.numpy()
print("y", y.shape, y.dtype, "| max |layer(x) − (x Wᵀ + b)| =", np.abs(y.numpy() - by_hand).max())

# %%
x64 = minigan.tensor(rng.standard_normal((4, 3)), requires_grad=True)
W64 = minigan.tensor(rng.standard_normal((2, 3)), requires_grad=True)
b64 = minigan.tensor(rng.standard_normal(2), requires_grad=True)
print("gradcheck of F.linear in x, W and b:", minigan.gradcheck(F.linear, (x64, W64, b64)))

# %% [markdown]
# ## 2. Convolution = im2col + one matrix product
#
# A convolution layer slides a kh × kw kernel over the image (cross-correlation, as in every deep
# learning library):
#
# $$y[n, o, i, j] = b[o] + \sum_{c, u, v} w[o, c, u, v]\; x_{\text{pad}}[n, c,\; s\,i + u,\; s\,j + v],
# \qquad H_o = \left\lfloor \frac{H + 2p - k_h}{s} \right\rfloor + 1.$$
#
# Written this way it is a loop over pixels. The trick that makes it fast is **im2col** (`Unfold`):
# copy every kh × kw patch into one row of a matrix. Then every output pixel is the dot product of
# its row with the flattened kernel, and the whole convolution — over the batch, every position and
# every output channel — is **one matrix product**, i.e. a dense layer applied to every patch.
#
# Here is a 5 × 5 image (values 0…24), a 3 × 3 kernel, stride 1, no padding: 9 positions, so 9 rows
# of 9 numbers.

# %%
image = minigan.tensor(np.arange(25.0).reshape(1, 1, 5, 5))
patches = Unfold.apply(image, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0))
print("image", image.shape, "→ patches", patches.shape, "(one row per output pixel, kh·kw·C columns)")


def draw_im2col(image, patches, rows=(0, 4, 8), colors=("tab:red", "tab:blue", "tab:green"), k=3, out_w=3):
    """The image with the patches of `rows` framed, and the patch matrix with those rows framed."""
    img, mat = image.numpy()[0, 0], patches.numpy()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4), gridspec_kw={"width_ratios": [5, 9]})
    for ax, values in ((left, img), (right, mat)):
        ax.imshow(values, cmap="Greys", vmin=-20, vmax=60)
        for (r, c), v in np.ndenumerate(values):
            ax.text(c, r, f"{v:.0f}", ha="center", va="center", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    for row, color in zip(rows, colors):
        i, j = divmod(row, out_w)
        left.add_patch(plt.Rectangle((j - 0.45, i - 0.45), k - 0.1, k - 0.1, fill=False, ec=color, lw=2.5))
        right.add_patch(plt.Rectangle((-0.45, row - 0.45), mat.shape[1] - 0.1, 0.9, fill=False, ec=color, lw=2.5))
    left.set_title("image (5 × 5), three of its 3 × 3 patches")
    right.set_title("Unfold: one patch per row (9 × 9)")
    fig.tight_layout()
    plt.show()


draw_im2col(image, patches)

# %% [markdown]
# The convolution is now `patches @ kernelᵀ`, a dense layer. `F.conv2d` does exactly this (with the
# kernel's axes ordered to match the rows, and the channels innermost):

# %%
print(inspect.getsource(F.conv2d))

# %%
kernel = minigan.tensor(rng.standard_normal((1, 1, 3, 3)))
as_matmul = (patches @ kernel.reshape(1, 9).T).reshape(1, 1, 3, 3)
print("max |conv2d − patches · kernelᵀ| =", np.abs(F.conv2d(image, kernel).numpy() - as_matmul.numpy()).max())

# a layer as DCGAN's discriminator uses it: stride 2 halves the image
conv = nn.Conv2d(3, 8, 4, stride=2, padding=1)
print(conv, "| weight", conv.weight.shape, "(out, in, kh, kw)")
print("(16, 3, 32, 32) →", conv(minigan.randn(16, 3, 32, 32)).shape, " since ⌊(32 + 2 − 4)/2⌋ + 1 = 16")

# %% [markdown]
# Unfold copies data, it does not compute; its backward is its **adjoint**, `Fold` (col2im), which
# adds every row back onto its patch — where patches overlap, the gradients add up. A pixel in
# the middle of the 5 × 5 image sits in 9 patches, a corner pixel in one:

# %%
pixels = minigan.tensor(np.zeros((1, 1, 5, 5)), requires_grad=True)
rows = Unfold.apply(pixels, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0))
(cover,) = minigan.grad(rows.sum(), pixels)             # Fold of an all-ones patch matrix
print("∂(Σ patches)/∂image — in how many patches each pixel is:\n", cover.numpy()[0, 0].astype(int))

# %% [markdown]
# ## 3. The transposed convolution is the adjoint of the convolution
#
# For a fixed kernel w, x ↦ conv2d(x, w) is a linear map C. Its **adjoint** Cᵀ is defined by
#
# $$\langle C x,\, y\rangle = \langle x,\, C^\top y\rangle \quad\text{for all } x, y,$$
#
# and it is exactly what backpropagation through the convolution computes: ∂⟨Cx, y⟩/∂x = Cᵀy.
# This adjoint is the **transposed convolution** `conv_transpose2d(y, w)` (with the same stride,
# padding and the *same* weight array: conv2d reads w as (out, in, kh, kw), conv_transpose2d as
# (in, out, kh, kw)). Where the convolution gathers a patch into a pixel, the transposed convolution
# scatters a pixel onto a patch — which is why it *upsamples*. Checked numerically, in float64:

# %%
x = minigan.tensor(rng.standard_normal((2, 3, 8, 8)), requires_grad=True)
w = minigan.tensor(rng.standard_normal((4, 3, 4, 4)))
Cx = F.conv2d(x, w, stride=2, padding=1)                          # (2, 4, 4, 4)
y = minigan.tensor(rng.standard_normal(Cx.shape))
CTy = F.conv_transpose2d(y, w, stride=2, padding=1)               # (2, 3, 8, 8)

lhs, rhs = (Cx * y).sum().item(), (x * CTy).sum().item()
print(f"⟨conv(x), y⟩           = {lhs:.12f}")
print(f"⟨x, conv_transpose(y)⟩ = {rhs:.12f}   relative difference {abs(lhs - rhs) / abs(lhs):.1e}")
(grad_x,) = minigan.grad((Cx * y).sum(), x)
print("max |∂⟨conv(x), y⟩/∂x − conv_transpose(y)| =", np.abs(grad_x.numpy() - CTy.numpy()).max())

# %% [markdown]
# DCGAN's generator uses `ConvTranspose2d(k=4, stride=2, padding=1)`, which doubles the image:
# H_o = (H − 1)·s − 2p + k = 2H. Scattering with an all-ones kernel shows how many patches cover
# each output pixel. With k = 4, s = 2 every pixel is covered equally (away from the border); with
# k = 3, s = 2 the overlaps alternate — the origin of the "checkerboard artifacts" of generated images:

# %%
up = nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1)
print(up, "| (16, 8, 16, 16) →", up(minigan.randn(16, 8, 16, 16)).shape)

ones_image = minigan.ones(1, 1, 6, 6)
impulse = minigan.zeros(1, 1, 6, 6)
impulse.data[0, 0, 2, 3] = 1.0
stamp_kernel = minigan.tensor(np.arange(1.0, 10.0, dtype=np.float32).reshape(1, 1, 3, 3))
panels = [("one pixel, k = 3, s = 2: the kernel, stamped", F.conv_transpose2d(impulse, stamp_kernel, stride=2)),
          ("all ones, k = 3, s = 2: overlaps alternate", F.conv_transpose2d(ones_image, minigan.ones(1, 1, 3, 3), stride=2)),
          ("all ones, k = 4, s = 2, p = 1: even cover", F.conv_transpose2d(ones_image, minigan.ones(1, 1, 4, 4), stride=2, padding=1))]
fig, axes = plt.subplots(1, 3, figsize=(11, 3.8))
for ax, (title, out) in zip(axes, panels):
    fig.colorbar(ax.imshow(out.numpy()[0, 0], cmap="viridis"), ax=ax, shrink=0.8)
    ax.set_title(f"{title}\n(6 × 6) → {out.shape[2]} × {out.shape[3]}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 4. Batch normalization: training vs evaluation
#
# For each channel (feature) c, over the batch (and, for images, over the pixels):
#
# $$\hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \qquad y = \gamma\,\hat x + \beta,$$
#
# with μ_B, σ²_B the mean and (biased) variance **of the batch**. In training mode the layer also
# keeps running statistics, running ← (1 − momentum)·running + momentum·batch statistic
# (momentum 0.1, the unbiased variance), and in **evaluation** mode it normalises with those
# instead. So in training an example's output depends on the rest of its batch; in evaluation it
# does not. (γ = 1 and β = 0 here: the layer is untrained.)

# %%
print(inspect.getsource(F.batch_norm))

# %%
bn = nn.BatchNorm1d(3)
mu, sigma = np.array([5.0, -2.0, 0.0]), np.array([3.0, 0.5, 1.0])


def batch(n=64):
    return minigan.tensor((mu + sigma * rng.standard_normal((n, 3))).astype(np.float32))


n_batches = steps(100, 40)
trace = []
bn.train()
for _ in range(n_batches):
    out = bn(batch())
    trace.append(np.concatenate([bn.running_mean.numpy(), np.sqrt(bn.running_var.numpy())]))
trace = np.array(trace)
print("training mode, last batch: output mean", out.numpy().mean(0).round(3), " std", out.numpy().std(0).round(3))
print("running mean", bn.running_mean.numpy().round(2), "(true", mu, ")  running std",
      np.sqrt(bn.running_var.numpy()).round(2), "(true", sigma, ")")

fig, ax = plt.subplots()
for c in range(3):
    line, = ax.plot(trace[:, c], label=f"running mean, feature {c}")
    ax.axhline(mu[c], color=line.get_color(), ls=":", lw=1)
ax.set_xlabel("training batch")
ax.set_title("running_mean ← 0.9 · running_mean + 0.1 · batch mean")
ax.legend(fontsize=8)
plt.show()

# %%
example = batch(1)
others_a, others_b = batch(7), batch(7)
in_a = minigan.concat([example, others_a])
in_b = minigan.concat([example, others_b])
bn.train()
print("train: the same example in two batches →", bn(in_a).numpy()[0].round(3), "vs", bn(in_b).numpy()[0].round(3))
bn.eval()
print("eval : the same example in two batches →", bn(in_a).numpy()[0].round(3), "vs", bn(in_b).numpy()[0].round(3))
print("eval : by hand (x − running_mean)/√(running_var + ε) =",
      ((example.numpy()[0] - bn.running_mean.numpy()) / np.sqrt(bn.running_var.numpy() + bn.eps)).round(3))

# %% [markdown]
# Two things to know when reading GAN code:
#
# * Since x̂ has zero mean over the batch, the gradient that reaches x sums to zero over the batch
#   (for each channel): batch norm cannot push the whole batch in one direction. Checked below, with
#   gradcheck on the training-mode batch norm.
# * A well-known GAN repository writes `BatchNorm1d(out_feat, 0.8)`, meaning momentum 0.8 — but the
#   second argument is **ε**. With ε = 0.8, features of unit variance come out with standard deviation
#   1/√1.8 ≈ 0.75 instead of 1.

# %%
xb = minigan.tensor(rng.standard_normal((6, 3)), requires_grad=True)
gamma = minigan.tensor(rng.standard_normal(3), requires_grad=True)
beta = minigan.tensor(rng.standard_normal(3), requires_grad=True)
print("gradcheck of training-mode batch norm:",
      minigan.gradcheck(lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True), (xb, gamma, beta)))
(g_x,) = minigan.grad((F.batch_norm(xb, None, None, training=True) * minigan.tensor(rng.standard_normal((6, 3)))).sum(), xb)
print("Σ over the batch of ∂L/∂x:", g_x.numpy().sum(0))

unit = minigan.tensor(rng.standard_normal((256, 4)).astype(np.float32))
for eps in (1e-5, 0.8):
    print(f"BatchNorm1d(4, eps={eps}): output std {nn.BatchNorm1d(4, eps=eps)(unit).numpy().std(0).round(3)}")

# %% [markdown]
# ## Summary
#
# * `Linear`: y = x Wᵀ + b with W of shape (out, in); ∂L/∂W = Gᵀx, ∂L/∂b = Σ G.
# * `Conv2d` = `Unfold` (im2col: one patch per row) + one matrix product; Unfold's backward is Fold
#   (col2im), which adds overlapping patches.
# * `ConvTranspose2d` is the adjoint of `Conv2d` — ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩, the
#   gradient of the convolution with respect to its input — and upsamples: k = 4, s = 2, p = 1
#   doubles the image and covers it evenly.
# * `BatchNorm`: batch statistics in training (an example's output depends on its batch), running
#   statistics in evaluation; call `model.train()` / `model.eval()` accordingly.
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw linear unfold conv2d conv_transpose2d batch_norm` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw linear unfold conv2d conv_transpose2d batch_norm`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("linear", my_function)`.
# The questions below are experiments with this notebook's code.
#
# 1. Check `F.conv2d` and `F.conv_transpose2d` with `minigan.gradcheck` for a stride of 2 and a
#    padding of 1 (`docs/exercises.md`, exercise 6; the tests are in `tests/ops/test_conv.py`).
# 2. Redraw the im2col picture for stride 2 and padding 1. How many rows does the patch matrix have,
#    and which entries come from the padding?
# 3. `Conv2d(k=4, stride=2, padding=1)` maps both 8 × 8 and 9 × 9 images to 4 × 4. Which size does
#    `conv_transpose2d` return for a 4 × 4 input, and what does `output_padding=1` change? Check the
#    adjoint identity of section 3 for both.
# 4. Feed `nn.BatchNorm1d` a batch of one example in training mode. What happens, and why?
# 5. Replace the 3 × 3 kernel of the checkerboard figure by 2 × 2 (stride 2). Is the cover even?
#    Which (k, s) pairs give an even cover?
