# Source of tutorials/01_autograd.ipynb (build it with: python tutorials/build_notebooks.py 01).

# %% [markdown]
# # 01 · Automatic differentiation
#
# Every algorithm of the lecture is a loop around one line: *take a gradient*.
#
# * **[GAN-3]** the discriminator *ascends* ∇_θd (1/m) Σᵢ [log D(xᵢ) + log(1 − D(G(zᵢ)))]
# * **[GAN-4]** the generator *descends* ∇_θg (1/m) Σᵢ log(1 − D(G(zᵢ)))
# * **[WGAN-4 line 5]** g_w ← ∇_w [(1/m) Σ f_w(xᵢ) − (1/m) Σ f_w(g_θ(zᵢ))]
# * **[ADV-1]** x_adv = x + ε · sign(∇ₓ J(θ, x, y)) — a gradient with respect to the *input*
#
# minigan computes these gradients by **reverse-mode automatic differentiation**: it records the
# operations of the forward pass as a graph, then walks the graph backwards applying the chain rule
#
# $$\frac{\partial L}{\partial \text{input}} = \sum_{\text{uses of input}} \frac{\partial L}{\partial \text{output}}\cdot\frac{\partial \text{output}}{\partial \text{input}}.$$
#
# This notebook opens the machine: tensors, the graph, its topological order, backward by hand
# and by minigan, broadcasting, `no_grad`, and gradients of gradients.

# %%
# %matplotlib inline
import inspect

import matplotlib.pyplot as plt
import numpy as np
from _quick import setup, steps
from IPython.display import display

import minigan
import minigan.functional as F
from minigan.backprop import topological_order
from minigan.viz import graph

setup()

# %% [markdown]
# ## 1. Tensors
#
# A `Tensor` wraps an array (`.data`, NumPy on the CPU or CuPy on a GPU) and, if asked, a gradient
# (`.grad`). Floats default to **float32**; a float64 NumPy array stays float64 (gradient checks need
# it, notebook 02). A Python number in an operation takes the tensor's dtype.

# %%
a = minigan.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = minigan.tensor(np.arange(3, dtype=np.float64))
print(a, a.shape, a.dtype)
print(b, b.dtype)
print((a * 2).dtype, "(the Python 2 took the dtype of a)")
print(type(a.data), a.sum(axis=0), a.mean(), a.T.shape)

# %% [markdown]
# ## 2. Building a graph
#
# Take the smallest discriminator there is: one input x, a weight w and a bias b,
#
# $$a = w x + b, \qquad D = \sigma(a), \qquad L = -\log D,$$
#
# the loss of D on a *real* example (label 1). Only tensors created with `requires_grad=True`
# are tracked; every operation on them returns a tensor that remembers the `Function` that made it
# (its `grad_fn`, PyTorch's name) and that function remembers its inputs (`parents`).

# %%
x = minigan.tensor(2.0)                           # data: no gradient wanted
w = minigan.tensor(0.5, requires_grad=True)
b = minigan.tensor(-1.5, requires_grad=True)

a = w * x + b
D = a.sigmoid()
L = -D.log()

print("L =", L)
print("L was made by", type(L.grad_fn).__name__, "from", [type(p.grad_fn).__name__ for p in L.grad_fn.parents])

# %% [markdown]
# ### The topological order
#
# Backward must visit a node only after every node that *uses* it: the reverse of a
# **topological order** (inputs before outputs). minigan finds it with an iterative depth-first
# search — iterative, so a chain of 100 000 operations does not hit Python's recursion limit:

# %%
print(inspect.getsource(topological_order))

# %%
names = {id(w): "w", id(b): "b", id(x): "x"}


def label(node):
    """A leaf's name, or the Function that made the node."""
    return names.get(id(node)) or type(node.grad_fn).__name__


order = topological_order([L])
for step, node in enumerate(order):
    made_from = "" if node.grad_fn is None else " ← " + ", ".join(label(p) for p in node.grad_fn.parents)
    print(f"{step}: {label(node):8s} value {node.item():+.4f}{made_from}")

# %% [markdown]
# `x` appears as an input of `Mul` but not in the order: it does not require a gradient, so the
# backward pass never visits it. `minigan.viz.graph` draws the graph that backward will walk: one
# box per Function with the shape of its output, the leaves named (a dict names them here;
# `params=model` names a Module's parameters `0.weight`, `0.bias`, ...), arrows in the forward
# direction, the output in bold. `constants=True` adds x as well (dashed), the input that backward
# skips. The drawing is an SVG that minigan lays out itself (no Graphviz); `drawing.save("L.svg")`
# or `.save("L.png")` writes it to a file.

# %%
drawing = graph(L, params={"w": w, "b": b}, constants=True)
display(drawing)  # the last line of a cell, `drawing`, shows it too

# %% [markdown]
# ## 3. Backward by hand, then by minigan
#
# By hand, from the loss back to the leaves (with σ′(a) = σ(a)(1 − σ(a))):
#
# $$\frac{\partial L}{\partial D} = -\frac1D,\quad
#   \frac{\partial L}{\partial a} = -\frac1D\,D(1-D) = D - 1,\quad
#   \frac{\partial L}{\partial w} = (D-1)\,x,\quad \frac{\partial L}{\partial b} = D - 1.$$
#
# ∂L/∂a = σ(a) − 1 is the "σ(a) − z" of the binary cross-entropy with label z = 1: the gradient
# the discriminator receives from a real example in [GAN-3].

