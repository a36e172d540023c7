"""Hand in → collect → grade → feedback, with nbgrader for real; programme view and Moodle export.

The hand-ins are made by the Hand in widget from the released notebook, as a trainee's
JupyterLab kernel makes them (the widget saves the file beside the notebook), with answers of
known worth; the hostile corpus is collected in the same run. Every good hand-in must then be
graded with exactly the points its answers are worth.
"""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alcourse.grading import CourseFolder
from alcourse.grading.synthetic import WRITTEN, expected_points, synthetic_answers, write_submission
from tests.conftest import MODULE, ROOT
from tests.hostile.handins import WHEN, Parts, write_corpus

pytestmark = pytest.mark.slow
OTHER = "m04-the-participant"
DUE = WHEN + timedelta(hours=12)
TRAINEES = {"ann": ("Ann Lee", WHEN, True), "bob": ("Bob Stone", WHEN + timedelta(days=1), False),
            "cara": ("Cara Diaz", WHEN, True)}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def _isolation() -> list[str]:
    from alcourse.grading.sandbox import IsolationUnavailable, check_isolation

    try:
        check_isolation()
        return []
    except IsolationUnavailable:
        return ["--no-isolation"]  # only where the sandbox cannot be had (not root / no bubblewrap)


@pytest.fixture(scope="module")
def programme(tmp_path_factory, curriculum):
    from nbgrader.api import Gradebook

    from alcourse.session import Session

    base = tmp_path_factory.mktemp("handin")
    folder = CourseFolder.init(base / "course")
    folder.generate([MODULE])
    with Gradebook(folder.db_url, folder.course_id) as gb:
        gb.update_or_create_assignment(MODULE, duedate=DUE.replace(tzinfo=None))
        for trainee in (*TRAINEES, "absent"):  # the cohort's roster: only these may hand in
            gb.update_or_create_student(trainee)
    release = folder.root / "release" / MODULE / f"{MODULE}.ipynb"
    inbox = base / "inbox"
    inbox.mkdir()
    rng = random.Random(10)
    expected = {}
    for trainee, (name, when, written) in TRAINEES.items():
        work = base / "work" / trainee
        answers = synthetic_answers(curriculum, MODULE, rng, skill=0.6)
        write_submission(release, work, MODULE, answers, WRITTEN if written else None)
        expected[trainee] = sum(expected_points(curriculum, MODULE, answers).values())
        widget = Session(MODULE, folder=work).hand_in()
        widget.clock = lambda when=when: when
        widget.trainee.value, widget.person.value = trainee, name
        widget.make()
        (inbox / f"{MODULE}--{trainee}.alcourse.zip").write_bytes(
            (work / f"{MODULE}--{trainee}.alcourse.zip").read_bytes())
    ann_answers = (base / "work" / "ann" / f"{MODULE}.answers.json").read_bytes()
    parts = Parts(MODULE, release.read_bytes(), ann_answers)
    cases = write_corpus(inbox / "hostile", parts, OTHER)
    collected = run("collect", str(folder.root), str(inbox))
    grade = run("grade", str(folder.root), MODULE, "--jobs", "1", *_isolation())
    assert grade.returncode == 0, grade.stdout + grade.stderr
    return {"folder": folder, "expected": expected, "collected": collected, "cases": cases,
            "inbox": inbox, "base": base, "grade": grade}


def test_collect_files_the_good_and_refuses_the_hostile(programme):
    proc = programme["collected"]
    assert proc.returncode == 1, proc.stderr  # some were refused
    lines = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if line.startswith("/"))
    for trainee in TRAINEES:
        assert lines[str(programme["inbox"] / f"{MODULE}--{trainee}.alcourse.zip")].startswith(
            f"filed: {trainee} / {MODULE}")
    for case in programme["cases"]:
        said = lines[str(programme["inbox"] / "hostile" / case.name)]
        assert said == f"{case.outcome}: " + case.message.replace("{root}", str(programme["folder"].root))
    assert sorted(p.name for p in (programme["folder"].root / "submitted").iterdir()) == sorted(TRAINEES)


