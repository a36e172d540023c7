"""Outcome measures of a meeting and of a programme, shared by simulated and real meetings.

:func:`turn_measures` works on plain columns (speaker, turn type, seconds, move),
so :mod:`alcourse.analysis` computes the same numbers from a real set's log.

>>> gini([1.0, 1.0, 1.0, 1.0])
0.0
>>> round(gini([4.0, 0.0, 0.0, 0.0]), 2)
0.75
>>> m = turn_measures(["ann", "bob", "adviser"], ["open-question", "advice-question", "adviser"],
...                   [10.0, 30.0, 10.0], ["", "", "catalytic"], members=["ann", "bob", "cy"])
>>> m.open_share, m.advice_share, m.airtime == {"ann": 0.25, "bob": 0.75, "cy": 0.0}
(0.5, 0.5, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from alcourse.simulation.turns import TURN_FIELDS, Turn
from alcourse.simulation.vocabulary import HERON, MOVES, QUESTION_TYPES

ADVISER = "adviser"
ADVICE_EVENTS = frozenset({"advice-as-question", "pulling-rank"})
"""Events in which a member gives advice in a presenter slot (the advice-challenged criterion)."""
PRESENTER_TURNS = frozenset({"account", "answer", "summary", "action"})
"""The presenter's own talk: excluded from airtime spread, since a presenter should talk most."""
_MEASURED = tuple(TURN_FIELDS.index(name) for name in ("speaker", "turn_type", "seconds", "move"))
"""Where in a turn the fields that :func:`turn_measures` reads are, in its order."""
_COLUMNS = (0, 1, 2, 3)
"""Where they are in a tuple of those four fields."""


def clamp(value: float) -> float:
    """Keep a probability or a level within [0, 1]."""
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def stage_of(autonomy: float) -> str:
    """Heron's facilitation stages, read off the set's autonomy.

    >>> stage_of(0.1), stage_of(0.5), stage_of(0.9)
    ('hierarchical', 'co-operative', 'autonomous')
    """
    if autonomy < 1 / 3:
        return "hierarchical"
    return "co-operative" if autonomy < 2 / 3 else "autonomous"


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of airtime: 0 when all speak equally, towards 1 when one speaks alone."""
    n = len(values)
    total = float(sum(values))
    if n < 2 or total <= 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered))
    return max(0.0, weighted / (n * total))


@dataclass(frozen=True)
class TurnMeasures:
    questions: int
    open_share: float
    closed_share: float
    advice_share: float
    advice_turns: int
    airtime: dict[str, float]
    airtime_gini: float
    adviser_share: float
    moves: dict[str, int]
    actions: int
    minutes: float


def turn_measures(speakers: Sequence[str], turn_types: Sequence[str], seconds: Sequence[float],
                  moves: Sequence[str], members: Iterable[str] | None = None,
                  adviser: str = ADVISER) -> TurnMeasures:
    """The talk measures of one meeting from its turns.

    ``members`` lists who was present (so a silent member counts as 0 airtime);
    by default everyone who spoke other than the adviser. Airtime counts the
    members' contributions to the set (questions, comments, check-ins, reviews),
    not a presenter's account and answers.
    """
    return _measures(zip(speakers, turn_types, seconds, moves, strict=True), _COLUMNS, members, adviser)


def _measures(turns: Iterable[Sequence[Any]], fields: tuple[int, ...], members: Iterable[str] | None,
              adviser: str) -> TurnMeasures:
    """:func:`turn_measures` of ``turns`` in turn order, each holding its speaker, turn type, seconds
    and move at the positions ``fields``.

    One pass counts the turn kinds and adds the seconds (in turn order, as before): a
    simulated meeting's rows are read here as they are, not transposed into columns first.
    """
    at_speaker, at_kind, at_seconds, at_move = fields
    kinds: dict[str, int] = {}
    airtime: dict[str, float] = dict.fromkeys(members or (), 0.0)
    adviser_seconds = total = 0.0
    move_counts: dict[str, int] = {}
    for turn in turns:
        speaker, kind, secs = turn[at_speaker], turn[at_kind], turn[at_seconds]
        kinds[kind] = kinds.get(kind, 0) + 1
        total += secs
        if speaker == adviser:
            adviser_seconds += secs
            if move := turn[at_move]:
                move_counts[move] = move_counts.get(move, 0) + 1
        elif speaker != "set" and kind not in PRESENTER_TURNS:
            airtime[speaker] = airtime.get(speaker, 0.0) + secs
    counts = {kind: kinds.get(kind, 0) for kind in QUESTION_TYPES}
    advice_turns, actions = kinds.get("advice", 0) + counts["advice-question"], kinds.get("action", 0)
    questions = sum(counts.values())
    member_total = sum(airtime.values())
    shares = {k: (v / member_total if member_total else 1.0 / len(airtime)) for k, v in airtime.items()}
    return TurnMeasures(
        questions=questions,
        open_share=counts["open-question"] / questions if questions else 0.0,
        closed_share=counts["closed-question"] / questions if questions else 0.0,
        advice_share=counts["advice-question"] / questions if questions else 0.0,
        advice_turns=advice_turns,
        airtime=shares,
        airtime_gini=gini(list(airtime.values())),
        adviser_share=adviser_seconds / total if total else 0.0,
        moves=move_counts,
        actions=actions,
        minutes=total / 60.0,
    )


@dataclass
class MeetingOutcome:
    """What one meeting achieved. Shares run from 0 to 1."""

    meeting: int
    attendance: float
    minutes: float
    questions: int
    open_share: float
    closed_share: float
    advice_share: float
    airtime_gini: float
    adviser_share: float
    interventions: int
    insight_gain: float
    specific_actions: int
    actions_recorded: int
    advice_events: int
    advice_unchallenged: int
    handover_tried: bool
    handover_done: bool
    dependence: float
    autonomy: float
    stage: str
    awareness: float
    adherence: float
    cohesion: float
    collusion: float
    actions_completed: int = 0
    usefulness: float = 0.0
    airtime: dict[str, float] = field(default_factory=dict)
    moves: dict[str, int] = field(default_factory=dict)

    @property
    def heron_share(self) -> dict[str, float]:
        """Share of each Heron category among this meeting's Heron interventions."""
        heron = {k: self.moves.get(k, 0) for k in HERON}
        total = sum(heron.values())
        return {k: (v / total if total else 0.0) for k, v in heron.items()}

    def as_row(self) -> dict[str, Any]:
        """A flat row for a CSV: measures, then one count column per move."""
        row = {k: v for k, v in asdict(self).items() if k not in ("airtime", "moves")}
        for move in MOVES:
            if move != "none":
                row[f"move_{move}"] = self.moves.get(move, 0)
        row["move_none"] = self.moves.get("none", 0)
        return row


