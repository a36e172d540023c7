"""Moderation round trip on a real nbgrader gradebook: sample, blind form, import, agreement, agreed marks.

The gradebook is made with nbgrader's own API (assignment, notebook, grade cells, submissions, manual
scores) in a course folder made by `alcourse course init`, as formgrader would leave it.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from alcourse.cli import main
from alcourse.grading.course import CourseFolder

MODULE = "m04-the-participant"
CELL = "reflection-m04-reflection-my-problem"
EXTRA = "reflection-m04-extra"
FIRST = [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 6, 4, 2, 5]  # first marks out of 8, fourteen trainees


@pytest.fixture
def course(tmp_path):
    from nbgrader.api import Gradebook

    folder = CourseFolder.init(tmp_path / "cohort")
    with Gradebook(folder.db_url, folder.course_id) as gb:
        gb.add_assignment(MODULE)
        gb.add_notebook(MODULE, MODULE)
        gb.add_grade_cell(CELL, MODULE, MODULE, max_score=8, cell_type="markdown")
        gb.add_grade_cell(EXTRA, MODULE, MODULE, max_score=4, cell_type="markdown")
        for i, mark in enumerate(FIRST):
            student = f"t{i:02d}"
            gb.add_student(student)
            gb.add_submission(MODULE, student)
            for name, score in ((CELL, mark), (EXTRA, mark // 2)):
                grade = gb.find_grade(name, MODULE, MODULE, student)
                grade.manual_score = score
                grade.needs_manual_grade = False
            cells = [{"cell_type": "markdown", "metadata": {"nbgrader": {"grade_id": CELL}},
                      "source": f"Answer of trainee {i}: my problem is mine to act on."}]
            path = folder.root / "autograded" / student / MODULE / f"{MODULE}.ipynb"
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        # one reflection still waiting for its first marker: never sampled
        gb.find_grade(EXTRA, MODULE, MODULE, "t13").needs_manual_grade = True
        gb.db.commit()
    return folder


def scores(folder):
    from nbgrader.api import Gradebook

    with Gradebook(folder.db_url, folder.course_id) as gb:
        return {(g.notebook.student.id, g.name): g.manual_score
                for s in gb.find_assignment(MODULE).submissions for nb in s.notebooks for g in nb.grades}


def rows(path):
    return list(csv.DictReader(path.read_text().splitlines()))


def test_moderation_round_trip(course, capsys):
    root, before = course.root, scores(course)
    base = root / "moderation" / MODULE
    assert main(["moderate", str(root), MODULE, "--sample", "50%", "--seed", "3", "--by", "Pat"]) == 0
    sample = json.loads((base / "sample.json").read_text())["pieces"]
    assert len(sample) == 14  # half of 27 graded pieces, rounded up (t13's extra is not graded)
    assert ("t13", EXTRA) not in {(p["student"], p["cell"]) for p in sample}
    bands = {(p["cell"], "low" if p["first"] / p["max_score"] < 1 / 3 else
              "middle" if p["first"] / p["max_score"] < 2 / 3 else "high") for p in sample}
    assert len(bands) == 6  # every band of both criteria is in the sample
    form = rows(base / "second-marker.csv")
    assert list(form[0]) == ["piece", "criterion", "max_mark", "second_mark", "comment"]
    assert all(r["second_mark"] == "" for r in form) and len(form) == 14
    page = (base / "second-marker.html").read_text()
    assert "Answer of trainee" in page and "first mark" not in page.lower().replace("first marker", "")
    assert scores(course) == before  # drawing a sample changes nothing

    # the same seed draws the same sample
    (base / "sample.json").rename(base / "first-draw.json")
    main(["moderate", str(root), MODULE, "--sample", "50%", "--seed", "3"])
    assert json.loads((base / "sample.json").read_text())["pieces"] == sample

    # the second marker agrees except on P02, by 3 marks
    by_number = {p["number"]: p for p in sample}
    second = base / "filled.csv"
    lines = ["piece,criterion,max_mark,second_mark,comment"]
    for p in sample:
        mark = p["first"] + 3 if p["number"] == "P02" and p["first"] + 3 <= p["max_score"] else p["first"]
        if p["number"] == "P02" and mark == p["first"]:
            mark = p["first"] - 3
        lines.append(f'{p["number"]},{p["cell"]},{p["max_score"]:g},{mark:g},"fine, clear"')
    second.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["moderate", str(root), MODULE, "--second", str(second), "--threshold", "1"]) == 0
    out = capsys.readouterr().out
    assert "Cohen's kappa (linear weights)" in out
    p02 = by_number["P02"]
    assert f"  P02 {p02['cell']}: first {p02['first']:g}, second" in out
    assert [line.split()[0] for line in out.splitlines() if line.startswith("  P")] == ["P02"]
    assert scores(course) == before  # importing second marks changes nothing

    # agreed marks: P02 agreed at the second mark, with a reason; P01 confirmed as it was
    agreed = base / "agreed-marks.csv"
    table = rows(agreed)
    assert [r["piece"] for r in table] == [p["number"] for p in sample]
    for r in table:
        if r["piece"] == "P02":
            r["agreed_mark"], r["why"] = r["second_mark"], "the answer does name a specific action"
        if r["piece"] == "P01":
            r["agreed_mark"] = r["first_mark"]
    with agreed.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    assert main(["moderate", str(root), MODULE, "--agreed", str(agreed), "--by", "Pat"]) == 0
    after = scores(course)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    p02_second = float(next(r["second_mark"] for r in table if r["piece"] == "P02"))
    assert changed == {(p02["student"], p02["cell"]): (p02["first"], p02_second)}
    audit = rows(base / "audit.csv")
    assert [(a["piece"], a["who"], a["first"], a["second"], a["agreed"]) for a in audit] == [
        ("P01", "Pat", f"{by_number['P01']['first']:g}", f"{by_number['P01']['first']:g}",
         f"{by_number['P01']['first']:g}"),
        ("P02", "Pat", f"{p02['first']:g}", f"{p02_second:g}", f"{p02_second:g}")]
    assert audit[1]["why"] == "the answer does name a specific action" and audit[1]["when"].startswith("20")
    assert audit[1]["student"] == p02["student"] and audit[1]["criterion"] == p02["cell"]


def test_bad_marks_files_are_located_and_change_nothing(course, capsys):
    root = course.root
    base = root / "moderation" / MODULE
    assert main(["moderate", str(root), MODULE, "--sample", "4", "--seed", "1"]) == 0
    sample = json.loads((base / "sample.json").read_text())["pieces"]
    good = [f'{p["number"]},{p["cell"]},{p["max_score"]:g},{p["first"]:g},' for p in sample]
    header = "piece,criterion,max_mark,second_mark,comment"
    cases = [
        ([*good, f"P99,{CELL},8,3,"], r"bad.csv:6: piece: 'P99' is not in the sample"),
        ([*good[:2], "P03,x", *good[3:]], r"bad.csv:4: \(row\): has 2 values"),
        ([good[0].replace(f',{sample[0]["first"]:g},', ",nine,"), *good[1:]],
         r"bad.csv:2: second_mark: is 'nine'"),
        (good[:3], r"bad.csv:1: second_mark: no mark for P04"),
    ]
    before = scores(course)
    for lines, where in cases:
        bad = root / "bad.csv"
        bad.write_text("\n".join([header, *lines]) + "\n")
        assert main(["moderate", str(root), MODULE, "--second", str(bad)]) == 2
        err = capsys.readouterr().err
        assert re.search(where, err), err
        assert not (base / "second.csv").exists() and not (base / "agreed-marks.csv").exists()
    assert scores(course) == before
    # a changed agreed mark with no reason: refused, gradebook untouched, no audit
    second = root / "second.csv"
    second.write_text("\n".join([header, *good]) + "\n")
    assert main(["moderate", str(root), MODULE, "--second", str(second)]) == 0
    agreed = base / "agreed-marks.csv"
    text = agreed.read_text().splitlines()
    first_row = text[1].split(",")
    new_mark = 0 if float(first_row[2]) > 0 else 1
    text[1] = ",".join([*first_row[:4], str(new_mark), ""])
    agreed.write_text("\n".join(text) + "\n")
    assert main(["moderate", str(root), MODULE, "--agreed", str(agreed)]) == 2
    assert "agreed-marks.csv:2: why: is empty" in capsys.readouterr().err
    assert scores(course) == before and not (base / "audit.csv").exists()


def test_weighted_kappa_per_criterion_counts_half_marks_along_the_scale():
    from alcourse.moderation.run import _scale
    from alcourse.observe.agree import agreement

    assert _scale(2) == ["0", "0.5", "1", "1.5", "2"]
    # marks 0,1,2,2 against 0,2,2,1 out of 2: on the half-mark scale the steps are 0,2,0,2 of 4;
    # observed weighted disagreement .5 of chance's .875 (as worked for the rubric levels): 1 - .5/.875
    found = agreement([["0", "1", "2", "2"], ["0", "2", "2", "1"]], ordered=_scale(2))
    assert found.value == pytest.approx(1 - 0.5 / 0.875, abs=1e-4)
    assert found.statistic == "Cohen's kappa (linear weights)"


def test_own_words_from_the_simulator_are_moderated_with_their_mark_scheme(tmp_path):
    """Issue 13: the lines a trainee typed in the simulator are marked by hand, so they are moderated."""
    from nbgrader.api import Gradebook

    from alcourse.curriculum import load_curriculum
    from alcourse.session import own_words_grade_id

    module = "m09-simulated-set"
    sim = next(s for s in load_curriculum().module(module).simulations() if s.own_words is not None)
    own = own_words_grade_id(sim.id)
    show = "ownwords-show-" + sim.id.replace(".", "-")
    folder = CourseFolder.init(tmp_path / "cohort")
    with Gradebook(folder.db_url, folder.course_id) as gb:
        gb.add_assignment(module)
        gb.add_notebook(module, module)
        gb.add_task_cell(own, module, module, max_score=sim.own_words.points, cell_type="markdown")
        for i in range(6):
            student = f"t{i:02d}"
            gb.add_student(student)
            gb.add_submission(module, student)
            grade = gb.find_grade(own, module, module, student)
            grade.manual_score, grade.needs_manual_grade = float(i % (sim.own_words.points + 1)), False
            cells = [{"cell_type": "code", "metadata": {"nbgrader": {"grade_id": show}}, "source": "",
                      "outputs": [{"output_type": "display_data", "metadata": {},
                                   "data": {"text/plain": [f"Meeting 2, decision 1: 'Line of trainee {i}'\n",
                                                           "  named as: catalytic"],
                                            "text/html": "<p>html</p>"}}]}]
            path = folder.root / "autograded" / student / module / f"{module}.ipynb"
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        gb.db.commit()
    assert main(["moderate", str(folder.root), module, "--sample", "3", "--seed", "1"]) == 0
    base = folder.root / "moderation" / module
    sample = json.loads((base / "sample.json").read_text())["pieces"]
    assert len(sample) == 3 and {p["cell"] for p in sample} == {own}
    page = (base / "second-marker.html").read_text()
    assert page.count("Line of trainee") == 3 and "named as: catalytic" in page
    assert sim.own_words.mark_scheme[0] in page.replace("&#39;", "'").replace("&quot;", '"')