def test_every_good_hand_in_is_graded_right_and_late_is_nbgraders(programme, tmp_path):
    out = tmp_path / "grades.csv"
    assert run("export", str(programme["folder"].root), "--out", str(out)).returncode == 0
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    for trainee, points in programme["expected"].items():
        assert float(rows[trainee]["autograded_score"]) == pytest.approx(points), trainee
        # a written answer is an nbgrader task for the trainer to mark; an empty one scores 0 at once
        wrote = TRAINEES[trainee][2]
        assert rows[trainee]["status"] == ("needs manual grading" if wrote else "graded"), trainee
    from nbgrader.api import Gradebook

    folder = programme["folder"]
    with Gradebook(folder.db_url, folder.course_id) as gb:
        late = {s.student_id: s.total_seconds_late for s in gb.assignment_submissions(MODULE)}
    assert late == {"ann": 0, "bob": pytest.approx(timedelta(hours=12).total_seconds()), "cara": 0}


def test_late_work_is_marked_late_in_grade_export_report_and_feedback(programme, tmp_path):
    """bob handed in 12 hours after the due date; ann and cara on time. Shown, never a penalty."""
    folder = programme["folder"]
    table = {line.split()[0]: line for line in programme["grade"].stdout.splitlines()
             if line.split() and line.split()[0] in TRAINEES}
    assert "late by 12 hours" in table["bob"], table
    assert "late" not in table["ann"] and "late" not in table["cara"]
    out = tmp_path / "grades.csv"
    assert run("export", str(folder.root), "--out", str(out)).returncode == 0
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert (rows["bob"]["late"], rows["ann"]["late"], rows["cara"]["late"], rows["absent"]["late"]) == (
        "late by 12 hours", "", "", "")
    # a late submission loses no marks
    assert float(rows["bob"]["autograded_score"]) == pytest.approx(programme["expected"]["bob"])
    report = tmp_path / "cohort.html"
    assert run("report", str(folder.root), "--out", str(report)).returncode == 0
    late_part = report.read_text().split("<h2>Late submissions</h2>", 1)[1].split("<h2>", 1)[0]
    assert re.findall(r"<li>([^<]*)</li>", late_part) in (["Bob Stone: late by 12 hours"],
                                                           ["bob: late by 12 hours"]), late_part
    assert run("feedback", str(folder.root), MODULE).returncode == 0
    page = (folder.root / "feedback" / "bob" / MODULE / f"{MODULE}.html").read_text()
    assert "handed in after its due date (late by 12 hours)" in page
    on_time = (folder.root / "feedback" / "ann" / MODULE / f"{MODULE}.html").read_text()
    assert "after its due date" not in on_time


def test_feedback_reaches_every_graded_trainee(programme):
    folder = programme["folder"]
    proc = run("feedback", str(folder.root), MODULE)
    assert proc.returncode == 0, proc.stderr
    for trainee in TRAINEES:
        pages = list((folder.root / "feedback" / trainee / MODULE).glob("*.html"))
        assert pages, f"no feedback page for {trainee}"


