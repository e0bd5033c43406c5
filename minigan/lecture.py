"""The lecture as data: each formula ID of docs/lecture/FORMULAS.md, its LaTeX in the slide's own
notation, and the code that implements it, read from the source by its tags.

A tag is a citation in square brackets, in a comment or a docstring of a file under minigan/, where
the formula is implemented:

    [WGAN-4]                  the ID alone
    [WGAN-4 line 7]           one line of an algorithm          [WGAN-4 lines 3-7]   several lines
    [GAN-2, WGAN-2]           several citations, comma-separated

An ID is a family (GAN, WGAN, OPT, BEGAN, ADV, VAR; AD and NN are the exercises' own IDs, for the
machinery the slides take for granted) and one or more parts in capitals or digits (GAN-3,
OPT-OADAM, VAR-AAE-1). Any bracket that opens with a family and a hyphen is read as a tag: it must
follow the grammar and name a known ID, or `check` fails and names it. A plain mention without
brackets ("the saturation of GAN-5") is prose, not a tag.

    tags = find_tags()              # {ID: [Tag(path, line, function, ...)]}, in file and line order
    check(tags)                     # raises LectureError naming each unknown tag and each untagged ID
    python -m minigan.lecture_map   # checks the tags, then prints docs/lecture_map.md
"""
import ast
import pathlib
import re
from collections import defaultdict
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Formula:
    id: str
    section: str        # the lecture's section, e.g. "1.1 WGAN"
    name: str
    summary: str        # one sentence: what the formula says
    latex: str          # the formula in the slide's notation, for a display-math block
    origin: str = ""    # where a formula not printed on the slides comes from (the paper)


S1, S11, S2, S3, S4, S5 = ("1 Generative adversarial networks", "1.1 WGAN", "2 Training GANs",
                           "3 Boundary equilibrium GAN (BEGAN)", "4 Adversarial examples",
                           "5 The GAN variants the lecture lists")

