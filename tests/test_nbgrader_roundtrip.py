"""nbgrader really generates, autogrades and records what the widgets saved."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from alcourse.answers import AnswerStore
from alcourse.grading import CourseFolder
from alcourse.session import Session, check_grade_id, reflection_grade_id
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cohort(tmp_path_factory, curriculum):
    """A course whose source holds a decoy answers file that must never leak or overwrite."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    source = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", source)
    for module in curriculum.modules.values():
        decoy = AnswerStore.beside(module.id, source / module.id)
        for ex in curriculum.module_exercises(module.id):
            decoy.write_all(ex.id, {q.id: min(q.options, key=lambda o: o.points).id
                                    for q in ex.questions})
    folder = CourseFolder.init(tmp / "course", source=source)
    folder.generate(sorted(curriculum.modules))
    return folder


def _release_nb(folder, module_id):
    return folder.root / "release" / module_id / f"{module_id}.ipynb"


def _submit(folder, student, module_id):
    target = folder.root / "submitted" / student / module_id
    target.mkdir(parents=True)
    shutil.copy(_release_nb(folder, module_id), target)
    return target


def test_release_holds_no_solution_mark_scheme_or_hidden_test(cohort, curriculum):
    for module in curriculum.modules.values():
        text = _release_nb(cohort, module.id).read_text()
        for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "Mark scheme", "Model answer",
                       "course.score("):
            assert secret not in text, (module.id, secret)
        for reflection in module.reflections():
            assert reflection.model_answer[:60] not in text
            for line in reflection.mark_scheme:
                assert line[:50] not in text
        released_files = {p.name for p in (cohort.root / "release" / module.id).iterdir()}
        assert released_files == {module.notebook}, "answers files must never be released"


def _grades(folder, module_id, student):
    with Gradebook(f"sqlite:///{folder.root / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(module_id, module_id, student)
        return {g.name: (g.score, g.max_score, g.needs_manual_grade) for g in nb.grades}


def test_released_code_stays_collapsed(cohort, curriculum):
    """nbgrader keeps ``jupyter.source_hidden``: a trainee's copy shows widgets, not Python."""
    for module in curriculum.modules.values():
        nb = nbformat.read(_release_nb(cohort, module.id), 4)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert code, module.id
        for cell in code:
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, (module.id, cell.source)
            assert cell.metadata["nbgrader"]["locked"] is True


def test_full_blank_and_widget_answers_grade_correctly(cohort, curriculum):
    module = curriculum.module("m03-traditional-vs-action-learning")
    exercises = curriculum.module_exercises(module.id)

    full = _submit(cohort, "full", module.id)
    for ex in exercises:
        AnswerStore.beside(module.id, full).write_all(ex.id, ex.model_answers())
    written = nbformat.read(full / module.notebook, 4)
    for cell in written.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "Our courses teach what is known; a set works on our discharge delays."
    nbformat.write(written, full / module.notebook)
    _submit(cohort, "blank", module.id)

    # "widget": answers given through the widget itself, then graded on re-execution
    widget_dir = _submit(cohort, "widget", module.id)
    widget = Session(module.id, folder=widget_dir).exercise("m03.contrasts-in-practice")
    widget.choose("speaker-first", "problems-from-day-one")  # right
    widget.choose("cost-per-hour", "hours-only")  # wrong first choice...
    widget.choose("cost-per-hour", "agree-return")  # ...corrected later: still graded wrong
    widget.choose("history-slot", "bring-to-now")  # right

    cohort.nbgrader("autograde", module.id, "--force")

    full_grades = _grades(cohort, module.id, "full")
    blank_grades = _grades(cohort, module.id, "blank")
    widget_grades = _grades(cohort, module.id, "widget")
    for ex in exercises:
        gid = check_grade_id(ex.id)
        assert full_grades[gid][:2] == (ex.max_points, ex.max_points), gid
        assert blank_grades[gid][:2] == (0.0, ex.max_points), gid
    assert widget_grades[check_grade_id("m03.contrasts-in-practice")][0] == 2.0
    assert widget_grades[check_grade_id("m03.principles-in-tension")][0] == 0.0
    ref = reflection_grade_id("m03.reflection.sponsor")
    assert full_grades[ref][2] is True  # written: waits for the trainer
    assert blank_grades[ref][:2] == (0, module.reflections()[0].points)  # untouched: 0

    # the autograded blank notebook ran without errors
    graded = nbformat.read(cohort.root / "autograded" / "blank" / module.id / module.notebook, 4)
    errors = [o for c in graded.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    # the trainee's answers file was kept, not overwritten by the decoy in the source
    kept = json.loads((cohort.root / "autograded" / "full" / module.id /
                       module.answers_file).read_text())
    assert kept["exercises"]["m03.contrasts-in-practice"] == json.loads(
        (full / module.answers_file).read_text())["exercises"]["m03.contrasts-in-practice"]


def _exercise_modules():
    from alcourse.curriculum import load_curriculum

    # module 9 is graded by replaying simulations: tests/test_simulation_nbgrader.py
    return sorted(m.id for m in load_curriculum().modules.values() if not m.simulations())


@pytest.mark.parametrize("module_id", _exercise_modules())
def test_every_module_full_marks_with_model_answers_and_zero_when_blank(cohort, curriculum, module_id):
    module = curriculum.module(module_id)
    exercises = curriculum.module_exercises(module_id)
    assert len(exercises) >= 2 and module.reflections(), "every module has two exercises and a reflection"
    full = _submit(cohort, f"model-{module_id}", module_id)
    for ex in exercises:
        AnswerStore.beside(module_id, full).write_all(ex.id, ex.model_answers())
    _submit(cohort, f"blank-{module_id}", module_id)
    cohort.nbgrader("autograde", module_id, "--force")
    full_grades = _grades(cohort, module_id, f"model-{module_id}")
    blank_grades = _grades(cohort, module_id, f"blank-{module_id}")
    for ex in exercises:
        gid = check_grade_id(ex.id)
        assert full_grades[gid][:2] == (ex.max_points, ex.max_points), gid
        assert blank_grades[gid][:2] == (0.0, ex.max_points), gid
    for student in (f"model-{module_id}", f"blank-{module_id}"):
        graded = nbformat.read(cohort.root / "autograded" / student / module_id / module.notebook, 4)
        outputs = [o for c in graded.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], student
        assert not [o for o in outputs if o.get("name") == "stderr"], student
