"""Each `train` line of the README's quick start runs as printed (with fewer steps), and the command
line builds exactly what the recipe function builds for the same dataset and seed."""
import pathlib
import shlex

import numpy as np
import pytest

import minigan
from minigan.cli import main
from minigan.cli.common import load_data, restore
from minigan.gan import recipes

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def quick_start_train_lines():
    text = README.read_text()
    block = text.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    return [shlex.split(line)[4:] for line in lines if line.startswith("python -m minigan train ")]


def test_the_quick_start_has_train_lines():
    algorithms = [argv[0] for argv in quick_start_train_lines()]
    assert {"gan", "wgan-gp", "began"} <= set(algorithms)


def state_arrays(algorithm):
    flat = []

    def walk(node):
        if isinstance(node, dict):
            for key in sorted(node):
                walk(node[key])
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "shape"):
            flat.append(np.asarray(node.numpy() if hasattr(node, "numpy") else node))
        else:
            flat.append(node)
    walk(algorithm.state_dict())
    return flat


@pytest.mark.parametrize("argv", quick_start_train_lines(), ids=lambda argv: " ".join(argv))
def test_the_command_builds_what_the_recipe_builds(argv, tmp_path, capsys):
    out = str(tmp_path / "run")
    flags = [a for a in argv if a != "--steps"]
    assert "--out" not in argv
    code = main(["train", *argv, "--steps", "2", "--batch-size", "8", "--out", out, "--quiet", "--sample-every", "2"])
    assert code == 0, capsys.readouterr().err
    algorithm, data, config = restore(out)
    name = argv[0]
    given = dict(zip(flags[1::2], flags[2::2]))
    expected = load_data(given.get("--data", "digits"))
    minigan.manual_seed(0)
    recipe = recipes.RECIPES[name](expected, steps=2, batch_size=8)
    assert config["recipe"] == recipe.config                      # the same settings, defaults included
    assert type(algorithm) is type(recipe.algorithm) and data.name == expected.name
    minigan.manual_seed(0)
    fresh = recipes.build(config["recipe"], data).algorithm       # rebuilt from the saved config: same init
    for a, b in zip(state_arrays(fresh), state_arrays(recipe.algorithm)):
        np.testing.assert_array_equal(a, b)
