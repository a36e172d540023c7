"""Readable exercise answers in graded notebooks, for formgrader and feedback pages.

A graded notebook keeps no widget state (see the worker), so each exercise
cell would show the widget's Python repr (``ExerciseWidget(children=…``). This
nbgrader preprocessor replaces those outputs with, for every question, the
statement, the first choice, whether it was right, and why, as HTML and text.
It reads the answers file nbgrader copied beside the graded notebook, and also records the
check as data (:mod:`alcourse.grading.recorded`): feedback pages and the cohort report read
that record, so they show what was graded even after the content changes.

>>> rows = [AnswerRow("Q?", "Yes", "Right", "Because.")]
>>> print(plain_text("Sort", 1, 1, rows, ""))
Sort: 1 of 1 points (first choices graded)
- Q?
  first choice: Yes. Right. Because.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from alcourse.grading.recorded import MIME, check_record
from alcourse.render import render

EXERCISE_CALL = re.compile(r"""course\.exercise\(\s*["']([^"']+)["']\s*\)""")


@dataclass(frozen=True)
class AnswerRow:
    prompt: str
    chosen: str
    verdict: str
    why: str


def plain_text(title: str, points: float, max_points: float, rows: list[AnswerRow], problem: str) -> str:
    lines = [f"{title}: {points:g} of {max_points:g} points (first choices graded)"]
    if problem:
        return "\n".join([*lines, problem])
    for row in rows:
        lines += [f"- {row.prompt}", f"  first choice: {row.chosen}. {row.verdict}. {row.why}".rstrip()]
    return "\n".join(lines)


def answer_rows(exercise: Any, answers: dict[str, str]) -> tuple[Any, list[AnswerRow]]:
    """The checker's result and one row per question, in the order the trainee saw them."""
    result = exercise.check(answers)
    items = {i.question_id: i for i in result.items}
    rows = []
    for question in exercise.ordered():
        item = items[question.id]
        chosen = question.option(item.chosen) if item.chosen else None
        verdict = ("Not answered" if chosen is None else "Right" if item.correct else
                   "Partly right" if item.points > 0 else "Not right")
        rows.append(AnswerRow(question.prompt, chosen.label if chosen else "none", verdict,
                              item.feedback if chosen else ""))
    return result, rows


class ReadableExercises(NbGraderPreprocessor):
    """Each exercise cell's output becomes the trainee's first choices, checked, as text.

    A worker makes a subclass carrying its loaded curriculum (see :func:`bind_curriculum`).
    """

    curriculum: ClassVar[Any] = None

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        from alcourse.answers import AnswersError, AnswerStore
        from alcourse.curriculum import load_curriculum

        module_id = resources["nbgrader"]["assignment"]
        cur = self.curriculum or load_curriculum()
        if module_id not in cur.modules:
            return nb, resources
        exercises = {ex.id: ex for ex in cur.module_exercises(module_id)}
        specs = {spec.id: spec for spec in cur.module(module_id).exercise_specs()}
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        store = AnswerStore(folder / f"{module_id}.answers.json", module_id)
        present = store.path.is_file()
        for cell in nb.cells:
            match = EXERCISE_CALL.search(cell.source) if cell.cell_type == "code" else None
            if not match or match.group(1) not in exercises:
                continue
            exercise = exercises[match.group(1)]
            problem = "" if present else "No answers file was handed in: none of these answers could be read."
            rows: list[AnswerRow] = []
            points = 0.0
            result = None
            if present:
                try:
                    result, rows = answer_rows(exercise, store.graded(exercise.id))
                    points = result.points
                except AnswersError:
                    problem = "The answers file could not be read."
            record = check_record(exercise, result, specs[exercise.id].competences_of, problem)
            html = render("grading/answers.html.j2", title=exercise.title, points=f"{points:g}",
                          max_points=f"{exercise.max_points:g}", rows=rows, problem=problem)
            # an error the cell raised stays: the grading status reports it
            errors = [o for o in cell.outputs if o.get("output_type") == "error"]
            cell.outputs = [nbformat.v4.new_output(
                "display_data", data={"text/html": html, MIME: record, "text/plain": plain_text(
                    exercise.title, points, exercise.max_points, rows, problem)}), *errors]
        return nb, resources


def bind_curriculum(curriculum: Any) -> type[ReadableExercises]:
    """A ReadableExercises class that reuses a worker's curriculum for every submission."""
    return type("BoundReadableExercises", (ReadableExercises,), {"curriculum": curriculum})
