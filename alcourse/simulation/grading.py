"""Grading a played programme against stated criteria, by replaying the saved path.

Each criterion gives partial credit. Criteria measured over the meetings are
scaled by the share of the programme played, so an unfinished path earns
part of the marks and an empty one earns none.

>>> from alcourse.simulation import load_scenario, policy, run
>>> result = run(load_scenario("primary-care-practice-managers"), policy("hands-off"), seed=7)
>>> score_criterion("advice-challenged", 4, 0, result).explanation
'5 of 6 pieces of advice in presenter slots were left unchallenged (by you or by the set)'
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
                          f"how unevenly members shared the talk: {mean:.2f} on average, on a scale from 0 "
                          f"(all equally) to 1 (one member spoke alone); aim: at most {bound:.2f}")


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


LIGHT_MARGIN = 0.15
"""A move within this much of the best fit for an event counts as one that works."""


def lightest_fitting(event: str, result: Result) -> tuple[int, float]:
    """The weight of the lightest move that works for ``event``, and the fit a move needs to count.

    >>> from alcourse.simulation import load_scenario, policy, run
    >>> lightest_fitting("advice-as-question", run(load_scenario("discharge-improvement"),
    ...                                                 policy("hands-off"), seed=1))
    (1, 0.7)
    """
    book = result.scenario.rulebook()
    fits = book.events[event].fit
    best = max(fits.values(), default=0.0)
    need = round(best - LIGHT_MARGIN, 6)
    weights = [book.moves[m].weight for m, f in fits.items() if f >= need]
    return (min(weights) if weights else 1), need


def _lightest(result: Result, points: float, bound: float) -> CriterionScore:
    book = result.scenario.rulebook()
    moved = [d for d in result.decisions if d.intervention.move != "none"]
    if not moved:
        return CriterionScore(0.0, points, "you made no move, so there is no touch to judge")
    light = 0
    for d in moved:
        weight, need = lightest_fitting(d.decision.event, result)
        fit = book.events[d.decision.event].fit.get(d.intervention.move, book.fit_default)
        light += fit >= need and book.moves[d.intervention.move].weight <= weight
    share = light / len(moved)
    target = bound or 0.75
    got = _round(points * min(1.0, share / target) * _played(result))
    return CriterionScore(got, points, f"{light} of your {len(moved)} moves were the lightest touch that "
                          f"fitted the moment (aim: {target:.0%})")


def _over(result: Result, points: float, bound: float) -> CriterionScore:
    limit = bound or 6.0
    per_meeting = sum(m.interventions for m in result.meetings) / len(result.meetings)
    share = 1.0 if per_meeting <= limit else max(0.0, 1.0 - (per_meeting - limit) / limit)
    return CriterionScore(_round(points * share * _played(result)), points,
                          f"you stepped in {per_meeting:.1f} times a meeting on average (aim: at most "
                          f"{limit:g}, leaving the set room to act)")


def _safeguarding(result: Result, points: float, bound: float) -> CriterionScore:
    played = {m.meeting for m in result.meetings}
    raised = [d for d in result.decisions if d.decision.event == "safeguarding-disclosure"
              and d.decision.meeting in played]
    missed = [d for d in raised if d.intervention.move == "none"]
    if missed:
        meeting = missed[0].decision.meeting
        return CriterionScore(0.0, points, f"a safeguarding disclosure in meeting {meeting} was let pass: "
                              "it must always be acted on")
    if not raised:
        return CriterionScore(_round(points * _played(result)), points,
                              "no safeguarding disclosure came up in the meetings you played")
    return CriterionScore(_round(points * _played(result)), points,
                          f"you acted on {len(raised)} safeguarding "
                          f"disclosure{'s' if len(raised) > 1 else ''}")


CRITERIA: dict[str, Callable[[Result, float, float], CriterionScore]] = {
    "advice-challenged": _advice,
    "airtime-spread": _airtime,
    "handover-by": _handover,
    "specific-actions": _actions,
    "adviser-talk": _adviser_talk,
    "lightest-touch": _lightest,
    "over-intervening": _over,
    "safeguarding": _safeguarding,
}
"""Criterion kinds. ``bound`` means: airtime-spread, the highest mean Gini; handover-by, the
meeting (0: the last); specific-actions, the share of slots needed for full marks (0: all);
adviser-talk, the highest mean share of talk; lightest-touch, the share of moves that must be the
lightest that fits (0: three in four); over-intervening, the most interventions a meeting (0: 6);
advice-challenged and safeguarding ignore it (a safeguarding disclosure let pass scores nothing)."""


def score_criterion(kind: str, points: float, bound: float, result: Result) -> CriterionScore:
    """Score one criterion on a (possibly unfinished) played programme."""
    if not result.meetings:
        return CriterionScore(0.0, points, "no meeting has been played to the end yet")
    return CRITERIA[kind](result, points, bound)
