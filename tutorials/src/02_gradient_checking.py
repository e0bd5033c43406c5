# Source of tutorials/02_gradient_checking.ipynb (build it with: python tutorials/build_notebooks.py 02).

# %% [markdown]
# # 02 · Gradient checking
#
# A GAN that trains badly may have a bad learning rate — or a wrong gradient. The second is silent:
# training still runs, the losses still move. So every backward pass of minigan is checked against
# the definition of the derivative, with **central differences**:
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}.$$
#
# Taylor's formula says why *central*: f(x ± ε) = f ± ε f′ + ε²/2 f″ ± ε³/6 f‴ + …, so the even
# terms cancel and the error is ε²/6 · f‴ — O(ε²) — while the forward difference
# (f(x + ε) − f(x))/ε keeps the ε/2 · f″ term: O(ε). This notebook shows why the check must run in
# **float64**, then checks an op you write yourself, and two wrong ones.

# %%
# %matplotlib inline
import inspect

import matplotlib.pyplot as plt
import numpy as np

import minigan
from minigan import Function, GradcheckError
from _quick import setup, steps

setup()

# %% [markdown]
# ## 1. Error against ε, in float32 and float64
#
# Two errors compete. Truncation: ε²/6 · |f‴|, which shrinks with ε. Rounding: f is computed with
# a relative error of about u (the unit roundoff: 6·10⁻⁸ in float32, 1.1·10⁻¹⁶ in float64), and
# dividing the difference by 2ε turns it into about u·|f|/ε, which *grows* as ε shrinks. The sum is
# smallest near ε* ≈ u^(1/3):  ≈ 4·10⁻³ in float32, ≈ 5·10⁻⁶ in float64.
#
# We measure it on f(x) = tanh(x) at x = 0.7, whose exact derivative (1 − tanh² x) minigan's
# backward gives in float64:

# %%
x0 = 0.7
x = minigan.tensor(x0, dtype=np.float64, requires_grad=True)
x.tanh().backward()
exact = x.grad.item()
t = np.tanh(x0)
third = -2 * (1 - t ** 2) * (1 - 3 * t ** 2)            # f‴ of tanh, for the truncation line


def f(value, dtype):
    """tanh computed by minigan, in the given precision."""
    return float(minigan.tensor(np.asarray(value, dtype=dtype)).tanh().item())


def central(dtype, eps):
    return (f(x0 + eps, dtype) - f(x0 - eps, dtype)) / (2 * eps)


def forward(dtype, eps):
    return (f(x0 + eps, dtype) - f(x0, dtype)) / eps


epsilons = np.logspace(-13, 0, steps(105, 27))          # 8 (quick: 2) points per decade, 1e-6 among them
at_gradcheck_eps = int(np.argmin(np.abs(np.log10(epsilons) + 6)))
errors = {
    "central, float32": [abs(central(np.float32, e) - exact) for e in epsilons],
    "central, float64": [abs(central(np.float64, e) - exact) for e in epsilons],
    "forward, float64": [abs(forward(np.float64, e) - exact) for e in epsilons],
}
for name, err in errors.items():
    err = np.maximum(err, 1e-17)                       # an exact 0 has no logarithm
    best = int(np.argmin(err))
    print(f"{name}: smallest error {err[best]:.1e} at ε = {epsilons[best]:.0e};"
          f" at ε = 1e-6: {err[at_gradcheck_eps]:.1e}")

# %%
fig, ax = plt.subplots(figsize=(6.5, 4))
for name, err in errors.items():
    ax.loglog(epsilons, np.maximum(err, 1e-17), ".-", label=name, ms=3)
ax.loglog(epsilons, epsilons ** 2 / 6 * abs(third), "k:", lw=1, label="ε²/6 · |f‴| (truncation, central)")
ax.loglog(epsilons, 6e-8 * t / epsilons, "k--", lw=1, label="u₃₂ · |f| / ε (rounding, float32)")
ax.axvline(1e-6, color="grey", lw=1)
ax.text(1.3e-6, 1e-15, "gradcheck's ε = 1e-6", color="grey", fontsize=8)
ax.set_ylim(1e-16, 1e1)
ax.set_xlabel("ε")
ax.set_ylabel("|finite difference − exact|")
ax.set_title("d tanh / dx at 0.7: the V of truncation and rounding")
ax.legend(fontsize=8, loc="upper left")
plt.show()

# %% [markdown]
# In float32 the V bottoms out near ε ≈ 10⁻², and how low it gets there is the luck of rounding;
# at ε = 10⁻⁶ the float32 difference is about 1 % off. A tolerance loose enough for float32
# would let slightly wrong gradients through. In float64 the valley is wide and deep: at
# ε = 10⁻⁶ the truncation is ε²/6 · |f‴| ≈ 10⁻¹⁴ and the rounding at most u·|f|/ε ≈ 10⁻¹⁰. That is why
# `minigan.gradcheck` works in float64 with ε = 10⁻⁶ and tolerances atol = 10⁻⁵, rtol = 10⁻³ — and
# why it warns about, and converts, a float32 input. (The forward difference, in green, is O(ε): its
# V is shallower, its best ε ≈ √u.)
#
# ## 2. `minigan.gradcheck`
#
# One more idea is in the code below: the check differentiates f(x) = Σ v ⊙ fn(x) with a **random**
# cotangent v, not the plain sum. It perturbs every element of every input, one at a time (so it is
# for small tensors).

# %%
print(inspect.getsource(minigan.gradcheck))

# %% [markdown]
# ## 3. Write an op, check it
#
# An op is a subclass of `minigan.Function`: `forward` on raw arrays, `backward` with minigan
# tensors (read `docs/exercises.md`). Here is y = x³, ∂y/∂x = 3x²:

