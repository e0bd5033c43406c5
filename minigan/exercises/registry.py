"""The exercise set, in the order the lecture teaches it: autograd, layers, losses, optimizers,
adversarial examples, the GAN variants.

An exercise is one formula: its name (the student's file NAME.py), its lecture ID, a one-line
summary, the tutorial whose exercises point at it, the names the student's file defines, and the
module of its check (`check_NAME` there; the optional HINTS_FOR_EXCEPTIONS[NAME] maps an exception's
text to a hint). The checks are imported only when an exercise is graded, so that listing the
exercises, or grading one of them in a subprocess, imports no more than it needs.

The IDs are the lecture's (docs/lecture/FORMULAS.md: GAN-3, WGAN-4, OPT-ADAM, BEGAN-3, ADV-1, ...)
and, for the machinery the slides take for granted, minigan's own: AD-* (automatic differentiation)
and NN-* (layers).
"""
import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    name: str
    lecture_id: str
    summary: str
    tutorial: str           # the notebook under tutorials/, e.g. "01"
    symbols: tuple          # the names the student's file defines, e.g. ("Mul",)
    module: str             # the checks module, e.g. "checks_autograd"

    @property
    def source_file(self):
        return f"{self.name}.py"

    def _checks(self):
        return importlib.import_module(f"minigan.exercises.{self.module}")

    @property
    def check(self):
        """check(grading, *symbols): raises CheckFailed or NotAttempted, or returns when every check passed."""
        return getattr(self._checks(), f"check_{self.name}")

    @property
    def hints_for_exceptions(self):
        return getattr(self._checks(), "HINTS_FOR_EXCEPTIONS", {}).get(self.name, ())


def _table(module, tutorial, *rows):
    return [Exercise(name, lecture_id, summary, tutorial, symbols, module)
            for name, lecture_id, symbols, summary in rows]


