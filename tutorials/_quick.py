"""What the notebooks share: the quick mode and the look of their figures.

    MINIGAN_QUICK=1  →  QUICK is True: fewer steps and smaller data, so that the test suite can
                        execute every notebook in seconds. Without it the notebooks show the real
                        results (that is how the stored outputs were made).

    from _quick import QUICK, steps, setup
    setup()                          # inline, small PNG figures, a fixed seed
    n_steps = steps(5000, 200)       # 5000 for real, 200 in quick mode
"""
import os

QUICK = os.environ.get("MINIGAN_QUICK") == "1"


def steps(full, quick):
    """`full` normally, `quick` when MINIGAN_QUICK=1 (any value: step counts, sizes, lists)."""
    return quick if QUICK else full


def setup(seed=0, dpi=80):
    """Seed minigan's generator and make figures small PNGs, so the stored notebooks stay light."""
    import matplotlib

    import minigan

    try:  # in a Jupyter kernel: figures inline, also the Figure objects that minigan.viz returns
        get_ipython().run_line_magic("matplotlib", "inline")  # noqa: F821 (an IPython builtin)
    except NameError:
        pass
    matplotlib.rcParams.update({"figure.dpi": dpi, "savefig.dpi": dpi, "figure.figsize": (6.0, 3.6),
                                "axes.grid": True, "grid.alpha": 0.3, "font.size": 10})
    minigan.manual_seed(seed)
    print(f"minigan {minigan.__version__}, seed {seed}, " + ("quick mode (MINIGAN_QUICK=1)" if QUICK else "full mode"))
