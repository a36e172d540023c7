"""Observation logs: coding a session, saving atomically, reading back, errors that say where."""

from __future__ import annotations

import pytest

from alcourse.analysis import LogError, analyse, read_log
from alcourse.observe.figures import compare, figures
from alcourse.observe.log import load, render, save
from alcourse.observe.session import Session

MEMBERS = ("Ann", "Bo", "Cy")


def coded() -> Session:
    return (Session(MEMBERS, meeting=3, observer="Kim")
            .turn(0, "Ann", "open-question").turn(20, "Bo", "advice-question")
            .intervene(50, "catalytic", "Bo").note(55, "Bo, arms folded")
            .turn(60, "Cy", "probing-question").turn(75, "set", "silence")
            .turn(85, "Bo", "statement").intervene(100, "supportive", "set").end(110))


def test_log_round_trips_and_the_analysis_reads_it(tmp_path):
    path = tmp_path / "obs.csv"
    save(coded(), path)
    assert load(path) == coded()
    frame = read_log(path)  # the notes row is skipped; every turn is read
    assert frame["speaker"].tolist() == ["Ann", "Bo", "adviser", "Cy", "set", "Bo", "adviser"]
    assert frame["seconds"].tolist() == [20, 30, 10, 15, 10, 15, 10]
    assert frame["move"].tolist() == ["", "", "catalytic", "", "", "", "supportive"]
    assert analyse(path).moves == {"catalytic": 1, "supportive": 1}


