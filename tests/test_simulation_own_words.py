"""The trainee's own words reach the trainer in their moment, with the category named, to mark by hand."""

from __future__ import annotations

from html import unescape

import nbformat

from alcourse.answers import AnswerStore
from alcourse.curriculum.guide import marking_guide_html
from alcourse.session import Session, own_words_grade_id
from alcourse.simulation import load_scenario
from alcourse.simulation.engine import Intervention
from alcourse.simulation.outcomes import ADVISER
from alcourse.simulation.own_words import NO_WORDS, OwnLine, own_lines, own_words_html, own_words_text
from alcourse.simulation.play import ChoiceStore, Playthrough
from alcourse.simulation.transcript import line_text
from tests.conftest import ROOT

SCENARIO = "primary-care-practice-managers"
MODULE = "m09-simulated-set"


def _game(path):
    return Playthrough(load_scenario(SCENARIO), None, path)


def test_each_own_line_comes_with_its_meeting_event_what_came_before_and_the_category_named():
    game = _game([Intervention("catalytic", own="What would help you decide?"),
                  Intervention("none"),
                  Intervention("timebox", own="Ten minutes of questions only, please.")])
    result = game.result()
    lines = own_lines(result)
    assert [line.words for line in lines] == ["What would help you decide?",
                                              "Ten minutes of questions only, please."]
    assert [(line.named, line.family) for line in lines] == [("Catalytic", "heron"),
                                                             ("Timebox", "structural")]
    book = result.scenario.rulebook()
    names = {m.id: m.name for m in result.scenario.members}
    spoken = [d for d in result.decisions if d.intervention.own]
    for line, record in zip(lines, spoken, strict=True):
        assert line.meeting == record.decision.meeting
        assert line.moment == book.events[record.decision.event].label
        # "just before" is the last turn by someone other than the adviser, in its words
        at = next(i for i, r in enumerate(result.rows) if r.own == line.words)
        previous = next(r for r in reversed(result.rows[:at]) if r.speaker != ADVISER)
        assert line.before == f"{names.get(previous.speaker, 'The set')}: {line_text(result, previous)}"


def test_no_own_words_and_words_for_silence_give_no_lines():
    assert own_lines(_game([]).result()) == []
    # deliberate silence says nothing, so words typed with it are not a line of the meeting
    assert own_lines(_game([Intervention("none", own="I would say nothing.")]).result()) == []
    assert NO_WORDS in own_words_html([]) and own_words_text([]) == NO_WORDS


def test_odd_words_are_shown_as_typed_and_never_as_markup():
    odd = '<script>alert("x")</script> & "quotes"\nsecond line \u2014 caf\u00e9 \U0001F642'
    lines = own_lines(_game([Intervention("supportive", own=odd)]).result())
    assert [line.words for line in lines] == [odd]
    html = own_words_html(lines)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert unescape(html).count(odd) == 1
    assert odd in own_words_text(lines)


def test_a_line_with_no_event_or_nothing_before_is_still_shown():
    html = own_words_html([OwnLine(1, "", "", "Welcome, everyone.", "Supportive", "heron")])
    assert "(no event)" in html and "the meeting&#39;s start" in html and "Supportive (Heron)" in html
    assert "Welcome, everyone." in own_words_text([OwnLine(3, "", "", "Welcome, everyone.", "none", "none")])


def test_module_9_has_a_manually_graded_own_words_cell_after_the_lines(curriculum):
    nb = nbformat.read(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", 4)
    meta = [c.get("metadata", {}).get("nbgrader", {}) for c in nb.cells]
    task = next(i for i, m in enumerate(meta) if m.get("grade_id") == own_words_grade_id("m09.sim"))
    own = curriculum.module(MODULE).simulations()[0].own_words
    assert meta[task]["task"] is True and meta[task]["points"] == own.points
    assert not meta[task]["grade"] and not meta[task]["solution"]
    show = nb.cells[task - 1]
    assert show.cell_type == "code" and show.source == 'course.own_words("m09.sim")'
    assert not meta[task - 1]["grade"], "the lines are shown, never scored"
    assert "BEGIN MARK SCHEME" in nb.cells[task].source and own.mark_scheme[0] in nb.cells[task].source


def test_the_marking_guide_shows_the_own_words_with_levels_and_grade_id(curriculum):
    text = unescape(marking_guide_html(curriculum))
    own = curriculum.module(MODULE).simulations()[0].own_words
    assert own_words_grade_id("m09.sim") in text
    at = text.index(own_words_grade_id("m09.sim"))
    for criterion in own.criteria:
        assert criterion.text in text[at:]
        for level in criterion.levels.values():
            assert level.text in text[at:]
    assert own.model_answer in text[at:] and "category the trainee named" in text[at:]


def test_the_widget_asks_for_the_category_and_refuses_words_for_silence(tmp_path):
    w = Session(MODULE, folder=tmp_path).simulation("m09.sim")
    store = ChoiceStore(AnswerStore.beside(MODULE, tmp_path).path, MODULE)
    assert "names their category" in w.own_hint.value
    assert w.decision_box.children.index(w.own_hint) == w.decision_box.children.index(w.own) - 1
    w.skip()
    w.move.value = "none"
    w.own.value = "I would stay quiet here."
    w._on_choose()
    assert "Deliberate silence has no words" in w.feedback.value
    assert store.path_of("m09.sim") == [] and w.own.value == "I would stay quiet here.", "nothing lost"
    w.move.value = "catalytic"
    w._on_choose()
    assert [(i.move, i.own) for i in store.path_of("m09.sim")] == [("catalytic", "I would stay quiet here.")]
