"""A written answer typed into a text box: saved to the answers file as it is typed.

Typing here is always text. A Markdown cell that a trainee must double-click first
leaves JupyterLab in command mode when the double-click misses, and then every
letter is a notebook shortcut (``a`` inserts a cell, ``d d`` deletes one).
"""

from __future__ import annotations

from typing import Protocol

import ipywidgets as widgets

from alcourse.answers import StaleAnswersError
from alcourse.curriculum.model import Reflection
from alcourse.render import part

TEMPLATE = "widgets/written.html.j2"


class TextStore(Protocol):
    def write_text(self, reflection_id: str, text: str) -> None: ...
    def text(self, reflection_id: str) -> str: ...


def word_count(text: str) -> int:
    """Words as a reader counts them.

    >>> word_count("  Two words\\n")
    2
    """
    return len(text.split())


def length_note(text: str, words: tuple[int, int]) -> str:
    """How the length compares with what is asked, in plain words.

    >>> length_note("one two three", (150, 250))
    '3 words: 147 more to reach the 150 to 250 asked for.'
    """
    count, (low, high) = word_count(text), words
    asked = f"the {low} to {high} asked for"
    if count == 0:
        return f"Nothing written yet ({low} to {high} words asked for)."
    if count < low:
        return f"{count} words: {low - count} more to reach {asked}."
    if count > high:
        return f"{count} words: {count - high} more than {asked}; try to shorten it."
    return f"{count} words: within {asked}."


class WrittenAnswerWidget(widgets.VBox):
    """A labelled text box; the answer is saved to ``store`` at every change."""

    def __init__(self, reflection: Reflection, store: TextStore) -> None:
        self.reflection = reflection
        self.store = store
        self.box = widgets.Textarea(value=store.text(reflection.id), continuous_update=True,
                                    placeholder="Click here and type your answer.",
                                    description="Your answer:", rows=12,
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="100%"))
        self.status = widgets.HTML()
        self._catching_up = False
        self.box.observe(lambda change: self._on_change(change["new"]), names="value")
        super().__init__([widgets.HTML(part(TEMPLATE, "style")), self.box, self.status],
                         layout=widgets.Layout(width="100%"))
        self.add_class("alcourse-written")
        self._show_status("Saved as you type.")

    def _show_status(self, saved: str) -> None:
        note = length_note(self.box.value, self.reflection.words)
        self.status.value = part(TEMPLATE, "status", note=note, saved=saved)

    def _on_change(self, text: str) -> None:
        if self._catching_up:
            return
        try:
            self.store.write_text(self.reflection.id, text)
        except StaleAnswersError:
            # another tab saved a newer answer: show it rather than overwrite it
            self._catching_up = True
            try:
                self.box.value = self.store.text(self.reflection.id)
            finally:
                self._catching_up = False
            self._show_status("Your answer was changed in another tab or window; this box now "
                              "shows that saved answer. Nothing was overwritten.")
            return
        self._show_status("Saved.")

    def type(self, text: str) -> None:
        """Replace the answer as a trainee typing would (used by tests and demos)."""
        self.box.value = text
