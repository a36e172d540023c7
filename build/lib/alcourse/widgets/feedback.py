"""HTML for feedback that does not rely on colour: a symbol, a word, then the reason."""

from __future__ import annotations

import html

from alcourse.exercises.model import QuestionResult

# Both colours reach at least 7:1 contrast on white (WCAG AA needs 4.5:1).
RIGHT_COLOUR = "#1b5e20"
WRONG_COLOUR = "#8e1b1b"
NEUTRAL_COLOUR = "#333333"
BOX_STYLE = ("background:#ffffff;color:#1a1a1a;border-left:4px solid #5c5c5c;"
             "padding:0.3em 0.6em;margin:0.2em 0 0.4em 0;line-height:1.4")


def feedback_html(result: QuestionResult, first_choice_label: str | None = None) -> str:
    """Feedback for one answer, announced politely to screen readers."""
    if not result.answered:
        body = f'<span style="color:{NEUTRAL_COLOUR}">Not answered yet.</span>'
    elif result.correct:
        body = (f'<span style="color:{RIGHT_COLOUR}"><strong>\u2714 Right.</strong> '
                f"{html.escape(_strip_lead(result.feedback))}</span>")
    elif result.points > 0:
        body = (f'<span style="color:{NEUTRAL_COLOUR}"><strong>\u25d1 Partly.</strong> '
                f"{html.escape(_strip_lead(result.feedback))}</span>")
    else:
        body = (f'<span style="color:{WRONG_COLOUR}"><strong>\u2718 Not quite.</strong> '
                f"{html.escape(_strip_lead(result.feedback))}</span>")
    if first_choice_label is not None:
        body += ("<br><em>You changed your answer. Your first choice, "
                 f"\u201c{html.escape(first_choice_label)}\u201d, is the one that counts.</em>")
    # its own light background keeps the colours' contrast in dark themes too
    return (f'<div class="alcourse-feedback" role="status" aria-live="polite" style="{BOX_STYLE}">'
            f"{body}</div>")


def _strip_lead(text: str) -> str:
    # feedback sentences begin "Right:" / "Not quite:"; the badge already says so
    for lead in ("Right: ", "Right. ", "Not quite: ", "Not quite. ", "Partly: ", "Partly. "):
        if text.startswith(lead):
            return text[len(lead):].strip()[:1].upper() + text[len(lead):].strip()[1:]
    return text
