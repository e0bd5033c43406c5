"""What the commands share: the datasets by name, the backend, the process's memory setting, and a
trained run restored from its folder (the recipe's saved settings rebuild the algorithm; the
checkpoint fills in its weights)."""
import ctypes
import os

from minigan.cli import fail
from minigan.gan.trainer import CHECKPOINT

DATA_HELP = "ring | grid | digits | mnist=PATH | fashion-mnist=PATH | folder=PATH"


def load_data(spec, image_size=64):
    """The dataset named on the command line; a bad name or path is a CommandError (exit 2)."""
    from minigan.data import images, toy2d

    name, _, path = spec.partition("=")
    if name in ("ring", "grid", "digits") and not path:
        return toy2d.ring() if name == "ring" else toy2d.grid() if name == "grid" else images.digits()
    loaders = {"mnist": images.mnist, "fashion-mnist": images.fashion_mnist,
               "folder": lambda p: images.image_folder(p, size=image_size)}
    if name not in loaders:
        fail(f"unknown dataset {spec!r}; choose one of: {DATA_HELP}")
    if not path:
        fail(f"--data {name} needs a path: --data {name}=PATH")
    try:
        return loaders[name](path)
    except (FileNotFoundError, ValueError, ImportError) as e:
        fail(str(e))


def use_backend(name):
    """Switch to the "numpy" or "cupy" backend (None: leave the default)."""
    import minigan

    if name:
        try:
            minigan.backend.use(name)
        except RuntimeError as e:
            fail(str(e))


def keep_freed_memory(top_pad=64 << 20):
    """Ask glibc's allocator to keep `top_pad` bytes of freed memory for the next arrays instead of
    handing them back to the kernel at once (mallopt(M_TOP_PAD)): a training step allocates the same
    arrays again and again, and without it every one page-faults (a fifth of the ring run's time,
    docs/performance.md). Nothing happens where the user set a MALLOC_* variable or the C library
    is not glibc. Returns whether the setting took."""
    if any(key in os.environ for key in ("MALLOC_TOP_PAD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")):
        return False
    try:
        return bool(ctypes.CDLL(None).mallopt(-2, int(top_pad)))   # -2: M_TOP_PAD
    except (OSError, AttributeError):
        return False


def read_checkpoint(run_dir):
    """The checkpoint of a run folder, checked to be one that `train` wrote; anything else (no file,
    a truncated or foreign file) is one line and exit 2."""
    import minigan

    path = os.path.join(run_dir, CHECKPOINT)
    if not os.path.exists(path):
        fail(f"no checkpoint in {run_dir} (looked for {path}); train first, without --resume")
    try:
        checkpoint = minigan.load(path)
    except (ValueError, OSError) as e:
        fail(f"{path} cannot be read: {e}")
    if not (isinstance(checkpoint, dict) and {"algorithm", "step", "config"} <= set(checkpoint)
            and isinstance(checkpoint["config"], dict) and "recipe" in checkpoint["config"]):
        fail(f"{path} is a minigan file but not a training checkpoint of `python -m minigan train`")
    return checkpoint


def restore(run_dir):
    """(algorithm, data, config) of a run folder, with the trained weights loaded."""
    from minigan.gan import recipes

    checkpoint = read_checkpoint(run_dir)
    config = checkpoint["config"]
    data = load_data(config["data"], config["image_size"])
    try:
        algorithm = recipes.build(config["recipe"], data).algorithm
        algorithm.load_state_dict(checkpoint["algorithm"])
    except (KeyError, ValueError, TypeError) as e:
        fail(f"the checkpoint in {run_dir} does not fit its own recipe ({type(e).__name__}: {e})")
    return algorithm, data, config