def test_version_one_logs_still_read(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("meeting,speaker,turn_type,seconds\n1,Ann,open-question,20\n")
    assert read_log(path)["seconds"].tolist() == [20.0]
    path.write_text("meeting,speaker,turn_type,seconds,kind\n1,Ann,open-question,20,x\n")
    with pytest.raises(LogError, match=r"tally.csv:1: kind: is not a known column"):
        read_log(path)


def test_a_newer_log_version_is_refused(tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("# alcourse-log v9\nmeeting,speaker,turn_type,seconds\n1,Ann,open-question,20\n")
    with pytest.raises(LogError, match=r"new.csv:1: \(version\): is version 9"):
        read_log(path)


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "obs.csv"
    save(coded(), path)
    before = path.read_text()

    class Boom(Exception):
        pass

    class BreaksWhileWriting(Session):
        def rows(self, now=None):
            raise Boom  # as if the kernel died half-way through the write

    broken = BreaksWhileWriting(MEMBERS, events=coded().events)
    with pytest.raises(Boom):
        save(broken, path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["obs.csv"]


def test_undo_removes_the_last_event_and_reopens_the_turn():
    s = coded().undo()  # the intervention at 100 s goes; Bo's statement lasts until "now"
    assert len(s.events) == len(coded().events) - 1
    assert s.rows(now=120)[-1].seconds == 35


@pytest.mark.parametrize(("row", "where"), [
    ("3,Dee,open-question,10,,120,open-question,,", r"obs.csv:13: speaker: 'Dee' is not a member"),
    ("3,Ann,open-question,10,,120,open-question,", r"obs.csv:13: \(row\): has 8 values"),
    ("3,Ann,open-question,10,,soon,open-question,,", r"obs.csv:13: at: is 'soon'"),
    ("3,Ann,comment,10,,120,open-question,,", r"obs.csv:13: turn_type: is 'comment'"),
    ("3,adviser,adviser,10,lecturing,120,intervention,set,", r"obs.csv:13: move: is 'lecturing'"),
    ("3,adviser,adviser,10,catalytic,120,intervention,Dee,", r"obs.csv:13: target: is 'Dee'"),
    ("3,Ann,open-question,10,,5,open-question,,", r"obs.csv:13: at: is 5.0 s, before the previous"),
])
def test_bad_rows_are_located(tmp_path, row, where):
    path = tmp_path / "obs.csv"
    text = render(coded()).replace("# ended: 110\n", "") + row + "\n"
    path.write_text(text)
    assert text.splitlines()[12] == row  # line 13 of the file
    with pytest.raises(LogError, match=where):
        load(path)


def test_figures_match_the_session_worked_by_hand():
    f = figures(coded())
    assert f.airtime == {"Ann": 20, "Bo": 45, "Cy": 15, "adviser": 20}
    assert f.question_mix == {"open-question": 1, "closed-question": 0, "probing-question": 1,
                              "clarifying-question": 0, "leading-question": 0, "advice-question": 1}
    assert f.advice_share == round(1 / 3, 3)  # one advice-laden turn among three questions
    assert f.advice_question_share == round(1 / 3, 3)
    assert f.adviser_share == round(20 / 110, 3)
    assert f.heron["catalytic"] == 1 and f.heron["supportive"] == 1 and sum(f.heron.values()) == 2
    assert f.targets == {"set": 1, "Ann": 0, "Bo": 1, "Cy": 0}
    assert (f.silences, f.silence_seconds, f.longest_silence) == (1, 10, 10)
    assert f.notes == [(55, "Bo, arms folded")]
    met = {t.label.split(",")[0]: t.met for t in compare(f, {"adviser-talk": 0.1, "airtime-spread": 0.24})}
    assert met == {"Advice disguised as questions": False, "Airtime spread among members (Gini": False,
                   "Adviser's share of the session": False}


def test_the_app_carries_on_from_its_log_after_a_restart(tmp_path):
    from alcourse.widgets.observer import ObserverApp

    log = tmp_path / "kim.csv"
    ticks = iter(float(t) for t in range(1000, 1100))
    first = ObserverApp(list(MEMBERS), "Kim", log=log, clock=lambda: next(ticks))
    first.type_keys("1o2d0t")
    first.note("Bo, arms folded")
    assert [e.kind for e in load(log).events] == ["open-question", "advice-question", "intervention", "note"]
    # the kernel restarts: a new app over the same log carries on, with the same clock origin
    second = ObserverApp(list(MEMBERS), "Kim", log=log, clock=lambda: next(ticks))
    assert second.session == first.session
    second.type_keys("3p")
    events = load(log).events
    assert [e.speaker for e in events] == ["Ann", "Bo", "adviser", "", "Cy"]
    assert events[-1].at > events[-2].at
    second.type_keys("9x")  # no member 9, no key x: nothing logged
    assert len(load(log).events) == 5
    second.undo()
    assert len(load(log).events) == 4


def test_one_tap_per_event_with_the_buttons(tmp_path):
    from alcourse.widgets.observer import ObserverApp

    ticks = iter(float(t) for t in range(0, 100, 5))
    app = ObserverApp(list(MEMBERS), log=tmp_path / "o.csv", clock=lambda: next(ticks))
    app.member_buttons["Cy"].click()
    assert app.member_buttons["Cy"].description == "3: Cy (chosen)"
    app.kind_buttons["clarifying-question"].click()
    app.kind_buttons["silence"].click()
    app.set_button.click()
    app.heron_buttons["cathartic"].click()
    assert [(e.speaker, e.kind, e.target) for e in load(tmp_path / "o.csv").events] == [
        ("Cy", "clarifying-question", ""), ("set", "silence", ""), ("adviser", "intervention", "set")]


def test_the_key_field_acts_on_each_key_typed_wherever_the_caret_is(tmp_path):
    from alcourse.widgets.observer import ObserverApp

    ticks = iter(float(t) for t in range(0, 100, 5))
    app = ObserverApp(list(MEMBERS), log=tmp_path / "o.csv", clock=lambda: next(ticks))
    field = app.key_field
    field.value = "1"
    field.value = "1o"
    field.value = "1o2c"  # two keys in one message (a fast typist)
    field.value = "1oz2c"  # typed with the caret moved back: a silence
    assert [e.kind for e in app.session.events] == ["open-question", "closed-question", "silence"]
    field.value = "1o2c"  # Backspace: the last event goes, once
    assert [e.kind for e in load(tmp_path / "o.csv").events] == ["open-question", "closed-question"]
