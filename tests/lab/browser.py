"""A headless Chromium driven by Playwright for Python, for the lab's browser tests and the gallery:
Debian's /usr/bin/chromium (or $MINIGAN_CHROMIUM), a fresh profile, no network of its own."""
import contextlib
import os
import shutil
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path():
    """The Chromium binary, or None."""
    for candidate in (os.environ.get("MINIGAN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def why_not():
    """Why the browser tests cannot run here (None when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if chromium_path() is None:
        return "no Chromium found (apt-get install chromium, or set MINIGAN_CHROMIUM)"
    return None


@contextlib.contextmanager
def chromium(viewport=(1280, 1000)):
    """A browser context with a fresh user-data-dir; yields (playwright, context)."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="minigan-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=FLAGS, accept_downloads=True,
                viewport={"width": viewport[0], "height": viewport[1]})
            try:
                yield playwright, context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
