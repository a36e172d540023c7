"""Every line is bound to its moment: the presenter, their problem, who speaks and to whom.

The engine is replayed over every shipped scenario with every policy and many seeds
(the reachable states), and each turn is then re-rendered with every wording of its
kind, so every line of every scenario is checked in every situation it can appear in.
"""

from __future__ import annotations

import re

import pytest

from alcourse.simulation import policy, run
from alcourse.simulation.scenario import name_words, shipped_scenarios
from alcourse.simulation.texts import TEMPLATES
from alcourse.simulation.transcript import line_text

SCENARIOS = shipped_scenarios()
POLICIES = ("hands-off", "directive", "adaptive", "random")
SEEDS = range(12)
SLOT_PHASES = ("account", "questions", "summary", "actions")


def _names(scenario):
    return {m.id: name_words(m.name) for m in scenario.members}


def _mentions(text: str, words) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


def _problems(scenario):
    return {m.id: m.problem.title for m in scenario.members}


def check_line(scenario, turn, text: str) -> None:
    names, problems = _names(scenario), _problems(scenario)
    where = f"{scenario.id} meeting {turn.meeting} {turn.phase} {turn.speaker} ({turn.text_key}): {text!r}"
    assert "{" not in text and "}" not in text, where
    assert text[:1].isupper() or text[:1] in "('\"", where
    if turn.speaker in names:
        assert not _mentions(text, names[turn.speaker]), "a member never names themselves: " + where
        spoken_to = [m for m, words in names.items() if m != turn.speaker and _mentions(text, words)]
        if turn.phase in SLOT_PHASES and not turn.say:
            assert set(spoken_to) <= {turn.presenter}, "a line in a slot speaks to its presenter: " + where
        if turn.say and turn.phase in SLOT_PHASES and "(" not in text:
            assert set(spoken_to) <= {turn.presenter}, "a scripted line is in its presenter's slot: " + where
    if turn.speaker == "adviser" and turn.move:
        spoken_to = [m for m, words in names.items() if _mentions(text, words)]
        assert set(spoken_to) <= {turn.target}, "the adviser names only whom the move is aimed at: " + where
    for member, title in problems.items():
        if title in text and turn.phase in SLOT_PHASES:
            assert member == turn.presenter, "a slot is about its presenter's problem: " + where
        if title in text and turn.phase == "bids":
            assert member == turn.speaker, "a bid is for the bidder's own problem: " + where


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_every_line_fits_its_moment_in_every_reachable_state(sid):
    scenario = SCENARIOS[sid]
    shapes = {}
    checked = 0
    for name in POLICIES:
        for seed in SEEDS:
            result = run(scenario, policy(name, seed), seed=seed)
            for turn in result.rows:
                check_line(scenario, turn, line_text(result, turn))
                checked += 1
                # the same moment, said with every other wording of its kind
                key = (turn.text_key, turn.phase, turn.speaker, turn.presenter, turn.target)
                if not turn.say and key not in shapes:
                    shapes[key] = (result, turn)
    for result, turn in shapes.values():
        options = scenario.own_lines.get(turn.text_key) or TEMPLATES[turn.text_key]
        for index in range(len(options)):
            variant = turn._replace(text_index=index)
            check_line(scenario, variant, line_text(result, variant))
            checked += 1
    assert checked > 5000


def test_a_set_of_practice_managers_hears_its_own_advice():
    scenario = SCENARIOS["primary-care-practice-managers"]
    frames = [run(scenario, policy("hands-off"), seed=seed).transcript() for seed in range(6)]
    texts = [t for frame in frames for t in frame["text"]]
    assert any("partners' meeting" in t or "one practice first" in t for t in texts)
    assert not any("ward" in t.lower() for t in texts), "no 'pilot on one ward' for practice managers"


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_a_scripted_line_for_a_presenter_happens_in_their_slot(sid):
    scenario = SCENARIOS[sid]
    bound = [m for m in scenario.moments if m.presenter]
    for seed in range(8):
        frame = run(scenario, policy("adaptive"), seed=seed).transcript()
        for moment in bound:
            said = frame[frame["text"] == moment.says.strip()]
            assert len(said) == 1, f"{sid} seed {seed}: {moment.says[:40]!r} is said once"
            assert said.iloc[0]["presenter"] == moment.presenter
            assert said.iloc[0]["meeting"] == moment.meeting


def test_a_scripted_line_naming_its_own_speaker_is_refused():
    from alcourse.simulation.scenario import ScenarioError, load_scenario_text

    text = (SCENARIOS["discharge-improvement"] and
            open(__import__("alcourse.simulation.scenario", fromlist=["SCENARIO_DIR"]).SCENARIO_DIR
                 / "discharge-improvement.yaml").read())
    with pytest.raises(ScenarioError, match="never addresses themselves"):
        load_scenario_text(text.replace("Amira, you just tell", "Tom, you just tell"), "d.yaml")
    with pytest.raises(ScenarioError, match="add 'presenter: amira'"):
        load_scenario_text(text.replace("    presenter: amira\n", ""), "d.yaml")
