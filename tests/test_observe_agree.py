"""Agreement between observers, against figures worked by hand; the `alcourse observe` commands."""

from __future__ import annotations

import pytest

from alcourse.cli import main
from alcourse.observe.agree import agreement, compare_logs
from alcourse.observe.log import save
from alcourse.observe.rubric import Rubric, Score, compare_rubrics, render
from alcourse.observe.session import Session

MEMBERS = ("Ann", "Bo")


def ten_second_turns(kinds: list[str], observer: str) -> Session:
    """A session where turn i starts at 10*i s, so a 10-second window is one turn."""
    s = Session(MEMBERS, observer=observer)
    for i, kind in enumerate(kinds):
        s = s.turn(10.0 * i, "Ann" if i % 2 == 0 else "Bo", kind)
    return s.end(10.0 * len(kinds))


A = ["open-question"] * 4 + ["closed-question"] * 3 + ["advice"] * 3


def test_perfect_agreement_is_one():
    c = compare_logs([ten_second_turns(A, "Kim"), ten_second_turns(A, "Lee")], ["Kim", "Lee"], window=10)
    assert c.agreements["kind"].value == 1.0
    assert c.agreements["speaker"].value == 1.0
    assert c.agreements["kind"].units == 10
    assert c.disagreements == []


def test_chance_level_agreement_is_zero():
    # observed 0.5; each rater uses a and b half the time, so chance is 0.5: kappa = 0
    found = agreement([["a", "a", "b", "b"], ["a", "b", "a", "b"]])
    assert (found.statistic, found.value, found.observed) == ("Cohen's kappa", 0.0, 0.5)


def test_one_systematic_disagreement():
    # Lee codes every closed question as leading. Observed 7/10; chance .4*.4 + .3*.3 = .25;
    # kappa = (.7 - .25) / (1 - .25) = 0.6
    b = [k.replace("closed", "leading") for k in A]
    c = compare_logs([ten_second_turns(A, "Kim"), ten_second_turns(b, "Lee")], ["Kim", "Lee"], window=10)
    assert c.agreements["kind"].value == pytest.approx(0.6)
    assert c.agreements["kind"].observed == pytest.approx(0.7)
    assert c.agreements["speaker"].value == 1.0
    assert [(d.unit, d.dimension, d.codes) for d in c.disagreements] == [
        (unit, "kind", ("closed-question", "leading-question")) for unit in ("00:40", "00:50", "01:00")]


def test_three_observers_get_krippendorffs_alpha():
    # units (a,a,a) (b,b,b) (a,a,b) (b,b,b): coincidences o_aa=4, o_bb=6, o_ab=o_ba=1, n=12,
    # n_a=5, n_b=7; alpha = 1 - (n-1) * 2 / (2*5*7) = 1 - 22/70
    found = agreement([["a", "b", "a", "b"], ["a", "b", "a", "b"], ["a", "b", "b", "b"]])
    assert found.statistic == "Krippendorff's alpha (nominal)"
    assert found.value == pytest.approx(1 - 22 / 70, abs=1e-4)


def test_one_category_only_is_undefined_not_perfect():
    found = agreement([["a", "a"], ["a", "a"]])
    assert found.value is None and found.observed == 1.0
    assert "one and the same category" in found.why_undefined


def test_heron_windows_are_those_with_an_intervention():
    kim = Session(MEMBERS).turn(0, "Ann", "open-question").intervene(10, "catalytic", "Ann").end(20)
    lee = Session(MEMBERS).turn(0, "Ann", "open-question").intervene(10, "supportive", "Ann").end(20)
    c = compare_logs([kim, lee], ["Kim", "Lee"], window=5)
    assert c.agreements["heron"].units == 2  # 10-15 and 15-20 s
    assert c.agreements["heron"].observed == 0.0
    assert [d.codes for d in c.disagreements] == [("catalytic", "supportive")] * 2


def test_rubric_levels_agree_with_linear_weights_worked_by_hand():
    # levels 0,1,2,2 against 0,2,2,1: weighted disagreement .5 observed, .875 by chance: 1 - .5/.875
    ids = ["competence.contracting", "competence.holding-process", "competence.questioning-listening",
           "competence.group-dynamics"]
    levels_a = ["not-yet", "competent", "strong", "strong"]
    levels_b = ["not-yet", "strong", "strong", "competent"]
    kim = Rubric("Kim", scores={c: Score(x) for c, x in zip(ids, levels_a, strict=True)})
    lee = Rubric("Lee", scores={c: Score(x) for c, x in zip(ids, levels_b, strict=True)})
    c = compare_rubrics([kim, lee], ids)
    assert c.agreement.statistic == "Cohen's kappa (linear weights)"
    assert c.agreement.value == pytest.approx(1 - 0.5 / 0.875, abs=1e-4)
    assert [d.unit for d in c.disagreements] == ids[1:2] + ids[3:]


