"""The lab in a real browser: Debian's Chromium driven by Playwright, the server on a free loopback
port. No timing is asserted (the frame rate is the benchmark's, benchmarks/bench_lab.py)."""
import time

import numpy as np
import pytest
from lab.browser import chromium, why_not

from minigan.lab.server import Background

pytestmark = pytest.mark.skipif(why_not() is not None, reason=f"browser tests: {why_not()}")
TIMEOUT = 60_000          # ms: generous, for a loaded 2-core machine


@pytest.fixture(scope="module")
def server():
    background = Background()
    yield background
    background.stop()


@pytest.fixture(scope="module")
def context():
    with chromium() as (_, context):
        yield context


class Page:
    """A tab of the lab with its console errors collected."""

    def __init__(self, context, url):
        self.page = context.new_page()
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.wait("window.lab && window.lab.frames >= 1")

    def wait(self, expression, arg=None):
        self.page.wait_for_function(expression, arg=arg, timeout=TIMEOUT)

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)

    def click_and_wait(self, selector):
        """Click a button that asks the server for one frame; wait until the page drew it."""
        frames = self.js("window.lab.frames")
        self.page.click(selector)
        self.wait("n => window.lab.frames > n", frames)

    def layers(self, **show):
        for name in ("heatmap", "real", "fake", "arrows"):
            self.page.set_checked(f"#show-{name}", show.get(name, False))
        return self.js("document.getElementById('plane').toDataURL()")


@pytest.fixture
def tab(context, server):
    page = Page(context, server.url)
    yield page
    page.page.close()


def test_the_page_loads_with_no_console_errors(tab):
    assert tab.js("window.lab.lastFrame.iteration") == 0
    assert tab.page.inner_text("#metrics").startswith("modes captured ")
    assert tab.js("document.querySelectorAll('#lines li').length") == 5
    for label in ("Step D", "Step G", "Step", "Play", "Reset", "Export"):
        assert tab.page.get_by_role("button", name=label, exact=True).count() == 1
    assert tab.errors == []


def test_step_d_changes_the_heatmap_and_leaves_the_samples(tab):
    heatmap, samples = tab.layers(heatmap=True), tab.layers(fake=True)
    fake = tab.js("window.lab.lastFrame.fake")
    tab.click_and_wait("#step-d")
    assert tab.layers(heatmap=True) != heatmap
    assert tab.layers(fake=True) == samples and tab.js("window.lab.lastFrame.fake") == fake
    assert tab.js("window.lab.lastFrame.d_updates") == 1
    assert tab.js("[...document.querySelectorAll('#lines li.lit')].length") == 2


def test_step_g_moves_the_samples_and_leaves_the_heatmap(tab):
    heatmap, samples = tab.layers(heatmap=True), tab.layers(fake=True)
    tab.click_and_wait("#step-g")
    assert tab.layers(heatmap=True) == heatmap
    assert tab.layers(fake=True) != samples
    assert tab.js("window.lab.lastFrame.g_updates") == 1
    tab.click_and_wait("#step")
    assert tab.js("window.lab.lastFrame.iteration") == 1
    assert tab.errors == []


def test_play_for_three_seconds_and_count_the_frames(tab):
    start = tab.js("window.lab.frames")
    tab.page.click("#play")
    assert tab.page.inner_text("#play") == "Pause"
    time.sleep(3)
    tab.page.click("#play")
    tab.wait("!window.lab.playing")
    time.sleep(0.3)                                         # a frame in flight when Pause was clicked
    frames = tab.js("window.lab.frames") - start
    print(f"\nPlay: {frames} frames in 3 s ({frames / 3:.1f} fps, page's own count {tab.js('window.lab.fps'):.1f})")
    assert frames >= 2
    assert tab.page.inner_text("#play") == "Play"
    assert tab.js("window.lab.lastFrame.iteration") == frames          # one iteration per frame at speed 1
    assert tab.errors == []


def test_draw_a_dataset_with_three_clicks_and_train_it(tab):
    tab.page.select_option("#set-data", "drawn")
    tab.wait("document.getElementById('message').textContent.includes('no modes yet')")
    assert tab.js("document.getElementById('step').disabled")
    box = tab.page.locator("#plane").bounding_box()
    clicks = [(0.25, 0.25), (0.75, 0.3), (0.5, 0.8)]              # fractions of the canvas
    for k, (fx, fy) in enumerate(clicks, start=1):
        tab.page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        tab.wait("k => window.lab.lastFrame && window.lab.lastFrame.metrics.n_modes === k && "
                 "window.lab.lastFrame.iteration === 0", k)
    centers = tab.js("window.lab.lastFrame.scene.centers")
    expected = [[-2 + 4 * fx, 2 - 4 * fy] for fx, fy in clicks]               # the plane is [-2, 2]²
    np.testing.assert_allclose(centers, expected, atol=0.03)
    for _ in range(3):
        tab.click_and_wait("#step")
    assert tab.js("window.lab.lastFrame.iteration") == 3
    assert tab.page.inner_text("#message") == ""
    assert [e for e in tab.errors if "400" not in e] == []          # the 400 of the empty drawing is expected


def test_a_bad_learning_rate_shows_the_servers_message(tab):
    tab.page.fill("#set-lr", "-1")
    tab.page.dispatch_event("#set-lr", "change")
    tab.wait("document.getElementById('message').className === 'error'")
    assert "lr must be a finite number > 0, got -1.0" in tab.page.inner_text("#message")
    assert tab.js("document.getElementById('step-d').disabled")
    tab.page.fill("#set-lr", "0.001")
    tab.page.dispatch_event("#set-lr", "change")
    tab.wait("document.getElementById('message').textContent === '' && !document.getElementById('step-d').disabled")


