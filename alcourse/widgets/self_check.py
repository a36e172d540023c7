"""The self-check that ends a module: what is still unanswered, looked at again on demand.

A module runs as soon as it opens, before the trainee has answered anything, so a list
printed then would be out of date by the time they reach it. The **Check again** button asks
again; the markup comes from ``templates/widgets/self-check.html.j2``.

>>> todo = ["'Written reflection': not written yet"]
>>> w = SelfCheckWidget(lambda: list(todo))
>>> "Still to do" in w.result.value
True
>>> todo.clear()
>>> w.refresh()
>>> print(repr(w))
✔ Everything in this module has an answer. Save (Ctrl+S) and hand it in.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from alcourse.render import part

TEMPLATE = "widgets/self-check.html.j2"
DONE = "\u2714 Everything in this module has an answer. Save (Ctrl+S) and hand it in."


class SelfCheckWidget(widgets.VBox):
    """The list of what is unanswered, and a button that looks again."""

    def __init__(self, todo: Callable[[], list[str]]) -> None:
        self.todo = todo
        self.missing: list[str] = []
        self.result = widgets.HTML()
        self.button = widgets.Button(description="Check again",
                                     tooltip="Looks again at what you have answered",
                                     layout=widgets.Layout(width="auto", min_height="36px"))
        self.button.add_class("alcourse-self-check-again")
        self.button.on_click(lambda _button: self.refresh())
        super().__init__([self.result, self.button],
                         layout=widgets.Layout(width="100%", align_items="flex-start"))
        self.add_class("alcourse-self-check")
        self.refresh()

    def refresh(self) -> None:
        """Look again at the answers file and show what is still to do."""
        self.missing = self.todo()
        self.result.value = part(TEMPLATE, "result", todo=self.missing, done=DONE)

    def __repr__(self) -> str:
        # the text a graded notebook, a feedback page or a terminal shows instead of the widget
        if not self.missing:
            return DONE
        return "\n".join(["Still to do before you hand in:", *(f"  \u2022 {line}" for line in self.missing)])
