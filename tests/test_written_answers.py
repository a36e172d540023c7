"""Written answers: typed in a text box, saved in the answers file, checked against the asked length,
printed for the trainer when graded; validation and self-check tell the truth in the trainee's words."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alcourse.answers import AnswerStore
from alcourse.session import Session, StillToDo
from tests.conftest import ROOT

MODULE = "m01-what-is-action-learning"
REFLECTION = "m01.reflection.own-problem"


def words(n):
    return " ".join(["word"] * n)


def test_typing_in_the_box_saves_the_answer_in_the_answers_file(tmp_path, curriculum):
    session = Session(MODULE, folder=tmp_path, curriculum=curriculum)
    box = session.written(REFLECTION)
    box.type("My problem is a puzzle.")
    saved = json.loads((tmp_path / f"{MODULE}.answers.json").read_text())
    assert saved["written"][REFLECTION]["text"] == "My problem is a puzzle."
    assert "5 words: 145 more to reach the 150 to 250 asked for." in box.status.value
    again = Session(MODULE, folder=tmp_path, curriculum=curriculum).written(REFLECTION)
    assert again.box.value == "My problem is a puzzle.", "shown again after a kernel restart"


def test_a_box_in_an_old_tab_does_not_overwrite_a_newer_answer(tmp_path, curriculum):
    session = Session(MODULE, folder=tmp_path, curriculum=curriculum)
    old, new = session.written(REFLECTION), session.written(REFLECTION)
    new.type(words(200))
    old.type("short")
    assert AnswerStore.beside(MODULE, tmp_path).text(REFLECTION) == words(200)
    assert old.box.value == words(200) and "Nothing was overwritten" in old.status.value


@pytest.mark.parametrize(("count", "expected"), [
    (0, "'Written reflection': not written yet (150 to 250 words asked for"),
    (75, "'Written reflection': 75 words: 75 more to reach the 150 to 250 asked for."),
    (300, "'Written reflection': 300 words: 50 more than the 150 to 250 asked for"),
    (200, None),
])
def test_self_check_counts_words_against_the_asked_range(tmp_path, curriculum, count, expected):
    session = Session(MODULE, folder=tmp_path, curriculum=curriculum)
    for ex in curriculum.module_exercises(MODULE):
        session.store.write_all(ex.id, ex.model_answers())
    session.store.write_text(REFLECTION, words(count))
    out = repr(session.self_check())
    if expected is None:
        assert "Everything in this module has an answer" in out
    else:
        assert expected in out and "Still to do" in out
        assert REFLECTION not in out


def test_validation_fails_on_what_is_missing_and_grading_prints_the_answer(tmp_path, curriculum,
                                                                          monkeypatch, capsys):
    session = Session(MODULE, folder=tmp_path, curriculum=curriculum)
    exercise = curriculum.module_exercises(MODULE)[0]
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    missing = re.escape(f"0 of {len(exercise.questions)} answered in '{exercise.title}'")
    with pytest.raises(StillToDo, match=missing):
        session.progress(exercise.id)
    with pytest.raises(StillToDo, match="'Written reflection': 75 words: 75 more"):
        session.store.write_text(REFLECTION, words(75))
        session.written(REFLECTION)
    session.store.write_all(exercise.id, exercise.model_answers())
    session.progress(exercise.id)  # complete: no error
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    session.store.write_text(REFLECTION, "My answer, " + words(160))
    assert session.written(REFLECTION) is None
    printed = capsys.readouterr().out
    assert "My answer, word word" in printed and "162 words: within the 150 to 250 asked for" in printed
    monkeypatch.delenv("NBGRADER_EXECUTION")
    session.store.write_all(exercise.id, {})
    session.progress(exercise.id)  # in the notebook it only prints, so Run All never stops
    assert "answered in" in capsys.readouterr().out


def test_every_reflection_asks_for_a_length_in_words(curriculum):
    for module in curriculum.modules.values():
        for ref in module.reflections():
            low, high = ref.words
            assert 0 < low < high, ref.id


def test_nbgrader_validate_reports_what_is_missing_not_success(tmp_path):
    """nbgrader's own validate, on a released module notebook with nothing answered."""
    from tests.site import released

    folder = tmp_path / MODULE
    shutil.copytree(released()[MODULE], folder)
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "validate", f"{MODULE}.ipynb"],
                          cwd=folder, capture_output=True, text=True, check=False, timeout=300)
    out = proc.stdout + proc.stderr
    assert "Success" not in out and "passes" not in out.lower()
    assert "StillToDo: 0 of" in out and "'Written reflection': not written yet" in out
    assert "Traceback" not in out and "File " not in out, "the message alone, no Python traceback"


def test_single_key_shortcuts_that_change_cells_are_off_for_trainees():
    """Every command-mode shortcut of the installed JupyterLab that adds, deletes or changes a cell
    with a plain key is disabled in the settings JupyterLab and JupyterLite both use."""
    schema = json.loads((Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/notebook-extension"
                         / "tracker.json").read_text())
    overrides = json.loads((ROOT / "alcourse/publish/overrides.json").read_text())
    disabled = {(s["command"], tuple(s["keys"]), s["selector"])
                for s in overrides["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
                if s.get("disabled")}
    changes_cells = ("insert", "delete", "cut", "paste", "change-cell", "merge", "undo", "redo")
    risky = [(s["command"], tuple(s["keys"]), s["selector"]) for s in schema["jupyter.lab.shortcuts"]
             if "commandMode" in s["selector"] and any(w in s["command"] for w in changes_cells)
             and not any(m in k for k in s["keys"] for m in ("Accel", "Ctrl"))]
    assert len(risky) >= 15
    assert [r for r in risky if r not in disabled] == []
