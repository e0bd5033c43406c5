"""The lecture reader: one page per formula of minigan.lecture, its math beside the code lines that
carry its tag, and the pages around them that the site generates from the source tree at build time.

`reader_pages(root)` is a plain function, source tree → {path under docs/: MyST text}; it checks the
tags first (minigan.lecture.check), so that a tag of an unknown ID, or a formula with no tagged code,
fails the build with a message that names them. `setup(app)` is the Sphinx extension that writes
those pages, the API pages, the notebooks and MathJax into the source folder before Sphinx reads it.
"""
import pathlib
import pkgutil
import shutil
from collections import defaultdict

from minigan.lecture import FORMULAS, NOT_YET_IMPLEMENTED, check, find_tags
from minigan.lecture_map import exercises_by_id, lab_lines, lecture_map, notebook_sections

READER = "reader"           # docs/reader/: the formula pages, the index, the source pages
API = "api"                 # docs/api/: one page per public module
NOTEBOOKS = "tutorials"     # docs/tutorials/: copies of tutorials/*.ipynb, rendered with their outputs
MATHJAX = "_mathjax"        # docs/_mathjax/mathjax/: the MathJax 3 files the site serves as _static/mathjax/
GENERATED = (READER, API, NOTEBOOKS, MATHJAX)
PUBLIC_MODULES = ("minigan", "minigan.nn", "minigan.optim", "minigan.functional", "minigan.gan",
                  "minigan.adversarial", "minigan.data", "minigan.metrics", "minigan.viz",
                  "minigan.exercises", "minigan.lab")
NOT_DOCUMENTED = ("minigan.exercises.sources", "minigan.cli")   # the exercises' solutions; the commands' flags


def source_page(path):
    """The page that shows a whole file: minigan/gan/wgan.py → reader/source/minigan.gan.wgan.md."""
    return f"{READER}/source/{pathlib.PurePosixPath(path).with_suffix('').as_posix().replace('/', '.')}.md"


def _excerpts(tags):
    """[(path, function, start, end, [tagged lines], [written tags])], one per excerpt: the file with
    the most tags of the formula first, then by path, each file's excerpts in line order."""
    groups = defaultdict(lambda: ([], []))
    for tag in tags:
        lines, written = groups[(tag.path, tag.function, tag.start, tag.end)]
        if tag.line not in lines:
            lines.append(tag.line)
        if tag.text not in written:
            written.append(tag.text)
    per_file = defaultdict(int)
    for tag in tags:
        per_file[tag.path] += 1
    order = sorted(groups, key=lambda key: (-per_file[key[0]], key[0], key[2]))   # the main file first
    return [(*key, *groups[key]) for key in order]


def _ranges(numbers):
    """[3, 4, 5, 9] → "3-5,9"."""
    out, numbers = [], sorted(numbers)
    first = last = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == last + 1:
            last = n
            continue
        out.append(str(first) if first == last else f"{first}-{last}")
        if n is not None:
            first = last = n
    return ",".join(out)


def formula_page(formula, tags, sections, exercises, lab):
    """The MyST page of one formula: the math, what it says, the code, the notebooks, the exercises, the lab."""
    out = [f"(formula-{formula.id})=", f"# {formula.id} · {formula.name}", "",
           f"*{formula.section}* · [the lecture in order](index.md)", "",
           "```{math}", formula.latex, "```", "", formula.summary
           + (f" *(Not printed on the slides: {formula.origin}.)*" if "slides" in formula.origin.lower()
              else f" *({formula.origin})*" if formula.origin else ""), ""]
    code = [t for t in tags if not t.in_exercise]
    out += ["## In the code", ""]
    if formula.id in NOT_YET_IMPLEMENTED:
        out += ["```{note}", "Not implemented in minigan yet: no code carries this formula's tag. The page shows",
                "the formula as the lecture states it.", "```", ""]
    for path, function, start, end, lines, written in _excerpts(code):
        where = f"`{function}`" if function else "module level"
        relative = [n - start + 1 for n in lines]
        out += [f"{where} in [`{path}`](/{source_page(path)}), "
                f"line{'s' if len(lines) > 1 else ''} {_ranges(lines)} ({', '.join(f'`{w}`' for w in written)}):", "",
                f"```{{literalinclude}} ../../{path}", ":language: python", f":lines: {start}-{end}",
                ":lineno-match:", f":emphasize-lines: {_ranges(relative)}", "```", ""]
    if sections:
        out += ["## In the notebooks", ""]
        for s in sections:
            out.append(f"- [{s.notebook[:2]} · {s.title.replace('[', '(').replace(']', ')')}]"
                       f"(/{NOTEBOOKS}/{s.notebook}.ipynb#{s.anchor})")
        out.append("")
    if exercises:
        out += ["## Exercises that grade it", "",
                "Write the stubs with `python -m minigan exercises start hw NAME`, fill them in, and grade them",
                "with `python -m minigan exercises check hw NAME` ([how the grading works](/exercises.md)).", ""]
        for e in exercises:
            out.append(f"- `{e.name}`: {e.summary} (tutorial {e.tutorial})")
        out.append("")
    if lab:
        out += ["## In the lab", "",
                "`python -m minigan lab` prints the algorithm's lines and lights each as it runs "
                "([the lab](/lab.md)); the lines of this formula:", ""]
        for algorithm, text, cited in lab:
            out.append(f"- {algorithm.upper()}: `{text}` ({cited})")
        out.append("")
    return "\n".join(out)


