"""The commands for the conditional GAN and the adversarial autoencoder: `train cgan|aae` writes its
figures and evaluation.json, `sample --label`, `encode`, `reconstruct`, `evaluate`'s figures, and
every bad input exits 2 with one line."""
import json
import os

import numpy as np
import pytest

from minigan.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Tiny runs: a cGAN on the ring, an AAE on digits with the mixture prior, a GAN on the ring."""
    root = tmp_path_factory.mktemp("variants")
    folders = {"cgan": str(root / "cgan"), "aae": str(root / "aae"), "gan": str(root / "gan")}
    for argv in (["train", "cgan", "--data", "ring", "--steps", "20", "--batch-size", "64", "--out", folders["cgan"]],
                 ["train", "aae", "--prior", "mixture", "--code-size", "2", "--steps", "20", "--out", folders["aae"]],
                 ["train", "gan", "--data", "ring", "--steps", "2", "--batch-size", "16", "--out", folders["gan"]]):
        assert main(argv + ["--quiet", "--sample-every", "20"]) == 0
    return folders


def test_train_writes_the_figures_and_the_evaluation(runs, capsys):
    cgan = json.load(open(os.path.join(runs["cgan"], "evaluation.json")))
    assert len(cgan["label_accuracy_per_label"]) == 8 and 0 <= cgan["label_accuracy"] <= 1
    assert cgan["steps"] == 20 and cgan["train_seconds"] > 0 and "modes" in cgan
    aae = json.load(open(os.path.join(runs["aae"], "evaluation.json")))
    assert len(aae["code_mean"]) == 2 and 0 <= aae["reconstruction_class_agreement"] <= 1
    assert aae["frechet_distance"] > 0 and aae["real_halves"]["frechet_distance"] > 0
    for name in ("codes.png", "code_plane.png", "samples_000020.png"):
        assert os.path.getsize(os.path.join(runs["aae"], name)) > 5000
    assert os.path.getsize(os.path.join(runs["cgan"], "samples_000020.png")) > 5000


def test_sample_with_a_label(runs, tmp_path, capsys):
    out = str(tmp_path / "x.npy")
    code, text, _ = run(capsys, "sample", runs["cgan"], "--n", "40", "--label", "3", "--out", out)
    assert code == 0 and "of label 3" in text and np.load(out).shape == (40, 2)


def test_encode_and_reconstruct(runs, tmp_path, capsys):
    x = str(tmp_path / "x.npy")
    assert run(capsys, "sample", runs["aae"], "--n", "12", "--out", x)[0] == 0
    code, text, _ = run(capsys, "encode", runs["aae"], "--input", x, "--out", str(tmp_path / "z.npy"))
    assert code == 0 and np.load(tmp_path / "z.npy").shape == (12, 2)
    code, text, _ = run(capsys, "reconstruct", runs["aae"], "--input", x, "--out", str(tmp_path / "r.npy"))
    x_hat = np.load(tmp_path / "r.npy")
    assert code == 0 and x_hat.shape == (12, 1, 8, 8) and 0 <= x_hat.min() and x_hat.max() <= 1


def test_evaluate_prints_the_figures_of_each(runs, capsys):
    code, text, _ = run(capsys, "evaluate", runs["cgan"], "--n", "400")
    assert code == 0 and "requested label" in text and "per label" in text
    code, text, _ = run(capsys, "evaluate", runs["aae"], "--n", "400")
    assert code == 0 and "reconstruction error" in text and "MMD²" in text and "Fréchet" in text


@pytest.mark.parametrize("argv,message", [
    (["sample", "{cgan}", "--label", "8"], "--label must lie in [0, 7]"),
    (["sample", "{cgan}", "--label", "-1"], "--label must lie in [0, 7]"),
    (["sample", "{gan}", "--label", "1"], "--label needs a conditional run"),
    (["encode", "{gan}", "--input", "{points}"], "has no encoder"),
    (["interpolate", "{cgan}"], "holds a conditional run (cgan)"),
    (["reconstruct", "{cgan}", "--input", "{points}"], "has no encoder"),
    (["encode", "{aae}", "--input", "{points}"], "shape (5, 2); this run's model takes (N, 1, 8, 8)"),
    (["encode", "{aae}", "--input", "/no/such.npy"], "no input file"),
    (["train", "aae", "--prior", "mixture", "--code-size", "8"], "code size must be 2"),
    (["train", "cgan", "--data", "ring", "--networks", "dcgan"], "networks"),
    (["train", "gan", "--data", "ring", "--prior", "mixture"], "prior must be one of"),
])
def test_bad_input_exits_2_with_one_line(runs, tmp_path, capsys, argv, message):
    points = str(tmp_path / "points.npy")
    np.save(points, np.zeros((5, 2), np.float32))
    argv = [a.format(points=points, **runs) for a in argv]
    if argv[0] == "train":
        argv += ["--out", str(tmp_path / "new"), "--steps", "1"]
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    assert message in err and len(err.strip().splitlines()) == 1


def test_the_readme_runs_keep_their_own_folders():
    """`train aae` and `train aae --data digits --prior mixture --code-size 2` run one after the other
    as printed: the second's default folder names its prior."""
    from minigan.cli import build_parser
    from minigan.cli.train import default_out

    parse = build_parser().parse_args
    assert default_out(parse(["train", "aae"])) == os.path.join("runs", "aae-digits")
    assert default_out(parse(["train", "aae", "--data", "digits", "--prior", "mixture", "--code-size", "2"])) == \
        os.path.join("runs", "aae-digits-mixture")
    assert default_out(parse(["train", "cgan", "--data", "ring"])) == os.path.join("runs", "cgan-ring")


