"""Events and moves as data: a scenario author adds an event without Python, and mistakes are located."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from alcourse.cli import main
from alcourse.simulation import Intervention, Simulation, load_scenario, policy, run
from alcourse.simulation.rulebook import MODEL_DIR, RulebookError, check_model_file, default_rulebook
from alcourse.simulation.scenario import SCENARIO_DIR, ScenarioError, load_scenario_text
from alcourse.simulation.vocabulary import EVENTS, MOVES
from alcourse.widgets.simulator import outcome_html
from tests.conftest import ROOT

LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$", re.S)
BASE = (SCENARIO_DIR / "discharge-improvement.yaml").read_text()
PHONE = """
events:
  phone-call:
    label: A member taking a phone call
    cue: "{name} has stepped out to take a call from the ward."
    persists: "{name} missed the rest of the slot."
    at: before-turn
    who: speaker
    when: ["chance 0.3"]
    turn: {who: member, type: comment, seconds: 10}
    repeat: meeting
    fit: {recontract: 0.95, pause: 0.2}
    resolved:
      - [member, trust, +trust_gain]
      - [say, member, comment, comment, seconds_question]
    unresolved:
      - [member, energy, -energy_undone]
"""


def _scenario(extra: str = PHONE, file: str = "phone.yaml"):
    return load_scenario_text(BASE + extra, file)


def test_events_and_moves_are_declared_once_in_data():
    events = yaml.safe_load((MODEL_DIR / "events.yaml").read_text())["events"]
    moves = yaml.safe_load((MODEL_DIR / "moves.yaml").read_text())["moves"]
    assert list(EVENTS) == list(events) and len(events) >= 16
    assert list(MOVES) == list(moves) and MOVES[-1] == "none"
    book = default_rulebook()
    for event in book.events.values():
        assert event.at in ("absent", "check-in", "account-open", "question-turn", "before-turn",
                            "after-turn", "vague-action", "review", "scripted")
        assert set(event.fit) <= set(MOVES)


def test_a_new_event_declared_only_in_a_scenario_fires_and_resolves():
    scenario = _scenario()
    assert "phone-call" in scenario.rulebook().events and "phone-call" not in EVENTS

    def answer(decision):
        if decision.event == "phone-call":
            assert decision.label == "A member taking a phone call"
            assert decision.cue.endswith("has stepped out to take a call from the ward.")
            return Intervention("recontract")
        return policy("adaptive")(decision)

    results = [run(scenario, answer, seed=seed) for seed in range(4)]
    calls = [d for r in results for d in r.decisions if d.decision.event == "phone-call"]
    assert calls, "the event fires"
    assert any(d.outcome == "resolved" for d in calls), "and a well-fitting move resolves it"
    per_meeting = {(id(r), d.decision.meeting) for r in results for d in r.decisions
                   if d.decision.event == "phone-call"}
    assert len(per_meeting) == len(calls), "repeat: meeting asks at most once a meeting"
    frame = results[0].transcript()
    tagged = frame[frame["event"] == "phone-call"]
    assert len(tagged) >= 1 and set(tagged["turn_type"]) >= {"comment"}
    record = next(d for d in calls if d.outcome == "resolved")
    text = outcome_html(record, "Tom", scenario.rulebook())
    assert "a member taking a phone call" in text
    left = [d for r in results for d in run(scenario, policy("hands-off"), seed=1).decisions
            if d.decision.event == "phone-call" and d.outcome == "unresolved"]
    assert left, "left alone it can stay unresolved"
    assert "missed the rest of the slot" in outcome_html(left[0], "Tom", scenario.rulebook())


def test_a_scenario_event_is_validated_by_the_cli(tmp_path, capsys):
    good = tmp_path / "phone.yaml"
    good.write_text(BASE + PHONE)
    assert main(["scenario", "validate", str(good)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE + PHONE.replace("[member, trust, +trust_gain]", "[member, trust, +trust_gian]"))
    assert main(["scenario", "validate", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    match = LOCATED.match(err)
    assert match, err
    line = int(match["line"])
    assert "trust_gian" in bad.read_text().splitlines()[line - 1]
    assert match["field"] == "scenario.events.phone-call.resolved[0]"


@pytest.mark.parametrize("change, field, words", [
    (("at: before-turn", "at: sometimes"), "scenario.events.phone-call.at", "allowed: one of"),
    (('when: ["chance 0.3"]', 'when: ["maybe 0.3"]'), "scenario.events.phone-call.when[0]",
     "is not a condition"),
    (("fit: {recontract: 0.95", "fit: {shout: 0.95"), "scenario.events.phone-call.fit", "is not a move"),
    (("fit: {recontract: 0.95", "fit: {recontract: 1.5"), "scenario.events.phone-call.fit", "from 0 to 1"),
    (("[member, energy, -energy_undone]", "[member, mood, -energy_undone]"),
     "scenario.events.phone-call.unresolved[0]", "cannot be changed"),
    (("[member, energy, -energy_undone]", "[member, weight, =-0.5]"),
     "scenario.events.phone-call.unresolved[0]", "a speaking weight is a number, 0 or more"),
    (("[member, energy, -energy_undone]", "[slot, kind, =problem]"),
     "scenario.events.phone-call.unresolved[0]", "a slot has only 'stuck' to change"),
    (("who: speaker", "who: {among: everyone}"), "scenario.events.phone-call.who", "among: others"),
    (("{name} missed", "{nam} missed"), "scenario.events.phone-call.persists", "use {name}"),
    (("repeat: meeting", "repeat: hourly"), "scenario.events.phone-call.repeat", "allowed: one of"),
])
def test_mistakes_in_a_scenario_event_are_located(change, field, words):
    old, new = change
    text = PHONE.replace(old, new)
    assert text != PHONE
    with pytest.raises(ScenarioError) as caught:
        _scenario(text)
    match = LOCATED.match(str(caught.value))
    assert match and match["file"] == "phone.yaml", str(caught.value)
    assert match["field"] == field and words in match["message"], str(caught.value)
    line = (BASE + text).splitlines()[int(match["line"]) - 1]
    assert field.rsplit(".", 1)[-1].split("[")[0] in line or new.split(":")[0] in line, line


def test_a_moment_may_script_a_scenario_event():
    text = BASE.replace("    event: expert-request\n", "    event: phone-call\n") + PHONE
    scenario = load_scenario_text(text, "phone.yaml")
    result = run(scenario, policy("hands-off"), seed=1)
    assert any(d.decision.event == "phone-call" and d.decision.meeting == 2 for d in result.decisions)


def test_model_files_validate_and_a_broken_one_is_located(tmp_path):
    assert check_model_file(MODEL_DIR / "events.yaml") == f"{len(EVENTS)} events"
    assert check_model_file(MODEL_DIR / "moves.yaml") == f"{len(MOVES)} moves"
    broken = tmp_path / "events.yaml"
    text = (MODEL_DIR / "events.yaml").read_text().replace("[presenter, trust, +trust_gain]",
                                                           "[presenter, trust, +trust_gains]")
    broken.write_text(text)
    with pytest.raises(RulebookError) as caught:
        check_model_file(broken)
    line = text.splitlines()[caught.value.line - 1]
    assert "trust_gains" in line and caught.value.field.startswith("events.defensive-presenter.resolved")


SOURCES = [*(ROOT / "alcourse" / "simulation").glob("*.py"), *(ROOT / "alcourse" / "analysis").glob("*.py"),
           ROOT / "alcourse" / "widgets" / "simulator.py"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_turn_is_read_by_bare_index(path: Path):
    text = path.read_text()
    assert not re.search(r"\b(r|row|rows\[i\]|turn|t)\[\d+\]", text), path.name


def test_outcomes_do_not_import_the_engine():
    tree = ast.parse((ROOT / "alcourse" / "simulation" / "outcomes.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not any(name and name.endswith("engine") for name in imported)


def test_turn_gated_events_are_left_out_of_the_turns_they_cannot_happen_at():
    """The question-turn hook is checked at every turn; an event whose conditions name one turn
    is in that turn's table only, and the tables are made once for a slot length."""
    scenario = load_scenario("discharge-improvement")
    sim = Simulation(scenario, seed=1)
    table = scenario.rulebook().tables["question-turn"]
    turns = sim.p.question_turns
    at = table.at_turns(sim, turns)
    ids = [[e.id for e in t.ungated] for t in at]
    assert ids[turns // 2] == ["expert-request"] and ids[turns - 3] == ["withdrawal"]
    assert not any(ids[t] for t in range(turns) if t not in (turns // 2, turns - 3))
    assert table.at_turns(sim, turns) is at
    after = [[e.id for e in t.ungated] for t in default_rulebook().tables["after-turn"].at_turns(sim, 6)]
    assert after == [["rapid-fire"]] * 4 + [["rapid-fire", "dominance"]] * 2  # dominance: turn >= 4
