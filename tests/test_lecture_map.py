"""The lecture as data (minigan.lecture) and the generator of the reader's pages and of the lecture
map: every formula ID of docs/lecture/FORMULAS.md has its LaTeX and its tagged code, and a tag of an
unknown ID, a malformed tag, an untagged ID or a stale NOT_YET_IMPLEMENTED entry fails the build with
a message that names it."""
import importlib.util
import pathlib
import re
import shutil

import pytest

from minigan.lecture import BY_ID, FORMULAS, NOT_YET_IMPLEMENTED, LectureError, check, find_tags, formula_ids_in
from minigan.lecture_map import lecture_map, notebook_sections

ROOT = pathlib.Path(__file__).resolve().parents[1]
LECTURE_IDS = list(dict.fromkeys(re.findall(r"\*\*((?:GAN|WGAN|OPT|BEGAN|ADV|VAR)-[A-Z0-9]+(?:-[A-Z0-9]+)*)\b",
                                            (ROOT / "docs/lecture/FORMULAS.md").read_text(encoding="utf-8"))))


def load_reader():
    spec = importlib.util.spec_from_file_location("lecture_reader", ROOT / "docs/_ext/lecture_reader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tags():
    return find_tags(ROOT)


@pytest.fixture
def tree(tmp_path):
    """A copy of the project's minigan/ and tutorials/ to plant tags in."""
    shutil.copytree(ROOT / "minigan", tmp_path / "minigan", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tutorials", tmp_path / "tutorials", ignore=shutil.ignore_patterns("src", "*.py"))
    return tmp_path


def test_every_formula_of_the_lecture_is_in_minigan_lecture_in_its_order():
    assert len(LECTURE_IDS) >= 33 and "VAR-AAE-1" in LECTURE_IDS and "GAN-HARD" in LECTURE_IDS
    ours = [f.id for f in FORMULAS if f.id in LECTURE_IDS]
    assert ours == LECTURE_IDS
    extra = [f for f in FORMULAS if f.id not in LECTURE_IDS]
    assert [f.id for f in extra] == ["WGAN-GP"] and all(f.origin for f in extra)


@pytest.mark.parametrize("formula", FORMULAS, ids=lambda f: f.id)
def test_every_formula_has_latex_a_name_and_a_summary(formula):
    assert formula.latex.strip() and formula.name and formula.summary.endswith(".")
    assert formula.latex.count("{") == formula.latex.count("}"), "unbalanced braces in the LaTeX"
    assert formula.latex.count(r"\begin{") == formula.latex.count(r"\end{")


def test_the_tags_of_the_source_pass_the_check(tags):
    check(tags)


@pytest.mark.parametrize("formula_id", [f.id for f in FORMULAS if f.id not in NOT_YET_IMPLEMENTED])
def test_every_implemented_formula_has_tagged_code_whose_line_cites_it(tags, formula_id):
    code = [t for t in tags.get(formula_id, []) if not t.in_exercise]
    assert code, f"{formula_id} has no tagged code"
    for tag in code:
        line = (ROOT / tag.path).read_text(encoding="utf-8").splitlines()[tag.line - 1]
        assert formula_id in line and tag.text in line
        assert tag.start <= tag.line <= tag.end


def test_a_tag_knows_its_function_and_its_algorithm_lines(tags):
    clip = [t for t in tags["WGAN-4"] if t.path == "minigan/nn/utils.py"]
    assert [(t.function, t.algorithm_lines, t.text) for t in clip] == [("clip_parameters_", "7", "[WGAN-4 line 7]")]
    step = [t for t in tags["WGAN-4"] if t.function == "WGAN.discriminator_step" and t.algorithm_lines == "6"]
    assert step and step[0].text == "[WGAN-4 line 6]"
    source = (ROOT / "minigan/gan/wgan.py").read_text(encoding="utf-8").splitlines()
    assert source[step[0].start - 1].lstrip().startswith("def discriminator_step")


def test_a_planted_unknown_tag_fails_the_build_naming_it(tree):
    (tree / "minigan" / "planted.py").write_text('"""Nothing."""\nx = 1   # [GAN-99] not a formula\n', encoding="utf-8")
    with pytest.raises(LectureError, match=r"unknown formula ID GAN-99 tagged at minigan/planted.py:2"):
        load_reader().reader_pages(tree)


def test_a_malformed_tag_fails_naming_its_file_and_line(tree):
    (tree / "minigan" / "planted.py").write_text("x = 1   # [GAN-3/4] two at once\n", encoding="utf-8")
    with pytest.raises(LectureError, match=r"minigan/planted.py:1: '\[GAN-3/4\]' is not a tag"):
        find_tags(tree)


def test_a_planted_untagged_formula_fails_the_build_naming_it(tree):
    losses = tree / "minigan/gan/losses.py"
    losses.write_text(losses.read_text(encoding="utf-8").replace("[GAN-6]", "GAN-6"), encoding="utf-8")
    with pytest.raises(LectureError, match=r"GAN-6 \(Optimal discriminator\) has no tagged code"):
        load_reader().reader_pages(tree)


def test_a_not_yet_implemented_formula_with_tagged_code_fails_the_check(tags):
    with pytest.raises(LectureError, match=r"WGAN-1 is in minigan.lecture.NOT_YET_IMPLEMENTED but is tagged at "
                                           r"minigan/gan/wgan.py"):
        check(tags, not_yet=NOT_YET_IMPLEMENTED | {"WGAN-1"})


def test_tags_in_the_exercises_solutions_do_not_count_as_implementations(tags):
    only_exercises = {i: ts for i, ts in tags.items() if all(t.in_exercise for t in ts)}
    assert set(only_exercises) <= {i for i in tags if i.split("-")[0] in ("AD", "NN")}
    with pytest.raises(LectureError, match="GAN-3"):
        check({i: [t for t in ts if i != "GAN-3" or t.in_exercise] for i, ts in tags.items()})


def test_mentions_are_found_whole():
    assert formula_ids_in("BEGAN-1 and GAN-1, WGAN-4 line 7; VAR-AAE-1's; GAN-3/4/5") == [
        "BEGAN-1", "GAN-1", "WGAN-4", "VAR-AAE-1", "GAN-3"]


def test_the_notebook_sections_that_show_a_formula():
    shown = notebook_sections(ROOT)
    assert "06 §1" in [s.label for s in shown["WGAN-1"]]
    assert "08 §5" in [s.label for s in shown["ADV-3"]]
    assert all(s.title not in ("Summary", "Exercises") for sections in shown.values() for s in sections)


def test_the_lecture_map_in_docs_is_what_the_generator_writes():
    assert (ROOT / "docs/lecture_map.md").read_text(encoding="utf-8") == lecture_map(ROOT), (
        "docs/lecture_map.md is stale: python -m minigan.lecture_map > docs/lecture_map.md")


def test_the_reader_pages(tags):
    pages = load_reader().reader_pages(ROOT)
    assert set(f"reader/{f.id}.md" for f in FORMULAS) < set(pages)
    index = pages["reader/index.md"]
    assert [line.split("]")[0][3:] for line in index.splitlines() if line.startswith("- [")] == [
        f"{f.id} · {f.name}" for f in FORMULAS]
    for formula_id in NOT_YET_IMPLEMENTED:
        assert "not implemented in minigan yet" in [line for line in index.splitlines() if f"[{formula_id} " in line][0]
        assert "Not implemented in minigan yet" in pages[f"reader/{formula_id}.md"]
    wgan4 = pages["reader/WGAN-4.md"]
    assert BY_ID["WGAN-4"].latex in wgan4
    block = wgan4.split("`clip_parameters_` in")[1].split("```", 2)[1]
    start = int(re.search(r":lines: (\d+)-", block)[1])
    emphasized = int(re.search(r":emphasize-lines: (\d+)", block)[1])
    line = (ROOT / "minigan/nn/utils.py").read_text(encoding="utf-8").splitlines()[start + emphasized - 2]
    assert "[WGAN-4 line 7]" in line
    assert "(/tutorials/06_wgan.ipynb#3-algorithm-1-with-weight-clipping-wgan-3-wgan-4)" in wgan4
    assert "`critic_step`" in wgan4 and "WGAN: `w ← clip(w, −c, c)` (WGAN-4 line 7)" in wgan4