# %%
D_value = 1 / (1 + np.exp(-(0.5 * 2.0 - 1.5)))
by_hand = {"w": (D_value - 1) * 2.0, "b": D_value - 1}

L.backward()
print(f"dL/dw  by hand {by_hand['w']:+.6f}   minigan {w.grad.item():+.6f}")
print(f"dL/db  by hand {by_hand['b']:+.6f}   minigan {b.grad.item():+.6f}")

# %% [markdown]
# The backward pass has freed the graph (`L.grad_fn.parents` is now None, unless
# `retain_graph=True`), but the drawing captured it before, and it asked every intermediate tensor
# to keep its gradient (`retain_grad()`). The same drawing now shows ‖∂L/∂t‖ at each node: 1 at L
# and at log D, 1/D at D, |D − 1| at a, at w·x and at b, |(D − 1)·x| at w: the chain above, one
# factor per box.

# %%
print("L.grad_fn.parents after backward:", L.grad_fn.parents)
display(drawing)

# %% [markdown]
# Each step of that chain is one `Function`: a `forward` on raw arrays and a `backward` that
# multiplies the incoming gradient by the local derivative. Here is the sigmoid, whose `backward`
# reads σ(a) from the output instead of recomputing it:

# %%
print(inspect.getsource(minigan.ops.elementwise.Sigmoid))

# %% [markdown]
# A word on numerics. `-D.log()` was fine to draw the graph, but it is **not** how minigan writes a
# GAN loss: at a = −200, σ(a) rounds to 0 and log 0 = −∞. The lecture's rule is
# log D = −softplus(−a), computed stably (`F.log_sigmoid`):

# %%
very_wrong = minigan.tensor(-200.0)
with np.errstate(divide="ignore"):
    print("log(sigmoid(-200))  =", very_wrong.sigmoid().log().item())
print("F.log_sigmoid(-200) =", F.log_sigmoid(very_wrong).item())

# %% [markdown]
# ### A node used twice adds up its gradients; a second backward adds again
#
# For y = x·x + x the chain rule sums over the three uses of x: ∂y/∂x = x + x + 1.
# Calling `backward` again accumulates into `.grad` (as in PyTorch), which is why training loops
# call `zero_grad()` before every step.

# %%
x = minigan.tensor(3.0, requires_grad=True)
(x * x + x).backward()
print("dy/dx =", x.grad.item(), "(2·3 + 1 = 7)")
(x * x + x).backward()
print("after a second backward:", x.grad.item())
x.zero_grad()
print("after zero_grad:", x.grad)

# %% [markdown]
# The order is iterative, so depth is no problem: a chain of many multiplications by 1.0001 —

# %%
n_ops = steps(100_000, 10_000)
x = minigan.tensor(1.0, dtype=np.float64, requires_grad=True)
y = x
for _ in range(n_ops):
    y = y * 1.0001
y.backward()
print(f"{n_ops} operations deep: dy/dx = {x.grad.item():.6f}, exact 1.0001^{n_ops} = {1.0001 ** n_ops:.6f}")

# %% [markdown]
# ## 4. Broadcasting and `unbroadcast`
#
# NumPy broadcasting lets a (3, 1) column meet a (4,) row and make a (3, 4) table. In the forward
# pass a value is *copied* along the broadcast axes; in the backward pass, the adjoint of a copy
# is a **sum**: the gradient that arrives with shape (3, 4) is summed back to each input's shape.
# minigan does it once for all ops, in the base class:

# %%
print(inspect.getsource(minigan.unbroadcast))

# %%
col = minigan.tensor(np.ones((3, 1)), requires_grad=True)
row = minigan.tensor(np.arange(4.0), requires_grad=True)
table = col * row                                      # (3, 1) · (4,) → (3, 4)
table.sum().backward()
print("table", table.shape, "| col.grad", col.grad.shape, col.grad.numpy().ravel(),
      "| row.grad", row.grad.shape, row.grad.numpy())

# %% [markdown]
# `col.grad[i] = Σⱼ row[j] = 0 + 1 + 2 + 3 = 6` (summed over the axis where col had size 1), and
# `row.grad[j] = Σᵢ col[i] = 3` (summed over the leading axis that broadcasting added). In a layer,
# this is why the bias gradient of y = x Wᵀ + b is the sum of the output gradient over the batch.

# %%
g = minigan.tensor(np.ones((5, 2, 3)))
for shape in [(2, 3), (1, 3), (2, 1), (3,), ()]:
    print(f"unbroadcast (5, 2, 3) → {shape!s:7s}: value {minigan.unbroadcast(g, shape).numpy().ravel()[0]:.0f}")

# %% [markdown]
# ## 5. `no_grad`
#
# Some computations must not be recorded: evaluating a model, an optimizer's update, the clipping
# of [WGAN-4 line 7]. Inside `with minigan.no_grad():` (or under the decorator
# `@minigan.no_grad()`), operations build no graph, which saves memory and time:

