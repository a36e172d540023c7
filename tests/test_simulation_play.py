"""Playing by hand: rewind, saved choices beside the notebook, grading by replay, and the play widget."""

from __future__ import annotations

import json
import re
import typing

import pytest

from alcourse.answers import AnswerStore
from alcourse.curriculum.model import SimCriterion
from alcourse.session import Session
from alcourse.simulation import Intervention, load_scenario, policy, run
from alcourse.simulation.docs import PAGE, refreshed
from alcourse.simulation.grading import CRITERIA, score_criterion
from alcourse.simulation.play import ChoiceStore, Playthrough
from alcourse.widgets.simulator import SimulatorWidget
from tests.conftest import ROOT

MODULE = "m09-simulated-set"
SIM = "m09.sim"


@pytest.fixture(scope="module")
def spec(curriculum):
    return curriculum.module(MODULE).simulations()[0]


@pytest.fixture(scope="module")
def scenario(spec):
    return load_scenario(spec.scenario)


def model_path(scenario, seed=None):
    """The choices the adaptive policy makes: the module's model answer."""
    return [d.intervention for d in run(scenario, policy("adaptive"), seed=seed).decisions]


def test_rewinding_replays_the_same_meeting(scenario):
    game = Playthrough(scenario)
    for _ in range(6):
        game.choose(Intervention("catalytic", game.pending.member))
    at_three = game.rewind(3)
    assert at_three.path == game.path[:3]
    assert at_three.pending == game.sim.decisions[3].decision
    assert at_three.sim.rows == game.sim.rows[:len(at_three.sim.rows)]
    other = at_three.rewind(3)
    other.choose(Intervention("none"))
    assert other.sim.decisions[3].intervention.move == "none"
    assert len(other.path) == 4


def test_a_damaged_or_stale_path_keeps_what_still_applies(scenario, tmp_path):
    store = ChoiceStore(tmp_path / f"{MODULE}.answers.json", MODULE)
    store.save_path(SIM, scenario.id, 7, [Intervention("catalytic"), Intervention("pause")])
    data = json.loads(store.path.read_text())
    data["simulations"][SIM]["path"].insert(1, ["shout", "set"])
    store.path.write_text(json.dumps(data))
    assert store.path_of(SIM) == [Intervention("catalytic")]
    game = Playthrough(scenario, None, [Intervention("catalytic", "nobody-here")])
    assert game.path == [], "a target that is not in the scenario ends the replay"


def test_choices_survive_a_restart_and_keep_exercise_answers(scenario, tmp_path):
    answers = AnswerStore.beside(MODULE, tmp_path)
    answers.record("m09.some-exercise", "q1", "a")
    first = ChoiceStore(answers.path, MODULE)
    path = model_path(scenario)[:5]
    first.save_path(SIM, scenario.id, scenario.seed, path)
    first.save_path(SIM, scenario.id, scenario.seed, path[:2], rewound=True)
    reopened = ChoiceStore(answers.path, MODULE)  # as after a kernel restart
    assert reopened.path_of(SIM) == path[:2]
    assert reopened.rewinds(SIM) == 1
    assert AnswerStore.beside(MODULE, tmp_path).graded("m09.some-exercise") == {"q1": "a"}
    assert not list(tmp_path.glob("*.tmp")), "atomic writes leave no temporary files"


def test_criterion_kinds_in_module_files_match_the_grader():
    kinds = set(typing.get_args(typing.get_type_hints(SimCriterion)["kind"]))
    assert kinds == set(CRITERIA)


def _write(folder, scenario, path):
    store = ChoiceStore(AnswerStore.beside(MODULE, folder).path, MODULE)
    store.save_path(SIM, scenario.id, scenario.seed, path)


def _scores(folder, spec):
    session = Session(MODULE, folder=folder)
    return {c.id: session.simulation_score(SIM, c.id) for c in spec.criteria}


def test_model_choices_get_full_marks_blank_gets_zero(spec, scenario, tmp_path):
    full, blank = tmp_path / "full", tmp_path / "blank"
    full.mkdir()
    blank.mkdir()
    _write(full, scenario, model_path(scenario))
    assert _scores(full, spec) == {c.id: float(c.points) for c in spec.criteria}
    assert set(_scores(blank, spec).values()) == {0.0}


