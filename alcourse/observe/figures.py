"""The debrief's numbers for one observed session, and the simulator's targets they are compared with.

>>> from alcourse.observe.session import Session
>>> s = (Session(("Ann", "Bo")).turn(0, "Ann", "open-question").turn(10, "Bo", "advice-question")
...      .intervene(40, "catalytic", "Bo").turn(50, "set", "silence").end(56))
>>> f = figures(s)
>>> f.airtime, f.question_mix["advice-question"], f.adviser_share, f.silences
({'Ann': 10.0, 'Bo': 30.0, 'adviser': 10.0}, 1, 0.179, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alcourse.observe.session import (
    ADVISER,
    INTERVENTION,
    MEMBER_KINDS,
    NOTE,
    QUESTION_KINDS,
    SET,
    SILENCE,
    Session,
)
from alcourse.simulation.outcomes import turn_measures
from alcourse.simulation.vocabulary import HERON

ADVICE_KINDS = ("advice", "advice-question")
ADVICE_BOUND = 0.2
"""Share of questions that are advice in disguise above which the analysis debrief suggests
challenging it (see :func:`alcourse.analysis.next_steps`)."""


def _r(x: float) -> float:
    return round(x, 3)


@dataclass(frozen=True)
class Figures:
    """What the debrief shows. Seconds and shares are rounded to 3 places."""

    minutes: float
    airtime: dict[str, float]
    """Seconds of talk per member (every turn) and, last, the adviser."""
    airtime_share: dict[str, float]
    turn_mix: dict[str, int]
    """Member turns by kind (every kind, zeros included)."""
    question_mix: dict[str, int]
    advice_share: float
    """Advice and advice-as-question turns as a share of the members' questions and advice."""
    advice_question_share: float
    """Advice disguised as questions as a share of questions (the simulator's measure)."""
    airtime_gini: float
    adviser_share: float
    """The adviser's seconds as a share of the session (the simulator's measure)."""
    heron: dict[str, int]
    structural: dict[str, int]
    targets: dict[str, int]
    """Interventions addressed to the set and to each member."""
    silences: int
    silence_seconds: float
    longest_silence: float
    notes: list[tuple[float, str]] = field(default_factory=list)


def figures(session: Session, now: float | None = None) -> Figures:
    """The debrief figures of ``session`` (its last turn ends at its end, or ``now``)."""
    rows = [r for r in session.rows(now) if r.kind != NOTE]
    airtime = {m: 0.0 for m in session.members} | {ADVISER: 0.0}
    turn_mix = {k.id: 0 for k in MEMBER_KINDS}
    heron = dict.fromkeys(HERON, 0)
    structural: dict[str, int] = {}
    targets = {SET: 0} | dict.fromkeys(session.members, 0)
    silence_lengths = []
    for r in rows:
        if r.kind == SILENCE:
            silence_lengths.append(r.seconds)
            continue
        airtime[r.speaker] += r.seconds
        if r.kind == INTERVENTION:
            if r.move in heron:
                heron[r.move] += 1
            else:
                structural[r.move] = structural.get(r.move, 0) + 1
            targets[r.target] += 1
        else:
            turn_mix[r.kind] += 1
    talk = sum(airtime.values())
    questions = sum(turn_mix[k] for k in QUESTION_KINDS)
    advice = sum(turn_mix[k] for k in ADVICE_KINDS)
    laden = questions + turn_mix["advice"]
    measures = turn_measures([r.speaker for r in rows], [r.turn_type for r in rows],
                             [r.seconds for r in rows], [r.move for r in rows], members=session.members)
    return Figures(
        minutes=_r(sum(r.seconds for r in rows) / 60),
        airtime={k: _r(v) for k, v in airtime.items()},
        airtime_share={k: _r(v / talk if talk else 0.0) for k, v in airtime.items()},
        turn_mix=turn_mix,
        question_mix={k: turn_mix[k] for k in QUESTION_KINDS},
        advice_share=_r(advice / laden if laden else 0.0),
        advice_question_share=_r(measures.advice_share),
        airtime_gini=_r(measures.airtime_gini),
        adviser_share=_r(measures.adviser_share),
        heron=heron,
        structural=structural,
        targets=targets,
        silences=len(silence_lengths),
        silence_seconds=_r(sum(silence_lengths)),
        longest_silence=_r(max(silence_lengths, default=0.0)),
        notes=[(e.at, e.note) for e in session.events if e.kind == NOTE],
    )


@dataclass(frozen=True)
class Target:
    """One of the simulator's aims, and whether this session met it."""

    label: str
    value: float
    bound: float
    met: bool
    source: str


def simulator_bounds() -> dict[str, float]:
    """The simulator's graded bounds (airtime Gini, adviser's talk), read from the curriculum's
    simulation criteria, so a trainer who changes them there changes them here too.

    >>> sorted(simulator_bounds())
    ['adviser-talk', 'airtime-spread']
    """
    from alcourse.curriculum import load_curriculum

    bounds: dict[str, float] = {}
    for module in load_curriculum().modules.values():
        for sim in module.simulations():
            for c in sim.criteria:
                if c.kind in ("airtime-spread", "adviser-talk") and c.bound and c.kind not in bounds:
                    bounds[c.kind] = float(c.bound)
    return bounds


def compare(f: Figures, bounds: dict[str, float]) -> list[Target]:
    """This session against the simulator's aims (each aim is an upper bound)."""
    out = [Target("Advice disguised as questions, share of questions", f.advice_question_share, ADVICE_BOUND,
                  f.advice_question_share <= ADVICE_BOUND, "the simulator's debrief")]
    if "airtime-spread" in bounds:
        b = bounds["airtime-spread"]
        out.append(Target("Airtime spread among members (Gini, 0 = equal)", f.airtime_gini, b,
                          f.airtime_gini <= b, "the simulated set's graded criterion"))
    if "adviser-talk" in bounds:
        b = bounds["adviser-talk"]
        out.append(Target("Adviser's share of the session", f.adviser_share, b, f.adviser_share <= b,
                          "the simulated set's graded criterion"))
    return out
