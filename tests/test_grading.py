"""Cohort grading: rules, commands, parallel = sequential = nbgrader, export, report, feedback."""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
import shutil
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from alcourse.answers import AnswerStore
from alcourse.grading import CourseFolder
from alcourse.grading.analysis import check_notebook_text, check_submission_files, death_reason
from alcourse.grading.gradebook import CellGrade, SubmissionGrades
from alcourse.grading.incidents import Incident
from alcourse.grading.options import default_jobs
from alcourse.grading.status import (
    FAILED,
    GRADED,
    NEEDS_MANUAL,
    NOT_GRADED,
    Outcome,
    StatusStore,
    current_state,
)
from alcourse.grading.synthetic import make_cohort
from alcourse.session import check_grade_id
from tests.conftest import MODULE, ROOT

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


# -- pure rules -------------------------------------------------------------------------------------

def test_submission_file_checks_name_the_problem_and_what_to_do():
    assert check_submission_files("m03", ["m03.ipynb", "m03.answers.json"]) is None
    assert check_submission_files("m03", [".DS_Store"]) == (
        "the submission folder is empty: nothing was submitted")
    assert check_submission_files("m03", ["notes.txt"]) == (
        "no m03.ipynb in the submission (found notes.txt); rename it to m03.ipynb and grade again")
    assert check_notebook_text("m03.ipynb", b"{}") == (
        "m03.ipynb is JSON but not a Jupyter notebook (no list of cells); ask the trainee to submit the "
        ".ipynb file again")
    assert check_notebook_text("m03.ipynb", b'{"cells": []}') is None
    assert "is not valid JSON (line 2, column 1" in check_notebook_text("m03.ipynb", b'{"cells":\n')
    assert "is not text" in check_notebook_text("m03.ipynb", b"\xff\xfe\x00")


def test_death_reasons_say_what_stopped_the_kernel():
    died = lambda **d: Incident("kernel-died", 4, "the kernel ended", d)  # noqa: E731
    assert death_reason(died(code=None, signal=signal.SIGXCPU), 60) == (
        "the kernel was stopped: it used more than 60 s of CPU time")
    assert death_reason(died(code=None, signal=signal.SIGSEGV), 60) == (
        "the kernel crashed in cell 5 (SIGSEGV)")
    assert death_reason(died(code=None, signal=signal.SIGKILL), 60).startswith(
        "the kernel was killed in cell 5")
    assert death_reason(died(code=2, signal=None), 60).startswith(
        "the kernel stopped in cell 5 with exit code 2")


def _grades(*cells: CellGrade) -> SubmissionGrades:
    return SubmissionGrades("ann", MODULE, sum(c.score for c in cells), sum(c.max_score for c in cells),
                            cells)


def _cell(name: str, kind: str, score: float, pending: bool, comment: str = "") -> CellGrade:
    return CellGrade(name, kind, score, 6.0 if kind == "markdown" else 14.0, score, None, pending, comment)


def test_current_state_follows_the_trainers_marking():
    written = _cell("reflection-x", "markdown", 0.0, True)
    outcome = Outcome("ann", MODULE, NEEDS_MANUAL, ("1 written answer to mark",))
    state = current_state(outcome, _grades(_cell("check-a", "code", 10.0, False), written))
    assert (state.label, state.score) == (NEEDS_MANUAL, 10.0)
    assert state.why == "1 written answer to mark in formgrader: reflection-x"
    marked = CellGrade("reflection-x", "markdown", 5.0, 6.0, None, 5.0, False, "Good use of a contrast.")
    assert current_state(outcome, _grades(_cell("check-a", "code", 10.0, False), marked)).label == GRADED
    flagged = Outcome("ann", MODULE, NEEDS_MANUAL, ("added code",), review_cells=("check-a",),
                      review_reasons=("added code",))
    assert current_state(flagged, _grades(_cell("check-a", "code", 10.0, True))).why == "added code"
    assert current_state(None, None).label == NOT_GRADED
    failed = current_state(Outcome("ann", MODULE, FAILED, ("empty file",), max_score=32.0), None)
    assert (failed.label, failed.score, failed.why) == (FAILED, None, "empty file")


def test_a_failed_outcome_never_carries_a_score():
    # nbgrader records zeros for checks that could not run; they are not the trainee's score
    failed = Outcome("ann", MODULE, FAILED, ("the checks could not run",), score=0.0, max_score=31.0)
    assert failed.score is None and failed.max_score == 31.0


