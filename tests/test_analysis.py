"""Real set-meeting logs: read with located errors, analysed with the simulator's debrief charts."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alcourse.analysis import (
    LogError,
    analyse,
    charts,
    debrief_from_result,
    debrief_html,
    next_steps,
    read_log,
)
from alcourse.simulation import load_scenario, policy, run

HEADER = "meeting,speaker,turn_type,seconds,move\n"
GOOD = HEADER + "\n".join([
    "1,Ann,check-in,60,",
    "1,Bo,check-in,50,",
    "1,Ann,account,120,",
    "1,Bo,open-question,20,",
    "1,Ann,answer,40,",
    "1,Cy,advice-question,25,",
    "1,Set adviser,adviser,15,which-question",
    "1,Cy,open-question,15,",
    "1,Ann,action,30,",
    "2,Ann,check-in,40,",
    "2,Bo,open-question,20,",
    "2,Cy,open-question,20,",
    "2,Bo,account,100,",
    "2,adviser,adviser,10,catalytic",
    "2,Bo,action,20,",
]) + "\n"
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text(GOOD)
    return path


def test_a_good_log_gives_the_same_measures_as_the_simulator(log_file):
    debrief = analyse(log_file)
    first = debrief.meetings.iloc[0]
    assert first["questions"] == 3
    assert first["open_share"] == pytest.approx(2 / 3)
    assert first["advice_share"] == pytest.approx(1 / 3)
    assert first["adviser_share"] == pytest.approx(15 / 375)
    assert first["actions"] == 1
    # airtime leaves out the presenter's own account, answers and actions
    assert sum(debrief.airtime.values()) == pytest.approx(1.0)
    assert debrief.airtime["Ann"] == pytest.approx(100 / (100 + 90 + 60))
    assert debrief.moves == {"which-question": 1, "catalytic": 1}
    assert "adviser" not in debrief.airtime, "'Set adviser' is recognised as the adviser"


def test_the_log_draws_the_same_five_charts_with_alt_text(log_file):
    made = charts(analyse(log_file))
    assert [c.title for c in made] == ["Airtime", "Question mix", "Adviser interventions", "Actions",
                                       "Dependence on the adviser"]
    for chart in made:
        assert chart.png.startswith(b"\x89PNG")
        assert len(chart.alt) > 30
    assert "Ann had the most airtime" in made[0].alt
    assert "meeting 1 open 67%, advice 33%" in made[1].alt
    html = debrief_html(analyse(log_file))
    assert html.count('<img src="data:image/png;base64,') == 5
    assert html.count(' alt="') == 5


BAD_ROWS = [
    ("1,Ann,lecture,20,", "turn_type", "allowed: check-in, bid"),
    ("one,Ann,open-question,20,", "meeting", "a whole number from 1 to 99"),
    ("0,Ann,open-question,20,", "meeting", "a whole number from 1 to 99"),
    ("1,,open-question,20,", "speaker", "a name"),
    ("1,Ann,open-question,-5,", "seconds", "from 0 to 3600"),
    ("1,Ann,open-question,ten,", "seconds", "from 0 to 3600"),
    ("1,Ann,open-question,nan,", "seconds", "from 0 to 3600"),
    ("1,Ann,open-question,20,catalytic", "move", "only for the adviser"),
    ("1,adviser,adviser,20,shouting", "move", "one of prescriptive"),
    ("1,adviser,open-question,20,", "turn_type", "'adviser' exactly for the adviser"),
    ("1,Ann,open-question,20", "(row)", "has 4 values; the header has 5"),
]


@pytest.mark.parametrize("row, column, words", BAD_ROWS)
def test_bad_rows_get_a_located_error(tmp_path, row, column, words):
    path = tmp_path / "bad.csv"
    lines = GOOD.splitlines()
    lines.insert(4, row)  # becomes line 5 of the file
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LogError) as info:
        read_log(path)
    match = LOCATED.match(str(info.value))
    assert match, str(info.value)
    assert (match["file"], match["line"], match["field"]) == (str(path), "5", column)
    assert words in match["message"]


@pytest.mark.parametrize("text, column, words", [
    ("", "(header)", "is empty"),
    ("meeting,speaker,seconds\n1,Ann,3\n", "turn_type", "column is missing"),
    ("meeting,speaker,turn_type,seconds,mood\n", "mood", "not a known column"),
    (HEADER, "(file)", "no turns"),
])
def test_bad_files_get_a_located_error(tmp_path, text, column, words):
    path = tmp_path / "log.csv"
    path.write_text(text)
    with pytest.raises(LogError, match=re.escape(f"{path}:1: {column}: ") + ".*" + re.escape(words)):
        read_log(path)


def test_a_spreadsheet_export_with_spaces_and_bom_is_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffMeeting,Speaker,Turn type,Seconds\n1,Ann,Open-Question,12\n".encode())
    assert read_log(path)["turn_type"].tolist() == ["open-question"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"meeting,speaker,turn_type,seconds\n1,Ren\xe9,comment,3\n")
    with pytest.raises(LogError, match=r"latin.csv:1: \(encoding\)"):
        read_log(latin)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=8), min_size=0, max_size=6), max_size=5))
def test_fuzz_only_located_errors(tmp_path, rows):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["meeting", "speaker", "turn_type", "seconds"])
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue())
    try:
        read_log(path)
    except LogError as exc:
        assert LOCATED.match(str(exc).split("\n")[0]), str(exc)


def test_simulated_and_real_debriefs_share_their_shape(log_file):
    result = run(load_scenario("primary-care-practice-managers"), policy("hands-off"), seed=3)
    simulated = debrief_from_result(result)
    real = analyse(log_file)
    assert list(simulated.meetings.columns) == list(real.meetings.columns)
    tips = next_steps(simulated)
    assert any("handed the process" in t for t in tips), "hands-off never hands over"
    assert any("Advice disguised" in t for t in tips)
    assert sum(simulated.airtime.values()) == pytest.approx(1.0)
    assert set(simulated.airtime) == {m.id for m in result.scenario.members}

