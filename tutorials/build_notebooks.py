"""Write the tutorial notebooks from their Python sources and execute them, storing the outputs.

Each notebook NN_name.ipynb is written from tutorials/src/NN_name.py, a plain Python file cut into
cells by markers (the "percent" format that Jupytext, VS Code and Spyder read):

    # %% [markdown]
    # ## What the slide says
    # [GAN-3] ascend ∇_θd (1/m) Σ [log D(x_i) + log(1 − D(G(z_i)))]

    # %%
    import minigan

IPython magics are written commented out, as Jupytext does (`# %matplotlib inline` becomes
`%matplotlib inline` in the notebook), so that a source stays a valid Python file. Lines before the
first marker are a header for the source file and are not copied. The notebook is
then executed in a real Jupyter kernel (nbclient), in tutorials/, in full mode, and saved with its
outputs, so that its figures show on GitHub.

    python tutorials/build_notebooks.py                 # every notebook, executed in full mode
    python tutorials/build_notebooks.py 01 03           # the notebooks whose names start with 01 or 03
    python tutorials/build_notebooks.py --quick         # MINIGAN_QUICK=1 (fast, for a try-out)
    python tutorials/build_notebooks.py --no-execute    # write the cells only
"""
import argparse
import os
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

TUTORIALS = pathlib.Path(__file__).resolve().parent
SOURCES = TUTORIALS / "src"
MARKER = "# %%"
MAGIC = re.compile(r"^# (%[a-z])")  # a commented-out line magic, e.g. "# %matplotlib inline"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def split_cells(text, name="source"):
    """[(kind, source)] for the cells of a percent-format file; kind is "markdown" or "code"."""
    cells, kind, lines = [], None, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(MARKER):
            if kind is not None:
                cells.append((kind, lines))
            tag = line[len(MARKER):].strip()
            if tag not in ("", "[markdown]"):
                raise ValueError(f"{name}:{number}: unknown cell marker {line!r}; use '# %%' or '# %% [markdown]'")
            kind, lines = ("markdown" if tag else "code"), []
        elif kind is None:
            if line.strip() and not line.startswith("#"):
                raise ValueError(f"{name}:{number}: code before the first '# %%' marker; start a cell first")
        else:
            lines.append(line)
    if kind is not None:
        cells.append((kind, lines))
    return [(kind, _cell_source(kind, lines, name)) for kind, lines in cells]


def _cell_source(kind, lines, name):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    if kind == "code":
        return "\n".join(MAGIC.sub(r"\1", line) for line in lines)
    for line in lines:
        if line.strip() and not line.startswith("#"):
            raise ValueError(f"{name}: a markdown cell line must start with '#': {line!r}")
    return "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)


def notebook_from_source(path):
    """A notebook (nbformat v4) with one cell per marker of the source file at `path`."""
    path = pathlib.Path(path)
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    cells = []
    for i, (kind, source) in enumerate(split_cells(path.read_text(encoding="utf-8"), path.name)):
        cell = make[kind](source)
        cell["id"] = f"{path.stem[:50]}-{i:03d}"  # stable ids: rebuilding changes no line that need not
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    return notebook


def execute(notebook, quick=False, timeout=1800):
    """Run every cell in a fresh python3 kernel started in tutorials/; outputs are stored in place.
    Raises nbclient's CellExecutionError (with the cell and the traceback) if a cell fails."""
    previous = os.environ.get("MINIGAN_QUICK")
    os.environ["MINIGAN_QUICK"] = "1" if quick else "0"
    try:
        NotebookClient(notebook, timeout=timeout, kernel_name=KERNELSPEC["name"], record_timing=False,
                       resources={"metadata": {"path": str(TUTORIALS)}}).execute()
    finally:
        if previous is None:
            del os.environ["MINIGAN_QUICK"]
        else:
            os.environ["MINIGAN_QUICK"] = previous
    return notebook


def build(path, quick=False, run=True):
    """Write TUTORIALS/<stem>.ipynb from the source file `path` (executed unless run=False)."""
    notebook = notebook_from_source(path)
    if run:
        execute(notebook, quick=quick)
    nbformat.validate(notebook)
    target = TUTORIALS / (pathlib.Path(path).stem + ".ipynb")
    nbformat.write(notebook, str(target))
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="build only the notebooks whose names start with these")
    parser.add_argument("--quick", action="store_true", help="execute with MINIGAN_QUICK=1")
    parser.add_argument("--no-execute", action="store_true", help="write the cells without running them")
    args = parser.parse_args(argv)
    sources = sorted(p for p in SOURCES.glob("*.py") if not args.prefixes or p.stem.startswith(tuple(args.prefixes)))
    if not sources:
        sys.exit(f"no source in {SOURCES} matches {args.prefixes}")
    for source in sources:
        start = time.perf_counter()
        target = build(source, quick=args.quick, run=not args.no_execute)
        print(f"{target.name}: {time.perf_counter() - start:.1f} s, {target.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
