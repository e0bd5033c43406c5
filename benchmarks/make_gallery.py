"""Make the README's gallery (docs/images/) with minigan's own commands:

    python benchmarks/make_gallery.py            # a few minutes on two cores

gan_digits.png: samples of `train gan` (DCGAN on digits, the defaults); game.png: `game --dynamics all`;
fgsm.png: the triptych of `attack fgsm --eps 0.25`.
"""
import os
import shutil
import tempfile

from minigan.cli import main

IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "images")


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
    print(f"wrote the gallery into {os.path.normpath(IMAGES)}")


if __name__ == "__main__":
    gallery()
