"""The simulation engine: determinism, bounded state, complete runs, and behaviour the model promises."""

from __future__ import annotations

import dataclasses
import math
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alcourse.simulation import Intervention, Simulation, policy, run
from alcourse.simulation.engine import Decision, drive
from alcourse.simulation.outcomes import gini, slope, turn_measures
from alcourse.simulation.policies import scripted
from alcourse.simulation.scenario import scenario_ids, shipped_scenarios
from alcourse.simulation.turns import tenths
from alcourse.simulation.vocabulary import EVENTS, MOVES, TURN_TYPES

SCENARIOS = shipped_scenarios()
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
scenario_st = st.sampled_from(sorted(SCENARIOS))
policy_st = st.sampled_from(["hands-off", "directive", "adaptive", "random"])


@FAST
@given(scenario_st, policy_st, st.integers(0, 2**31))
def test_same_seed_same_transcript(sid, name, seed):
    scenario = SCENARIOS[sid]
    first = run(scenario, policy(name, seed), seed=seed)
    second = run(scenario, policy(name, seed), seed=seed)
    assert first.rows == second.rows
    assert [d.intervention for d in first.decisions] == [d.intervention for d in second.decisions]
    assert first.transcript().equals(second.transcript())


def test_different_seeds_give_different_meetings():
    scenario = SCENARIOS["discharge-improvement"]
    transcripts = {tuple(run(scenario, policy("adaptive"), seed=s).rows) for s in range(5)}
    assert len(transcripts) == 5


def _unit_values(sim: Simulation) -> list[tuple[str, float]]:
    values = []
    for m in sim.members:
        for name in ("trust", "energy", "attendance", "dependence", "questioning", "advice",
                     "challenge", "insight", "commitment"):
            values.append((f"{m.id}.{name}", getattr(m, name)))
    for f in dataclasses.fields(sim.set):
        values.append((f"set.{f.name}", getattr(sim.set, f.name)))
    return values


@FAST
@given(scenario_st, policy_st, st.integers(0, 2**31))
def test_probabilities_and_levels_stay_in_unit_interval(sid, name, seed):
    sim = Simulation(SCENARIOS[sid], seed)
    choose = policy(name, seed)

    def checking(decision: Decision) -> Intervention:
        for label, value in _unit_values(sim):
            assert 0.0 <= value <= 1.0, label
        for value in (decision.autonomy, decision.awareness, decision.adherence, decision.dependence):
            assert 0.0 <= value <= 1.0
        return choose(decision)

    drive(sim.steps(), checking)
    assert sim.finished
    for label, value in _unit_values(sim):
        assert 0.0 <= value <= 1.0, label
    for meeting in sim.meetings:
        for share in (meeting.open_share, meeting.advice_share, meeting.closed_share, meeting.airtime_gini,
                      meeting.adviser_share, meeting.attendance, meeting.usefulness):
            assert 0.0 <= share <= 1.0


@FAST
@given(scenario_st, policy_st, st.integers(0, 2**31))
def test_airtime_shares_sum_to_one(sid, name, seed):
    result = run(SCENARIOS[sid], policy(name, seed), seed=seed)
    for meeting in result.meetings:
        assert meeting.airtime, "every meeting has members present"
        assert sum(meeting.airtime.values()) == pytest.approx(1.0)
        assert all(share >= 0 for share in meeting.airtime.values())


move_st = st.sampled_from(MOVES)


@FAST
@given(scenario_st, st.lists(st.tuples(move_st, st.integers(0, 8)), max_size=80), st.integers(0, 1000))
def test_any_sequence_of_valid_interventions_runs_to_the_end(sid, moves, seed):
    scenario = SCENARIOS[sid]
    targets = ["set", *(m.id for m in scenario.members)]
    choices = [Intervention(move, targets[i % len(targets)]) for move, i in moves]
    result = run(scenario, scripted(choices), seed=seed)
    assert result.finished and result.programme is not None
    assert len(result.meetings) == scenario.meetings
    assert {row.turn_type for row in result.rows} <= set(TURN_TYPES)
    assert {d.decision.event for d in result.decisions} <= set(EVENTS)
    for done, choice in zip(result.decisions, choices, strict=False):
        assert done.intervention == choice


def test_an_unknown_move_or_target_is_refused():
    with pytest.raises(ValueError, match="unknown move"):
        Intervention("shout")
    steps = Simulation(SCENARIOS["discharge-improvement"], 1).steps()
    next(steps)
    with pytest.raises(ValueError, match="unknown target"):
        steps.send(Intervention("catalytic", "nobody"))


