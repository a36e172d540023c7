"""Rehearsal: the trainee's own words and wordings, any scenario in module 9, and scoring by judgement."""

from __future__ import annotations

import json

import pytest

from alcourse.answers import AnswerStore
from alcourse.session import Session
from alcourse.simulation import Intervention, load_scenario, policy, run
from alcourse.simulation.grading import lightest_fitting, score_criterion
from alcourse.simulation.play import ChoiceStore, Playthrough
from alcourse.simulation.scenario import SCENARIO_DIR, scenario_ids
from alcourse.simulation.texts import TEMPLATES

MODULE = "m09-simulated-set"
SIM = "m09.sim"


def _store(folder):
    return ChoiceStore(AnswerStore.beside(MODULE, folder).path, MODULE)


def _widget(folder):
    return Session(MODULE, folder=folder).simulation(SIM)


def _adviser_lines(game):
    frame = game.result().transcript()
    return frame[frame["speaker"] == "adviser"]


def test_the_trainee_chooses_the_words_of_a_move_and_they_are_said(tmp_path):
    w = _widget(tmp_path)
    w.skip()
    pending = w.game.pending
    w.move.value = "summarise"
    assert w.wording.layout.display == "" and len(w.wording.options) == len(TEMPLATES["summarise"]) >= 2
    chosen_text, chosen = w.wording.options[1]
    w.wording.value = chosen
    w._on_choose()
    said = _adviser_lines(w.game)
    assert said.iloc[-1]["text"] == chosen_text
    saved = json.loads(_store(tmp_path).path.read_text())["simulations"][SIM]["path"]
    assert saved[0][:3] == ["summarise", w.game.path[0].target, 1]
    again = _widget(tmp_path)
    assert _adviser_lines(again.game).iloc[-1]["text"] == chosen_text, "replayed from the file"
    assert pending.member in pending.present or pending.member == "set"


def test_the_trainees_own_words_are_kept_in_the_transcript_and_the_file(tmp_path):
    w = _widget(tmp_path)
    w.skip()
    w.move.value = "catalytic"
    w.own.value = "  What would your best receptionist say about Mondays?  "
    w._on_choose()
    assert w.own.value == "", "the box is cleared for the next decision"
    assert _adviser_lines(w.game).iloc[-1]["text"] == "What would your best receptionist say about Mondays?"
    path = _store(tmp_path).path_of(SIM)
    assert path[0].own == "What would your best receptionist say about Mondays?"
    assert path[0].move == "catalytic"
    resumed = _widget(tmp_path)
    frame = resumed.game.result().transcript()
    assert "What would your best receptionist say about Mondays?" in set(frame["text"])
    assert [r.own for r in resumed.game.result().rows if r.own] == [path[0].own]


def test_module_9_offers_every_scenario_and_a_trainers_own(tmp_path):
    own = tmp_path / "scenarios"
    own.mkdir()
    text = (SCENARIO_DIR / "discharge-improvement.yaml").read_text()
    mine = text.replace("id: discharge-improvement", "id: my-trust-set")
    (own / "my-set.yaml").write_text(mine.replace("title: Hospital discharge improvement set",
                                                  "title: Our own set"))
    (own / "broken.yaml").write_text(text.replace("meetings: 6", "meetings: 60"))
    w = _widget(tmp_path)
    offered = {value for _, value in w.pick_scenario.options}
    assert set(scenario_ids()) | {"my-trust-set"} == offered
    assert w.pick_scenario.layout.display == ""
    assert "broken.yaml:" in w.intro.value and "could not be used" in w.intro.value
    w.pick_scenario.value = "my-trust-set"
    assert w.scenario.title == "Our own set" and _store(tmp_path).scenario_of(SIM) == "my-trust-set"


