"""nbgrader grades module 9 by replaying the saved simulation choices: full, blank and partial."""

from __future__ import annotations

import dataclasses
import shutil
from html import unescape

import nbformat
import pytest
from nbgrader.api import Gradebook

from alcourse.answers import AnswerStore
from alcourse.grading import CourseFolder
from alcourse.session import own_words_grade_id, reflection_grade_id, simulation_grade_id
from alcourse.simulation import load_scenario, policy, run
from alcourse.simulation.grading import score_criterion
from alcourse.simulation.play import ChoiceStore, replay
from alcourse.simulation.scenario import scenario_ids
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
MODULE = "m09-simulated-set"
SIM = "m09.sim"


OWN = ("Raj, that sounds like a suggestion <b>. What could you ask instead?",
       "Let's take a minute of quiet before the next question.")


def _save(folder, name, scenario_id="primary-care-practice-managers", own=()):
    scenario = load_scenario(scenario_id)
    path = [d.intervention for d in run(scenario, policy(name)).decisions]
    # the trainee's own words for the first moves that say something (deliberate silence says nothing)
    spoken = [i for i, iv in enumerate(path) if iv.move != "none"]
    for i, words in zip(spoken, own, strict=False):
        path[i] = dataclasses.replace(path[i], own=words)
    store = ChoiceStore(AnswerStore.beside(MODULE, folder).path, MODULE)
    store.save_path(SIM, scenario.id, scenario.seed, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, curriculum):
    tmp = tmp_path_factory.mktemp("m09")
    source = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks" / MODULE, source / MODULE)
    _save(source / MODULE, "adaptive")  # a trainer's trial run: must neither leak nor overwrite
    folder = CourseFolder.init(tmp / "course", source=source)
    folder.generate([MODULE])
    release = folder.root / "release" / MODULE
    for student, policy_name in (("full", "adaptive"), ("blank", None), ("partial", "hands-off"),
                                 ("own", "adaptive")):
        target = folder.root / "submitted" / student / MODULE
        target.mkdir(parents=True)
        shutil.copy(release / f"{MODULE}.ipynb", target)
        if policy_name:
            _save(target, policy_name, own=OWN if student == "own" else ())
    for sid in scenario_ids():  # module 9 lets the trainee choose the set: grading replays that one
        target = folder.root / "submitted" / f"sc-{sid}" / MODULE
        target.mkdir(parents=True)
        shutil.copy(release / f"{MODULE}.ipynb", target)
        _save(target, "adaptive", sid)
    folder.nbgrader("autograde", MODULE, "--force")
    students = ("full", "blank", "partial", "own", *(f"sc-{sid}" for sid in scenario_ids()))
    with Gradebook(f"sqlite:///{folder.root / 'gradebook.db'}") as gb:
        grades = {s: {g.name: (g.score, g.max_score, g.needs_manual_grade, g.auto_score, g.manual_score)
                      for g in gb.find_submission_notebook(MODULE, MODULE, s).grades}
                  for s in students}
    return folder, grades


def test_release_has_no_secrets_and_no_choices_file(graded, curriculum):
    folder, _ = graded
    release = folder.root / "release" / MODULE
    assert {p.name for p in release.iterdir()} == {f"{MODULE}.ipynb"}
    text = (release / f"{MODULE}.ipynb").read_text()
    module = curriculum.module(MODULE)
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "simulation_score", "Mark scheme", "Model answer"):
        assert secret not in text, secret
    for line in module.reflections()[0].mark_scheme:
        assert line[:50] not in text


def test_model_choices_full_marks_blank_zero_hands_off_partial(graded, curriculum):
    folder, grades = graded
    spec = curriculum.module(MODULE).simulations()[0]
    for c in spec.criteria:
        gid = simulation_grade_id(SIM, c.id)
        assert grades["full"][gid][:2] == (c.points, c.points), gid
        assert grades["blank"][gid][:2] == (0.0, c.points), gid
    partial = sum(grades["partial"][simulation_grade_id(SIM, c.id)][0] for c in spec.criteria)
    assert 0 < partial < spec.max_points
    assert grades["partial"][simulation_grade_id(SIM, "handover")][0] == 0.0
    ref = reflection_grade_id("m09.reflection.debrief")
    assert grades["blank"][ref][:2] == (0, 6), "an untouched written debrief scores 0"
    for student in ("blank", "full"):
        nb = nbformat.read(folder.root / "autograded" / student / MODULE / f"{MODULE}.ipynb", 4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert not [o for o in outputs if o.get("name") == "stderr"]


@pytest.mark.parametrize("sid", scenario_ids())
def test_each_scenario_chosen_is_graded_by_replaying_it(graded, curriculum, sid):
    _, grades = graded
    spec = curriculum.module(MODULE).simulations()[0]
    scenario = load_scenario(sid)
    path = [d.intervention for d in run(scenario, policy("adaptive")).decisions]
    result = replay(scenario, None, path).result()
    for c in spec.criteria:
        expected = score_criterion(c.kind, c.points, c.bound, result).points
        assert grades[f"sc-{sid}"][simulation_grade_id(SIM, c.id)][:2] == (expected, c.points), (sid, c.id)


def test_own_words_wait_for_the_trainer_and_show_each_line_in_its_moment(graded, curriculum):
    folder, grades = graded
    own = curriculum.module(MODULE).simulations()[0].own_words
    gid = own_words_grade_id(SIM)
    for student in ("own", "full", "blank"):
        _score, max_score, needs_manual, auto, manual = grades[student][gid]
        # a manually graded task: never auto-scored, never a zero before the trainer marks it
        assert (max_score, needs_manual, auto, manual) == (own.points, True, None, None), student
    nb = nbformat.read(folder.root / "autograded" / "own" / MODULE / f"{MODULE}.ipynb", 4)
    show = next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                == f"ownwords-show-{SIM.replace('.', '-')}")
    html = "".join(o["data"]["text/html"] for o in show.outputs if "text/html" in o.get("data", {}))
    assert "Raj, that sounds like a suggestion &lt;b&gt;." in html and "<b>." not in html
    assert OWN[1] in unescape(html) and html.count("<tr>") == 1 + len(OWN)  # a header row, one per line
    assert "Meeting" in html and "Category you named" in html
    blank = nbformat.read(folder.root / "autograded" / "blank" / MODULE / f"{MODULE}.ipynb", 4)
    show = next(c for c in blank.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                == f"ownwords-show-{SIM.replace('.', '-')}")
    assert "No own words were typed" in "".join(o["data"]["text/plain"] for o in show.outputs
                                                if "data" in o)