@pytest.mark.parametrize("name", ["adaptive", "random"])
def test_decision_records_are_what_their_constructors_make(name):
    # the engine builds them without __init__ (see engine._frozen): same fields, equal objects
    result = run(SCENARIOS["discharge-improvement"], policy(name, 3), seed=3)
    assert result.decisions
    for record in result.decisions:
        for obj, cls in ((record.decision, Decision), (record, type(record))):
            names = [f.name for f in dataclasses.fields(cls)]
            assert list(vars(obj)) == names
            assert cls(**{n: getattr(obj, n) for n in names}) == obj


def test_transcript_has_one_row_per_turn_with_words():
    result = run(SCENARIOS["discharge-improvement"], policy("adaptive"), seed=2)
    frame = result.transcript()
    assert len(frame) == len(result.rows)
    assert list(frame.columns) == ["meeting", "phase", "presenter", "speaker", "name", "turn_type",
                                   "seconds", "event", "move", "target", "outcome", "text"]
    assert frame["text"].str.len().min() > 0
    assert not frame["text"].str.contains(r"\{", regex=True).any(), "every template filled in"
    scripted_line = "I've run wards for twenty years"
    assert frame["text"].str.contains(scripted_line).any(), "scenario moments appear"
    assert set(frame["meeting"]) == set(range(1, 7))


def _mean(scenario, name, attribute, runs=40):
    values = []
    for seed in range(runs):
        result = run(scenario, policy(name, seed), seed=seed)
        values.append(attribute(result))
    return statistics.fmean(values)


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_policies_behave_as_the_model_says(sid):
    scenario = SCENARIOS[sid]
    last_dependence = lambda r: r.meetings[-1].dependence  # noqa: E731
    unchallenged = lambda r: r.programme.advice_unchallenged  # noqa: E731
    completion = lambda r: r.programme.completion_rate  # noqa: E731
    autonomy = lambda r: r.meetings[-1].autonomy  # noqa: E731
    # over-intervening raises dependence; directive moves erode autonomy
    assert _mean(scenario, "directive", last_dependence) > _mean(scenario, "adaptive", last_dependence) + 0.2
    assert _mean(scenario, "adaptive", autonomy) > _mean(scenario, "directive", autonomy) + 0.3
    # a hands-off adviser leaves advice unchallenged and fewer actions get done
    assert _mean(scenario, "hands-off", unchallenged) > _mean(scenario, "adaptive", unchallenged) + 3
    assert _mean(scenario, "adaptive", completion) > _mean(scenario, "hands-off", completion) + 0.08


def test_attendance_follows_how_useful_meetings_feel():
    scenario = SCENARIOS["childrens-services-managers"]
    last = lambda r: statistics.fmean(r.programme.attendance[-2:])  # noqa: E731
    assert _mean(scenario, "adaptive", last) > _mean(scenario, "hands-off", last) + 0.1


def test_scenario_parameters_change_the_model():
    base = SCENARIOS["primary-care-practice-managers"]
    longer = dataclasses.replace(base, parameters={**base.parameters, "question_turns": 20})
    short = run(base, policy("hands-off"), seed=4)
    long = run(longer, policy("hands-off"), seed=4)
    assert sum(m.questions for m in long.meetings) > sum(m.questions for m in short.meetings)
    never = dataclasses.replace(base, fit={"process-review": {"catalytic": 0.0}})
    reviews = [d.outcome for d in run(never, lambda d: Intervention("catalytic"), seed=4).decisions
               if d.decision.event == "process-review"]
    assert reviews and set(reviews) == {"unresolved"}


def test_every_shipped_scenario_raises_a_range_of_events():
    seen = set()
    for sid in scenario_ids():
        for seed in range(10):
            seen |= {d.decision.event for d in run(SCENARIOS[sid], policy("hands-off"), seed=seed).decisions}
    assert seen == set(EVENTS)


def test_outcome_helpers():
    assert gini([5, 5]) == 0.0
    assert gini([1, 0]) == pytest.approx(0.5)
    assert slope([1, 2, 3]) == pytest.approx(1.0)
    m = turn_measures(["a", "a"], ["account", "open-question"], [100.0, 10.0], ["", ""],
                      members=["a", "b"])
    assert m.airtime == {"a": 1.0, "b": 0.0}, "a presenter's account is not set airtime"
    assert m.open_share == 1.0


def _same_float(a: float, b: float) -> bool:
    return repr(a) == repr(b) and type(a) is type(b)


@settings(max_examples=3000, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True)
       | st.floats(min_value=0.0, max_value=5000.0)
       | st.integers(min_value=-10**6, max_value=10**8).map(lambda k: (k + 0.5) / 10))
def test_tenths_is_round_to_one_place(x):
    """The engine's fast rounding of a turn's length gives what round(x, 1) gives, bit for bit
    (near a tie as well: (k + 0.5) / 10 is the float nearest a half-tenth)."""
    for y in (x, math.nextafter(x, -math.inf), math.nextafter(x, math.inf)):
        assert _same_float(tenths(y), round(y, 1)), y
