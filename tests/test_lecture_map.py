"""Every formula ID of the lecture (docs/lecture/FORMULAS.md) is cited in minigan's code and listed in
docs/lecture_map.md with the file that implements it."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
IDS = list(dict.fromkeys(re.findall(r"\*\*((?:GAN|WGAN|OPT|BEGAN|ADV)-[A-Z0-9]+)\b",
                                    (ROOT / "docs/lecture/FORMULAS.md").read_text(encoding="utf-8"))))
CODE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "minigan").rglob("*.py"))
MAP = (ROOT / "docs/lecture_map.md").read_text(encoding="utf-8")


def test_the_lecture_has_formula_ids():
    assert len(IDS) >= 25 and "WGAN-4" in IDS and "OPT-OADAM" in IDS


@pytest.mark.parametrize("formula_id", IDS)
def test_formula_is_cited_in_the_code(formula_id):
    assert re.search(re.escape(formula_id) + r"\b", CODE), f"{formula_id} is not cited anywhere in minigan/"


@pytest.mark.parametrize("formula_id", IDS)
def test_formula_is_in_the_lecture_map_with_an_existing_file(formula_id):
    rows = [line for line in MAP.splitlines() if re.search(r"\|\s*" + re.escape(formula_id) + r"\s*\|", line)]
    assert rows, f"{formula_id} has no row in docs/lecture_map.md"
    files = re.findall(r"`(minigan/[\w/]+\.py)", rows[0])
    assert files, f"the row of {formula_id} names no minigan/ file"
    for f in files:
        assert (ROOT / f).exists(), f"{formula_id}: {f} does not exist"
        assert formula_id in (ROOT / f).read_text(encoding="utf-8"), f"{formula_id} is not cited in {f}"