FORMULAS = (
    Formula("GAN-1", S1, "Transform method",
            "Sample simple noise and let a neural network G map it onto the data distribution.",
            r"z \sim p_z \ (\text{uniform, or a spherical normal}), \qquad x = G(z) \sim p_g"),
    Formula("GAN-2", S1, "Two-player minimax game",
            "D tells data from fakes, G fools D: the value V is what D maximises and G minimises.",
            r"\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}[\log D(x)]"
            r" + \mathbb{E}_{z \sim p_z}[\log(1 - D(G(z)))]"),
    Formula("GAN-3", S1, "Algorithm 1, the discriminator",
            "Repeated k times: on m noise samples and m data examples, D ascends the value's gradient.",
            r"\nabla_{\theta_d} \frac{1}{m} \sum_{i=1}^m \left[\log D(x^{(i)}) + \log\left(1 -"
            r" D(G(z^{(i)}))\right)\right]"
            r" \quad \text{(ascend, } k \text{ times)}"),
    Formula("GAN-4", S1, "Algorithm 1, the generator",
            "On m fresh noise samples, G descends the gradient of the fakes' part of the value.",
            r"\nabla_{\theta_g} \frac{1}{m} \sum_{i=1}^m \log\left(1 - D(G(z^{(i)}))\right) \quad \text{(descend)}"),
    Formula("GAN-5", S1, "The five training steps",
            "Real batch, fake batch, train D (real 1, fake 0), new fakes, train G through D with the fakes "
            "labelled 1: the non-saturating loss, which does not vanish when D rejects the fakes.",
            r"\mathcal{L}_G = -\frac{1}{m} \sum_{i=1}^m \log D(G(z^{(i)}))"),
    Formula("GAN-6", S1, "Optimal discriminator",
            "For a fixed G the best D is the density ratio; at the global optimum p_g = p_data and V = −log 4.",
            r"D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}, \qquad V(D^*, G^*) = -\log 4",
            origin="Goodfellow et al. 2014, Proposition 1"),
    Formula("WGAN-1", S11, "Earth-Mover (Wasserstein-1) distance",
            "The cost of the cheapest transport plan between the two distributions; in one dimension, "
            "the mean absolute difference of the sorted samples.",
            r"W(P_r, P_g) = \inf_{\gamma \in \Pi(P_r, P_g)} \mathbb{E}_{(x, y) \sim \gamma} \lVert x - y \rVert"),
    Formula("WGAN-2", S11, "Kantorovich-Rubinstein duality",
            "The same distance as a supremum over 1-Lipschitz critics f.",
            r"W(P_r, P_\theta) = \sup_{\lVert f \rVert_L \le 1} \mathbb{E}_{x \sim P_r}[f(x)] - \mathbb{E}_{x"
            r" \sim P_\theta}[f(x)]"),
    Formula("WGAN-3", S11, "Objective",
            "The generator minimises the distance that a critic of clipped weights w estimates.",
            r"\min_\theta \max_{w \in \mathcal{W}} \mathbb{E}_{x \sim P_r}[f_w(x)] - \mathbb{E}_{z \sim"
            r" p(z)}[f_w(g_\theta(z))]"),
    Formula("WGAN-4", S11, "Algorithm 1",
            "n_critic RMSProp ascent steps of the critic, each followed by clipping its weights to [−c, c], "
            "then one generator step (α = 0.00005, c = 0.01, m = 64, n_critic = 5).",
            r"\begin{aligned}"
            r"&\textbf{for } t = 0, \dots, n_\text{critic}: && \text{(line 2)}\\"
            r"&\quad g_w \leftarrow \nabla_w \Big[\tfrac{1}{m} \textstyle\sum_i f_w(x^{(i)}) - \tfrac{1}{m}"
            r" \sum_i f_w(g_\theta(z^{(i)}))\Big] && \text{(line 5)}\\"
            r"&\quad w \leftarrow w + \alpha \cdot \operatorname{RMSProp}(w, g_w) && \text{(line 6)}\\"
            r"&\quad w \leftarrow \operatorname{clip}(w, -c, c) && \text{(line 7)}\\"
            r"&g_\theta \leftarrow -\nabla_\theta \tfrac{1}{m} \textstyle\sum_i f_w(g_\theta(z^{(i)})) &&"
            r" \text{(line 10)}\\"
            r"&\theta \leftarrow \theta - \alpha \cdot \operatorname{RMSProp}(\theta, g_\theta) && \text{(line 11)}"
            r"\end{aligned}"),
    Formula("WGAN-GP", S11, "Gradient penalty",
            "WGAN without clipping: the critic is kept 1-Lipschitz by penalising its gradient norm on "
            "random points between real and generated samples.",
            r"\hat{x} = \epsilon x + (1 - \epsilon) G(z),\ \epsilon \sim U[0, 1], \qquad"
            r" L = \mathbb{E}[f(G(z))] - \mathbb{E}[f(x)] + \lambda\, \mathbb{E}\big[(\lVert \nabla_{\hat{x}}"
            r" f(\hat{x}) \rVert_2 - 1)^2\big]",
            origin="Gulrajani et al. 2017; not printed on the slides"),
    Formula("OPT-GD", S2, "Simultaneous gradient descent/ascent",
            "Both players step along their own gradient from the same point; on a bilinear game this "
            "cycles or spirals out.",
            r"w_{t+1} = w_t + \eta \nabla_{w,t}, \qquad \theta_{t+1} = \theta_t - \eta \nabla_{\theta,t}"),
    Formula("OPT-OMD", S2, "Optimistic Mirror Descent",
            "Step along twice the new gradient minus the previous one; converges in the last iterate.",
            r"w_{t+1} = w_t + 2\eta \nabla_{w,t} - \eta \nabla_{w,t-1}, \qquad"
            r" \theta_{t+1} = \theta_t - 2\eta \nabla_{\theta,t} + \eta \nabla_{\theta,t-1}"),
    Formula("OPT-ADAM", S2, "Adam",
            "Running means of the gradient and of its square, bias-corrected, give each weight its own step "
            "(α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8).",
            r"\begin{aligned}"
            r"m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, & v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\\"
            r"\hat{m}_t &= m_t / (1 - \beta_1^t), & \hat{v}_t &= v_t / (1 - \beta_2^t),\\"
            r"\theta_t &= \theta_{t-1} - \alpha\, \hat{m}_t / (\sqrt{\hat{v}_t} + \epsilon)"
            r"\end{aligned}"),
    Formula("OPT-OADAM", S2, "Optimistic Adam",
            "Adam's moments, then the optimistic step: twice the new direction minus the previous one.",
            r"\theta_t = \theta_{t-1} - 2\eta \frac{\hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}"
            r" + \eta \frac{\hat{m}_{t-1}}{\sqrt{\hat{v}_{t-1}} + \epsilon}"),
    Formula("OPT-RMSPROP", S2, "RMSProp",
            "A running mean of the squared gradient scales each weight's step (α = 0.99, ε = 1e-8, no bias "
            "correction); the optimizer of WGAN's Algorithm 1.",
            r"v_t = \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad \theta_t = \theta_{t-1} - \text{lr} \cdot"
            r" \frac{g_t}{\sqrt{v_t} + \epsilon}",
            origin="not printed on the slides; used by WGAN-4"),
    Formula("GAN-HARD", S2, "Why GANs are hard to train",
            "Vanishing gradients, instability and mode collapse; the tips: a spherical z and batch normalisation.",
            r"z \sim \mathcal{N}(0, I), \qquad \hat{x} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}},"
            r" \quad y = \gamma \hat{x} + \beta"),
    Formula("BEGAN-1", S3, "Autoencoder loss",
            "The discriminator is an autoencoder; L measures how badly it reconstructs v.",
            r"\mathcal{L}(v) = \lvert v - D(v) \rvert^\eta, \qquad \eta \in \{1, 2\}"),
    Formula("BEGAN-2", S3, "Losses",
            "D reconstructs the data and, weighted by k_t, fails on the fakes; G makes fakes D reconstructs.",
            r"\mathcal{L}_D = \mathcal{L}(x) - k_t \cdot \mathcal{L}(G(z_D)), \qquad \mathcal{L}_G ="
            r" \mathcal{L}(G(z_G))"),
    Formula("BEGAN-3", S3, "Equilibrium control",
            "k_t, a proportional controller, keeps the fakes' loss at γ times the data's.",
            r"k_{t+1} = \operatorname{clip}\big(k_t + \lambda_k (\gamma \mathcal{L}(x) - \mathcal{L}(G(z_G))),"
            r" 0, 1\big),"
            r" \quad k_0 = 0,\ \lambda_k = 0.001"),
    Formula("BEGAN-4", S3, "Diversity ratio",
            "γ sets the balance: lower γ, sharper and less diverse samples.",
            r"\gamma = \frac{\mathbb{E}[\mathcal{L}(G(z))]}{\mathbb{E}[\mathcal{L}(x)]} \in [0, 1]"),
    Formula("BEGAN-5", S3, "Convergence measure",
            "A learning curve that means something: the data's loss plus the distance from equilibrium.",
            r"\mathcal{M}_\text{global} = \mathcal{L}(x) + \lvert \gamma \mathcal{L}(x) - \mathcal{L}(G(z_G)) \rvert"),
    Formula("BEGAN-6", S3, "Interpolations",
            "Samples along a line or a great circle between two latent codes; for real images, first find "
            "their codes.",
            r"x_t = G\big(\operatorname{slerp}(z_1, z_2; t)\big), \quad t \in [0, 1], \qquad"
            r" z^* = \arg\min_z \lVert G(z) - x \rVert"),
    Formula("ADV-1", S4, "Fast gradient sign method",
            "One step of size ε along the sign of the loss's gradient with respect to the input "
            "(panda → gibbon at ε = 0.007).",
            r"x_\text{adv} = x + \epsilon \cdot \operatorname{sign}\big(\nabla_x J(\theta, x, y)\big)"),
    Formula("ADV-2", S4, "Adversarial training",
            "Train on a mix of the clean loss and the loss on FGSM's examples (α = 0.5).",
            r"\tilde{J}(\theta, x, y) = \alpha J(\theta, x, y) + (1 - \alpha) J\big(\theta, x + \epsilon"
            r" \operatorname{sign}(\nabla_x J(\theta, x, y)), y\big)",
            origin="Goodfellow et al. 2015"),
    Formula("ADV-3", S4, "Adversarial patch",
            "A universal, robust, targeted patch, pasted by A at location l after a transformation t.",
            r"\hat{p} = \arg\max_p \mathbb{E}_{x \sim X, t \sim T, l \sim L} \big[\log \Pr(\hat{y} \mid A(p, x,"
            r" l, t))\big]",
            origin="Brown et al. 2017"),
    Formula("ADV-4", S4, "Robust manifold defense",
            "Project the input onto the range of a generator and classify the projection.",
            r"z^* = \arg\min_z \lVert G(z) - x \rVert^2, \qquad \hat{y} = \text{classifier}(G(z^*))",
            origin="Ilyas et al. 2017"),
    Formula("VAR-CGAN", S5, "Conditional GAN",
            "Both players see the condition y, a one-hot class label.",
            r"\min_G \max_D V = \mathbb{E}_{x, y \sim p_\text{data}}[\log D(x \mid y)]"
            r" + \mathbb{E}_{z \sim p_z, y}[\log(1 - D(G(z \mid y) \mid y))]",
            origin="Mirza & Osindero 2014"),
    Formula("VAR-ALI", S5, "ALI / BiGAN",
            "An encoder E beside the generator G; the discriminator judges joint pairs (x, z).",
            r"\min_{G, E} \max_D V = \mathbb{E}_{x \sim p_\text{data}}[\log D(x, E(x))]"
            r" + \mathbb{E}_{z \sim p_z}[\log(1 - D(G(z), z))]",
            origin="Dumoulin et al. 2016; Donahue et al. 2016"),
    Formula("VAR-AAE-1", S5, "Adversarial autoencoder, reconstruction phase",
            "The autoencoder minimises its reconstruction error.",
            r"\min_{\text{enc}, \text{dec}} \lVert x - \text{dec}(\text{enc}(x)) \rVert^2",
            origin="Makhzani et al. 2015"),
    Formula("VAR-AAE-2", S5, "Adversarial autoencoder, regularisation phase",
            "A discriminator on codes tells the prior's samples from the encoder's codes; the encoder, as "
            "the generator, fools it.",
            r"\max_D \log D(z') + \log(1 - D(\text{enc}(x))),\ z' \sim p(z); \qquad"
            r" \min_\text{enc} -\log D(\text{enc}(x))",
            origin="Makhzani et al. 2015"),
    Formula("VAR-EBGAN-1", S5, "Energy-based GAN",
            "D is an autoencoder whose energy is its reconstruction error; a margin m bounds the fakes' energy.",
            r"D(x) = \lVert \text{Dec}(\text{Enc}(x)) - x \rVert, \qquad"
            r" \mathcal{L}_D = D(x) + [m - D(G(z))]^+, \quad \mathcal{L}_G = D(G(z))",
            origin="Zhao et al. 2016"),
    Formula("VAR-EBGAN-2", S5, "Pulling-away term",
            "The mean squared cosine similarity of the encoder's codes of a generated batch, against mode collapse.",
            r"f_\text{PT}(S) = \frac{1}{N(N-1)} \sum_i \sum_{j \ne i}"
            r" \left(\frac{S_i^\top S_j}{\lVert S_i \rVert \lVert S_j \rVert}\right)^2",
            origin="Zhao et al. 2016"),
    Formula("VAR-BAYES-1", S5, "Bayesian GAN posteriors",
            "Distributions over the weights of both players, z marginalised by simple Monte Carlo.",
            r"\begin{aligned}"
            r"p(\theta_g \mid z, \theta_d) &\propto \Big(\prod_{i=1}^{n_g} D(G(z^{(i)}; \theta_g);"
            r" \theta_d)\Big)\, p(\theta_g \mid \alpha_g)\\"
            r"p(\theta_d \mid z, X, \theta_g) &\propto \prod_{i=1}^{n_d} D(x^{(i)}; \theta_d)"
            r" \prod_{i=1}^{n_g} \big(1 - D(G(z^{(i)}; \theta_g); \theta_d)\big)\, p(\theta_d \mid \alpha_d)"
            r"\end{aligned}",
            origin="Saatchi & Wilson 2017"),
    Formula("VAR-BAYES-2", S5, "SGHMC",
            "Stochastic gradient Hamiltonian Monte Carlo: a noisy, damped momentum step per weight sample.",
            r"v \leftarrow (1 - \alpha) v + \eta \nabla_\theta \log p(\theta \mid \cdot) + n,"
            r" \ n \sim \mathcal{N}(0, 2(\alpha - \hat{\alpha}) \eta I); \qquad \theta \leftarrow \theta + v",
            origin="Chen et al. 2014"),
)