@pytest.mark.parametrize("sid", scenario_ids())
def test_grading_replays_whichever_scenario_was_chosen(sid, tmp_path, curriculum):
    spec = curriculum.module(MODULE).simulations()[0]
    scenario = load_scenario(sid)
    path = [d.intervention for d in run(scenario, policy("adaptive")).decisions]
    _store(tmp_path).save_path(SIM, sid, scenario.seed, path)
    session = Session(MODULE, folder=tmp_path)
    game = session._replay(SIM)
    assert game.scenario.id == sid and game.finished and len(game.path) == len(path)
    scores = {c.id: session.simulation_score(SIM, c.id) for c in spec.criteria}
    assert all(0 <= scores[c.id] <= c.points for c in spec.criteria)
    assert scores["safeguarding"] == spec.criterion("safeguarding").points
    blank = tmp_path / "blank"
    blank.mkdir()
    _store(blank).save_path(SIM, sid, scenario.seed, [])
    assert sum(Session(MODULE, folder=blank).simulation_score(SIM, c.id) for c in spec.criteria) == 0


def test_the_set_cannot_be_changed_mid_programme(tmp_path):
    w = _widget(tmp_path)
    w.skip()
    w.choose("none")
    first = w.scenario.id
    w.pick_scenario.value = "care-home-managers-online"
    assert w.scenario.id == first and w.pick_scenario.value == first
    assert "Rewind to the start first" in w.feedback.value
    w.rewind(0)
    w.pick_scenario.value = "care-home-managers-online"
    assert w.scenario.id == "care-home-managers-online"


def test_a_missed_safeguarding_disclosure_scores_nothing_and_acting_scores_full():
    scenario = load_scenario("care-home-managers-online")

    def acting(decision):
        if decision.event == "safeguarding-disclosure":
            return Intervention("one-to-one", decision.member)
        return policy("adaptive")(decision)

    def missing(decision):
        return Intervention("none") if decision.event == "safeguarding-disclosure" else acting(decision)

    good, bad = run(scenario, acting, seed=2), run(scenario, missing, seed=2)
    assert any(d.decision.event == "safeguarding-disclosure" for d in good.decisions)
    assert score_criterion("safeguarding", 2, 0, good).points == 2
    missed = score_criterion("safeguarding", 2, 0, bad)
    assert missed.points == 0 and "let pass" in missed.explanation


def test_scoring_prefers_the_lightest_touch_and_penalises_over_intervening():
    scenario = load_scenario("primary-care-practice-managers")
    by = {name: run(scenario, policy(name, 3), seed=3) for name in ("hands-off", "directive", "adaptive")}
    light = {n: score_criterion("lightest-touch", 2, 0.75, r).points for n, r in by.items()}
    room = {n: score_criterion("over-intervening", 2, 6, r).points for n, r in by.items()}
    assert light["adaptive"] > light["directive"] and light["hands-off"] == 0
    assert room["hands-off"] == 2 and room["directive"] < room["hands-off"]
    book = scenario.rulebook()

    def lightest(decision):
        weight, need = lightest_fitting(decision.event, by["adaptive"])
        fits = book.events[decision.event].fit
        move = max((m for m, f in fits.items() if f >= need and book.moves[m].weight <= weight),
                   key=lambda m: fits[m])
        return Intervention(move, decision.member if book.moves[move].aim == "member" else "set")

    whole = run(scenario, lightest, seed=3)
    assert score_criterion("lightest-touch", 2, 0.75, whole).points == 2
    partial = Playthrough(scenario, 3, [d.intervention for d in whole.decisions][:15]).result()
    assert 0 < score_criterion("lightest-touch", 2, 0.75, partial).points < 2, "scaled by meetings played"


def test_own_words_reach_the_trainer_in_the_first_progress_cell(tmp_path, curriculum, monkeypatch):
    spec = curriculum.module(MODULE).simulations()[0]
    w = _widget(tmp_path)
    w.skip()
    w.choose("supportive", w.game.pending.member, own="That took courage to say.")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs: shown.extend(objs))
    session = Session(MODULE, folder=tmp_path)
    for c in spec.criteria:
        session.simulation_progress(SIM, c.id)
    texts = [str(note) for note in shown]
    assert "That took courage to say." in texts[0] and "you named it: Supportive" in texts[0]
    assert not any("That took courage" in t for t in texts[1:])
