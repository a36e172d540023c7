"""Exercises with pure checkers, and the calls graded notebook cells make.

>>> from alcourse.exercises import load_exercise
>>> ex = load_exercise("m03.contrasts-in-practice")
>>> ex.check(ex.model_answers()).points == ex.max_points
True
"""

from alcourse.exercises.model import Exercise, Option, Question, QuestionResult, Result


def load_exercise(exercise_id: str) -> Exercise:
    """An exercise from the shipped curriculum by id (parsed once: load_curriculum caches it)."""
    # imported here: the curriculum imports exercises, so a module-level import would be a cycle
    from alcourse.curriculum import load_curriculum

    return load_curriculum().exercise(exercise_id)


__all__ = ["Exercise", "Option", "Question", "QuestionResult", "Result", "load_exercise"]
