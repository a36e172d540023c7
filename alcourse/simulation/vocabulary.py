"""The words of the simulator: phases, turn types, events, adviser moves and their labels.

These names appear in scenario files, in transcripts, in the batch CSV and in
real set-meeting logs, so they are fixed here once.

>>> EVENTS["advice-as-question"].label
'Advice disguised as a question'
>>> is_directive("prescriptive"), is_directive("catalytic")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

from alcourse.simulation.rulebook import default_rulebook
from alcourse.simulation.turns import PHASES, QUESTION_TYPES, TURN_TYPES

__all__ = ["DIRECTIVE", "EVENTS", "FIT", "FIT_DEFAULT", "HERON", "MOVES", "MOVE_LABELS", "NONE", "PHASES",
           "QUESTION_TYPES", "STRUCTURAL", "TARGET_SET", "TURN_TYPES", "TURN_TYPE_HELP", "EventKind",
           "is_directive"]

TURN_TYPE_HELP = {
    "check-in": "a member's check-in or report on last time's actions",
    "bid": "a bid for time",
    "account": "the presenter describing the problem",
    "answer": "the presenter answering a question",
    "open-question": "an open question (what, how, who, tell me more)",
    "closed-question": "a closed or leading question (yes/no, 'don't you think...')",
    "advice-question": "advice disguised as a question ('have you tried...?')",
    "advice": "plain advice or a suggestion",
    "comment": "a comment, reassurance or observation",
    "story": "a member telling a story of their own",
    "summary": "the presenter summarising what they have learned",
    "action": "an action stated for before next time",
    "review": "a contribution to the process review",
    "adviser": "anything the set adviser says",
    "silence": "a deliberate pause",
    "side-talk": "a side conversation",
}


@dataclass(frozen=True)
class EventKind:
    """Something the set does that a set adviser might respond to."""

    id: str
    label: str
    cue: str
    """What the trainee notices, with ``{name}`` for the member concerned."""
    rule: bool = False
    """True if it breaks a ground rule of questioning, so handling it teaches the rule."""
    persists: str = "It carried on."
    """What the trainee sees when it is not dealt with, with ``{name}`` for the member concerned."""


_BOOK = default_rulebook()
EVENTS: dict[str, EventKind] = {e.id: EventKind(e.id, e.label, e.cue, e.rule, e.persists)
                                for e in _BOOK.events.values()}
"""The shipped events (declared in ``scenarios/model/events.yaml``)."""

HERON = _BOOK.heron
"""Heron's six categories: the first three authoritative, the last three facilitative."""
STRUCTURAL = _BOOK.structural
NONE = "none"
MOVES = tuple(_BOOK.moves)
"""Every move, declared in ``scenarios/model/moves.yaml``: Heron's, the structural ones, then none."""
DIRECTIVE = frozenset(m.id for m in _BOOK.moves.values() if m.directive)
"""Moves where the adviser takes charge; they help early and erode autonomy later."""
MOVE_LABELS = {m.id: m.label for m in _BOOK.moves.values()}
FIT_DEFAULT = _BOOK.fit_default
"""How well a move fits an event when the event's fit table does not say."""
FIT: dict[str, dict[str, float]] = {e.id: dict(e.fit) for e in _BOOK.events.values()}
"""Chance that a move, well timed, resolves an event (``none`` is not here: the set's own chance
depends on its awareness and autonomy)."""

TARGET_SET = "set"


def is_directive(move: str) -> bool:
    """True for moves in which the adviser takes charge of content or process."""
    return move in DIRECTIVE