def test_wrong_and_partial_paths_lose_marks(spec, scenario, tmp_path):
    hands_off = [d.intervention for d in run(scenario, policy("hands-off")).decisions]
    _write(tmp_path, scenario, hands_off)
    scores = _scores(tmp_path, spec)
    assert scores["handover"] == 0.0 and scores["advice"] < 4
    directive = [d.intervention for d in run(scenario, policy("directive")).decisions]
    _write(tmp_path, scenario, directive)
    scores = _scores(tmp_path, spec)
    assert scores["talk"] < 2 and scores["handover"] == 0.0 and scores["advice"] == 4
    # half the programme played: marks scale with the meetings played
    game = Playthrough(scenario, None, model_path(scenario))
    halfway = next(i for i, d in enumerate(game.sim.decisions) if d.decision.meeting == 3)
    _write(tmp_path, scenario, model_path(scenario)[:halfway])
    scores = _scores(tmp_path, spec)
    assert scores["advice"] == 2.0 and scores["actions"] < 3.0
    assert 0 < sum(scores.values()) < spec.max_points


def test_a_corrupt_answers_file_scores_zero_quietly(spec, tmp_path, capsys):
    (tmp_path / f"{MODULE}.answers.json").write_text("{not json")
    session = Session(MODULE, folder=tmp_path)
    assert session.simulation_score(SIM, "advice") == 0.0
    session.simulation_progress(SIM, "advice")
    captured = capsys.readouterr()
    assert "cannot be read" in captured.out and captured.err == ""


def test_handover_partial_credit_when_the_set_is_not_ready(scenario):
    early = run(scenario, lambda d: Intervention("hand-over"), seed=1)
    first = next(d for d in early.decisions if d.intervention.move == "hand-over")
    assert first.decision.awareness < 0.3
    score = score_criterion("handover-by", 3, 1, run(
        scenario, lambda d: Intervention("hand-over" if d.event == "process-review" else "none"), seed=2))
    assert score.points in (1.5, 3.0)


# ---- the widget


def test_widget_plays_turn_by_turn_and_saves_each_choice(spec, tmp_path):
    store = ChoiceStore(AnswerStore.beside(MODULE, tmp_path).path, MODULE)
    w = SimulatorWidget(spec, store)
    assert w.decision_box.layout.display == "none", "the turns come first"
    before = w.turns_html.value
    w.next_turn()
    assert w.turns_html.value.count("<li>") == before.count("<li>") + 1
    w.skip()
    assert w.decision_box.layout.display == ""
    assert "Decision point" in w.cue.value and "Cue:" in w.cue.value
    assert w.move.description == "Your move:" and w.target.description == "Aimed at:"
    w._on_choose()  # nothing chosen yet
    assert "Choose a move first" in w.feedback.value
    pending = w.game.pending
    w.move.value = "which-question"
    w.target.value = pending.member if pending.member in pending.present else "set"
    w._on_choose()
    assert store.path_of(SIM) == w.game.path and len(w.game.path) == 1
    assert re.search(r"<strong>(\u2714|\u2718|\u25d1) ", w.feedback.value), "a symbol with words"
    assert 'role="status"' in w.feedback.value
    w.rewind(0)
    assert store.path_of(SIM) == [] and store.rewinds(SIM) == 1
    assert "Rewound" in w.feedback.value


def test_widget_resumes_from_the_saved_path_and_ends_with_a_debrief(spec, scenario, tmp_path):
    store = ChoiceStore(AnswerStore.beside(MODULE, tmp_path).path, MODULE)
    path = model_path(scenario)
    store.save_path(SIM, scenario.id, scenario.seed, path[:-1])
    w = SimulatorWidget(spec, store)
    assert len(w.game.path) == len(path) - 1
    w.skip()
    last = w.game.pending
    w.choose(path[-1].move, path[-1].target)
    assert last is not None and w.game.finished
    debrief = w.debrief.value
    assert debrief.count("<img ") == 5 and debrief.count(' alt="') == 5
    assert "What to try next" in debrief
    assert debrief.count("\u2714 Met") == len(spec.criteria)
    assert w.choose_button.disabled and w.decision_box.layout.display == "none"


def test_the_book_page_tables_match_the_model():
    text = (ROOT / PAGE).read_text(encoding="utf-8")
    assert refreshed(text) == text, "run: python -m alcourse.simulation.docs"
    assert "question_turns" in text and "(simulation-model)=" in text
    assert "illustrative" in text and "found none" in text, "the model is the course's own"