EXERCISES = [
    # automatic differentiation: tutorials 01 and 02
    *_table("checks_autograd", "01",
            ("unbroadcast", "AD-BROADCAST", ("unbroadcast",), "sum a gradient back to the shape of a broadcast input"),
            ("mul", "AD-MUL", ("Mul",), "the product rule's backward under broadcasting"),
            ("div", "AD-DIV", ("Div",), "the quotient rule's backward under broadcasting")),
    *_table("checks_autograd", "02",
            ("exp", "AD-EXP", ("Exp",), "y = eˣ and its derivative y"),
            ("log", "AD-LOG", ("Log",), "y = log x and its derivative 1/x"),
            ("tanh", "AD-TANH", ("Tanh",), "y = tanh x and its derivative 1 − y²"),
            ("sigmoid", "AD-SIGMOID", ("Sigmoid",), "y = σ(x) without overflow, and y (1 − y)"),
            ("softplus", "AD-SOFTPLUS", ("Softplus",),
             "the stable softplus max(x, 0) + log1p(e^−|x|), derivative σ(x)")),
    *_table("checks_autograd", "01",
            ("sum", "AD-SUM", ("Sum",), "the sum over axes (keepdims or not), its gradient broadcast back"),
            ("mean", "AD-MEAN", ("Mean",), "the mean over axes, its gradient G / n broadcast back"),
            ("matmul", "AD-MATMUL", ("MatMul",), "Y = A B;  ∂L/∂A = G Bᵀ, ∂L/∂B = Aᵀ G"),
            ("getitem", "AD-INDEX", ("GetItem",), "indexing with repeated indices: the gradients add up")),
    *_table("checks_backprop", "01",
            ("backward", "AD-BACKWARD", ("topological_order", "backward"),
             "the topological order and the backward loop over a graph of Functions")),
    # layers: tutorial 03
    *_table("checks_layers", "03",
            ("linear", "NN-LINEAR", ("Linear",), "the dense layer y = x Wᵀ + b and its three gradients"),
            ("unfold", "NN-UNFOLD", ("Unfold",), "im2col: the patches as rows, and fold (its adjoint) as the backward"),
            ("conv2d", "NN-CONV", ("conv2d",), "the convolution as unfold + one matrix product"),
            ("conv_transpose2d", "NN-CONVT", ("conv_transpose2d",),
             "the transposed convolution as conv2d's adjoint (matmul + fold)"),
            ("batch_norm", "NN-BATCHNORM", ("BatchNorm",),
             "batch norm in training mode and its backward through μ and σ²")),
    # losses: tutorials 05 (GAN), 06 (WGAN), 07 (BEGAN)
    *_table("checks_losses", "05",
            ("bce_with_logits", "GAN-5", ("bce_with_logits",),
             "binary cross-entropy on logits, softplus(a) − a·z, stable at ±1000"),
            ("discriminator_loss", "GAN-3", ("discriminator_loss",),
             "D's loss: minus (1/m) Σ [log D(x) + log(1 − D(G(z)))] on logits"),
            ("minimax_generator_loss", "GAN-4", ("minimax_generator_loss",), "G descends (1/m) Σ log(1 − D(G(z)))"),
            ("non_saturating_generator_loss", "GAN-5", ("non_saturating_generator_loss",),
             "G minimises −(1/m) Σ log D(G(z))")),
    *_table("checks_losses", "06",
            ("critic_objective", "WGAN-4", ("critic_objective",),
             "line 5: mean f(x) − mean f(G(z)), the critic's objective"),
            ("critic_step", "WGAN-4", ("critic_step",),
             "lines 5-7: one RMSProp ascent step of the critic, then clip w to [−c, c]"),
            ("gradient_penalty", "WGAN-GP", ("gradient_penalty",),
             "(1/m) Σ (‖∇_x̂ f(x̂)‖ − 1)² on interpolates, with double backward")),
    *_table("checks_began", "07",
            ("reconstruction_loss", "BEGAN-1", ("reconstruction_loss",),
             "the autoencoder's loss L(v) = mean |v − D(v)|"),
            ("began_losses", "BEGAN-2", ("began_losses",),
             "L_D = L(x) − k_t L(G(z_D)), L_G = L(G(z_G)), each reaching its own player"),
            ("update_k", "BEGAN-3", ("update_k",), "k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1)"),
            ("convergence_measure", "BEGAN-5", ("convergence_measure",), "M_global = L(x) + |γ L(x) − L(G(z_G))|")),
    # optimizers: tutorial 04
    *_table("checks_optim", "04",
            ("sgd_momentum_step", "OPT-GD", ("sgd_momentum_step",),
             "one step of SGD with momentum (PyTorch's buffer b_t = μ b + g)"),
            ("rmsprop_step", "OPT-RMSPROP", ("rmsprop_step",),
             "one RMSProp step: v_t = α v + (1 − α) g², θ −= lr g/(√v + ε)"),
            ("adam_step", "OPT-ADAM", ("adam_step",), "one Adam step with bias-corrected moments"),
            ("optimistic_adam_step", "OPT-OADAM", ("optimistic_adam_step",),
             "one Optimistic Adam step: −2η d_t + η d_{t−1}"),
            ("omd_bilinear", "OPT-OMD", ("omd_bilinear",),
             "optimistic mirror descent on min_x max_y x·y: the last iterate converges")),
    # adversarial examples: tutorial 08
    *_table("checks_adversarial", "08",
            ("fgsm", "ADV-1", ("fgsm",), "the fast gradient sign method x + ε sign(∇ₓJ), clipped to [0, 1]"),
            ("pgd", "ADV-1", ("pgd",), "PGD's steps, each projected onto the ε-ball around x and onto [0, 1]"),
            ("adversarial_loss", "ADV-2", ("adversarial_loss",),
             "J̃ = α J(x) + (1 − α) J(x + ε sign ∇ₓJ), the attack a constant")),
    # the GAN variants: tutorial 09
    *_table("checks_variants", "09",
            ("conditional_discriminator_loss", "VAR-CGAN", ("conditional_discriminator_loss",),
             "D(x | y)'s loss: each image judged with its own label, real and fake"),
            ("conditional_generator_loss", "VAR-CGAN", ("conditional_generator_loss",),
             "G(z | y)'s non-saturating loss −log D(G(z | y) | y)"),
            ("aae_discriminator_loss", "VAR-AAE-2", ("aae_discriminator_loss",),
             "D on codes: prior samples real, enc(x) fake, the encoder frozen"),
            ("aae_encoder_loss", "VAR-AAE-2", ("aae_encoder_loss",),
             "the encoder against D: −log D(enc(x))")),
    # more GAN variants: tutorial 10
    *_table("checks_variants", "10",
            ("ebgan_margin_loss", "VAR-EBGAN-1", ("ebgan_margin_loss",),
             "EBGAN's L_D = mean D(x) + [m − D(G(z))]⁺, the hinge on each fake's energy"),
            ("pulling_away", "VAR-EBGAN-2", ("pulling_away",),
             "f_PT: the mean squared cosine between the codes of different samples (i ≠ j)"),
            ("ali_losses", "VAR-ALI", ("ali_losses",),
             "ALI's L_D on the pairs (x, E(x)) and (G(z), z), and L_EG with the labels flipped"),
            ("sghmc_step", "VAR-BAYES-2", ("sghmc_step",),
             "one SGHMC step: v ← (1 − α) v + η ∇ log p + n, n ~ N(0, 2αη I); θ ← θ + v")),
]


def all_exercises():
    """Every exercise, in teaching order."""
    return list(EXERCISES)


def get(name):
    """The exercise called `name`, or a KeyError that lists the names."""
    for exercise in EXERCISES:
        if exercise.name == name:
            return exercise
    raise KeyError(f"no exercise named {name!r}; `python -m minigan exercises list` shows them all: "
                   + ", ".join(e.name for e in EXERCISES))
