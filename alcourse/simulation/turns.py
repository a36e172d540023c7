"""One turn of a meeting, as the engine records it and every reader reads it.

The engine, the transcript, the outcome measures, the debrief and the play widget all
read turns by field name; nothing indexes a turn by position.

>>> t = Turn(1, "questions", "amira", "tom", "advice-question", 18.0)
>>> t.speaker, t.turn_type, t.event, t.text_key
('tom', 'advice-question', '', '')
>>> t._replace(event="advice-as-question").event
'advice-as-question'
>>> with_field(t, EVENT, "advice-as-question") == t._replace(event="advice-as-question")
True
"""

from __future__ import annotations

from typing import NamedTuple

PHASES = ("check-in", "bids", "account", "questions", "summary", "actions", "review")
"""A meeting's phases in order; ``account`` to ``actions`` repeat for each presenter."""

QUESTION_TYPES = ("open-question", "closed-question", "advice-question")
TURN_TYPES = (
    "check-in", "bid", "account", "answer", *QUESTION_TYPES, "advice", "comment", "story",
    "summary", "action", "review", "adviser", "silence", "side-talk",
)
"""Every kind of turn. Real logs use the same words (see :mod:`alcourse.analysis`)."""


class Turn(NamedTuple):
    """One turn: who spoke, in what phase and slot, for how long, and what it was."""

    meeting: int
    phase: str
    presenter: str
    """The presenter's id during a presenter slot, else empty."""
    speaker: str
    """A member id, ``adviser`` or ``set`` (a silence or murmur of the whole set)."""
    turn_type: str
    seconds: float
    event: str = ""
    """The event this turn showed (advice disguised as a question, ...), if any."""
    move: str = ""
    target: str = ""
    outcome: str = ""
    text_key: str = ""
    """Which template of :mod:`alcourse.simulation.texts` gives its words."""
    text_index: int = 0
    say: str | None = None
    """Scripted words, used instead of a template."""
    own: str = ""
    """Words the trainee typed for this adviser turn (kept for the trainer to comment on)."""


_TO_INTEGER = 1.5 * 2.0**52
"""Added to a float of magnitude below 2**51 and taken away again, it leaves the nearest integer
(ties to even): at that size a double has no bits below the units."""


def tenths(x: float) -> float:
    """``round(x, 1)``: the same float, sooner. A turn's length is kept in tenths of a second.

    ``round(x, 1)`` rounds the exact decimal value of ``x`` by writing it out and reading it back,
    which costs more than the rest of a turn's arithmetic; the engine rounds one or two lengths
    at every turn. For ``x`` with ``10 x`` from 0.5 to 2**32 whose tenths are not within 0.0001 of
    a half, ``x * 10.0`` (within 2**-21 of ``10 x``) has the same nearest integer ``n`` as ``10 x``,
    and ``n / 10.0`` is the double nearest ``n / 10``: what ``round`` returns. Other values
    (zero, negative, huge, not finite, near a tie) are left to ``round``.

    >>> tenths(18.449999), tenths(0.04), tenths(-2.25), tenths(2.25)
    (18.4, 0.0, -2.2, 2.2)
    """
    y = x * 10.0
    n = y + _TO_INTEGER - _TO_INTEGER
    if 0.5 < n < 4294967296.0 and -0.4999 < y - n < 0.4999:
        return n / 10.0
    return round(x, 1)


TURN_FIELDS = Turn._fields
EVENT = TURN_FIELDS.index("event")
OUTCOME = TURN_FIELDS.index("outcome")
_new_tuple = tuple.__new__


def with_field(turn: Turn, index: int, value: object) -> Turn:
    """``turn`` with field number ``index`` changed: ``_replace`` without its keyword and map
    machinery, since the engine marks a turn at most events and most decisions."""
    return _new_tuple(Turn, (*turn[:index], value, *turn[index + 1:]))
