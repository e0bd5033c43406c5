"""Where each formula of the lecture is shown, derived from the sources that show it: the notebook
sections that mention its ID (tutorials/*.ipynb), the exercises that grade it (the exercise
registry), and the lab's lines that carry it (minigan.lab.lines); with minigan.lecture's tags,
docs/lecture_map.md.

    python -m minigan.lecture_map > docs/lecture_map.md      # write the map again after a tag moves
"""
import json
import pathlib
import re
from collections import defaultdict
from dataclasses import dataclass

from minigan.lecture import BY_ID, FORMULAS, NOT_YET_IMPLEMENTED, ROOT, find_tags, formula_ids_in

NOT_SHOWING = ("Summary", "Exercises")    # notebook sections that list IDs without showing them
HEADING = re.compile(r"^(#{1,2}) (.+?)\s*$")


@dataclass(frozen=True)
class Section:
    notebook: str       # the notebook's stem, e.g. "06_wgan"
    title: str          # the heading's text, e.g. "1. The earth-mover distance in one dimension [WGAN-1]"
    level: int          # 1: the notebook's introduction, 2: a numbered section

    @property
    def label(self):
        """"06 §1" for a numbered section, "06 intro" for the introduction, "06 §In the lab" otherwise."""
        number = re.match(r"(\d+)\.", self.title)
        where = "intro" if self.level == 1 else f"§{number[1]}" if number else f"§{self.title}"
        return f"{self.notebook[:2]} {where}"

    @property
    def anchor(self):
        """The heading's anchor as MyST writes it (lower case, punctuation dropped, spaces as '-')."""
        return re.sub(r"[^\w\- ]", "", self.title.strip().lower()).replace(" ", "-")


def notebook_sections(root=ROOT):
    """{ID: [Section]}: the sections of tutorials/*.ipynb whose markdown cells mention the ID."""
    shown = defaultdict(list)
    for path in sorted((pathlib.Path(root) / "tutorials").glob("[0-9]*.ipynb")):
        section = None
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for line in "".join(cell["source"]).splitlines():
                heading = HEADING.match(line)
                if heading:
                    section = Section(path.stem, heading[2], len(heading[1]))
                if section is None or section.title in NOT_SHOWING:
                    continue
                for formula_id in formula_ids_in(line):
                    if section not in shown[formula_id]:
                        shown[formula_id].append(section)
    return dict(shown)


def exercises_by_id():
    """{ID: [Exercise]} from the exercise registry, in teaching order."""
    from minigan.exercises.registry import all_exercises
    grading = defaultdict(list)
    for exercise in all_exercises():
        grading[exercise.lecture_id].append(exercise)
    return dict(grading)


LAB_ALGORITHMS = ("gan", "wgan", "wgan-gp")


def lab_lines():
    """{ID: [(algorithm, text of the line, the line's own ID)]}: the algorithm lines that the lab prints
    and lights as it trains (`python -m minigan lab`), under the lab's default settings."""
    from minigan.lab.lines import algorithm_lines
    lines = defaultdict(list)
    for algorithm in LAB_ALGORITHMS:
        for text, cited, _ in algorithm_lines(algorithm, {}):
            for formula_id in formula_ids_in(cited):
                lines[formula_id].append((algorithm, text.strip(), cited))
    return dict(lines)


def _code_cell(tags):
    """`file` `function`, ... for the tags outside the exercises, one entry per file."""
    by_file = {}
    for tag in tags:
        if tag.in_exercise:
            continue
        functions = by_file.setdefault(tag.path, [])
        if tag.function and tag.function not in functions:
            functions.append(tag.function)
    return "; ".join(f"`{path}`" + "".join(f" `{f}`" for f in functions) for path, functions in by_file.items())


def lecture_map(root=ROOT):
    """docs/lecture_map.md: each formula → where minigan implements it → where it is shown and graded."""
    tags, shown, graded = find_tags(root), notebook_sections(root), exercises_by_id()
    out = ["# The lecture map", "",
           "Every formula of the lecture (`docs/lecture/FORMULAS.md`) → where minigan implements it (the files",
           "and functions whose code carries its tag, e.g. `[WGAN-4 line 7]`) → the tutorial sections that show",
           "it → the exercises that grade it. The lecture reader of the documentation shows each formula beside",
           "its code lines. This page is written by `python -m minigan.lecture_map > docs/lecture_map.md` from the",
           "tags in the code, the notebooks and the exercise registry, and a test checks that it is current.", ""]
    section = None
    for formula in FORMULAS:
        if formula.section != section:
            section = formula.section
            out += [f"## {section}", "", "| ID | formula | implemented in | shown in | exercises |",
                    "|---|---|---|---|---|"]
        code = ("not implemented in minigan yet" if formula.id in NOT_YET_IMPLEMENTED
                else _code_cell(tags.get(formula.id, ())))
        where = ", ".join(s.label for s in shown.get(formula.id, ()))
        exercises = ", ".join(f"`{e.name}`" for e in graded.get(formula.id, ()))
        out.append(f"| {formula.id} | {formula.name} | {code} | {where} | {exercises} |")
        if formula is FORMULAS[-1] or FORMULAS[FORMULAS.index(formula) + 1].section != section:
            out.append("")
    own = sorted(i for i in graded if i not in BY_ID)
    out += ["## The exercises on the machinery the slides take for granted", "",
            "These carry minigan's own IDs: AD-* (automatic differentiation) and NN-* (layers).", "",
            "| ID | exercises | tutorial |", "|---|---|---|"]
    for formula_id in own:
        out.append(f"| {formula_id} | " + ", ".join(f"`{e.name}`" for e in graded[formula_id])
                   + f" | {graded[formula_id][0].tutorial} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    from minigan.lecture import check
    check(find_tags())
    print(lecture_map(), end="")