def test_an_outcome_that_is_not_graded_must_say_why():
    with pytest.raises(ValueError, match="needs a reason"):
        Outcome("ann", MODULE, FAILED)
    with pytest.raises(ValueError, match="unknown state"):
        Outcome("ann", MODULE, "zero")


def test_status_store_round_trips_and_reports_a_damaged_file(tmp_path):
    store = StatusStore(tmp_path)
    outcome = Outcome("ann", MODULE, FAILED, ("empty file",), ("a note",))
    store.update(MODULE, [outcome])
    assert store.load(MODULE) == {"ann": outcome}
    store.path(MODULE).write_text("{oops")
    from alcourse.grading.course import CourseError

    with pytest.raises(CourseError, match="cannot read the grading status"):
        store.load(MODULE)


def test_isolation_refuses_clearly_when_it_cannot_be_had(monkeypatch, tmp_path):
    from alcourse.grading import sandbox
    from alcourse.grading.sandbox import IsolationUnavailable, check_isolation

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(IsolationUnavailable, match=r"needs bubblewrap.*--no-isolation"):
        check_isolation()
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: "/usr/bin/bwrap")
    # without root the sandbox needs user namespaces: when they are forbidden, say so
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(sandbox.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a, 1, "", "bwrap: No permissions to create new namespace"))
    with pytest.raises(IsolationUnavailable, match=r"without root.*user namespaces.*--no-isolation"):
        check_isolation()


# -- commands ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = CourseFolder.init(tmp_path_factory.mktemp("grading") / "course")
    folder.generate([MODULE])
    return folder


def test_commands_explain_a_missing_folder_module_or_student(course, tmp_path):
    nowhere = str(tmp_path / "nowhere")
    for args in (("grade", nowhere, MODULE), ("feedback", nowhere, MODULE), ("export", nowhere),
                 ("report", nowhere), ("trainer", nowhere)):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert "not a course folder" in proc.stderr and "alcourse course init" in proc.stderr, args
        assert "Traceback" not in proc.stderr
    unknown = run("grade", str(course.root), "m99-nothing")
    assert unknown.returncode == 2 and "no module 'm99-nothing'; known modules:" in unknown.stderr
    nobody = run("grade", str(course.root), MODULE)
    assert nobody.returncode == 2 and f"no submissions for {MODULE}" in nobody.stderr
    student = run("grade", str(course.root), MODULE, "--student", "zed")
    assert student.returncode == 2
    assert f"no submission of {MODULE} from 'zed'" in student.stderr
    other = next(m for m in _modules() if m != MODULE)
    unreleased = run("grade", str(course.root), other)
    assert unreleased.returncode == 2 and f"run alcourse release {course.root} {other}" in unreleased.stderr


def _modules() -> list[str]:
    from alcourse.curriculum import load_curriculum

    return sorted(load_curriculum().modules)


def test_grade_refuses_without_isolation_unless_asked(course, monkeypatch, capsys):
    from alcourse.cli import main
    from alcourse.grading import sandbox

    make_cohort(course.root, MODULE, 1, _cur(), seed=9, prefix="solo")
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    assert main(["grade", str(course.root), MODULE, "--student", "solo001"]) == 2
    err = capsys.readouterr().err
    assert "kernel isolation needs bubblewrap" in err and "--no-isolation" in err
    shutil.rmtree(course.root / "submitted" / "solo001")


def _cur():
    from alcourse.curriculum import load_curriculum

    return load_curriculum()


def _max() -> float:
    """The module's total marks: its exercises and its written answers."""
    module = _cur().module(MODULE)
    return sum(ex.max_points for ex in _cur().module_exercises(MODULE)) + sum(
        r.points for r in module.reflections())


# -- parallel, sequential and nbgrader agree ---------------------------------------------------------

COHORT = 8


