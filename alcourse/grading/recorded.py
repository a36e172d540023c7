"""What a graded notebook recorded about each checked exercise, as it was when nbgrader graded it.

When nbgrader autogrades a module, alcourse's :class:`~alcourse.grading.readable.ReadableExercises`
preprocessor puts a record of each exercise's check in the exercise cell's output (see
:func:`check_record`): every question's prompt, the trainee's first choice, its points and the
checker's feedback. Feedback pages,
the cohort report and the per-competence results read these records from the autograded
notebook, never re-check the answers file with today's curriculum: after a content edit
(a changed answer key, new points) they still show what was graded, and agree with
nbgrader's gradebook, which holds the scores.

The record is one more type (:data:`MIME`) of the cell's ``display_data`` beside its HTML
and text, so nbconvert's feedback page and formgrader show the HTML as before.

>>> from alcourse.exercises.model import Exercise, Option, Question
>>> q = Question("q1", "Classroom?", (Option("t", "Traditional", 1, "Yes."),
...                                   Option("a", "Action", 0, "No.")))
>>> ex = Exercise("demo.sort", "Sort", "", (q,))
>>> record = check_record(ex, ex.check({"q1": "a"}), lambda qid: ("competence.x",))
>>> check = RecordedCheck.from_json(record)
>>> check.points, check.max_points, check.questions[0].verdict, check.questions[0].chosen_label
(0.0, 1.0, 'Not right', 'Action')
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alcourse.exercises.model import Exercise, Result, verdict_of

if TYPE_CHECKING:
    from alcourse.curriculum import Curriculum

MIME = "application/vnd.alcourse.check+json"
VERSION = 1


@dataclass(frozen=True)
class RecordedQuestion:
    """One question as graded: what was asked, the first choice, its points and why."""

    id: str
    prompt: str
    chosen: str | None
    chosen_label: str
    points: float
    max_points: float
    feedback: str
    covers: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return self.chosen is not None

    @property
    def correct(self) -> bool:
        return self.answered and self.points >= self.max_points

    @property
    def verdict(self) -> str:
        return verdict_of(self.chosen, self.points, self.max_points)


@dataclass(frozen=True)
class RecordedCheck:
    """One exercise's check as graded, questions in the order the trainee saw them."""

    exercise: str
    title: str
    points: float
    max_points: float
    questions: tuple[RecordedQuestion, ...]
    problem: str = ""  # why the answers could not be read; then there are no questions

    @property
    def question_points(self) -> dict[str, float]:
        return {q.id: q.points for q in self.questions}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordedCheck:
        questions = tuple(
            RecordedQuestion(str(q["id"]), str(q["prompt"]), q.get("chosen"), str(q.get("chosen_label", "")),
                             float(q["points"]), float(q["max_points"]), str(q.get("feedback", "")),
                             tuple(q.get("covers", ())), tuple(q.get("competences", ())))
            for q in data["questions"])
        return cls(str(data["exercise"]), str(data["title"]), float(data["points"]),
                   float(data["max_points"]), questions, str(data.get("problem", "")))


def check_record(exercise: Exercise, result: Result | None,
                 competences_of: Callable[[str], tuple[str, ...]], problem: str = "") -> dict[str, Any]:
    """The JSON record of one check (``result`` None: the answers could not be read, see ``problem``)."""
    items = {i.question_id: i for i in result.items} if result else {}
    questions = []
    for question in exercise.ordered() if result else ():
        item = items[question.id]
        option = question.option(item.chosen) if item.chosen else None
        questions.append({"id": question.id, "prompt": question.prompt, "chosen": item.chosen,
                          "chosen_label": option.label if option else "", "points": item.points,
                          "max_points": item.max_points, "feedback": item.feedback,
                          "covers": list(question.covers), "competences": list(competences_of(question.id))})
    return {"version": VERSION, "exercise": exercise.id, "title": exercise.title,
            "points": result.points if result else 0.0, "max_points": exercise.max_points,
            "problem": problem, "questions": questions}


def read_checks(notebook: Path) -> dict[str, RecordedCheck] | None:
    """Exercise id → its recorded check, from an autograded notebook; None if there is no notebook.

    A notebook graded before checks were recorded gives an empty mapping: its detail is unknown,
    and is shown as such rather than recomputed.
    """
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        from alcourse.grading.course import CourseError

        raise CourseError(f"{notebook}: cannot read the graded notebook ({exc}); run alcourse grade "
                          "again for this submission") from None
    found: dict[str, RecordedCheck] = {}
    for cell in data.get("cells", ()):
        for output in cell.get("outputs", ()) if cell.get("cell_type") == "code" else ():
            record = output.get("data", {}).get(MIME) if output.get("output_type") == "display_data" else None
            if isinstance(record, str):  # nbformat may keep JSON output as text
                record = json.loads(record)
            if isinstance(record, Mapping) and record.get("version") == VERSION:
                check = RecordedCheck.from_json(record)
                found[check.exercise] = check
    return found


def graded_notebook(course_root: Path, student: str, module: str) -> Path:
    """Where nbgrader keeps a trainee's autograded notebook of a module."""
    return course_root / "autograded" / student / module / f"{module}.ipynb"


def record_checks(cur: Curriculum, module_id: str,
                  choices: Mapping[str, Mapping[str, str]]) -> dict[str, RecordedCheck]:
    """The checks grading would record for these first choices (exercise id → question → option).

    >>> from alcourse.curriculum import load_curriculum
    >>> cur = load_curriculum()
    >>> checks = record_checks(cur, "m03-traditional-vs-action-learning", {})
    >>> sorted(c.points for c in checks.values())
    [0.0, 0.0]
    """
    specs = {spec.id: spec for spec in cur.module(module_id).exercise_specs()}
    return {ex.id: RecordedCheck.from_json(check_record(ex, ex.check(choices.get(ex.id, {})),
                                                        specs[ex.id].competences_of))
            for ex in cur.module_exercises(module_id)}
