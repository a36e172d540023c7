"""Exercises with pure checkers, and the calls graded notebook cells make.

>>> from alcourse.exercises import load_exercise
>>> ex = load_exercise("m03.contrasts-in-practice")
>>> ex.check(ex.model_answers()).points == ex.max_points
True
"""

from functools import cache
from typing import TYPE_CHECKING

from alcourse.exercises.model import Exercise, Option, Question, QuestionResult, Result

if TYPE_CHECKING:  # the curriculum imports exercises: a runtime import would be a cycle
    from alcourse.curriculum.loader import Curriculum


@cache
def _curriculum() -> "Curriculum":
    # cached per process: the data files are read-only while a kernel runs
    from alcourse.curriculum import load_curriculum

    return load_curriculum()


def load_exercise(exercise_id: str) -> Exercise:
    """An exercise from the shipped curriculum by id."""
    return _curriculum().exercise(exercise_id)


__all__ = ["Exercise", "Option", "Question", "QuestionResult", "Result", "load_exercise"]
