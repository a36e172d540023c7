"""Grading a played programme against stated criteria, by replaying the saved path.

Each criterion gives partial credit. Criteria measured over the meetings are
scaled by the share of the programme played, so an unfinished path earns
part of the marks and an empty one earns none.

>>> from alcourse.simulation import load_scenario, policy, run
>>> result = run(load_scenario("primary-care-practice-managers"), policy("hands-off"), seed=7)
>>> score_criterion("advice-challenged", 4, 0, result).explanation
'5 of 7 pieces of advice in presenter slots were left unchallenged (by you or by the set)'
>>> score_criterion("advice-challenged", 4, 0, run(result.scenario, policy("adaptive"), seed=7)).points
4.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alcourse.simulation.engine import Result


@dataclass(frozen=True)
class CriterionScore:
    points: float
    max_points: float
    explanation: str

    @property
    def met(self) -> bool:
        return self.points >= self.max_points


def _played(result: Result) -> float:
    return len(result.meetings) / result.scenario.meetings


def _round(points: float) -> float:
    # quarter marks: fine enough for partial credit, coarse enough to read
    return round(max(0.0, points) * 4) / 4


def _advice(result: Result, points: float, bound: float) -> CriterionScore:
    events = sum(m.advice_events for m in result.meetings)
    left = sum(m.advice_unchallenged for m in result.meetings)
    share = 1.0 if events == 0 else 1.0 - left / events
    got = _round(points * share * _played(result))
    return CriterionScore(got, points, f"{left} of {events} pieces of advice in presenter slots were left "
                          "unchallenged (by you or by the set)")


def _airtime(result: Result, points: float, bound: float) -> CriterionScore:
    if not result.meetings:
        return CriterionScore(0.0, points, "no meeting played yet")
    mean = sum(m.airtime_gini for m in result.meetings) / len(result.meetings)
    share = 1.0 if mean <= bound else max(0.0, 1.0 - (mean - bound) / 0.1)
    return CriterionScore(_round(points * share * _played(result)), points,
                          f"mean airtime Gini {mean:.2f} (aim: at most {bound:.2f})")


def _handover(result: Result, points: float, bound: float) -> CriterionScore:
    by = int(bound) or result.scenario.meetings
    tried = [d for d in result.decisions if d.intervention.move == "hand-over" and d.decision.meeting <= by]
    worked = [d for d in tried if d.outcome == "resolved"]
    if worked:
        return CriterionScore(points, points,
                              f"the set took over the process in meeting {worked[0].decision.meeting}")
    if tried:
        return CriterionScore(_round(points / 2), points, "you tried to hand over, but the set was not ready "
                              "to take it; build its process awareness first")
    return CriterionScore(0.0, points, f"no hand-over to the set by meeting {by}")


def _actions(result: Result, points: float, bound: float) -> CriterionScore:
    slots = sum(m.actions_recorded for m in result.meetings)
    specific = sum(m.specific_actions for m in result.meetings)
    share = specific / slots if slots else 0.0
    target = bound or 1.0
    got = _round(points * min(1.0, share / target) * _played(result))
    return CriterionScore(got, points, f"{specific} of {slots} presenters left with a specific action")


def _adviser_talk(result: Result, points: float, bound: float) -> CriterionScore:
    if not result.meetings:
        return CriterionScore(0.0, points, "no meeting played yet")
    mean = sum(m.adviser_share for m in result.meetings) / len(result.meetings)
    share = 1.0 if mean <= bound else max(0.0, 1.0 - (mean - bound) / bound)
    return CriterionScore(_round(points * share * _played(result)), points,
                          f"you took {mean:.0%} of the talk (aim: at most {bound:.0%})")


CRITERIA: dict[str, Callable[[Result, float, float], CriterionScore]] = {
    "advice-challenged": _advice,
    "airtime-spread": _airtime,
    "handover-by": _handover,
    "specific-actions": _actions,
    "adviser-talk": _adviser_talk,
}
"""Criterion kinds. ``bound`` means: airtime-spread, the highest mean Gini; handover-by, the
meeting (0: the last); specific-actions, the share of slots needed for full marks (0: all);
adviser-talk, the highest mean share of talk; advice-challenged ignores it."""


def score_criterion(kind: str, points: float, bound: float, result: Result) -> CriterionScore:
    """Score one criterion on a (possibly unfinished) played programme."""
    if not result.meetings:
        return CriterionScore(0.0, points, "no meeting has been played to the end yet")
    return CRITERIA[kind](result, points, bound)
