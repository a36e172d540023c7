"""Answers saved beside the notebook: atomic, first choice graded, damage reported clearly."""

from __future__ import annotations

import json

import pytest

from alcourse.answers import AnswersError, AnswerStore
from alcourse.session import Session
from alcourse.widgets import ExerciseWidget, MemoryStore

MODULE = "m03-traditional-vs-action-learning"


def test_first_choice_is_graded_latest_is_shown(tmp_path):
    store = AnswerStore.beside(MODULE, tmp_path)
    store.record("m03.contrasts-in-practice", "speaker-first", "venue-only")
    store.record("m03.contrasts-in-practice", "speaker-first", "problems-from-day-one")
    again = AnswerStore.beside(MODULE, tmp_path)  # as after a kernel restart
    assert again.graded("m03.contrasts-in-practice") == {"speaker-first": "venue-only"}
    assert again.latest("m03.contrasts-in-practice") == {"speaker-first": "problems-from-day-one"}
    assert not list(tmp_path.glob("*.tmp"))


def test_write_is_atomic_when_interrupted(tmp_path, monkeypatch):
    store = AnswerStore.beside(MODULE, tmp_path)
    store.record("m03.contrasts-in-practice", "a", "traditional")
    before = store.path.read_text()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(json, "dump", boom)
    with pytest.raises(KeyboardInterrupt):
        store.record("m03.contrasts-in-practice", "b", "action")
    assert store.path.read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_damaged_file_is_reported_and_kept(tmp_path):
    path = tmp_path / f"{MODULE}.answers.json"
    path.write_text("{not json")
    store = AnswerStore.beside(MODULE, tmp_path)
    with pytest.raises(AnswersError, match=rf"{path}: cannot read saved answers"):
        store.graded("x")
    with pytest.raises(AnswersError):
        store.record("x", "q", "o")
    assert path.read_text() == "{not json"  # nothing lost


def test_answers_of_another_module_are_refused(tmp_path):
    AnswerStore(tmp_path / "f.json", module="m01").record("e", "q", "o")
    with pytest.raises(AnswersError, match="holds answers for module 'm01'"):
        AnswerStore(tmp_path / "f.json", module="m03").graded("e")


def test_widget_saves_at_once_and_restores_after_restart(tmp_path):
    session = Session(MODULE, folder=tmp_path)
    widget = session.exercise("m03.contrasts-in-practice")
    widget.choose("speaker-first", "venue-only")
    widget.choose("speaker-first", "problems-from-day-one")
    saved = json.loads((tmp_path / f"{MODULE}.answers.json").read_text())
    entry = saved["exercises"]["m03.contrasts-in-practice"]["speaker-first"]
    assert entry == {"first": "venue-only", "latest": "problems-from-day-one", "changes": 1}
    feedback = widget.feedback["speaker-first"].value
    assert "Right." in feedback and "first choice" in feedback and 'role="status"' in feedback

    restarted = Session(MODULE, folder=tmp_path).exercise("m03.contrasts-in-practice")
    assert restarted.radios["speaker-first"].value == "problems-from-day-one"
    assert "Answered 1 of 5" in restarted.progress.value
    assert session.score("m03.contrasts-in-practice") == 0.0  # first choice was wrong


def test_feedback_does_not_rely_on_colour():
    from alcourse.exercises import load_exercise

    widget = ExerciseWidget(load_exercise("m03.contrasts-in-practice"), MemoryStore())
    widget.choose("cost-per-hour", "hours-only")
    text = widget.feedback["cost-per-hour"].value
    assert "\u2718 Not quite." in text  # a symbol and words, not only red


def test_self_check_lists_what_is_missing(tmp_path):
    session = Session(MODULE, folder=tmp_path)
    todo = session.unanswered()
    assert any("When the traditional pull shows" in t and "5 of 5" in t for t in todo)
    assert any("'Written reflection': not written yet (150 to 250 words" in t for t in todo)
    assert not any("m03." in t for t in todo), "the trainee's words: titles, never internal ids"
    for ex in session.curriculum.module_exercises(MODULE):
        session.store.write_all(ex.id, ex.model_answers())
    assert all("Written reflection" in t for t in session.unanswered())
    check = session.self_check()
    assert "Still to do" in check.result.value and "Written reflection" in repr(check)
    for reflection in session.module.reflections():  # written after the list was made: the button looks again
        session.store.write_text(reflection.id, "word " * 200)
    check.button.click()
    assert "Everything in this module has an answer" in check.result.value
