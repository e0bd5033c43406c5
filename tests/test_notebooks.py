"""Every tutorials/*.ipynb runs without an error in a real Jupyter kernel in quick mode, is stored with
the outputs of a run, and (where it has a source in tutorials/src/) with the cells of that source."""
import base64
import importlib.util
import os
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "tutorials"
NOTEBOOKS = sorted(TUTORIALS.glob("*.ipynb"))
SOURCES = sorted((TUTORIALS / "src").glob("*.py"))
MAX_BYTES = 2 * 1024 * 1024  # outputs are stored; figures are small PNGs


def _build_module():
    spec = importlib.util.spec_from_file_location("build_notebooks", TUTORIALS / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stderr(notebook):
    return "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.output_type == "stream" and o.name == "stderr")


def test_the_readme_lists_exactly_the_notebooks_there_are():
    listed = re.findall(r"^\d+\. `(\d\d_\w+)`", (ROOT / "README.md").read_text(), flags=re.M)
    assert listed == [path.stem for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_quick_mode(path, monkeypatch):
    monkeypatch.setenv("MINIGAN_QUICK", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(str(path), as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(TUTORIALS)}}).execute()  # raises on a failing cell
    assert "RuntimeWarning" not in _stderr(notebook)
    assert all(c.execution_count is not None for c in notebook.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_has_the_outputs_of_a_clean_run(path):
    notebook = nbformat.read(str(path), as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), "store the notebook executed"
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert [o.get("ename") for o in outputs if o.output_type == "error"] == []
    pngs = [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]
    assert pngs and all(p.startswith(b"\x89PNG") for p in pngs), "a notebook shows at least one figure"
    assert "quick mode (MINIGAN_QUICK=1)" not in "".join(o.get("text", "") for o in outputs)
    assert path.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_stored_notebook_has_the_cells_of_its_source(source):
    built = _build_module().notebook_from_source(source)
    stored = nbformat.read(str(TUTORIALS / f"{source.stem}.ipynb"), as_version=4)
    assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in built.cells], \
        f"rebuild it: python tutorials/build_notebooks.py {source.stem[:2]}"


def test_split_cells_reads_the_percent_format_and_its_commented_magics():
    text = ("# header\n\n# %% [markdown]\n# # Title\n#\n# [GAN-1] x = G(z)\n\n# %%\n# %matplotlib inline\n"
            "x = 1  # %d\n\n\ny = x\n# %%\nprint(y)\n")
    assert _build_module().split_cells(text) == [
        ("markdown", "# Title\n\n[GAN-1] x = G(z)"), ("code", "%matplotlib inline\nx = 1  # %d\n\n\ny = x"),
        ("code", "print(y)")]


@pytest.mark.parametrize("text, message", [
    ("x = 1\n# %%\n", "code before the first"),
    ("# %% [raw]\nx\n", "unknown cell marker"),
    ("# %% [markdown]\nnot a comment\n", "must start with '#'"),
])
def test_split_cells_rejects_malformed_sources(text, message):
    with pytest.raises(ValueError, match=message):
        _build_module().split_cells(text)
