"""ipywidgets for the course. Logic lives in :mod:`alcourse.exercises`.

>>> from alcourse.widgets import ExerciseWidget, MemoryStore
>>> from alcourse.exercises import load_exercise
>>> w = ExerciseWidget(load_exercise("m03.contrasts-in-practice"), MemoryStore())
>>> w.choose("speaker-first", "problems-from-day-one")
>>> "Right" in w.feedback["speaker-first"].value
True
"""

from alcourse.widgets.exercise import ExerciseWidget, MemoryStore
from alcourse.widgets.feedback import feedback_html

__all__ = ["ExerciseWidget", "MemoryStore", "feedback_html"]


def preview(exercise_id: str) -> ExerciseWidget:
    """An exercise widget that saves nothing: for book pages and demonstrations."""
    from alcourse.exercises import load_exercise

    return ExerciseWidget(load_exercise(exercise_id), MemoryStore())


__all__ += ["preview"]