def test_a_divergence_stops_play_and_says_so(tab):
    tab.page.select_option("#set-optimizer", "sgd")
    tab.wait("window.lab.lastFrame.scene && window.lab.lastFrame.scene.settings.optimizer === 'sgd'")
    frames = tab.js("window.lab.frames")
    for field in ("#set-lr", "#set-lr_d"):
        tab.page.fill(field, "1e6")
        tab.page.dispatch_event(field, "change")
        tab.wait("n => window.lab.frames > n", frames)
        frames = tab.js("window.lab.frames")
    tab.page.click("#play")
    tab.wait("document.getElementById('message').textContent.includes('Diverged')")
    tab.wait("!window.lab.playing && document.getElementById('play').textContent === 'Play'")
    assert "Lower the learning rates" in tab.page.inner_text("#message")


def test_export_plays_offline(tab, context, tmp_path):
    for _ in range(3):
        tab.click_and_wait("#step")
    with tab.page.expect_download(timeout=TIMEOUT) as download:
        tab.page.click("#export")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "minigan-lab-ring-gan-3.html"
    context.set_offline(True)
    try:
        replay = context.new_page()
        requests, errors = [], []
        replay.on("request", lambda r: requests.append(r.url))
        replay.on("pageerror", lambda e: errors.append(str(e)))
        replay.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        replay.goto(path.as_uri())
        replay.wait_for_function("window.replay && window.replay.count === 4", timeout=TIMEOUT)
        replay.click("#play")
        replay.wait_for_function("window.replay.index === 3 && !window.replay.playing", timeout=TIMEOUT)
        assert replay.inner_text("#frame-label") == "frame 4 / 4"
        replay.fill("#scrub", "1")
        replay.dispatch_event("#scrub", "input")
        assert replay.evaluate("window.replay.index") == 1
        assert [r for r in requests if not r.startswith(("file:", "data:"))] == []
        assert errors == []
        replay.close()
    finally:
        context.set_offline(False)


def test_the_games_tab(tab):
    tab.page.click("text=Games")
    tab.wait("LabGames.paths && LabGames.paths.lr === 0.1")
    assert tab.js("document.querySelectorAll('#game-boards canvas').length") == 4
    assert tab.js("Object.keys(LabGames.paths.dynamics)") == ["gd", "alt-gd", "omd", "oadam"]
    tab.page.fill("#eta", "0.3")
    tab.page.dispatch_event("#eta", "input")
    tab.wait("LabGames.paths.lr === 0.3")
    tab.wait("document.getElementById('game-omd-distance').textContent.startsWith('t = 300')")
    assert tab.errors == []


def test_two_tabs_are_two_sessions_and_a_closed_tab_frees_its_own(context, server):
    sessions = server.app.state.sessions.by_id
    first, second = Page(context, server.url), Page(context, server.url)
    a, b = first.js("window.lab.sessionId"), second.js("window.lab.sessionId")
    assert a != b and a in sessions and b in sessions
    first.click_and_wait("#step-d")
    assert second.js("window.lab.lastFrame.d_updates") == 0
    first.page.close()
    deadline = time.monotonic() + 30
    while a in sessions and time.monotonic() < deadline:
        time.sleep(0.1)
    assert a not in sessions and b in sessions
    second.page.close()


def test_the_conditional_gan_colours_its_samples_by_label(tab):
    """[VAR-CGAN] The cGAN on the ring: Step D, Step G and Step as for the others; each sample drawn
    in its label's colour, and the metrics line gives the share on their label's mode."""
    tab.page.select_option("#set-algorithm", "cgan")
    tab.wait("window.lab.lastFrame && window.lab.lastFrame.scene && window.lab.lastFrame.scene.kind === 'cgan'")
    labels = tab.js("window.lab.lastFrame.fake_labels")
    assert sorted(set(labels)) == list(range(8))
    samples = tab.layers(fake=True)
    colours = tab.js("""(() => {
        const c = document.getElementById('plane'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4)
          if (d[i] + d[i + 1] + d[i + 2] < 700) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
        return seen.size; })()""")
    assert colours >= 8                                   # eight label colours (and their blends)
    tab.click_and_wait("#step-d")
    assert tab.layers(fake=True) == samples
    tab.click_and_wait("#step-g")
    tab.click_and_wait("#step")
    assert tab.js("window.lab.lastFrame.iteration") == 1
    assert "on their label's mode" in tab.page.inner_text("#metrics")
    lines = tab.js("[...document.querySelectorAll('#lines li')].map(li => li.textContent).join(' ')")
    assert lines.count("VAR-CGAN") >= 3


@pytest.mark.parametrize("algorithm, field", [("ebgan", "#set-margin"), ("bayesian-gan", "#set-members")])
def test_the_variants_train_in_the_page(tab, algorithm, field):
    """EBGAN (the energy as the heatmap) and the Bayesian GAN (a colour per generator sample): the
    algorithm's own field shows, Step trains, and the plane draws without an error."""
    tab.page.select_option("#set-algorithm", algorithm)
    tab.wait("a => window.lab.lastFrame.scene && window.lab.lastFrame.scene.settings.algorithm === a", algorithm)
    assert tab.page.locator(field).is_visible() and not tab.page.locator("#set-gp_weight").is_visible()
    tab.click_and_wait("#step")
    assert tab.js("window.lab.lastFrame.iteration") == 1 and tab.page.inner_text("#message") == ""
    members = tab.js("window.lab.lastFrame.members")
    assert (members is None) == (algorithm == "ebgan")
    assert tab.layers(fake=True) != tab.layers()                    # the samples are drawn
    assert tab.errors == []