BY_ID = {f.id: f for f in FORMULAS}

# The formulas of the lecture's section 5 that minigan does not implement yet: their pages show the
# math and say so. `check` fails for an ID here that has tagged code, so this set cannot go stale:
# remove an ID from it when its implementation lands.
NOT_YET_IMPLEMENTED = frozenset()

FAMILIES = ("GAN", "WGAN", "OPT", "BEGAN", "ADV", "VAR", "AD", "NN")
BRACKET = re.compile(r"\[((?:%s)-[^\]\n]*)\]" % "|".join(FAMILIES))
CITATION = re.compile(r"(?P<id>[A-Z]+(?:-[A-Z0-9]+)+)(?: lines? (?P<lines>\d+(?:-\d+)?))?")
EXERCISE_FAMILIES = ("AD", "NN")    # minigan's own IDs, for the exercises on the machinery
EXERCISE_SOURCES = "minigan/exercises/sources"   # the exercises' solutions: graded, not shown
NOT_SCANNED = ("minigan/lecture.py", "minigan/lecture_map.py")   # they quote the grammar, not the formulas


class LectureError(ValueError):
    """A tag that breaks the grammar or names an unknown ID, or a formula with no tagged code."""


@dataclass(frozen=True)
class Tag:
    id: str
    path: str           # relative to the project root, e.g. "minigan/gan/wgan.py"
    line: int           # 1-based
    function: str       # the enclosing function or class, qualified ("WGAN.critic_step"); "" at module level
    start: int          # the excerpt that shows it: the enclosing function (or the statement), lines start..end
    end: int
    algorithm_lines: str = ""   # "7" or "3-4" for "[WGAN-4 line 7]", "[WGAN-4 lines 3-4]"
    text: str = ""              # the tag as written, e.g. "[WGAN-4 line 7]"

    @property
    def in_exercise(self):
        return self.path.startswith(EXERCISE_SOURCES + "/")


