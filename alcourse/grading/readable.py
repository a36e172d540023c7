"""Readable exercise answers in graded notebooks, for formgrader and feedback pages.

The rows and text that :class:`~alcourse.grading.preprocessors.ReadableExercises` puts in
place of each exercise cell's output: for every question, the statement, the first
choice, whether it was right, and why.

>>> rows = [AnswerRow("Q?", "Yes", "Right", "Because.")]
>>> print(plain_text("Sort", 1, 1, rows, ""))
Sort: 1 of 1 points (first choices graded)
- Q?
  first choice: Yes. Right. Because.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
        verdict = "Not answered" if chosen is None else item.verdict
        rows.append(AnswerRow(question.prompt, chosen.label if chosen else "none", verdict,
                              item.feedback if chosen else ""))
    return result, rows
