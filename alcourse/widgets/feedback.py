"""HTML for feedback that does not rely on colour: a symbol, a word, then the reason."""

from __future__ import annotations

from alcourse.exercises.model import QuestionResult
from alcourse.render import part

# Both colours reach at least 7:1 contrast on white (WCAG AA needs 4.5:1).
RIGHT_COLOUR = "#1b5e20"
WRONG_COLOUR = "#8e1b1b"
NEUTRAL_COLOUR = "#333333"
BOX_STYLE = ("background:#ffffff;color:#1a1a1a;border-left:4px solid #5c5c5c;"
             "padding:0.3em 0.6em;margin:0.2em 0 0.4em 0;line-height:1.4")


def feedback_html(result: QuestionResult, first_choice_label: str | None = None) -> str:
    """Feedback for one answer, announced politely to screen readers.

    >>> from alcourse.exercises.model import QuestionResult
    >>> page = feedback_html(QuestionResult("q1", "a", 0, 1, "Not quite: <b>no</b>."), "A")
    >>> "\u2718 Not quite." in page, "&lt;b&gt;" in page, "\u201cA\u201d" in page
    (True, True, True)
    """
    text = _strip_lead(result.feedback)
    if not result.answered:
        colour, badge, text = NEUTRAL_COLOUR, "", "Not answered yet."
    elif result.correct:
        colour, badge = RIGHT_COLOUR, "\u2714 Right."
    elif result.points > 0:
        colour, badge = NEUTRAL_COLOUR, "\u25d1 Partly."
    else:
        colour, badge = WRONG_COLOUR, "\u2718 Not quite."
    return part("widgets/feedback.html.j2", "answer", colour=colour, badge=badge, text=text,
                first_choice=first_choice_label, box=BOX_STYLE)


def _strip_lead(text: str) -> str:
    # feedback sentences begin "Right:" / "Not quite:"; the badge already says so
    for lead in ("Right: ", "Right. ", "Not quite: ", "Not quite. ", "Partly: ", "Partly. "):
        if text.startswith(lead):
            return text[len(lead):].strip()[:1].upper() + text[len(lead):].strip()[1:]
    return text
