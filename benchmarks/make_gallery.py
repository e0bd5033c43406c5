"""Make the README's gallery (docs/images/) with minigan's own commands:

    python benchmarks/make_gallery.py            # a few minutes on two cores
    python benchmarks/make_gallery.py lab        # only docs/images/lab.png

gan_digits.png: samples of `train gan` (DCGAN on digits, the defaults); game.png: `game --dynamics all`;
fgsm.png: the triptych of `attack fgsm --eps 0.25`; lab.png: the lab's page (`python -m minigan lab`)
in headless Chromium, WGAN-GP on the ring after 1500 iterations of Play.
"""
import os
import shutil
import sys
import tempfile

from minigan.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "..", "docs", "images")


def run(*argv):
    code = main(list(argv))
    if code:
        raise SystemExit(f"`python -m minigan {' '.join(argv)}` failed with code {code}")


def gallery():
    os.makedirs(IMAGES, exist_ok=True)
    work = tempfile.mkdtemp(prefix="minigan-gallery-")
    run("train", "gan", "--out", os.path.join(work, "digits"), "--quiet", "--sample-every", "3000")
    samples = sorted(f for f in os.listdir(os.path.join(work, "digits")) if f.startswith("samples_"))[-1]
    shutil.copy(os.path.join(work, "digits", samples), os.path.join(IMAGES, "gan_digits.png"))
    run("game", "--dynamics", "all", "--out", os.path.join(IMAGES, "game.png"))
    run("attack", "fgsm", "--eps", "0.25", "--out", work)
    shutil.copy(os.path.join(work, "triptych_fgsm.png"), os.path.join(IMAGES, "fgsm.png"))
    shutil.rmtree(work)
    lab_screenshot()
    print(f"wrote the gallery into {os.path.normpath(IMAGES)}")


def lab_screenshot(iterations=1500, path=None):
    """lab.png: the lab served on a free loopback port, its page in headless Chromium (Debian's, via
    Playwright), WGAN-GP on the ring played at 100 iterations per frame until `iterations`."""
    sys.path.insert(0, os.path.join(HERE, "..", "tests"))
    from lab.browser import chromium, why_not

    from minigan.lab.server import Background

    if why_not():
        raise SystemExit(f"the lab's screenshot needs a browser: {why_not()}")
    path = path or os.path.join(IMAGES, "lab.png")
    server = Background()
    try:
        with chromium(viewport=(1240, 860)) as (_, context):
            page = context.new_page()
            page.goto(f"{server.url}?data=ring&algorithm=wgan-gp")
            page.wait_for_function("window.lab && window.lab.frames >= 1", timeout=120_000)
            page.fill("#speed", "7")                                  # 100 iterations per frame
            page.dispatch_event("#speed", "input")
            page.click("#play")
            page.wait_for_function(f"window.lab.lastFrame.iteration >= {iterations}", timeout=1_200_000,
                                   polling=500)
            page.click("#play")
            page.wait_for_function("!window.lab.playing")
            page.wait_for_timeout(500)
            page.screenshot(path=path, full_page=True)
    finally:
        server.stop()
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["lab"]:
        lab_screenshot()
    else:
        gallery()
