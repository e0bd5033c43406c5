"""Where minigan holds the answer to each exercise, and whether a student's file only calls it.

A file that imports `minigan.optim.Adam` for `adam_step`, or `minigan.ops.Mul` for `mul`, passes every
check without the student writing the formula. `borrowed(text, exercise)` reads the file (its syntax
tree: nothing runs) and names what it uses of minigan's answer, beyond what the exercise's own stub
imports (`pgd`'s stub imports `fgsm`, `conv2d`'s imports `ops`). The grader reports such a file
as failed ("minigan's own answer"), unless the teacher allows it (`allow_minigan=True`,
`--allow-minigan`).
"""
import ast
import importlib
import types

# exercise -> the objects (or modules: everything defined in them) that are its answer
ANSWERS = {
    "unbroadcast": ("minigan.unbroadcast",),
    "mul": ("minigan.ops.Mul",), "div": ("minigan.ops.Div",), "exp": ("minigan.ops.Exp",),
    "log": ("minigan.ops.Log",), "tanh": ("minigan.ops.Tanh", "minigan.functional.tanh"),
    "sigmoid": ("minigan.ops.Sigmoid", "minigan.functional.sigmoid"),
    "softplus": ("minigan.ops.Softplus", "minigan.functional.softplus"),
    "sum": ("minigan.ops.Sum",), "mean": ("minigan.ops.Sum", "minigan.autograd.Tensor.mean"),
    "matmul": ("minigan.ops.MatMul",),
    "getitem": ("minigan.ops.GetItem",),
    "backward": ("minigan.backprop", "minigan.grad"),
    "linear": ("minigan.ops.Affine", "minigan.functional.linear", "minigan.nn.Linear"),
    "unfold": ("minigan.ops.Unfold",),
    "conv2d": ("minigan.functional.conv2d", "minigan.ops.Convolution", "minigan.nn.Conv2d"),
    "conv_transpose2d": ("minigan.functional.conv_transpose2d", "minigan.ops.TransposedConvolution",
                         "minigan.nn.ConvTranspose2d"),
    "batch_norm": ("minigan.functional.batch_norm", "minigan.ops.Normalize", "minigan.nn.BatchNorm1d",
                   "minigan.nn.BatchNorm2d"),
    "bce_with_logits": ("minigan.functional.bce_with_logits", "minigan.functional.binary_cross_entropy"),
    "discriminator_loss": ("minigan.gan.losses",), "minimax_generator_loss": ("minigan.gan.losses",),
    "non_saturating_generator_loss": ("minigan.gan.losses",), "critic_objective": ("minigan.gan.losses",),
    "critic_step": ("minigan.gan.wgan", "minigan.nn.clip_parameters_"),
    "gradient_penalty": ("minigan.gan.gradient_penalty",),
    "reconstruction_loss": ("minigan.gan.began",), "began_losses": ("minigan.gan.began",),
    "update_k": ("minigan.gan.began",), "convergence_measure": ("minigan.gan.began",),
    "sgd_momentum_step": ("minigan.optim",), "rmsprop_step": ("minigan.optim",), "adam_step": ("minigan.optim",),
    "optimistic_adam_step": ("minigan.optim",), "omd_bilinear": ("minigan.games", "minigan.optim"),
    "fgsm": ("minigan.adversarial.fgsm",), "pgd": ("minigan.adversarial.pgd", "minigan.adversarial.bim"),
    "adversarial_loss": ("minigan.adversarial.adversarial_loss",),
}


def resolve(dotted):
    """The object that the dotted name `minigan.a.b` stands for (None when there is none)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name, None)
        return obj
    return None


def names_used(text):
    """Every dotted name beginning with `minigan` that the source refers to (imports, attributes)."""
    tree = ast.parse(text)
    aliases, used = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "minigan":
                    aliases[a.asname or "minigan"] = a.name if a.asname else "minigan"
                    used.add(a.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "minigan":
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
                used.add(f"{node.module}.{a.name}")
    for node in ast.walk(tree):
        chain = _chain(node)
        if chain and chain[0] in aliases:
            used.add(".".join([aliases[chain[0]], *chain[1:]]))
    return used


def _chain(node):
    """['np', 'linalg', 'norm'] for the expression np.linalg.norm (None for anything else)."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return [node.id, *reversed(names)] if isinstance(node, ast.Name) else None


def _is_part_of(obj, answer):
    if obj is answer:
        return True
    if isinstance(answer, types.ModuleType):
        name = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
        return isinstance(name, str) and (name == answer.__name__ or name.startswith(answer.__name__ + "."))
    return False


def borrowed(text, exercise_name, stub_text=None):
    """The dotted names in `text` that are minigan's answer to the exercise (sorted; empty when none),
    leaving out what the exercise's stub itself uses."""
    from minigan.exercises import workspace

    answers = [a for a in (resolve(d) for d in ANSWERS.get(exercise_name, ())) if a is not None]
    try:
        used = names_used(text)
        allowed = names_used(stub_text if stub_text is not None else workspace.stub(exercise_name))
    except (SyntaxError, ValueError):
        return []
    allowed_objects = [resolve(n) for n in allowed]
    found = []
    for name in sorted(used - allowed):
        obj = resolve(name)
        if obj is None or any(obj is a for a in allowed_objects):
            continue
        if any(_is_part_of(obj, a) for a in answers):
            found.append(name)
    return [n for n in found if not any(f.startswith(n + ".") for f in found)]
