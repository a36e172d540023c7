"""Two views of one answers file: a view that is behind never overwrites newer saved work."""

from __future__ import annotations

import json

import pytest

from alcourse.answers import AnswerStore, StaleAnswersError
from alcourse.session import Session

MODULE = "m09-simulated-set"
SIM = "m09.sim"


def _saved_path(folder):
    data = json.loads((folder / f"{MODULE}.answers.json").read_text())
    return data["simulations"][SIM]["path"]


def _play(widget, decisions):
    for _ in range(decisions):
        widget.skip()
        widget.choose("catalytic")


def test_a_stale_simulator_catches_up_instead_of_overwriting(tmp_path, curriculum):
    session = Session(MODULE, folder=tmp_path, curriculum=curriculum)
    stale = session.simulation(SIM)  # the old tab's widget, still live in the kernel
    fresh = session.simulation(SIM)  # the notebook reopened and the cell run again
    _play(fresh, 6)
    saved = _saved_path(tmp_path)
    assert len(saved) == 6

    stale.skip()
    stale.choose("supportive")  # one move in the stale view
    assert _saved_path(tmp_path) == saved, "the stale view must not replace the longer path"
    assert len(stale.game.path) == 6, "the stale view now shows the saved game"
    assert "Caught up" in stale.feedback.value and "Nothing was overwritten" in stale.feedback.value

    stale.skip()
    stale.choose("supportive")  # caught up, it plays on from the saved game
    assert len(_saved_path(tmp_path)) == 7 and _saved_path(tmp_path)[:6] == saved


def test_a_stale_simulator_cannot_rewind_newer_work_away(tmp_path, curriculum):
    session = Session(MODULE, folder=tmp_path, curriculum=curriculum)
    stale = session.simulation(SIM)
    _play(stale, 2)
    fresh = session.simulation(SIM)  # opened after: it starts from the 2 saved decisions
    _play(fresh, 3)
    stale.rewind(0)
    assert len(_saved_path(tmp_path)) == 5


def test_a_store_that_is_behind_refuses_and_then_accepts_once_it_has_caught_up(tmp_path):
    path = tmp_path / f"{MODULE}.answers.json"
    old, new = AnswerStore(path, MODULE), AnswerStore(path, MODULE)
    old.load()
    data = new.load()
    data["simulations"] = {SIM: {"path": [["pause", "set"]] * 40}}
    new._save(data)
    behind = old.load()
    behind["simulations"] = {SIM: {"path": [["pause", "set"]]}}
    with pytest.raises(StaleAnswersError, match="nothing was overwritten"):
        old._save(behind)
    assert len(json.loads(path.read_text())["simulations"][SIM]["path"]) == 40
    caught_up = old.load()
    caught_up["simulations"][SIM]["path"].append(["pause", "set"])
    old._save(caught_up)
    assert len(json.loads(path.read_text())["simulations"][SIM]["path"]) == 41


def test_exercise_answers_from_a_behind_view_are_merged_not_lost(tmp_path):
    path = tmp_path / f"{MODULE}.answers.json"
    old, new = AnswerStore(path, MODULE), AnswerStore(path, MODULE)
    old.load()
    new.record("ex", "q1", "a")
    old.record("ex", "q2", "b")
    old.record("ex", "q1", "c")
    assert AnswerStore(path, MODULE).graded("ex") == {"q1": "a", "q2": "b"}