# %%
class Cube(Function):
    """y = x³;  ∂y/∂x = 3x²."""

    def forward(self, x):                 # x: a raw NumPy (or CuPy) array
        return x ** 3

    def backward(self, grad):             # grad = ∂L/∂y, a Tensor
        (x,) = self.parents               # the input Tensor
        return grad * x * x * 3.0         # built from minigan operations: differentiable again


x = minigan.tensor(minigan.generator().standard_normal((3, 4)), requires_grad=True)   # float64
print("gradcheck     :", minigan.gradcheck(Cube.apply, (x,)))
print("gradgradcheck :", minigan.gradgradcheck(Cube.apply, (x,)))
print("inside a bigger computation:", minigan.gradcheck(lambda t: (Cube.apply(t) * t.sigmoid()).mean(axis=0), (x,)))

# %% [markdown]
# ### A wrong derivative is rejected
#
# Now the classic slip: 2x² instead of 3x². gradcheck names the input, the worst element, and the
# two values:

# %%
class WrongCube(Cube):
    """y = x³ with the wrong derivative 2x²."""

    def backward(self, grad):
        (x,) = self.parents
        return grad * x * x * 2.0


try:
    minigan.gradcheck(WrongCube.apply, (x,))
except GradcheckError as error:
    print("GradcheckError:", error)

# %% [markdown]
# ### Right once, wrong twice
#
# This backward computes the right number but from a *constant copy* of x, cut from the graph.
# The first derivative is right; its own derivative is not (the copy has derivative 0), so a
# gradient penalty built on it (WGAN-GP) would silently train on a wrong gradient. Only
# `gradgradcheck` sees it:

# %%
class FrozenCube(Cube):
    """y = x³ whose backward uses minigan.Tensor(x.data): a constant, outside the graph."""

    def backward(self, grad):
        x = minigan.Tensor(self.parents[0].data)
        return grad * x * x * 3.0


print("gradcheck     :", minigan.gradcheck(FrozenCube.apply, (x,)))
try:
    minigan.gradgradcheck(FrozenCube.apply, (x,))
except GradcheckError as error:
    print("gradgradcheck : GradcheckError:", error)

# %% [markdown]
# ### Why the cotangent is random
#
# A matrix product Y = A B has ∂L/∂A = G Bᵀ (G = ∂L/∂Y). Suppose the backward returns (G Bᵀ)ᵀ by
# mistake. With B = I and the cotangent of a plain `.sum()` — G all ones — both are the all-ones
# matrix, and the mistake is invisible. A random G is not symmetric:

# %%
class TransposedMatmul(Function):
    """Y = A B, with ∂L/∂A wrongly (G Bᵀ)ᵀ."""

    def forward(self, a, b):
        return a @ b

    def backward(self, grad):
        a, b = self.parents
        return (grad @ b.T).T, a.T @ grad


A = minigan.tensor(minigan.generator().standard_normal((3, 3)), requires_grad=True)
I = minigan.eye(3, dtype=np.float64)
TransposedMatmul.apply(A, I).sum().backward()
print("with .sum(): A.grad =\n", A.grad.numpy(), "\n(looks right: the gradient of Σ A is all ones)")
try:
    minigan.gradcheck(lambda a: TransposedMatmul.apply(a, I), (A,))
except GradcheckError as error:
    print("random cotangent: GradcheckError:", error)

# %% [markdown]
# ## Summary
#
# * Central differences have error O(ε²); forward differences O(ε).
# * Rounding adds about u·|f|/ε: in float32 the two errors meet at ≈ 10⁻⁴, too coarse to tell a
#   right gradient from a slightly wrong one. Check in **float64** (ε = 10⁻⁶).
# * `gradcheck` contracts the output with a random cotangent, so transposition errors show.
# * `gradgradcheck` checks the backward pass of the backward pass: a backward built from constants
#   passes `gradcheck` and fails it.
#
# ## Exercises
#
# **Graded by minigan.** `python -m minigan exercises start hw exp log tanh sigmoid softplus` writes the stubs of this
# notebook's formulas into `hw/`; fill them in, then `python -m minigan exercises check hw exp log tanh sigmoid softplus`
# grades them (docs/exercises.md). In a notebook: `minigan.exercises.check("exp", my_function)`.
# The questions below are experiments with this notebook's code.
#
# The tests of minigan double as exercises; `docs/exercises.md` lists them with their model answers.
#
# 1. Write `Reciprocal` (y = 1/x, ∂y/∂x = −1/x²) and check it with `gradcheck` and `gradgradcheck`.
#    What happens to the check when an element of x is 10⁻⁴? (Look at rtol in the error message.)
# 2. Repeat section 1 for f(x) = exp(10x). Where does the bottom of the V move, and why (f‴ = 1000 f)?
# 3. `tests/test_gradcheck.py` holds `WrongSquare`, `TransposedMatmul` and `FrozenSecondDerivative`:
#    run `pytest tests/test_gradcheck.py -q`, then break one of minigan's own ops
#    (say the `Tanh` backward in `minigan/ops/elementwise.py`) and run
#    `pytest tests/ops/test_elementwise_ops.py -q`: which tests catch it?
# 4. A two-input op: write `Hypot` (y = √(a² + b²)) and check it for a of shape (2, 1, 3) and
#    b of shape (4, 1). Your backward returns gradients of the broadcast shape — who sums them back?
#    (notebook 01, `unbroadcast`; `docs/exercises.md`, exercise 3.)
# 5. Replace `np.float64` by `np.float32` in the cell of section 3. What does gradcheck say, and what
#    does it do?
