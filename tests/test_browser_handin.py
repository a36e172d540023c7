"""A trainee with only a browser hands in a module; their trainer collects, grades and returns feedback.

JupyterLite runs the module (Pyodide in the browser) with every request that is not to the
site itself routed to fail. The Hand in widget builds the file in the browser's Python and the
trainee downloads it through a ``data:`` link: a real browser download, with no request leaving
the site. The downloaded file then goes through ``alcourse collect``, ``grade`` and ``feedback``.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile

import pytest

from alcourse.publish.serve import serving
from tests.browser import shots
from tests.conftest import MODULE, ROOT
from tests.site import Watch
from tests.test_browser_lite import open_lite, run_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def test_hand_in_from_jupyterlite_is_a_browser_download_that_grades_and_gets_feedback(
        site, browser, curriculum, tmp_path):
    from alcourse.grading import CourseFolder
    from alcourse.grading.sandbox import IsolationUnavailable, check_isolation
    from alcourse.grading.synthetic import expected_points

    with serving(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        watch = Watch(base).attach(context)
        page = context.new_page()
        open_lite(page, base, MODULE)
        run_all(page)
        exercise = page.locator(".alcourse-exercise").first
        exercise.wait_for(timeout=60_000)
        exercise.locator(".alcourse-choice").first.locator("input[type=radio]").nth(1).check()
        exercise.locator(".alcourse-feedback").first.wait_for(timeout=30_000)
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        step = page.locator(".alcourse-handin").first
        step.scroll_into_view_if_needed()
        inputs = step.locator("input[type=text]")
        inputs.nth(0).fill("lite.trainee")
        inputs.nth(1).fill("Lee Browser")
        step.locator("button.alcourse-handin-make").click()
        link = step.locator("a.alcourse-download")
        link.wait_for(timeout=60_000)
        said = step.inner_text()
        assert "Downloads folder" in said and "upload it to the place they named" in said
        page.screenshot(path=str(shots(tmp_path) / "lite-handin.png"))
        with page.expect_download(timeout=30_000) as download:
            link.click()
        assert download.value.suggested_filename == f"{MODULE}--lite.trainee.alcourse.zip"
        inbox = tmp_path / "downloads"
        inbox.mkdir()
        saved = inbox / download.value.suggested_filename
        download.value.save_as(saved)
        context.close()
    assert watch.external == [], f"requests left the site: {watch.external}"
    assert watch.problems() == []

    with zipfile.ZipFile(saved) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        answers = json.loads(zf.read(f"{MODULE}.answers.json"))
    assert (manifest["made_with"], manifest["trainee"], manifest["name"]) == (
        "emscripten", "lite.trainee", "Lee Browser")
    chosen = {ex: {q: e["first"] for q, e in qs.items()} for ex, qs in answers["exercises"].items()}
    assert sum(len(v) for v in chosen.values()) == 1, chosen
    points = sum(expected_points(curriculum, MODULE, chosen).values())

    folder = CourseFolder.init(tmp_path / "course")
    folder.generate([MODULE])
    collected = cli("collect", str(folder.root), str(inbox))
    assert collected.returncode == 0 and ": filed: lite.trainee" in collected.stdout, collected.stdout
    try:
        check_isolation()
        isolation = []
    except IsolationUnavailable:
        isolation = ["--no-isolation"]
    graded = cli("grade", str(folder.root), MODULE, "--jobs", "1", *isolation)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    out = tmp_path / "grades.csv"
    assert cli("export", str(folder.root), "--out", str(out)).returncode == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text())))
    # the written answer is an nbgrader task; left unwritten here, it scores 0 with nothing to mark
    assert row["status"] == "graded"
    assert (row["student"], float(row["score"])) == ("lite.trainee", pytest.approx(points))
    feedback = cli("feedback", str(folder.root), MODULE)
    assert feedback.returncode == 0, feedback.stderr
    assert list((folder.root / "feedback" / "lite.trainee" / MODULE).glob("*.html"))
