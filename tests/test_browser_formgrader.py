"""A trainer in a real browser: `alcourse trainer` opens formgrader, a reflection gets a mark and a comment,
and both reach `alcourse export` and the trainee's feedback."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from alcourse.grading import CourseFolder
from alcourse.grading.synthetic import WRITTEN, write_submission
from tests.browser import free_port, mark_in_formgrader, require_chromium
from tests.conftest import MODULE, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REFLECTION = "reflection-m03-reflection-sponsor"
COMMENT = "Two contrasts used well; name the principle you rely on."


def alcourse(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False, **kwargs)


@pytest.fixture()
def graded_course(tmp_path, curriculum):
    folder = CourseFolder.init(tmp_path / "course")
    folder.generate([MODULE])
    answers = {ex.id: ex.model_answers() for ex in curriculum.module_exercises(MODULE)}
    write_submission(folder.root / "release" / MODULE / f"{MODULE}.ipynb",
                     folder.root / "submitted" / "ada" / MODULE, MODULE, answers, WRITTEN)
    proc = alcourse("grade", str(folder.root), MODULE)
    assert proc.returncode == 0, proc.stderr
    assert "needs manual grading: 1 written answer to mark" in proc.stdout
    return folder


def _submission_id(folder: CourseFolder) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(folder.db_url, folder.course_id) as gb:
        return str(gb.find_submission_notebook(MODULE, MODULE, "ada").id)


def _manual(folder: CourseFolder) -> tuple[float | None, str | None]:
    from nbgrader.api import Gradebook

    with Gradebook(folder.db_url, folder.course_id) as gb:
        nb = gb.find_submission_notebook(MODULE, MODULE, "ada")
        grade = next(g for g in nb.grades if g.name == REFLECTION)
        comment = next(c for c in nb.comments if c.name == REFLECTION)
        return grade.manual_score, comment.manual_comment


def test_trainer_marks_a_reflection_in_formgrader(graded_course, browser, tmp_path):
    require_chromium()
    folder = graded_course
    port, token = free_port(), "alcourse-trainer-test"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = (tmp_path / "trainer.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "alcourse.cli", "trainer", str(folder.root),
                               "--port", str(port), "--token", token],
                              stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"alcourse trainer did not start:\n{Path(log.name).read_text()}") \
                        from None
                time.sleep(0.3)
        printed = Path(log.name).read_text()
        assert f"{base}/formgrader?token={token}" in printed
        guide = folder.root / "marking-guide.html"
        assert f"Mark schemes and model answers: {guide}" in printed and "Mark scheme" in guide.read_text()
        module_guide = folder.root / "marking-guide" / f"{MODULE}.html"
        assert f"  {MODULE}: {module_guide}" in printed and "Contents" in module_guide.read_text()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/formgrader?token={token}")
        # the module is listed in formgrader's assignments table
        page.locator("td", has_text=MODULE).first.wait_for(timeout=60_000)
        mark_in_formgrader(page, f"{base}/formgrader/submissions/{_submission_id(folder)}/", REFLECTION, 4,
                           COMMENT, lambda: _manual(folder) == (4.0, COMMENT), timeout_ms=60_000)
        page.screenshot(path=str(tmp_path / "formgrader.png"))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    assert _manual(folder) == (4.0, COMMENT)

    out = tmp_path / "grades.csv"
    assert alcourse("export", str(folder.root), "--out", str(out)).returncode == 0
    row = next(r for r in csv.DictReader(io.StringIO(out.read_text())) if r["student"] == "ada")
    assert row["status"] == "graded" and row["why"] == ""
    from alcourse.curriculum import load_curriculum

    auto = sum(ex.max_points for ex in load_curriculum().module_exercises(MODULE))
    assert float(row["score"]) == auto + 4 and float(row["max_score"]) == auto + 6

    feedback = alcourse("feedback", str(folder.root), MODULE)
    assert feedback.returncode == 0, feedback.stderr
    page_text = (folder.root / "feedback" / "ada" / MODULE / f"{MODULE}.html").read_text()
    assert COMMENT in page_text
    assert "Written answer: 4 of 6" in page_text