def index_page():
    """The lecture in order, section by section, each formula with its name and what it says."""
    out = ["# The lecture reader", "",
           "Each formula of the lecture has a page: the formula as the slide writes it, what it says, and beside it",
           "the lines of minigan that implement it (highlighted, with their line numbers in the file), then the",
           "notebook sections that show it, the exercises that grade it and the lab's lines for it. The pages are",
           "written from the source when the site is built, so they show the code as it is.", "",
           "```{toctree}", ":hidden:", ""] + [f.id for f in FORMULAS] + ["```", ""]
    section = None
    for formula in FORMULAS:
        if formula.section != section:
            section = formula.section
            out += ["", f"## {section}", ""]
        mark = " *(not implemented in minigan yet)*" if formula.id in NOT_YET_IMPLEMENTED else ""
        out.append(f"- [{formula.id} · {formula.name}]({formula.id}.md){mark}: {formula.summary}")
    out += ["", "The same, as one table: [the lecture map](/lecture_map.md).", ""]
    return "\n".join(out)


def reader_pages(root):
    """{path under docs/: MyST text} for the reader: the index, one page per formula, one per tagged
    file. Raises minigan.lecture.LectureError when the tags and the formulas do not match."""
    root = pathlib.Path(root)
    tags = find_tags(root)
    check(tags)
    sections, exercises, lab = notebook_sections(root), exercises_by_id(), lab_lines()
    pages = {f"{READER}/index.md": index_page()}
    for formula in FORMULAS:
        pages[f"{READER}/{formula.id}.md"] = formula_page(
            formula, tags.get(formula.id, []), sections.get(formula.id, []),
            exercises.get(formula.id, []), lab.get(formula.id, []))
    files = sorted({t.path for places in tags.values() for t in places if not t.in_exercise})
    for path in files:
        pages[source_page(path)] = "\n".join([
            f"# `{path}`", "", "The whole file, with its line numbers; the reader's pages show its tagged lines.", "",
            f"```{{literalinclude}} ../../../{path}", ":language: python", ":linenos:", "```", ""])
    pages[f"{READER}/source/index.md"] = "\n".join(
        ["# The tagged files", "", "```{toctree}", ":maxdepth: 1", ""]
        + [pathlib.PurePosixPath(source_page(p)).stem for p in files] + ["```", ""])
    return pages


def public_submodules(name):
    """The module `name` and, for a package, its submodules (private ones and the exercises' solutions aside)."""
    import importlib
    module = importlib.import_module(name)
    names = [name]
    if hasattr(module, "__path__"):
        for info in pkgutil.walk_packages(module.__path__, name + "."):
            leaf = info.name.rsplit(".", 1)[1]
            elsewhere = [n for n in PUBLIC_MODULES + NOT_DOCUMENTED if n != name and not name.startswith(n + ".")]
            if leaf.startswith("_") or any(info.name == n or info.name.startswith(n + ".") for n in elsewhere):
                continue
            names.append(info.name)
    return names


def api_pages():
    """{path under docs/: MyST text}: one page per public module, autodoc on it and its submodules."""
    pages = {}
    for name in PUBLIC_MODULES:
        out = [f"# `{name}`", ""]
        for i, module in enumerate(public_submodules(name)):
            if i:
                out += [f"## `{module}`", ""]
            out += ["```{eval-rst}", f".. automodule:: {module}", "   :members:", "   :undoc-members:",
                    "   :show-inheritance:", "```", ""]
        pages[f"{API}/{name}.md"] = "\n".join(out)
    pages[f"{API}/index.md"] = "\n".join(
        ["# API reference", "", "The docstrings of minigan's public modules: the formula first, then the shapes.", "",
         "```{toctree}", ":maxdepth: 1", ""] + list(PUBLIC_MODULES) + ["```", ""])
    return pages


def docstring_as_text(app, what, name, obj, options, lines):
    """minigan's docstrings are plain text with the math in Unicode: show them as written (preformatted),
    not as reStructuredText."""
    if lines:
        text = [line for line in lines]
        lines[:] = ["::", ""] + ["    " + line for line in text] + [""]


def _write(path, text):
    """Write only when the text changed, so that Sphinx rebuilds only what changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _mathjax_source():
    import mathjax  # the django-static-mathjax package: MathJax 3.2.2's files, no Django needed
    return pathlib.Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def copy_mathjax(target):
    """MathJax 3's TeX-to-HTML component, its fonts and its extensions, so that the site loads no other host."""
    source = _mathjax_source()
    for part in ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y", "adaptors"):
        src, dst = source / part, target / part
        if src.is_dir():
            if not dst.exists():
                shutil.copytree(src, dst)
        elif not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def generate(app, config=None):
    docs = pathlib.Path(app.srcdir)
    root = docs.parent
    pages = {**reader_pages(root), **api_pages()}
    for relative, text in pages.items():
        _write(docs / relative, text)
    for folder in (READER, API):    # pages of formulas or modules that no longer exist
        for stale in (docs / folder).rglob("*.md"):
            if stale.relative_to(docs).as_posix() not in pages:
                stale.unlink()
    (docs / NOTEBOOKS).mkdir(exist_ok=True)
    for notebook in sorted((root / "tutorials").glob("[0-9]*.ipynb")):
        _write(docs / NOTEBOOKS / notebook.name, notebook.read_text(encoding="utf-8"))
    copy_mathjax(docs / MATHJAX / "mathjax")
    tracked = docs / "lecture_map.md"
    if tracked.read_text(encoding="utf-8") != lecture_map(root):
        from sphinx.util import logging
        logging.getLogger(__name__).warning(
            "docs/lecture_map.md is not what the tags say: write it again with "
            "`python -m minigan.lecture_map > docs/lecture_map.md`")


def setup(app):
    app.connect("config-inited", generate, priority=400)    # before Sphinx checks html_static_path
    app.connect("autodoc-process-docstring", docstring_as_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