def _scopes(tree):
    """[(start, end, qualified name, kind, docstring end)] of every def and class, outermost first."""
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                body0 = child.body[0]
                doc_end = body0.end_lineno if (isinstance(body0, ast.Expr) and isinstance(
                    getattr(body0, "value", None), ast.Constant) and isinstance(body0.value.value, str)) else None
                found.append((start, child.end_lineno, name,
                              "class" if isinstance(child, ast.ClassDef) else "def", doc_end))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _statement(tree, line):
    """The (start, end) of the module-level statement that holds `line`, or (line, line)."""
    for node in tree.body:
        if node.lineno <= line <= node.end_lineno:
            return node.lineno, node.end_lineno
    return line, line


def _excerpt(tree, scopes, line):
    """(function, start, end): the innermost def around `line` whole; a class's header and docstring
    when the line is in the docstring; else the statement at module level."""
    inner = [s for s in scopes if s[0] <= line <= s[1]]
    defs = [s for s in inner if s[3] == "def"]
    if inner and inner[-1][3] == "class" and (not defs or defs[-1][0] < inner[-1][0]):
        start, end, name, _, doc_end = inner[-1]
        if doc_end is not None and line <= doc_end:
            return name, start, doc_end
        return name, line, line
    if defs:
        start, end, name, _, _ = defs[-1]
        return name, start, end
    start, end = _statement(tree, line)
    return "", start, end