@pytest.fixture(scope="module")
def cohort(course, tmp_path_factory):
    """The same cohort graded three ways: alcourse with its default workers (more than the cores),
    alcourse --jobs 1, plain nbgrader."""
    expected = make_cohort(course.root, MODULE, COHORT, _cur(), seed=7)
    copies = {}
    for name in ("sequential", "nbgrader"):
        dest = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(course.root, dest)
        config = dest / "nbgrader_config.py"
        config.write_text(config.read_text().replace(str(course.root), str(dest)))
        copies[name] = CourseFolder.open(dest)
    parallel = run("grade", str(course.root), MODULE)
    assert parallel.returncode == 0, parallel.stderr
    assert f"with {default_jobs()} worker(s)" in parallel.stdout + parallel.stderr
    sequential = run("grade", str(copies["sequential"].root), MODULE, "--jobs", "1", "--no-isolation")
    assert sequential.returncode == 0, sequential.stderr
    copies["nbgrader"].nbgrader("autograde", MODULE, "--force")
    # a trainee known to the gradebook who never submitted
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_student("absent")
    return {"folder": course, "expected": expected, "parallel": parallel, "copies": copies}


def _scores(folder: CourseFolder) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(folder.db_url, folder.course_id) as gb:
        return {(s.student_id, g.name): g.auto_score for s in gb.assignment_submissions(MODULE)
                for nb in s.notebooks for g in nb.grades if g.cell_type == "code"}


def test_parallel_sequential_and_plain_nbgrader_give_identical_scores(cohort):
    parallel = _scores(cohort["folder"])
    # a check per exercise, and the written answer's box (0 points: its text is marked by hand)
    module = _cur().module(MODULE)
    assert len(parallel) == COHORT * (len(_cur().module_exercises(MODULE)) + len(module.reflections()))
    assert parallel == _scores(cohort["copies"]["sequential"]) == _scores(cohort["copies"]["nbgrader"])
    for student, by_exercise in cohort["expected"].items():
        for exercise_id, points in by_exercise.items():
            assert parallel[(student, check_grade_id(exercise_id))] == pytest.approx(points)


def test_grade_prints_a_table_with_score_and_status(cohort):
    out = cohort["parallel"].stdout
    assert re.search(r"^student\s+score\s+late\s+status$", out, re.M)
    expected = cohort["expected"]
    for student, by_exercise in expected.items():
        line = next(ln for ln in out.splitlines() if ln.startswith(student))
        total = sum(by_exercise.values())
        assert f"{total:g} / {_max():g}" in line
        assert ("graded" in line) or ("needs manual grading: 1 written answer" in line)
    assert f"{COHORT} submission(s):" in out
    assert "late by" not in out  # the module has no due date: nobody is late


