"""Synthetic cohorts: realistic submissions for benchmarks, tests and trying the trainer tools.

Every trainee gets the released notebook plus an answers file whose first
choices are drawn from a seeded random generator, so a cohort is the same on
every run and its expected scores can be computed without nbgrader.

>>> import random
>>> from alcourse.curriculum import load_curriculum
>>> cur = load_curriculum()
>>> answers = synthetic_answers(cur, "m03-traditional-vs-action-learning", random.Random(1), skill=1.0)
>>> expected_points(cur, "m03-traditional-vs-action-learning", answers) == {
...     ex.id: ex.max_points for ex in cur.module_exercises("m03-traditional-vs-action-learning")}
True
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from alcourse.answers import AnswerStore
from alcourse.curriculum import Curriculum

WRITTEN = ("Our management courses teach what is already known, in a classroom, one person at a "
           "time. A set of five managers would work on our discharge delays, the real problem we "
           "have now, and each member would be challenged by colleagues' questions and would "
           "learn from what they try. The return is a change in practice we can see, not a "
           "certificate.")


def synthetic_answers(cur: Curriculum, module_id: str, rng: random.Random,
                      skill: float, answered: float = 1.0) -> dict[str, dict[str, str]]:
    """Exercise id → question id → chosen option id for one made-up trainee.

    ``skill`` is the chance of choosing the best option, ``answered`` the chance
    of answering a question at all.
    """
    answers: dict[str, dict[str, str]] = {}
    for ex in cur.module_exercises(module_id):
        chosen = {}
        for q in ex.questions:
            if rng.random() >= answered:
                continue
            if rng.random() < skill:
                chosen[q.id] = q.best().id
            else:
                chosen[q.id] = rng.choice([o.id for o in q.options if o.id != q.best().id])
        answers[ex.id] = chosen
    return answers


def expected_points(cur: Curriculum, module_id: str,
                    answers: dict[str, dict[str, str]]) -> dict[str, float]:
    """Exercise id → points the checker gives for these first choices."""
    return {ex.id: ex.check(answers.get(ex.id, {})).points for ex in cur.module_exercises(module_id)}


def write_submission(release_notebook: Path, target: Path, module_id: str,
                     answers: dict[str, dict[str, str]], written: str | None = None) -> Path:
    """Put a notebook and its answers file into ``target`` as a trainee would submit them."""
    target.mkdir(parents=True, exist_ok=True)
    notebook = target / release_notebook.name
    shutil.copy(release_notebook, notebook)
    store = AnswerStore.beside(module_id, target)
    for exercise_id, chosen in answers.items():
        store.write_all(exercise_id, chosen)
    if written is not None:
        # typed into the written answer's text box, which saves it in the answers file
        from alcourse.curriculum import load_curriculum

        for reflection in load_curriculum().module(module_id).reflections():
            store.write_text(reflection.id, written)
    return notebook


def make_cohort(course_root: Path, module_id: str, size: int, cur: Curriculum, seed: int = 0,
                prefix: str = "trainee") -> dict[str, dict[str, float]]:
    """Write ``size`` submissions under ``course_root/submitted``; return their expected points.

    The module must already be released (``release/MODULE/MODULE.ipynb``).
    """
    rng = random.Random(f"{module_id}:{seed}")
    release = course_root / "release" / module_id / cur.module(module_id).notebook
    expected = {}
    for index in range(size):
        student = f"{prefix}{index + 1:03d}"
        answers = synthetic_answers(cur, module_id, rng, skill=rng.uniform(0.3, 1.0),
                                    answered=rng.choice([1.0, 1.0, 0.8]))
        written = WRITTEN if rng.random() < 0.7 else None
        write_submission(release, course_root / "submitted" / student / module_id, module_id,
                         answers, written)
        expected[student] = expected_points(cur, module_id, answers)
    return expected
