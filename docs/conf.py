"""Sphinx configuration of minigan's documentation site, built offline:

    pip install -e ".[docs]" && python -m sphinx -W --keep-going docs docs/_build/html

The lecture reader's pages, the API pages, copies of the notebooks and MathJax are written into this
folder at the start of each build by _ext/lecture_reader.py (they are not kept in git)."""
import os
import pathlib
import sys

DOCS = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(DOCS / "_ext"), str(DOCS.parent)]
os.environ.setdefault("MPLBACKEND", "Agg")

import minigan  # noqa: E402

project = "minigan"
author = "the minigan authors"
copyright = "minigan's authors, MIT license"
release = version = minigan.__version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.mathjax", "lecture_reader"]
exclude_patterns = ["_build", "_ext", "_mathjax", "lecture/*.txt", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

# MyST: $...$ and $$...$$ math in the pages and notebooks, anchors on headings for the reader's links.
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
nb_execution_mode = "off"           # the notebooks are rendered with the outputs they were stored with
nb_merge_streams = True

# autodoc: the API pages, in source order, docstrings as written (see lecture_reader.docstring_as_text).
autodoc_member_order = "bysource"
autodoc_default_options = {"exclude-members": "__weakref__, __dict__, __module__"}

# MathJax 3, served from the site itself (never from another host): tex-chtml.js and its fonts.
html_static_path = ["_static", "_mathjax"]
html_css_files = ["minigan.css"]
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {"loader": {"load": []}, "options": {"enableMenu": False}}

html_theme = "pydata_sphinx_theme"
html_title = "minigan"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 3,
    "footer_start": ["copyright"],
    "footer_end": [],
    "secondary_sidebar_items": ["page-toc"],
}
html_context = {"default_mode": "light"}
html_show_sourcelink = False
html_copy_source = False
html_show_search_summary = False     # from file://, the search cannot fetch the pages for their summaries