def meeting_outcome(number: int, rows: Sequence[Turn], present: list[str],
                    records: Sequence[Any], insight_gains: list[float], members: Sequence[Any],
                    presenters: list[str], autonomy: float, awareness: float, adherence: float,
                    cohesion: float, collusion: float, size: int) -> MeetingOutcome:
    """The outcome of a simulated meeting from its rows, decisions and the state at its end."""
    # each row's four measured fields by their positions (reading named fields costs more)
    measures = _measures(rows, _MEASURED, present, ADVISER)
    moves = dict(measures.moves)
    # the decisions in one pass
    nones = advice_events = unchallenged = 0
    handover_tried = handover_done = False
    for d in records:
        move = d.intervention.move
        if d.decision.event in ADVICE_EVENTS:
            advice_events += 1
            if move == "none" and d.outcome != "set":
                unchallenged += 1
        if move == "none":
            nones += 1
        elif move == "hand-over":
            handover_tried = True
            handover_done = handover_done or d.outcome == "resolved"
    if nones:
        moves["none"] = nones
    actions = [a for m in members for a in m.actions if a.meeting == number]
    return MeetingOutcome(
        meeting=number, attendance=len(present) / size, minutes=measures.minutes,
        questions=measures.questions, open_share=measures.open_share,
        closed_share=measures.closed_share, advice_share=measures.advice_share,
        airtime_gini=measures.airtime_gini, adviser_share=measures.adviser_share,
        interventions=len(records) - nones,
        insight_gain=sum(insight_gains) / len(insight_gains) if insight_gains else 0.0,
        specific_actions=sum(1 for a in actions if a.specific), actions_recorded=len(actions),
        advice_events=advice_events, advice_unchallenged=unchallenged,
        handover_tried=handover_tried, handover_done=handover_done,
        dependence=sum(m.dependence for m in members) / len(members),
        autonomy=autonomy, stage=stage_of(autonomy), awareness=awareness, adherence=adherence,
        cohesion=cohesion, collusion=collusion, airtime=measures.airtime, moves=moves,
    )


@dataclass(frozen=True)
class ProgrammeOutcome:
    """What the programme achieved across its meetings."""

    actions_recorded: int
    actions_completed: int
    completion_rate: float
    attendance: tuple[float, ...]
    dependence: tuple[float, ...]
    dependence_trend: float
    """Least-squares slope of mean dependence per meeting (negative: falling)."""
    final_stage: str
    advice_unchallenged: int
    handover_meeting: int
    """First meeting with a successful hand-over, 0 if none."""


def slope(values: Sequence[float]) -> float:
    """Least-squares slope of ``values`` against 1, 2, 3, ..."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n + 1) / 2
    mean_y = sum(values) / n
    num = sum((i + 1 - mean_x) * (y - mean_y) for i, y in enumerate(values))
    den = sum((i + 1 - mean_x) ** 2 for i in range(n))
    return num / den


def programme_outcome(meetings: Sequence[MeetingOutcome], members: Sequence[Any]) -> ProgrammeOutcome:
    recorded = sum(m.actions_recorded for m in meetings)
    completed = sum(m.actions_completed for m in meetings)
    dependence = tuple(m.dependence for m in meetings)
    handover = next((m.meeting for m in meetings if m.handover_done), 0)
    return ProgrammeOutcome(
        actions_recorded=recorded, actions_completed=completed,
        completion_rate=completed / recorded if recorded else 0.0,
        attendance=tuple(m.attendance for m in meetings), dependence=dependence,
        dependence_trend=slope(dependence), final_stage=meetings[-1].stage if meetings else "hierarchical",
        advice_unchallenged=sum(m.advice_unchallenged for m in meetings), handover_meeting=handover,
    )