def write_idx(path, array):
    """An IDX file of uint8 `array` (MNIST's format)."""
    array = np.asarray(array, dtype=np.uint8)
    header = (0x0800 | array.ndim).to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in array.shape)
    path.write_bytes(header + array.tobytes())


@pytest.mark.parametrize("algorithm", ["cgan", "aae"])
def test_both_train_on_mnist_files(algorithm, tmp_path, capsys):
    """--data mnist=PATH: 28×28 images with labels (a small synthetic set in MNIST's IDX format)."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "mnist"
    folder.mkdir()
    labels = np.arange(60) % 10
    pixels = np.zeros((60, 28, 28))
    for i, y in enumerate(labels):                 # each class a bar at its own rows, with noise
        pixels[i, 2 * y + 4:2 * y + 8, 4:24] = 200
    write_idx(folder / "train-images-idx3-ubyte", pixels + rng.integers(0, 40, pixels.shape))
    write_idx(folder / "train-labels-idx1-ubyte", labels)
    out = str(tmp_path / "run")
    code, text, err = run(capsys, "train", algorithm, "--data", f"mnist={folder}", "--steps", "2", "--batch-size",
                          "8", "--out", out, "--quiet")
    assert code == 0, err
    figures = json.load(open(os.path.join(out, "evaluation.json")))
    assert figures["frechet_distance"] > 0
    assert ("label_accuracy" in figures) == (algorithm == "cgan")
    assert ("reconstruction_class_agreement" in figures) == (algorithm == "aae")
    code, text, err = run(capsys, "sample", out, "--n", "4", "--out", str(tmp_path / "x.npy"),
                          *(["--label", "9"] if algorithm == "cgan" else []))
    assert code == 0 and np.load(tmp_path / "x.npy").shape == (4, 1, 28, 28)


def test_an_aae_whose_decoder_takes_the_label(tmp_path, capsys):
    out, x = str(tmp_path / "run"), str(tmp_path / "x.npy")
    assert run(capsys, "train", "aae", "--conditional-decoder", "--steps", "3", "--out", out, "--quiet")[0] == 0
    code, text, _ = run(capsys, "sample", out, "--n", "6", "--label", "3", "--out", x)
    assert code == 0 and "of label 3" in text and np.load(x).shape == (6, 1, 8, 8)
    code, _, err = run(capsys, "reconstruct", out, "--input", x)
    assert code == 2 and "--labels" in err
    np.save(tmp_path / "y.npy", np.full(6, 3))
    code, _, _ = run(capsys, "reconstruct", out, "--input", x, "--labels", str(tmp_path / "y.npy"),
                     "--out", str(tmp_path / "r.npy"))
    assert code == 0 and np.load(tmp_path / "r.npy").shape == (6, 1, 8, 8)
    np.save(tmp_path / "bad.npy", np.full(6, 10))
    code, _, err = run(capsys, "reconstruct", out, "--input", x, "--labels", str(tmp_path / "bad.npy"))
    assert code == 2 and "[0, 10)" in err


def test_the_readme_block_runs_as_printed(tmp_path, monkeypatch, capsys):
    """Every line of the README's "GAN variants" block, in order, in a fresh folder (the train lines
    with 2 steps of batch 8): each exits 0, and the files the next lines read are there."""
    import pathlib
    import shlex

    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("## GAN variants", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [shlex.split(line.split("#", 1)[0]) for line in block.splitlines() if line.strip()]
    assert len([argv for argv in lines if argv[3] == "train"]) == 4
    monkeypatch.chdir(tmp_path)
    for argv in lines:
        assert argv[:3] == ["python", "-m", "minigan"]
        extra = ["--steps", "2", "--batch-size", "8", "--quiet"] if argv[3] == "train" else []
        code, _, err = run(capsys, *argv[3:], *extra)
        assert code == 0, (argv, err)
    assert np.load("threes.npy").shape == (100, 1, 8, 8) and np.load("z.npy").shape == (100, 8)
    assert np.load("x_hat.npy").shape == (100, 1, 8, 8)
    for folder in ("cgan-digits", "cgan-ring", "aae-digits", "aae-digits-mixture"):
        assert (tmp_path / "runs" / folder / "evaluation.json").exists()
    assert (tmp_path / "runs" / "aae-digits-mixture" / "codes.png").exists()


def test_interpolate_between_real_digits_through_the_encoder(runs, tmp_path, capsys):
    out = str(tmp_path / "strip.png")
    code, text, err = run(capsys, "interpolate", runs["aae"], "--real", "--rows", "2", "--out", out)
    assert code == 0, err
    assert os.path.getsize(out) > 5000