def parse_tags(text, path="<source>"):
    """[(line, citation text, ID, algorithm lines)] for every tag in `text`; a LectureError for a
    bracket that opens like a tag and breaks the grammar."""
    found, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in BRACKET.finditer(line):
            for part in match.group(1).split(", "):
                citation = CITATION.fullmatch(part)
                if citation is None:
                    errors.append(f"{path}:{number}: {match.group(0)!r} is not a tag: write [ID], "
                                  f"[ID line N], [ID lines N-M], or several of these separated by ', '")
                else:
                    found.append((number, match.group(0), citation["id"], citation["lines"] or ""))
    if errors:
        raise LectureError("\n".join(errors))
    return found


def find_tags(root=ROOT):
    """{ID: [Tag]} for every tag in root/minigan/**/*.py (but NOT_SCANNED, which quote the grammar),
    in path and line order. Unknown IDs are kept: `check` names them."""
    root = pathlib.Path(root)
    tags, errors = defaultdict(list), []
    for path in sorted((root / "minigan").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in NOT_SCANNED:
            continue
        text = path.read_text(encoding="utf-8")
        try:
            cited = parse_tags(text, relative)
        except LectureError as error:
            errors.append(str(error))
            continue
        if not cited:
            continue
        tree = ast.parse(text, relative)
        scopes = _scopes(tree)
        for line, written, formula_id, algorithm_lines in cited:
            function, start, end = _excerpt(tree, scopes, line)
            tags[formula_id].append(Tag(formula_id, relative, line, function, start, end, algorithm_lines, written))
    if errors:
        raise LectureError("\n".join(errors))
    return dict(tags)


def exercise_ids():
    """The IDs the exercises carry (the registry is the one place that names the AD-* and NN-* ones)."""
    from minigan.exercises.registry import all_exercises
    return {exercise.lecture_id for exercise in all_exercises()}


def check(tags, formulas=FORMULAS, not_yet=NOT_YET_IMPLEMENTED, exercise_ids_=None):
    """Raise a LectureError that names every tag of an unknown ID (with its file and line), every
    formula with no tagged code outside the exercises (unless in `not_yet`), and every ID of
    `not_yet` that does have tagged code. Returns None when all is well."""
    known = {f.id for f in formulas}
    own = exercise_ids() if exercise_ids_ is None else set(exercise_ids_)
    errors = []
    for formula_id, places in sorted(tags.items()):
        if formula_id in known or (formula_id.split("-")[0] in EXERCISE_FAMILIES and formula_id in own):
            continue
        where = ", ".join(f"{t.path}:{t.line}" for t in places)
        errors.append(f"unknown formula ID {formula_id} tagged at {where}: use an ID of minigan.lecture.FORMULAS "
                      f"(docs/lecture/FORMULAS.md), or add the formula there")
    for formula in formulas:
        code = [t for t in tags.get(formula.id, ()) if not t.in_exercise]
        if formula.id in not_yet and code:
            errors.append(f"{formula.id} is in minigan.lecture.NOT_YET_IMPLEMENTED but is tagged at "
                          f"{code[0].path}:{code[0].line}: remove it from that set")
        elif formula.id not in not_yet and not code:
            errors.append(f"{formula.id} ({formula.name}) has no tagged code: cite it as [{formula.id}] "
                          f"where minigan implements it")
    if errors:
        raise LectureError("the lecture's tags do not match its formulas:\n  " + "\n  ".join(errors))


def formula_ids_in(text):
    """The known formula IDs that `text` mentions (tagged or not), in order of first mention."""
    pattern = re.compile(r"(?<![\w-])(%s)(?![\w-])" % "|".join(
        re.escape(i) for i in sorted(BY_ID, key=len, reverse=True)))
    return list(dict.fromkeys(m.group(1) for m in pattern.finditer(text)))
