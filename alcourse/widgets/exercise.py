"""An exercise as ipywidgets: one labelled radio group per question, instant feedback.

Radio buttons are native form controls: they are reached with Tab, changed with
the arrow keys, and their chosen state is shown by the dot, not by colour.
"""

from __future__ import annotations

from typing import Protocol

import ipywidgets as widgets

from alcourse.exercises.model import Exercise, Question
from alcourse.render import part
from alcourse.widgets.feedback import feedback_html

TEMPLATE = "widgets/exercise.html.j2"


class Store(Protocol):
    def record(self, exercise_id: str, question_id: str, option_id: str) -> None: ...
    def graded(self, exercise_id: str) -> dict[str, str]: ...
    def latest(self, exercise_id: str) -> dict[str, str]: ...


class MemoryStore:
    """A store that keeps answers in memory: for book previews and tests."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], str] = {}
        self._latest: dict[tuple[str, str], str] = {}

    def record(self, exercise_id: str, question_id: str, option_id: str) -> None:
        self._first.setdefault((exercise_id, question_id), option_id)
        self._latest[(exercise_id, question_id)] = option_id

    def graded(self, exercise_id: str) -> dict[str, str]:
        return {q: o for (e, q), o in self._first.items() if e == exercise_id}

    def latest(self, exercise_id: str) -> dict[str, str]:
        return {q: o for (e, q), o in self._latest.items() if e == exercise_id}


class ExerciseWidget(widgets.VBox):
    """The widget for one exercise; answers go to ``store`` the moment they change."""

    def __init__(self, exercise: Exercise, store: Store) -> None:
        self.exercise = exercise
        self.store = store
        self.radios: dict[str, widgets.RadioButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.progress = widgets.HTML()
        rows: list[widgets.Widget] = [
            widgets.HTML(part(TEMPLATE, "intro", title=exercise.title, instructions=exercise.instructions))
        ]
        latest = store.latest(exercise.id)
        questions = exercise.ordered()
        noun = "Situation" if exercise.style == "choice" else "Statement"
        for number, question in enumerate(questions, start=1):
            rows.append(self._question_row(question, number, len(questions), noun,
                                           latest.get(question.id)))
        rows.append(self.progress)
        super().__init__(rows, layout=widgets.Layout(width="100%"))
        self.add_class("alcourse-exercise")
        self._update_progress()

    def _question_row(self, question: Question, number: int, total: int, noun: str,
                      saved: str | None) -> widgets.Widget:
        label = f"{noun} {number} of {total}"
        prompt = widgets.HTML(part(TEMPLATE, "prompt", exercise_id=self.exercise.id,
                                   question_id=question.id, label=label, text=question.prompt))
        options = [(o.label, o.id) for o in question.options]
        radio = widgets.RadioButtons(
            options=options,
            value=saved if saved in {o.id for o in question.options} else None,
            description="",
            tooltip=label,
            layout=widgets.Layout(width="auto"),
        )
        radio.add_class("alcourse-choice")
        feedback = widgets.HTML()
        self.radios[question.id] = radio
        self.feedback[question.id] = feedback
        if radio.value is not None:
            self._show_feedback(question, radio.value)
        radio.observe(lambda change, q=question: self._on_change(q, change["new"]), names="value")
        return widgets.VBox([prompt, radio, feedback], layout=widgets.Layout(margin="0 0 1em 0"))

    def _on_change(self, question: Question, option_id: str | None) -> None:
        if option_id is None:
            return
        self.store.record(self.exercise.id, question.id, option_id)
        self._show_feedback(question, option_id)
        self._update_progress()

    def _show_feedback(self, question: Question, option_id: str) -> None:
        result = self.exercise.check_one(question.id, option_id)
        first = self.store.graded(self.exercise.id).get(question.id)
        first_label = None
        if first is not None and first != option_id:
            chosen = question.option(first)
            first_label = chosen.label if chosen else first
        self.feedback[question.id].value = feedback_html(result, first_label)

    def _update_progress(self) -> None:
        graded = self.store.graded(self.exercise.id)  # one read of the answers file, not one per question
        answered = len([q for q in self.exercise.questions if q.id in graded])
        total = len(self.exercise.questions)
        self.progress.value = part(TEMPLATE, "progress", answered=answered, total=total)

    def choose(self, question_id: str, option_id: str) -> None:
        """Choose an option as a trainee would (used by tests and demos)."""
        self.radios[question_id].value = option_id
