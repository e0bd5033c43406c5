"""The algorithm's lines as the page prints them, each with its formula ID (docs/lecture/FORMULAS.md),
and which of them an update runs (the page lights those).

Each line is (text, formula ID, part): part "loop" is the repeat of the discriminator updates (lit by
Step only), "d" a line of one D (critic) update (Step D, Step), "g" a line of the G update (Step G, Step).
"""
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam",
                   "oadam": "OAdam", "omd": "OMD"}


def gan_lines(generator_loss="non_saturating", optimizer="adam"):
    """Goodfellow et al.'s Algorithm 1 (GAN-3, GAN-4), with GAN-5's non-saturating loss."""
    if generator_loss == "minimax":
        g_update = ("descend ∇θg (1/m) Σ log(1 − D(G(zᵢ)))", "GAN-4")
    else:
        g_update = ("descend ∇θg −(1/m) Σ log D(G(zᵢ))   (non-saturating)", "GAN-5")
    name = OPTIMIZER_NAMES.get(optimizer, optimizer)
    return [("for k steps:", "GAN-3", "loop"),
            ("    sample m noise zᵢ ~ p_z and m examples xᵢ ~ p_data", "GAN-3", "d"),
            (f"    ascend ∇θd (1/m) Σ [log D(xᵢ) + log(1 − D(G(zᵢ)))]   ({name})", "GAN-3", "d"),
            ("sample m noise zᵢ ~ p_z", "GAN-4", "g"),
            (f"{g_update[0]}   ({name})", g_update[1], "g")]


def cgan_lines(generator_loss="non_saturating", optimizer="adam"):
    """Algorithm 1 with both players given the condition y, the mode's index [VAR-CGAN]."""
    name = OPTIMIZER_NAMES.get(optimizer, optimizer)
    if generator_loss == "minimax":
        g_update = ("descend ∇θg (1/m) Σ log(1 − D(G(zᵢ | y′ᵢ) | y′ᵢ))", "VAR-CGAN")
    else:
        g_update = ("descend ∇θg −(1/m) Σ log D(G(zᵢ | y′ᵢ) | y′ᵢ)   (non-saturating)", "VAR-CGAN")
    return [("for k steps:", "GAN-3", "loop"),
            ("    sample m pairs (xᵢ, yᵢ) ~ p_data, m noise zᵢ ~ p_z and labels y′ᵢ ~ p_y", "VAR-CGAN", "d"),
            (f"    ascend ∇θd (1/m) Σ [log D(xᵢ | yᵢ) + log(1 − D(G(zᵢ | y′ᵢ) | y′ᵢ))]   ({name})", "VAR-CGAN", "d"),
            ("sample m noise zᵢ ~ p_z and labels y′ᵢ ~ p_y", "VAR-CGAN", "g"),
            (f"{g_update[0]}   ({name})", g_update[1], "g")]


def wgan_lines(optimizer="rmsprop", penalty=False):
    """Arjovsky et al.'s Algorithm 1 (WGAN-4, by line), or WGAN-GP's penalty in place of clipping."""
    name = OPTIMIZER_NAMES.get(optimizer, optimizer)
    lines = [("for t = 0, …, n_critic:", "WGAN-4 line 2", "loop"),
             ("    sample {xᵢ} ~ P_r and {zᵢ} ~ p(z), m each", "WGAN-4 lines 3-4", "d")]
    if penalty:
        lines += [("    x̂ᵢ = εᵢ xᵢ + (1 − εᵢ) g_θ(zᵢ),  εᵢ ~ U[0, 1]", "WGAN-GP", "d"),
                  ("    g_w ← ∇_w [(1/m) Σ f_w(xᵢ) − (1/m) Σ f_w(g_θ(zᵢ)) − λ (1/m) Σ (‖∇f_w(x̂ᵢ)‖ − 1)²]",
                   "WGAN-GP", "d"),
                  (f"    w ← w + α · {name}(w, g_w)", "WGAN-4 line 6", "d")]
    else:
        lines += [("    g_w ← ∇_w [(1/m) Σ f_w(xᵢ) − (1/m) Σ f_w(g_θ(zᵢ))]", "WGAN-4 line 5", "d"),
                  (f"    w ← w + α · {name}(w, g_w)", "WGAN-4 line 6", "d"),
                  ("    w ← clip(w, −c, c)", "WGAN-4 line 7", "d")]
    return lines + [("sample {zᵢ} ~ p(z)", "WGAN-4 line 9", "g"),
                    ("g_θ ← −∇_θ (1/m) Σ f_w(g_θ(zᵢ))", "WGAN-4 line 10", "g"),
                    (f"θ ← θ − α · {name}(θ, g_θ)", "WGAN-4 line 11", "g")]


def ebgan_lines(optimizer="adam"):
    """EBGAN (VAR-EBGAN-1, VAR-EBGAN-2): the margin loss of the autoencoder, then G's energy."""
    name = OPTIMIZER_NAMES.get(optimizer, optimizer)
    return [("sample m examples xᵢ and m noise zᵢ;  D(v) = ‖Dec(Enc(v)) − v‖²", "VAR-EBGAN-1", "d"),
            (f"descend ∇θd (1/m) Σ [D(xᵢ) + [m − D(G(zᵢ))]⁺]   ({name})", "VAR-EBGAN-1", "d"),
            ("sample m noise zᵢ;  S = Enc(G(z))", "VAR-EBGAN-2", "g"),
            (f"descend ∇θg (1/m) Σ D(G(zᵢ)) + λ_PT f_PT(S)   ({name})", "VAR-EBGAN-2", "g")]


def bayesian_gan_lines(sampler="noisy-adam"):
    """The Bayesian GAN's Algorithm 1 (VAR-BAYES-1, VAR-BAYES-2) with M generator samples."""
    step = "SGHMC: v ← (1 − α) v + η ∇ log p + n, θ ← θ + v" if sampler == "sghmc" else "Adam on ∇ + noise"
    return [("sample m examples xᵢ; m noise zᵢ, m/M for each G sample θ_g^j", "VAR-BAYES-1", "d"),
            (f"θ_d: {step} on log p(θ_d | z, X, θ_g)", "VAR-BAYES-2", "d"),
            ("sample m noise zᵢ, m/M for each G sample θ_g^j", "VAR-BAYES-1", "g"),
            (f"every θ_g^j: {step} on log p(θ_g | z, θ_d)", "VAR-BAYES-2", "g")]


def algorithm_lines(algorithm, config):
    """The lines of `algorithm` ("gan", "wgan", "wgan-gp", "cgan", "ebgan", "bayesian-gan") under its
    resolved settings `config`."""
    if algorithm == "cgan":
        return cgan_lines(config.get("generator_loss", "non_saturating"), config.get("optimizer", "adam"))
    if algorithm == "ebgan":
        return ebgan_lines(config.get("optimizer", "adam"))
    if algorithm == "bayesian-gan":
        return bayesian_gan_lines(config.get("sampler", "noisy-adam"))
    if algorithm == "gan":
        return gan_lines(config.get("generator_loss", "non_saturating"), config.get("optimizer", "adam"))
    return wgan_lines(config.get("optimizer", "rmsprop"), penalty=algorithm == "wgan-gp")


def lit(lines, action):
    """The indices of the lines that `action` runs: "d" (Step D), "g" (Step G), "step" or "play" (all)."""
    parts = {"d": {"d"}, "g": {"g"}, "step": {"loop", "d", "g"}, "play": {"loop", "d", "g"}}.get(action, set())
    return [i for i, (_, _, part) in enumerate(lines) if part in parts]
