"""What trainees read: no repeated headings, no notes meant for authors, feedback that reads as prose."""

from __future__ import annotations

import re

import nbformat

from tests.conftest import ROOT


def _notebook_text(module_id):
    nb = nbformat.read(ROOT / "notebooks" / module_id / f"{module_id}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_no_heading_is_repeated_in_a_module(curriculum):
    for module_id in curriculum.modules:
        headings = [line.strip("# ").strip() for source in _notebook_text(module_id)
                    for line in source.splitlines() if re.match(r"#{1,3} ", line)]
        repeated = {h for h in headings if headings.count(h) > 1}
        assert not repeated, f"{module_id}: repeated headings {sorted(repeated)}"


def test_no_author_notes_reach_trainees(curriculum):
    for module_id in curriculum.modules:
        text = "\n".join(_notebook_text(module_id))
        page = (ROOT / "book" / "modules" / f"{module_id}.md").read_text()
        for words in ("not been checked", "not checked"):
            assert words not in text and words not in page, f"{module_id}: {words!r}"


def test_classification_feedback_reads_as_prose(curriculum):
    for module in curriculum.modules.values():
        for exercise in curriculum.module_exercises(module.id):
            for q in exercise.questions:
                for o in q.options:
                    assert not re.search(r"\bis not [A-Z]", o.feedback), o.feedback
                    assert not re.search(r"; it is [A-Z]", o.feedback), o.feedback


def test_the_notebook_and_the_book_agree_on_what_is_graded(curriculum):
    module_id = "m03-traditional-vs-action-learning"
    intro = _notebook_text(module_id)[0]
    page = (ROOT / "book" / "modules" / f"{module_id}.md").read_text()
    # both say the answers reach the trainer through the Hand in step, and neither says
    # that browser answers are never graded (they are, once handed in)
    for text in (intro, page):
        assert "Hand in" in text and "trainer" in text
        assert "never graded" not in text