def test_export_matches_the_known_grades(cohort, tmp_path):
    out = tmp_path / "grades.csv"
    proc = run("export", str(cohort["folder"].root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert rows["absent"]["status"] == "not submitted" and rows["absent"]["score"] == ""
    for student, by_exercise in cohort["expected"].items():
        row = rows[student]
        points = sum(by_exercise.values())
        assert float(row["autograded_score"]) == pytest.approx(points)
        assert float(row["max_score"]) == _max()
        written_max = sum(r.points for r in _cur().module(MODULE).reflections())
        assert float(row["autograded_max"]) == _max() - written_max
        has_answer = _has_written(cohort, student)
        assert row["status"] == (NEEDS_MANUAL if has_answer else GRADED), student
        if has_answer:  # still being marked: no final score or percentage yet
            assert row["score"] == "" and row["percent"] == "", student
        else:
            assert float(row["score"]) == pytest.approx(points)
            assert float(row["percent"]) == pytest.approx(100 * points / _max(), abs=0.05)


def _has_written(cohort, student: str) -> bool:
    """Whether the trainee typed a written answer (saved in the answers file they submitted)."""
    folder = cohort["folder"].root / "submitted" / student / MODULE
    store = AnswerStore.beside(MODULE, folder)
    return any(store.text(r.id).strip() for r in _cur().module(MODULE).reflections())


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _remote(page: _Page) -> list[str]:
    found = []
    for tag, attrs in page.tags:
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if tag in ("script", "link", "img", "iframe") and re.match(r"(https?:)?//", value):
                found.append(value)
    return found


def test_report_opens_offline_is_accessible_and_matches_the_grades(cohort, tmp_path):
    out = tmp_path / "report.html"
    proc = run("report", str(cohort["folder"].root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    page = _parse(text)
    assert _remote(page) == []
    assert ('html', {'lang': 'en'}) in page.tags
    assert "Results by competence" in text
    assert all(c.title in html.unescape(text) for c in _cur().course.competences.values())
    images = [a for t, a in page.tags if t == "img"]
    assert len(images) >= 2 and all(a["src"].startswith("data:image/png;base64,") and a.get("alt")
                                    for a in images)
    levels = page.headings
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    # the counts and the median agree with the known grades
    cur = _cur()
    # only final scores count: a submission with a written answer to mark has none yet
    final = [100 * sum(v.values()) / _max() for s, v in cohort["expected"].items()
             if not _has_written(cohort, s)]
    assert final, "the cohort needs some fully graded submissions"
    title = cur.module(MODULE).title
    row = re.search(rf"<th scope=\"row\">{title}</th>(.*?)</tr>", text).group(1)
    cells = re.findall(r"<td class=\"num\">([^<]*)</td>", row)
    assert int(cells[0]) == len(final) and int(cells[0]) + int(cells[1]) == COHORT
    assert cells[5] == "1"  # one "absent" trainee
    import statistics

    assert cells[6] == f"{statistics.median(final):.0f}%"
    assert cells[7] == "0"  # nobody late: the module has no due date
    assert "<li>absent</li>" in text
    # "what most trainees miss" lists exactly the questions that half or more got wrong
    answers = {s: json.loads((cohort["folder"].root / "submitted" / s / MODULE /
                              f"{MODULE}.answers.json").read_text()) for s in cohort["expected"]}
    missed = _missed_questions(text)
    for ex in cur.module_exercises(MODULE):
        for q in ex.questions:
            right = sum(1 for a in answers.values()
                        if a["exercises"].get(ex.id, {}).get(q.id, {}).get("first") == q.best().id)
            listed = (q.prompt, ex.title) in missed
            assert listed == (right <= COHORT / 2), (q.prompt, right)


def _missed_questions(text: str) -> set[tuple[str, str]]:
    """(prompt, exercise) of each row of the report's "What most trainees miss" table."""
    section = text.split("<h2>What most trainees miss</h2>", 1)[1].split("<h2>", 1)[0]
    return {(html.unescape(p), html.unescape(e)) for p, e in
            re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', section)}


class _Landmarks(HTMLParser):
    """Each <main> of a page, and for each start tag the <main>s open around it; every src and href."""

    def __init__(self) -> None:
        super().__init__()
        self.mains: list[list[tuple[str, dict[str, str | None]]]] = []
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [v for k, v in attrs.items() if k in ("src", "href") and v]
        if tag == "main":
            self.depth += 1
            self.mains.append([])
        elif self.depth:
            self.mains[-1].append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1


def assert_feedback_page_shape(text: str, summary_text: str) -> None:
    """lang="en", one <main> whose first element is the summary, and no remote address at all."""
    page = _Landmarks()
    page.feed(text)
    assert re.search(r'<html lang="en"\s*>', text), text[:200]
    assert len(page.mains) == 1 and page.depth == 0, f"{len(page.mains)} <main> elements"
    first = next((tag, a) for tag, a in page.mains[0] if tag not in ("style", "script"))
    assert first[0] == "section" and first[1].get("class") == "alcourse-summary", first
    assert summary_text in html.unescape(text.split("<main>", 1)[1].split("</section>", 1)[0])
    remote = [u for u in page.links if re.match(r"\s*(https?:)?//", u, re.I)]
    assert remote == [], remote
    # nor from a stylesheet (a licence comment may name a web address: that is not a fetch)
    assert not re.search(r"(url\(|@import)\s*[\"']?\s*(https?:)?//", text, re.I)


def test_the_feedback_template_puts_the_summary_in_one_main_and_loads_nothing_remote():
    """The template alone, through nbconvert with the configuration feedback.generate gives nbgrader."""
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_markdown_cell, new_notebook
    from traitlets.config import Config

    from alcourse.grading.feedback import TEMPLATE_FILE, template_basedirs
    from alcourse.grading.preprocessors import FeedbackSummary

    config = Config()
    config.HTMLExporter.template_name = "feedback"  # what nbgrader's API always asks for
    config.HTMLExporter.template_file = TEMPLATE_FILE
    config.HTMLExporter.extra_template_basedirs = [str(d) for d in template_basedirs()]
    # where nbgrader's GenerateFeedback has the page's bootstrap.min.css found
    config.HTMLExporter.extra_template_paths = [
        str(template_basedirs()[0].parent / "static" / "node_modules" / "bootstrap" / "dist" / "css")]
    config.FeedbackSummary.summaries = {
        "ann": '<section class="alcourse-summary"><h1>Feedback: Ann &amp; co</h1></section>'}
    exporter = HTMLExporter(config=config)
    exporter.register_preprocessor(FeedbackSummary(config=config), enabled=True)
    nb = new_notebook(cells=[new_markdown_cell("# The notebook\n\n$x^2$ stays text")])
    resources = {"nbgrader": {"student": "ann", "assignment": MODULE, "notebook": MODULE, "score": 3.0,
                              "max_score": 4.0, "late_penalty": 0}}
    text, _ = exporter.from_notebook_node(nb, resources=resources)
    assert_feedback_page_shape(text, "Feedback: Ann & co")
    assert "The notebook" in text and f"{MODULE} (Score: 3.0 / 4.0)" in text
    assert not re.search(r"mathjax|require(\.min)?\.js", text, re.I)
    # the page without the summary preprocessor is not this template's output
    bare = Config(config)
    del bare.HTMLExporter["template_file"]
    assert "alcourse-summary" not in HTMLExporter(config=bare).from_notebook_node(nb, resources=dict(
        resources))[0]


def test_feedback_opens_offline_and_shows_first_choices(cohort):
    proc = run("feedback", str(cohort["folder"].root), MODULE)
    assert proc.returncode == 0, proc.stderr
    assert f"feedback for {COHORT} graded" in proc.stdout
    student = sorted(cohort["expected"])[0]
    page_path = cohort["folder"].root / "feedback" / student / MODULE / f"{MODULE}.html"
    text = page_path.read_text()
    assert _remote(_parse(text)) == []
    assert not re.search(r"<script[^>]*>[^<]*MathJax", text, re.I)
    assert_feedback_page_shape(text, f"Feedback: {_cur().module(MODULE).title}")
    total = sum(cohort["expected"][student].values())
    assert f"Score: {total:g} out of {_max():g}" in text
    assert "Your results by competence" in text and "Contracting and ground rules" in text
    for ex in _cur().module_exercises(MODULE):
        assert f"{ex.title}: {cohort['expected'][student][ex.id]:g} of {ex.max_points:g}" in text


def _edited_curriculum():
    """The curriculum after a content edit: every exercise of the module has a new key, points and wording."""
    import dataclasses

    cur = _cur()
    exercises = dict(cur.exercises)
    for ex in cur.module_exercises(MODULE):
        questions = tuple(dataclasses.replace(
            q, prompt=f"Revised: {q.prompt}",
            # the worst option becomes the best, and every question is worth one point more
            options=tuple(dataclasses.replace(o, points=q.max_points - o.points + 1.0) for o in q.options))
            for q in ex.questions)
        exercises[ex.id] = dataclasses.replace(ex, title=f"{ex.title} (revised)", questions=questions)
    return dataclasses.replace(cur, exercises=exercises)


def test_feedback_report_and_export_agree_with_the_gradebook_after_a_content_edit(cohort, tmp_path):
    from alcourse.grading.cohort import collect, export_csv
    from alcourse.grading.feedback import generate
    from alcourse.grading.report import build_report

    folder = cohort["folder"]
    edited = _edited_curriculum()
    gradebook = _scores(folder)
    assert edited.exercise(_cur().module_exercises(MODULE)[0].id).max_points != \
        _cur().module_exercises(MODULE)[0].max_points  # the edit does change the key and points
    run_ = generate(folder, MODULE, edited)
    assert len(run_.written) == COHORT
    for student in cohort["expected"]:
        page = html.unescape((folder.root / "feedback" / student / MODULE / f"{MODULE}.html").read_text())
        assert "(revised)" not in page and "Revised:" not in page
        for ex in _cur().module_exercises(MODULE):
            points = gradebook[(student, check_grade_id(ex.id))]
            assert f"{ex.title}: {points:g} of {ex.max_points:g}" in page, student
    # the report's questions are the graded ones, counted as graded
    report = build_report(folder, edited)
    missed = _missed_questions(report)
    assert missed and all(not p.startswith("Revised:") and not e.endswith("(revised)") for p, e in missed)
    assert _missed_questions(build_report(folder, _cur())) == missed
    # the export is the gradebook's
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(export_csv(collect(folder))))}
    for student in cohort["expected"]:
        total = sum(v for (s, cell), v in gradebook.items() if s == student)
        assert float(rows[student]["autograded_score"]) == pytest.approx(total)


@pytest.mark.browser
def test_report_and_feedback_summary_have_no_wcag_violations(cohort, browser, tmp_path):

    from alcourse.grading.feedback import generate
    from alcourse.grading.report import write_report
    from tests.browser import require_chromium
    from tests.site import axe, describe

    require_chromium()
    report = write_report(cohort["folder"], _cur(), tmp_path / "report.html")
    feedback = generate(cohort["folder"], MODULE, _cur()).written[0]
    page = browser.new_page()
    page.goto(report.as_uri())
    lines = describe("cohort report", axe(page))
    page.goto(feedback.as_uri())
    lines += describe("feedback summary", axe(page, ".alcourse-summary"))
    assert lines == [], "\n".join(lines)


# -- grading again ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """One trainee graded, their written answer marked by a trainer (as formgrader does), and one absent."""
    folder = CourseFolder.init(tmp_path_factory.mktemp("regrade") / "course")
    folder.generate([MODULE])
    from alcourse.grading.synthetic import WRITTEN, write_submission

    release = folder.root / "release" / MODULE / f"{MODULE}.ipynb"
    answers = {ex.id: ex.model_answers() for ex in _cur().module_exercises(MODULE)}
    write_submission(release, folder.root / "submitted" / "ann" / MODULE, MODULE, answers, WRITTEN)
    write_submission(release, folder.root / "submitted" / "bob" / MODULE, MODULE, answers, WRITTEN)
    first = run("grade", str(folder.root), MODULE, "--jobs", "1", "--no-isolation")
    assert first.returncode == 0, first.stderr
    from nbgrader.api import Gradebook

    with Gradebook(folder.db_url, folder.course_id) as gb:
        gb.update_or_create_student("ann", first_name="Ann", last_name="Evans")
        gb.update_or_create_student("cai", first_name="Cai", last_name="Jones")  # never submits
        for student in ("ann", "bob"):
            nb = gb.find_submission_notebook(MODULE, MODULE, student)
            for grade in nb.grades:
                if grade.cell_type == "markdown":
                    # what formgrader's grade handler does when a trainer types a score
                    grade.manual_score = 5.0
                    grade.needs_manual_grade = False
        gb.db.commit()
    return folder


def _states(folder: CourseFolder) -> dict[str, str]:
    from alcourse.grading.cohort import collect

    return {r.student: r.state.label for r in collect(folder, [MODULE])}


def test_grading_again_skips_unchanged_work_and_keeps_finished_marks(marked):
    assert _states(marked)["ann"] == GRADED
    again = run("grade", str(marked.root), MODULE, "--jobs", "1", "--no-isolation")
    assert again.returncode == 0, again.stderr
    assert "skipped 2 submission(s) unchanged since they were last graded" in again.stderr
    assert "nothing to grade" in again.stdout
    # a trainee sends a changed answers file: only they are graded, and their marked written
    # answer (unchanged) stays marked
    from alcourse.answers import AnswerStore

    store = AnswerStore.beside(MODULE, marked.root / "submitted" / "bob" / MODULE)
    ex = _cur().module_exercises(MODULE)[0]
    store.write_all(ex.id, {})
    changed = run("grade", str(marked.root), MODULE, "--jobs", "1", "--no-isolation")
    assert changed.returncode == 0, changed.stderr
    assert "skipped 1 submission(s)" in changed.stderr and "ann" in changed.stderr
    assert re.search(r"^bob\s", changed.stdout, re.M) and not re.search(r"^ann\s", changed.stdout, re.M)
    forced = run("grade", str(marked.root), MODULE, "--jobs", "1", "--no-isolation", "--all")
    assert forced.returncode == 0, forced.stderr
    assert "skipped" not in forced.stderr
    assert _states(marked) == {"ann": GRADED, "bob": GRADED, "cai": "not submitted"}


def test_feedback_names_people_and_does_not_tell_the_absent_to_grade(marked):
    proc = run("feedback", str(marked.root), MODULE)
    assert proc.returncode == 0, proc.stderr
    assert "run alcourse grade" not in proc.stdout
    assert "who have not submitted" in proc.stdout and "Cai Jones" in proc.stdout
    page = (marked.root / "feedback" / "ann" / MODULE / f"{MODULE}.html").read_text()
    assert "Trainee: Ann Evans." in page
    # readable answers, not widget reprs or hidden tests
    assert "ExerciseWidget(" not in page and "BEGIN HIDDEN TESTS" not in page
    assert "course.score(" not in page
    first = _cur().module_exercises(MODULE)[0]
    question = first.ordered()[0]
    assert html.escape(question.prompt) in page or question.prompt in page
    assert "First choice for each question" in page
    # formgrader shows the graded notebook: each exercise cell reads as the choices, not a widget repr
    graded = json.loads((marked.root / "autograded" / "ann" / MODULE / f"{MODULE}.ipynb").read_text())
    cell = next(c for c in graded["cells"] if f'course.exercise("{first.id}")' in "".join(c["source"]))
    text = "".join(cell["outputs"][0]["data"]["text/plain"])
    assert f"- {question.prompt}" in text
    assert f"first choice: {question.best().label}. Right." in text


def test_trainee_list_loads_names_and_reports_bad_rows_by_line(tmp_path):
    from alcourse.grading.cohort import collect, export_csv
    from alcourse.grading.report import build_report

    folder = CourseFolder.init(tmp_path / "course")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,first_name,last_name\nann,Ann,Evans\nbob smith,Bob,Smith\n")
    proc = run("trainees", str(folder.root), str(bad))
    assert proc.returncode == 2
    assert f"{bad}:3: id: 'bob smith' is not a usable id" in proc.stderr
    good = tmp_path / "cohort.csv"
    good.write_text("id,first_name,last_name,email\nann,Ann,Evans,\ncai,Cai,Jones,cai@example.org\n")
    proc = run("trainees", str(folder.root), str(good))
    assert proc.returncode == 0, proc.stderr
    assert "2 trainee(s)" in proc.stdout and "2 added" in proc.stdout
    (folder.root / "release" / MODULE).mkdir(parents=True)
    rows = collect(folder, [MODULE])
    assert [(r.student, r.person, r.state.label) for r in rows] == [
        ("ann", "Ann Evans", "not submitted"), ("cai", "Cai Jones", "not submitted")]
    exported = list(csv.DictReader(io.StringIO(export_csv(rows))))
    assert [(r["student"], r["name"]) for r in exported] == [("ann", "Ann Evans"), ("cai", "Cai Jones")]
    assert "<li>Cai Jones</li>" in build_report(folder, _cur())


def test_course_init_says_what_next_and_release_shows_each_module_as_it_goes(tmp_path):
    init = run("course", "init", str(tmp_path / "c"))
    assert init.returncode == 0, init.stderr
    root = (tmp_path / "c").resolve()
    for step in (f"alcourse trainees {root} trainees.csv", f"alcourse release {root}",
                 f"{root / 'submitted'}/TRAINEE_ID/MODULE/", f"alcourse grade {root} MODULE",
                 f"alcourse trainer {root}"):
        assert step in init.stdout, step
    modules = _modules()[:3]
    proc = subprocess.Popen([sys.executable, "-m", "alcourse.cli", "release", str(root), *modules],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("releasing 3 module(s)")
    first = proc.stdout.readline()
    # the first module is reported while the others are still being released
    still_running = proc.poll() is None
    rest, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert first.startswith(f"[1/3] released {root / 'release' / modules[0]}")
    assert still_running
    assert f"[3/3] released {root / 'release' / modules[2]}" in rest


def test_feedback_pages_speak_to_the_trainee_and_name_them(tmp_path):
    from alcourse.grading import messages
    from alcourse.grading.cohort import CohortRow
    from alcourse.grading.feedback import failure_page, summary_html
    from alcourse.grading.status import NEEDS_ATTENTION, State

    answers = f"{MODULE}.answers.json"
    trainer_why = (f"the answers file {answers} is empty (0 bytes): ask the trainee to send it again, "
                   "then run alcourse grade again")
    failed = CohortRow("gevans", MODULE, State(FAILED, trainer_why, None, 32.0,
                                              for_trainee=messages.damaged_answers(answers)),
                       None, name="Gwen Evans")
    page = failure_page(failed, _cur())
    assert "Trainee: Gwen Evans." in page and "gevans" not in page
    assert html.escape(messages.damaged_answers(answers)) in page
    assert "alcourse" not in page.replace("alcourse-summary", "") and "grade again" not in page
    assert "not a score of zero" in page
    missing = CohortRow("ann", MODULE, State(NEEDS_ATTENTION, "no answers file: …", 0.0, 32.0,
                                             for_trainee=messages.missing_answers(answers)), None, name="Ann")
    summary = summary_html(missing, _cur(), tmp_path / answers)
    assert html.escape(messages.missing_answers(answers)) in summary
    assert "Score: no score yet." in summary