def test_programme_view_and_moodle_export_match_the_known_grades(programme, tmp_path):
    from nbgrader.api import Gradebook

    folder = programme["folder"]
    # the trainer marks cara's written answer (full marks), as formgrader would
    marked = 0.0
    with Gradebook(folder.db_url, folder.course_id) as gb:
        for grade in gb.find_submission_notebook(MODULE, MODULE, "cara").grades:
            if grade.needs_manual_grade:
                grade.manual_score, grade.needs_manual_grade = grade.max_score, False
                marked += grade.max_score
        gb.db.commit()
    assert marked > 0
    export = tmp_path / "grades.csv"
    assert run("export", str(folder.root), "--out", str(export)).returncode == 0
    maxima = {r["student"]: float(r["max_score"]) for r in csv.DictReader(io.StringIO(export.read_text()))
              if r["max_score"]}
    maximum = maxima["bob"]
    proc = run("report", str(folder.root), "--out", str(tmp_path / "cohort.html"))
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "programme.html").read_text()
    assert 'lang="en"' in page and "<script" not in page and "http" not in page.split("<main>")[1]
    modules_part, _, competences_part = page.partition("<h2>Competences</h2>")
    cells = {m.group(1): m.group(2) for m in re.finditer(
        r'<tr><th scope="row">([^<]+)</th>\s*<td>(.*?)</td>', modules_part, re.S)}
    # per-competence results across modules: a graded trainee has a level, nobody shows a zero
    competence_rows = {m.group(1): m.group(2) for m in re.finditer(
        r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', competences_part, re.S)}
    assert set(competence_rows) >= {"cara", "ann"}
    assert "Contracting and ground rules" in competences_part
    assert re.search(r": (not-yet|competent|strong)</td>", competence_rows["cara"]), competence_rows["cara"]
    points = dict(programme["expected"])
    points["cara"] += marked
    assert cells["absent"] == "missing"
    bob_percent = 100 * points["bob"] / maximum
    # bob wrote nothing: his empty written answer scores 0 at once, leaving nothing to mark
    assert cells["bob"].startswith("graded, late<span class=\"score\">"
                                   f"{points['bob']:g} / {maximum:g} ({bob_percent:.0f}%)</span>")
    assert cells["cara"] == f"graded<span class=\"score\">{points['cara']:g} / {maxima['cara']:g} " \
        f"({100 * points['cara'] / maxima['cara']:.0f}%)</span>"
    assert cells["ann"].startswith(f"needs marking<span class=\"score\">{points['ann']:g} / {maximum:g}")

    # each trainee's own progress page, beside their feedback: done, due, what to do
    due = DUE.strftime("%Y-%m-%d %H:%M UTC")
    for trainee, todo in (("absent", "to do: hand it in"),
                          ("ann", "handed in: your trainer is marking your written answers")):
        progress = (folder.root / "feedback" / trainee / "progress.html").read_text()
        assert f"<td>{due}</td><td>{todo}</td>" in progress, trainee
    cara = (folder.root / "feedback" / "cara" / "progress.html").read_text()
    percent = 100 * points["cara"] / maxima["cara"]
    assert ("<td>done: worth revisiting" if percent < 60 else "<td>done</td>") in cara

    out = tmp_path / "moodle.csv"
    proc = run("export", str(folder.root), "--format", "moodle", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][0] == "Username" and rows[0][1].endswith(f"({MODULE}, out of {max(maxima.values()):g})")
    assert rows[0][2].startswith("Feedback: 3. ")
    got = {r[0]: r[1:] for r in rows[1:]}
    assert got["cara"][0] == f"{points['cara']:g}" and got["cara"][1] == "graded"
    assert got["bob"][0] == f"{points['bob']:g}" and got["bob"][1].startswith("graded"), got["bob"]
    assert got["ann"][0] == "-" and got["ann"][1].startswith("needs marking: 1 written answer")
    assert got["absent"] == ["-", "missing"]


def test_a_newer_hand_in_after_grading_replaces_the_filed_one_and_keeps_it_dated(programme):
    from alcourse.session import Session

    folder, base = programme["folder"], programme["base"]
    work = base / "work" / "cara"
    widget = Session(MODULE, folder=work).hand_in()
    widget.clock = lambda: datetime.now(UTC)
    widget.trainee.value, widget.person.value = "cara", "Cara Diaz"
    (work / f"{MODULE}.answers.json").write_text(
        (work / f"{MODULE}.answers.json").read_text().replace('"changes": 0', '"changes": 1'))
    widget.make()
    proc = run("collect", str(folder.root), str(work / f"{MODULE}--cara.alcourse.zip"))
    assert proc.returncode == 0 and ": replaced: cara" in proc.stdout, proc.stdout
    kept = list((folder.root / "replaced" / "cara" / MODULE).iterdir())
    assert [p.name for p in kept] == ["2024-03-01T09-30-00Z"]
    assert Path(kept[0] / f"{MODULE}.ipynb").exists()
