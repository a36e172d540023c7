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

PHASES = ("check-in", "bids", "account", "questions", "summary", "actions", "review")
"""A meeting's phases in order; ``account`` to ``actions`` repeat for each presenter."""

QUESTION_TYPES = ("open-question", "closed-question", "advice-question")
TURN_TYPES = (
    "check-in", "bid", "account", "answer", *QUESTION_TYPES, "advice", "comment", "story",
    "summary", "action", "review", "adviser", "silence", "side-talk",
)
"""Every kind of turn. Real logs use the same words (see :mod:`alcourse.analysis`)."""

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


EVENTS: dict[str, EventKind] = {e.id: e for e in (
    EventKind("advice-as-question", "Advice disguised as a question",
              "{name}'s 'question' carries a ready-made answer.", rule=True),
    EventKind("leading-question", "Leading question",
              "{name}'s question points the presenter towards one answer.", rule=True),
    EventKind("rapid-fire", "Rapid-fire questions",
              "{name} has asked three questions in a row without waiting for the answers.", rule=True),
    EventKind("storytelling", "Storytelling",
              "{name} has started telling a story about their own service.", rule=True),
    EventKind("dominance", "One member dominating",
              "{name} has taken most of the airtime in this slot.", rule=True),
    EventKind("withdrawal", "A member withdrawing",
              "{name} has gone quiet, arms folded, and has not spoken for a while."),
    EventKind("pulling-rank", "Pulling rank",
              "{name} uses their seniority: 'In my experience at director level, you just...'",
              rule=True),
    EventKind("solution-as-problem", "A solution posed as the problem",
              "{name} describes the problem as 'we need a new system': a solution, not a problem."),
    EventKind("puzzle-as-problem", "A puzzle brought as a problem",
              "{name}'s issue may have one right answer that an expert could simply give."),
    EventKind("rambling-presenter", "A rambling presenter",
              "{name} has been describing background for several minutes without a focus."),
    EventKind("defensive-presenter", "A defensive presenter",
              "{name} answers sharply: 'I've already tried that, obviously.'"),
    EventKind("expert-request", "'Tell us, you're the expert'",
              "{name} turns to you: 'You've seen lots of sets. What should they do?'"),
    EventKind("side-talk", "Side talk",
              "{name} is whispering to a neighbour while the presenter speaks.", rule=True),
    EventKind("no-action", "No action at the end",
              "{name} ends the slot with 'I'll think about it', not a specific action."),
    EventKind("absence", "Absence",
              "{name} has sent apologies again, at short notice."),
    EventKind("process-review", "Process review",
              "The slots are done. Time to review how the set worked today."),
)}

HERON = ("prescriptive", "informative", "confronting", "cathartic", "catalytic", "supportive")
"""Heron's six categories: the first three authoritative, the last three facilitative."""
STRUCTURAL = ("timebox", "round", "pause", "which-question", "next-action", "recontract", "hand-over")
NONE = "none"
MOVES = (*HERON, *STRUCTURAL, NONE)
DIRECTIVE = frozenset({"prescriptive", "informative", "confronting", "timebox", "recontract"})
"""Moves where the adviser takes charge; they help early and erode autonomy later."""

MOVE_LABELS = {
    "prescriptive": "Prescriptive: tell them what to do",
    "informative": "Informative: give information or your view",
    "confronting": "Confronting: name what is happening, directly",
    "cathartic": "Cathartic: make room for feelings",
    "catalytic": "Catalytic: ask a question that helps them find their own way",
    "supportive": "Supportive: affirm the person's worth and effort",
    "timebox": "Timebox: agree how long is left",
    "round": "Round: invite each member in turn",
    "pause": "Pause: ask for a moment's silence",
    "which-question": "Ask 'what question are you answering?'",
    "next-action": "Ask 'what will you do before next time?'",
    "recontract": "Re-contract the ground rules",
    "hand-over": "Hand the process to the set",
    "none": "Deliberately say nothing",
}

TARGET_SET = "set"


def is_directive(move: str) -> bool:
    """True for moves in which the adviser takes charge of content or process."""
    return move in DIRECTIVE
