"""Exercises and their checkers: pure data and pure functions, no widgets.

An exercise is a list of questions; each question has options worth points and
a feedback sentence for every option, so a trainee always learns *why*.

>>> q = Question("q1", "Classroom-Based", (
...     Option("traditional", "Traditional learning", 1, "Yes: classrooms sit apart from work."),
...     Option("action", "Action learning", 0, "No: action learning happens at work."),
... ))
>>> ex = Exercise("demo.sort", "Sort", "Sort each statement.", (q,))
>>> result = ex.check({"q1": "traditional"})
>>> result.points, result.max_points, result.complete
(1.0, 1.0, True)
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Option:
    """One possible answer. ``tags`` carry extra facts, such as a Heron category."""

    id: str
    label: str
    points: float
    feedback: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple[Option, ...]
    covers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has two options with the same id")
        if len(ids) < 2:
            raise ValueError(f"question {self.id!r} needs at least two options")
        if self.max_points <= 0:
            raise ValueError(f"question {self.id!r} has no option worth any points")

    @property
    def max_points(self) -> float:
        return float(max(o.points for o in self.options))

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def best(self) -> Option:
        return max(self.options, key=lambda o: o.points)


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    chosen: str | None
    points: float
    max_points: float
    feedback: str

    @property
    def answered(self) -> bool:
        return self.chosen is not None

    @property
    def correct(self) -> bool:
        return self.answered and self.points >= self.max_points

    @property
    def verdict(self) -> str:
        """What a trainee or trainer reads: Not answered, Right, Partly right or Not right."""
        return verdict_of(self.chosen, self.points, self.max_points)


def verdict_of(chosen: str | None, points: float, max_points: float) -> str:
    """The verdict on a first choice worth ``points`` of ``max_points``.

    >>> verdict_of(None, 0, 2), verdict_of("a", 2, 2), verdict_of("b", 1, 2), verdict_of("c", 0, 2)
    ('Not answered', 'Right', 'Partly right', 'Not right')
    """
    if chosen is None:
        return "Not answered"
    if points >= max_points:
        return "Right"
    return "Partly right" if points > 0 else "Not right"


@dataclass(frozen=True)
class Result:
    """The outcome of checking answers; ``points`` is what nbgrader records."""

    exercise_id: str
    items: tuple[QuestionResult, ...]

    @property
    def points(self) -> float:
        return round(sum(i.points for i in self.items), 6)

    @property
    def max_points(self) -> float:
        return round(sum(i.max_points for i in self.items), 6)

    @property
    def answered(self) -> int:
        return sum(i.answered for i in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def unanswered(self) -> list[str]:
        return [i.question_id for i in self.items if not i.answered]


NOT_ANSWERED = "Not answered yet."


@dataclass(frozen=True)
class Exercise:
    """A set of questions checked together.

    ``seed`` fixes the shuffled order so every trainee and every re-run sees
    the same order, and screenshots and tests stay reproducible.
    """

    id: str
    title: str
    instructions: str
    questions: tuple[Question, ...]
    seed: int = 0
    covers: tuple[str, ...] = ()
    shuffle: bool = True
    style: str = "choice"
    option_order: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"exercise {self.id!r} has two questions with the same id")
        if not ids:
            raise ValueError(f"exercise {self.id!r} has no questions")

    @property
    def max_points(self) -> float:
        return round(sum(q.max_points for q in self.questions), 6)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"exercise {self.id!r} has no question {question_id!r}")

    def ordered(self) -> list[Question]:
        """Questions in the fixed shuffled order shown to trainees."""
        questions = list(self.questions)
        if self.shuffle:
            random.Random(f"{self.id}:{self.seed}").shuffle(questions)
        return questions

    def check_one(self, question_id: str, option_id: str | None) -> QuestionResult:
        question = self.question(question_id)
        option = question.option(option_id) if option_id is not None else None
        if option is None:
            return QuestionResult(question.id, None, 0.0, question.max_points, NOT_ANSWERED)
        return QuestionResult(question.id, option.id, float(option.points),
                              question.max_points, option.feedback)

    def check(self, answers: Mapping[str, str]) -> Result:
        """Score answers (question id → option id). Unknown ids count as unanswered."""
        return Result(self.id, tuple(self.check_one(q.id, answers.get(q.id)) for q in self.questions))

    def model_answers(self) -> dict[str, str]:
        """The best option for every question: what a full-marks trainee chooses."""
        return {q.id: q.best().id for q in self.questions}