def test_observe_commands_end_to_end(tmp_path, capsys, course):
    roster = tmp_path / "roster.txt"
    roster.write_text("Ann\nBo\n")
    assert main(["observe", "new", str(tmp_path / "app"), "--roster", str(roster), "--observer", "Kim"]) == 0
    assert (tmp_path / "app" / "observe.ipynb").exists()
    b = [k.replace("closed", "leading") for k in A]
    save(ten_second_turns(A, "Kim"), tmp_path / "kim.csv")
    save(ten_second_turns(b, "Lee"), tmp_path / "lee.csv")
    capsys.readouterr()
    assert main(["observe", "agree", str(tmp_path / "kim.csv"), str(tmp_path / "lee.csv"), "--window", "10",
                 "--out", str(tmp_path / "differ.csv")]) == 0
    out = capsys.readouterr().out
    assert "kind of turn    Cohen's kappa 0.60; same code in 70% of 10 units" in out
    differ = (tmp_path / "differ.csv").read_text().splitlines()
    assert differ[1] == "00:40,kind,closed-question,leading-question"
    assert main(["observe", "debrief", str(tmp_path / "kim.csv"), "--out", str(tmp_path / "d.html")]) == 0
    page = (tmp_path / "d.html").read_text()
    assert 'data-figure="turns" data-name="closed-question">3<' in page
    for rater, role in (("Sam", "self"), ("Kim", "observer"), ("Lee", "observer")):
        path = tmp_path / f"{rater}.csv"
        assert main(["observe", "rubric-form", "--rater", rater, "--role", role, "--out", str(path)]) == 0
        level = "strong" if rater == "Sam" else "competent"
        text = path.read_text()
        path.write_text(text.replace("competence.contracting,,", f"competence.contracting,{level},"))
    assert main(["observe", "feedback", *(str(tmp_path / f"{r}.csv") for r in ("Sam", "Kim", "Lee")),
                 "--out", str(tmp_path / "f.html")]) == 0
    capsys.readouterr()
    assert main(["observe", "agree", str(tmp_path / "Kim.csv"), str(tmp_path / "Lee.csv")]) == 0
    out = capsys.readouterr().out
    assert "Rubric agreement between Kim, Lee over 9 competences" in out
    assert "every rater used one and the same category" in out  # both said competent, once
    save(ten_second_turns(A, "Max"), tmp_path / "max.csv")
    assert main(["observe", "agree", *(str(tmp_path / f"{n}.csv") for n in ("kim", "lee", "max")),
                 "--window", "10"]) == 0
    assert "kind of turn    Krippendorff's alpha (nominal)" in capsys.readouterr().out
    feedback = (tmp_path / "f.html").read_text()
    assert 'data-rater="Sam" data-competence="competence.contracting">strong<' in feedback
    assert 'data-rater="Lee" data-competence="competence.contracting">competent<' in feedback
    assert len(course.competences) == feedback.count("<section")


def test_bad_inputs_to_observe_commands_are_located(tmp_path, capsys):
    log = tmp_path / "kim.csv"
    save(ten_second_turns(A, "Kim"), log)
    log.write_text(log.read_text() + "1,Dee,open-question,5,,100,open-question,,\n")
    before = log.read_text()
    assert main(["observe", "debrief", str(log), "--out", str(tmp_path / "d.html")]) == 2
    assert f"{log}:16: speaker: 'Dee' is not a member" in capsys.readouterr().err
    assert not (tmp_path / "d.html").exists() and log.read_text() == before
    rubric = tmp_path / "r.csv"
    rubric.write_text(render(Rubric("Kim")) + "competence.contracting,excellent,\n")
    assert main(["observe", "feedback", str(rubric), "--out", str(tmp_path / "f.html")]) == 2
    assert f"{rubric}:5: level: is 'excellent'" in capsys.readouterr().err


def test_observe_command_arguments_are_checked(tmp_path, capsys):
    assert main(["observe", "new", str(tmp_path / "app"), "--members", "Ann;Bo;ann"]) == 2
    assert "--members: a name appears twice" in capsys.readouterr().err
    assert not (tmp_path / "app").exists()
    save(ten_second_turns(A, "Kim"), tmp_path / "kim.csv")
    logs = [str(tmp_path / "kim.csv")] * 2
    assert main(["observe", "agree", *logs, "--window", "0"]) == 2
    assert "argument --window: 0 is not a number above 0" in capsys.readouterr().err
    assert main(["observe", "agree", logs[0], str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv:1: (file): does not exist" in capsys.readouterr().err
