"""Scenario files: the shipped ones are valid and realistic; bad ones get located errors, never tracebacks."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alcourse.cli import main
from alcourse.simulation.scenario import SCENARIO_DIR, ScenarioError, load_scenario, load_scenario_text
from alcourse.simulation.vocabulary import EVENTS

SHIPPED = sorted(SCENARIO_DIR.glob("*.yaml"))
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$", re.S)
GOOD = (SCENARIO_DIR / "primary-care-practice-managers.yaml").read_text()


def test_at_least_four_realistic_scenarios_ship():
    assert len(SHIPPED) >= 4
    sectors = set()
    for path in SHIPPED:
        scenario = load_scenario(path)
        assert scenario.id == path.stem
        assert 4 <= len(scenario.members) <= 8 and 4 <= scenario.meetings <= 6
        kinds = {m.problem.kind for m in scenario.members}
        assert "puzzle" in kinds, f"{path.name}: a puzzle posing as a problem"
        assert scenario.moments, f"{path.name}: scripted moments"
        assert all(m.problem.actions for m in scenario.members)
        assert len(scenario.briefing.split()) > 30 and scenario.organisation.description
        sectors.add(scenario.organisation.sector)
    assert len(sectors) >= 3


def test_a_shipped_scenario_loads_by_id_and_unknown_ids_are_explained():
    assert load_scenario("discharge-improvement").title.startswith("Hospital")
    with pytest.raises(ScenarioError, match=r"shipped: .*discharge-improvement"):
        load_scenario("no-such-scenario")


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


BAD = [
    # (change, field, words in the message, the line's fragment)
    (lambda t: _replace(t, "  support: 0.6", "  support: 1.6"), "scenario.organisation.support",
     "allowed: a number from 0 to 1", "support: 1.6"),
    (lambda t: _replace(t, "meetings: 4", "meetings: 9"), "scenario.meetings", "from 4 to 6", "meetings: 9"),
    (lambda t: _replace(t, "    trust: 0.55\n", "    trust: lots\n"), "scenario.members[0].trust",
     "should be a number", "trust: lots"),
    (lambda t: _replace(t, "    traits: [quiet]", "    traits: [shy]"), "scenario.members[3].traits[0]",
     "allowed: one of", "traits: [shy]"),
    (lambda t: _replace(t, "      kind: puzzle", "      kind: riddle"), "scenario.members[2].problem.kind",
     "'puzzle'", "kind: riddle"),
    (lambda t: _replace(t, "    member: colin", "    member: colinn"), "scenario.moments[1].member",
     "one of the member ids", "member: colinn"),
    (lambda t: _replace(t, "    event: expert-request", "    event: shouting"), "scenario.moments[1].event",
     "advice-as-question", "event: shouting"),
    (lambda t: _replace(t, "  question_turns: 8", "  question_turn: 8"), "scenario.parameters.question_turn",
     "not a model parameter", "question_turn: 8"),
    (lambda t: _replace(t, "  question_turns: 8", "  question_turns: 8.5"),
     "scenario.parameters.question_turns", "whole number", "question_turns: 8.5"),
    (lambda t: _replace(t, "  - id: raj", "  - id: bev  # again"), "scenario.members[4].id", "used twice",
     "bev  # again"),
    (lambda t: _replace(t, "    talkativeness: 0.5\n    trust: 0.5\n",
                        "    talkativness: 0.5\n    trust: 0.5\n"),
     "scenario.members[1].talkativness", "not a known field", "talkativness: 0.5"),
    (lambda t: t + "fit:\n  advice-as-question:\n    yelling: 0.5\n",
     "scenario.fit.advice-as-question.yelling", "not a move", "yelling: 0.5"),
    (lambda t: _replace(t, "seed: 7\n", "seed: 7\nseed: 8\n"), "seed", "appears twice", "seed: 8"),
]


@pytest.mark.parametrize("change, field, words, fragment", BAD)
def test_each_mistake_is_located_and_says_what_is_allowed(change, field, words, fragment):
    text = change(GOOD)
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "mine.yaml")
    match = LOCATED.match(str(info.value))
    assert match, str(info.value)
    assert match["file"] == "mine.yaml"
    assert match["field"] == field
    assert words in match["message"]
    assert int(match["line"]) == _line_of(text, fragment)


def test_set_size_is_checked():
    text = GOOD.split("  - id: nasreen")[0] + "moments: []\n"
    with pytest.raises(ScenarioError, match=r"scenario.members: has 1 members; a set has 4 to 8"):
        load_scenario_text(text, "small.yaml")


def test_file_problems_are_located(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ScenarioError, match=r"empty.yaml:1: \(file\): is empty"):
        load_scenario(empty)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00id")
    with pytest.raises(ScenarioError, match=r"bin.yaml:1: \(encoding\)"):
        load_scenario(binary)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: a\ntitle: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"broken.yaml:\d+: \(syntax\)"):
        load_scenario(broken)


# ---- fuzzing: malformed documents only ever give a located ScenarioError

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)
BASE = yaml.safe_load(GOOD)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = [p for p in _paths(BASE) if p]


def _mutate(doc, path, action, value):
    import copy

    doc = copy.deepcopy(doc)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if action == "delete":
        del parent[key]
    elif action == "replace":
        parent[key] = value
    elif isinstance(parent, dict):
        parent[f"{key}x"] = value
    return doc


def _check_only_located(text):
    try:
        load_scenario_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert LOCATED.match(str(exc)), str(exc)
        assert str(exc).startswith("fuzz.yaml:")


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["delete", "replace", "add"]), values),
                min_size=1, max_size=3))
def test_fuzz_mutated_documents(mutations):
    doc = BASE
    for path, action, value in mutations:
        try:
            doc = _mutate(doc, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # the path no longer exists after an earlier mutation
    _check_only_located(yaml.safe_dump(doc, allow_unicode=True))


@FUZZ
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text(text):
    _check_only_located(text)


@FUZZ
@given(st.integers(0, len(GOOD)), st.integers(0, 40), st.text(max_size=10))
def test_fuzz_damaged_files(start, length, insert):
    _check_only_located(GOOD[:start] + insert + GOOD[start + length:])


def test_cli_validate_good_and_bad(tmp_path, capsys):
    assert main(["scenario", "validate", *map(str, SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok:") == len(SHIPPED)
    bad = tmp_path / "bad.yaml"
    bad.write_text(_replace(GOOD, "  support: 0.6", "  support: 7"))
    missing = tmp_path / "missing.yaml"
    assert main(["scenario", "validate", str(bad), str(missing), str(SHIPPED[0])]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2 and "Traceback" not in captured.err
    assert errors[0] == (f"{bad}:{_line_of(bad.read_text(), 'support: 7')}: scenario.organisation.support: "
                         "is 7.0; allowed: a number from 0 to 1")
    assert errors[1].startswith(f"{missing}:1: (file): does not exist")
    assert ": ok:" in captured.out


def test_cli_simulate_writes_per_meeting_outcomes(tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "runs.csv"
    args = ["simulate", "primary-care-practice-managers", "--policy", "directive", "--seed", "5",
            "--runs", "7", "--out", str(out)]
    assert main(args) == 0
    frame = pd.read_csv(out)
    assert len(frame) == 7 * 4
    for column in ("run", "seed", "policy", "meeting", "open_share", "advice_share", "airtime_gini",
                   "adviser_share", "insight_gain", "specific_actions", "actions_completed", "dependence",
                   "move_prescriptive", "move_catalytic", "completion_rate", "stage"):
        assert column in frame.columns, column
    assert sorted(frame["seed"].unique()) == list(range(5, 12))
    assert "wrote" in capsys.readouterr().out
    again = tmp_path / "again.csv"
    assert main([*args[:-1], str(again)]) == 0
    assert out.read_text() == again.read_text(), "a seed reproduces the batch"


@pytest.mark.parametrize("args, words", [
    (["--policy", "bossy"], "allowed: hands-off"),
    (["--runs", "0"], "argument --runs: 0 is not a whole number of at least 1"),
    (["--out", "x.txt"], "ending in .csv"),
])
def test_cli_simulate_refuses_bad_options(args, words, tmp_path, capsys):
    base = {"--policy": "adaptive", "--runs": "2", "--out": str(tmp_path / "o.csv")}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["simulate", "discharge-improvement"] + [x for kv in base.items() for x in kv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_events_named_in_scenarios_exist():
    for path in SHIPPED:
        for moment in load_scenario(path).moments:
            assert moment.event in EVENTS
