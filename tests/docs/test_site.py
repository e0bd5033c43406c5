"""The documentation site, built as the README says (warnings are errors), then read in a real
browser (Debian's Chromium driven by Playwright) from file:// and from a loopback server, with every
request to another host blocked and counted: none may happen. Every formula page shows its math
rendered by the MathJax that ships with the site, and code whose highlighted lines carry its tag."""
import contextlib
import fcntl
import functools
import http.server
import importlib.metadata
import os
import pathlib
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from lab.browser import chromium, why_not

from minigan.lecture import FORMULAS, NOT_YET_IMPLEMENTED

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 60_000    # ms, for a loaded 2-core machine
LOCAL = ("file:", "data:", "blob:", "about:", "http://127.0.0.1", "http://localhost", "http://[::1]")


def missing_tools():
    """The first docs tool that is not installed, asked of the installed distributions: importing
    `sphinx` here would leave it in sys.modules, and scipy's docstring parser then imports sphinx.ext
    (a broken import where only a namespace folder named sphinx is on the path)."""
    for distribution in ("sphinx", "myst-nb", "pydata-sphinx-theme", "django-static-mathjax"):
        try:
            importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            return f'{distribution} is not installed (pip install -e ".[docs]")'
    return None


pytestmark = pytest.mark.skipif(missing_tools() is not None, reason=f"docs tests: {missing_tools()}")
browser = pytest.mark.skipif(why_not() is not None, reason=f"browser tests: {why_not()}")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The built site, once per test session (the xdist workers share it: the first one builds)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent          # the session's folder, above each worker's own
    out = shared / "minigan-site"
    with open(shared / "minigan-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "done").exists():
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-d", str(shared / "doctrees"),
                 "docs", str(out / "html")],
                cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            (out / "done").parent.mkdir(parents=True, exist_ok=True)
            (out / "done").write_text(f"{result.returncode}\n{time.perf_counter() - start:.1f}\n"
                                      + result.stdout + result.stderr)
    code, seconds, log = (out / "done").read_text().split("\n", 2)
    assert code == "0", f"the site did not build with -W:\n{log}"
    return out / "html"


def test_the_site_builds_with_warnings_as_errors(site):
    for page in ["index.html", "search.html", "reader/index.html", "api/minigan.gan.html",
                 "tutorials/06_wgan.html", "lecture_map.html"] + [f"reader/{f.id}.html" for f in FORMULAS]:
        assert (site / page).is_file(), page
    assert (site / "_static/mathjax/tex-chtml.js").is_file()


class Browser:
    """One Chromium context; requests to any host but the file system and loopback are aborted and kept."""

    def __init__(self, context):
        self.context, self.blocked = context, []
        context.route("**/*", self._route)

    def _route(self, route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    @contextlib.contextmanager
    def open(self, url):
        """The page at `url`, loaded, its math typeset; asserts no console error and no blocked request."""
        page, errors = self.context.new_page(), []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(url, wait_until="load", timeout=TIMEOUT)
            if page.evaluate("!!document.querySelector('script[src*=\"mathjax\"]')"):
                page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise",
                                       timeout=TIMEOUT)
                page.evaluate("MathJax.startup.promise.then(() => true)")
            yield page
            assert errors == [], f"console errors on {url}: {errors}"
            assert self.blocked == [], f"requests to other hosts from {url}: {self.blocked}"
        finally:
            page.close()


@pytest.fixture(scope="module")
def browse():
    with chromium() as (_, context):
        yield Browser(context)


def url(site, page):
    return (site / page).as_uri()


PROSE = """() => {
    const article = document.querySelector('article').cloneNode(true);
    article.querySelectorAll('pre, mjx-container, script, code').forEach(e => e.remove());
    return article.innerText;
}"""


@browser
@pytest.mark.parametrize("formula", FORMULAS, ids=lambda f: f.id)
def test_every_formula_page_shows_its_math_and_its_tagged_code(site, browse, formula):
    with browse.open(url(site, f"reader/{formula.id}.html")) as page:
        assert page.locator("article mjx-container").count() >= 1, "no rendered math"
        assert page.locator("mjx-merror, .mjx-merror").count() == 0, "MathJax reports an error"
        prose = page.evaluate(PROSE)
        assert "\\frac" not in prose and "\\mathbb" not in prose and "$$" not in prose, prose
        highlighted = page.locator("article .highlight .hll").all_inner_texts()
        if formula.id in NOT_YET_IMPLEMENTED:
            assert highlighted == [] and "Not implemented in minigan yet" in page.inner_text("article")
        else:
            assert any(formula.id in line for line in highlighted), highlighted
            assert page.locator("article .highlight .linenos").count() > 0, "no line numbers"


@browser
def test_the_reader_index_lists_the_lecture_in_order(site, browse):
    with browse.open(url(site, "reader/index.html")) as page:
        links = page.locator("article section li a.reference.internal").all_inner_texts()
        assert [text.split(" · ")[0] for text in links[:len(FORMULAS)]] == [f.id for f in FORMULAS]
        assert page.locator("article h2").count() >= 6


@browser
@pytest.mark.parametrize("page_name", ["index.html", "tutorials/06_wgan.html", "api/minigan.gan.html"])
def test_the_home_a_notebook_and_an_api_page_load_offline(site, browse, page_name):
    with browse.open(url(site, page_name)) as page:
        text = page.inner_text("article")
        if page_name == "index.html":
            assert text.startswith("minigan") and page.locator("article img").count() >= 3
        elif page_name.startswith("tutorials"):
            assert page.locator("article img").count() >= 3, "the notebook's stored figures"
            assert page.locator("article mjx-container").count() >= 3, "the notebook's math"
        else:
            assert "gradient_penalty" in text and "(1/m) Σ_i (‖∇_x̂ f(x̂_i)‖₂ − 1)²" in text
        images = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        assert images == 0, "an image did not load"


@browser
def test_search_finds_the_gradient_penalty(site, browse):
    query = urllib.parse.urlencode({"q": "gradient penalty"})
    with browse.open(url(site, "search.html") + "?" + query) as page:
        page.wait_for_function("document.querySelectorAll('#search-results ul.search li').length > 0",
                               timeout=TIMEOUT)
        hrefs = page.locator("#search-results ul.search li a").evaluate_all("as => as.map(a => a.href)")
        assert any(h.endswith("reader/WGAN-GP.html") for h in hrefs), hrefs


@browser
def test_the_site_works_from_a_local_server(site, browse):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with browse.open(f"http://127.0.0.1:{server.server_port}/reader/WGAN-GP.html") as page:
            assert page.locator("article mjx-container").count() >= 1
            assert page.locator("article .highlight .hll").count() >= 1
    finally:
        server.shutdown()
