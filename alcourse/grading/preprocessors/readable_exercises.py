"""ReadableExercises: each exercise cell's output becomes the trainee's first choices, checked, as text.

A graded notebook keeps no widget state (see the worker), so each exercise cell would
show the widget's Python repr (``ExerciseWidget(children=…``). This preprocessor replaces
those outputs with, for every question, the statement, the first choice, whether it was
right, and why, as HTML and text (see :mod:`alcourse.grading.readable`), and records the
check as data (:mod:`alcourse.grading.recorded`): feedback pages and the cohort report read
that record, so they show what was graded even after the content changes. It reads the
answers file nbgrader copied beside the graded notebook, and the course content through
the cached :func:`~alcourse.curriculum.load_curriculum` (parsed once per worker).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from alcourse.grading.readable import EXERCISE_CALL, AnswerRow, answer_rows, plain_text
from alcourse.grading.recorded import MIME, check_record
from alcourse.render import render


class ReadableExercises(NbGraderPreprocessor):
    """Each exercise cell's output becomes the trainee's first choices, checked, as text."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        from alcourse.answers import AnswersError, AnswerStore
        from alcourse.curriculum import load_curriculum

        module_id = resources["nbgrader"]["assignment"]
        cur = load_curriculum()
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