# %%
w = minigan.tensor(np.ones(3), requires_grad=True)
with minigan.no_grad():
    y = (w * 2).sum()
print("inside no_grad: requires_grad =", y.requires_grad, "| grad_fn:", y.grad_fn)


@minigan.no_grad()
def evaluate(w):
    return (w * w).sum()


print("decorated:", evaluate(w).requires_grad, "| outside:", (w * w).sum().requires_grad)

# %% [markdown]
# ## 6. Gradients of gradients
#
# Each `backward` is written with minigan operations, so with `create_graph=True` the backward pass
# records a graph of its own — and can be differentiated again. For tanh:
#
# $$\frac{d}{dx}\tanh x = 1 - \tanh^2 x, \qquad \frac{d^2}{dx^2}\tanh x = -2\tanh x\,(1 - \tanh^2 x).$$

# %%
xs = minigan.tensor(np.linspace(-4, 4, 401), requires_grad=True)   # float64
ys = xs.tanh()
(first,) = minigan.grad(ys.sum(), xs, create_graph=True)            # a tensor with its own graph
(second,) = minigan.grad(first.sum(), xs)

t = np.tanh(xs.numpy())
print("max |first − (1 − tanh²)|        =", np.abs(first.numpy() - (1 - t ** 2)).max())
print("max |second − (−2 tanh (1 − tanh²))| =", np.abs(second.numpy() + 2 * t * (1 - t ** 2)).max())

fig, ax = plt.subplots()
ax.plot(xs.numpy(), ys.numpy(), label="tanh x")
ax.plot(xs.numpy(), first.numpy(), label="d/dx (minigan.grad)")
ax.plot(xs.numpy(), second.numpy(), label="d²/dx² (grad of grad)")
ax.plot(xs.numpy()[::25], (-2 * t * (1 - t ** 2))[::25], "k.", label="−2 tanh (1 − tanh²)")
ax.set_xlabel("x")
ax.legend(loc="upper left", fontsize=8)
ax.set_title("tanh and its first two derivatives")
plt.show()

# %% [markdown]
# Where the lecture needs this: WGAN-GP penalises the *norm of the input gradient* of the critic,
# λ (‖∇ₓ f(x̂)‖ − 1)², and the critic's weights are trained on it, so training differentiates a
# gradient. A one-weight critic f(x) = tanh(w x) shows it; the weight gradient of the penalty agrees
# with a central difference:

# %%
def penalty(w_value, x_value=0.7, create_graph=True):
    w = minigan.tensor(w_value, dtype=np.float64, requires_grad=True)
    x = minigan.tensor(x_value, dtype=np.float64, requires_grad=True)
    (dfdx,) = minigan.grad((w * x).tanh(), [x], create_graph=create_graph)   # ∂f/∂x, with a graph
    return w, (dfdx.abs() - 1) ** 2


w, p = penalty(1.3)
p.backward()                                                         # ∂/∂w of a gradient
h = 1e-6
central = (penalty(1.3 + h)[1].item() - penalty(1.3 - h)[1].item()) / (2 * h)
print(f"d penalty / dw: minigan {w.grad.item():.10f}, central difference {central:.10f}")

# %% [markdown]
# ## Summary
#
# * A `Tensor` records the `Function` that made it (`grad_fn`); the graph is the chain of `parents`,
#   and `minigan.viz.graph` draws it, with the gradient norms once backward has run.
# * `backward` visits the graph in reverse topological order (an iterative DFS), multiplies by each
#   node's local derivative and **adds** the contributions of every use of a node.
# * Broadcasting copies in the forward pass, so its backward is a sum: `unbroadcast`, done once in
#   the base class.
# * `no_grad` records nothing — for evaluation, optimizer updates and weight clipping.
# * Backward passes are built from minigan operations: `create_graph=True` gives gradients of
#   gradients (WGAN-GP).
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw unbroadcast mul div sum mean matmul getitem backward` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw unbroadcast mul div sum mean matmul getitem backward`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("unbroadcast", my_function)`.
# The questions below are experiments with this notebook's code.
#
# 1. Draw the graph of L = −log(1 − σ(w x + b)) (a *fake* example in [GAN-3]) and derive
#    ∂L/∂a = σ(a) by hand. Check it with `L.backward()`.
# 2. Print `topological_order([y])` for y = (x * x) * (x * x), then for z = x * x; y = z * z.
#    How many `Mul` nodes does each graph have, and how many gradient contributions reach x?
# 3. Compute d³/dx³ tanh x with three nested `minigan.grad` calls and compare with
#    −2(1 − tanh²x)(1 − 3 tanh²x).
# 4. Call `L.backward()` twice on the graph of section 2 without `retain_graph=True`. Read the error
#    and find in `minigan/backprop.py` the line that frees the graph.
# 5. Why does `minigan.unbroadcast(g, (2, 1))` for g of shape (5, 2, 3) give 15 in every entry?
#    Find the test that checks broadcasting gradients with Hypothesis in `tests/ops/`.
