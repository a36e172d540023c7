"""What the trainee reads in the simulator: feedback, transcript lines, progress cells and the debrief."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from alcourse.analysis.debrief import GINI_BOUND, Debrief, debrief_from_result, debrief_html, next_steps
from alcourse.answers import AnswerStore
from alcourse.session import Session
from alcourse.simulation import Intervention, load_scenario, policy, run
from alcourse.simulation.engine import DecisionRecord
from alcourse.simulation.grading import score_criterion
from alcourse.simulation.play import ChoiceStore
from alcourse.simulation.scenario import shipped_scenarios
from alcourse.simulation.vocabulary import EVENTS, FIT, TURN_TYPES
from alcourse.widgets.simulator import SimulatorWidget, outcome_html

MODULE = "m09-simulated-set"
SIM = "m09.sim"
SCENARIOS = shipped_scenarios()
# "The a member withdrawing", "the 'tell us...'", "the no action at the end"
DOUBLED_ARTICLE = re.compile(r"\b[Tt]he (a|an|the|no)\b|\b[Tt]he '")


@pytest.fixture(scope="module")
def spec(curriculum):
    return curriculum.module(MODULE).simulations()[0]


def _records(scenario_id: str = "discharge-improvement", name: str = "random", seeds=range(6)):
    scenario = SCENARIOS[scenario_id]
    for seed in seeds:
        yield from run(scenario, policy(name, seed), seed=seed).decisions


def _text(feedback: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", feedback))


def test_feedback_never_puts_an_article_before_a_label_that_has_one():
    seen = set()
    for record in _records():
        text = _text(outcome_html(record, "Priya"))
        assert not DOUBLED_ARTICLE.search(text), text
        seen.add((record.decision.event, record.outcome))
    unresolved = {event for event, outcome in seen if outcome == "unresolved"}
    assert {"withdrawal", "expert-request", "no-action"} <= unresolved, "the cases that went wrong"


def test_a_well_fitting_move_that_did_not_land_says_why():
    checked = 0
    for record in _records(name="adaptive", seeds=range(10)):
        best = max(FIT.get(record.decision.event, {}).values(), default=0.0)
        move_fit = FIT.get(record.decision.event, {}).get(record.intervention.move, 0.0)
        if record.outcome != "unresolved" or record.intervention.move == "none" or move_fit < best - 0.1:
            continue
        text = _text(outcome_html(record, "Priya"))
        assert "because" in text or "works about" in text, text
        checked += 1
    assert checked >= 3


def test_a_crowded_move_names_the_crowding():
    scenario = SCENARIOS["discharge-improvement"]
    crowded = [r for seed in range(20) for r in run(scenario, policy("directive"), seed=seed).decisions
               if any("crowds the set" in why for why in r.reasons)]
    assert crowded, "a directive adviser steps in again within a few turns"
    record = next(r for r in crowded if r.outcome == "unresolved")
    assert "you stepped in only" in _text(outcome_html(record, "Tom"))
    assert 0.0 <= record.chance <= 1.0


def test_transcript_lines_do_not_name_their_turn_type(spec):
    w = SimulatorWidget(spec, _memory())
    for _ in range(3):
        w.skip()
        w.choose("none")
    w.choose("catalytic", w.game.pending.member)
    w.skip()
    lines = re.findall(r"<li>(.*?)</li>", w.turns_html.value)
    assert lines
    for line in lines:
        assert "<em>" not in line, line
        assert not any(f"({kind.replace('-', ' ')})" in line for kind in TURN_TYPES), line
    assert any(_text(line).startswith("You:") for line in lines), "the adviser is 'You', once"
    assert not any("(adviser)" in line or "(set adviser)" in line for line in lines)


def _memory():
    from alcourse.simulation.play import MemoryChoices

    return MemoryChoices()


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_nobody_is_glad_to_be_back_at_the_first_meeting(sid):
    for seed in range(4):
        frame = run(SCENARIOS[sid], policy("adaptive"), seed=seed).transcript()
        first = frame[(frame["meeting"] == 1) & (frame["turn_type"] == "check-in")]["text"]
        assert len(first) >= 3
        for text in first:
            assert "back" not in text and "last time" not in text.lower(), text
        later = frame[(frame["meeting"] > 1) & (frame["turn_type"] == "check-in")]["text"]
        assert not any("Last time stayed" in t for t in later), "the sentence has its subject"


def test_after_the_last_decision_the_widget_counts_turns_to_the_end(spec, curriculum):
    scenario = load_scenario(spec.scenario)
    path = [d.intervention for d in run(scenario, policy("adaptive")).decisions]
    store = _memory()
    store.save_path(SIM, scenario.id, scenario.seed, path[:-1])
    w = SimulatorWidget(spec, store)
    w.skip()
    w.choose(path[-1].move, path[-1].target)
    assert w.game.finished
    assert "next decision" not in w.turns_html.value
    assert "before the end of the programme" in w.turns_html.value
    assert w.skip_button.description == "Skip to the end"
    w.skip()
    assert w.next_button.disabled and w.skip_button.disabled
    assert "more turn" not in w.turns_html.value


def test_airtime_criteria_use_the_chart_bound_and_say_gini_in_words(curriculum):
    criteria = [c for m in curriculum.modules.values() for s in m.simulations() for c in s.criteria
                if c.kind == "airtime-spread"]
    assert criteria
    for c in criteria:
        assert c.bound == GINI_BOUND, f"{c.id}: the chart draws the aim at {GINI_BOUND}"
        assert f"{GINI_BOUND:.2f}" in c.label and "Gini" not in c.label
    result = run(SCENARIOS["primary-care-practice-managers"], policy("hands-off"), seed=3)
    explanation = score_criterion("airtime-spread", 2, GINI_BOUND, result).explanation
    assert "Gini" not in explanation and "unevenly" in explanation
    page = debrief_html(debrief_from_result(result))
    assert "Gini" not in re.sub(r'<img [^>]*>', "", page)


def _debrief(moves: dict[str, int]) -> Debrief:
    frame = pd.DataFrame({"meeting": [1, 2, 3], "present": [5, 5, 5], "questions": [10, 10, 10],
                          "open_share": [0.6] * 3, "closed_share": [0.2] * 3, "advice_share": [0.1] * 3,
                          "airtime_gini": [0.1] * 3, "adviser_share": [0.05] * 3, "actions": [2] * 3,
                          "specific_actions": [2] * 3, "actions_completed": [1] * 3,
                          "dependence": [0.3, 0.35, 0.4]})
    return Debrief("simulation", frame, {"a": 0.5, "b": 0.5}, moves)


def test_fewer_directive_moves_is_advised_only_after_directive_moves():
    quiet = " ".join(next_steps(_debrief({"catalytic": 4, "hand-over": 1})))
    assert "directive" not in quiet and "Dependence on you rose" in quiet
    loud = " ".join(next_steps(_debrief({"prescriptive": 4, "hand-over": 1})))
    assert "Use fewer directive moves" in loud


def test_progress_cells_each_say_something_of_their_own(spec, tmp_path, monkeypatch):
    scenario = load_scenario(spec.scenario)
    store = ChoiceStore(AnswerStore.beside(MODULE, tmp_path).path, MODULE)
    store.save_path(SIM, scenario.id, scenario.seed,
                    [d.intervention for d in run(scenario, policy("adaptive")).decisions])
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs: shown.extend(objs))
    session = Session(MODULE, folder=tmp_path)
    for c in spec.criteria:
        session.simulation_progress(SIM, c.id)
    texts = [str(note) for note in shown]
    assert len(texts) == len(spec.criteria)
    sentences = [s for t in texts for s in t.splitlines()]
    assert len(sentences) == len(set(sentences)), "no sentence repeats across the cells"
    assert sum("You have played all" in t for t in texts) == 1
    for note in shown:  # HTML that wraps at spaces, not monospace text that breaks words
        shown_html = note._repr_html_()
        assert "word-break:normal" in shown_html and "<p>" in shown_html


def test_simulator_radio_buttons_are_24_px_targets(spec):
    w = SimulatorWidget(spec, _memory())
    assert "alcourse-move" in w.move._dom_classes and "alcourse-simulator" in w._dom_classes
    assert re.search(r"\.alcourse-simulator \.alcourse-move input\[type=\"radio\"\] \{\s*width: 24px; "
                     r"height: 24px", w.children[0].value)


def test_every_event_has_words_for_when_it_carries_on():
    for event in EVENTS.values():
        text = event.persists.format(name="Priya")
        assert text.endswith(".") and text != "It carried on.", event.id
        assert not DOUBLED_ARTICLE.search(text)


def test_feedback_for_a_left_event_uses_the_events_own_words():
    scenario = SCENARIOS["discharge-improvement"]
    decisions = run(scenario, policy("hands-off"), seed=2).decisions
    record = next(r for r in decisions if r.outcome == "unresolved")
    assert isinstance(record, DecisionRecord)
    text = _text(outcome_html(record, "Priya"))
    assert EVENTS[record.decision.event].persists.format(name="Priya") in text
    assert Intervention("none") == record.intervention
