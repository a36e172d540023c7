"""A trainee whose notebook is damaged gets it back as released, with their answers kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat

from alcourse.grading import CourseFolder
from tests.conftest import ROOT

MODULE = "m01-what-is-action-learning"


def run(*args):
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_workspace_reset_restores_the_notebook_keeps_answers_and_backs_up_the_damage(tmp_path):
    course = CourseFolder.init(tmp_path / "course")
    release = course.root / "release" / MODULE
    release.mkdir(parents=True)
    # the source notebook stands in for the released one: the reset copies whatever was released
    shutil.copy(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", release)
    workspace = tmp_path / "ws"
    assert run("workspace", str(course.root), str(workspace)).returncode == 0
    notebook = workspace / MODULE / f"{MODULE}.ipynb"
    answers = workspace / MODULE / f"{MODULE}.answers.json"
    answers.write_text(json.dumps({"format": "alcourse-answers/1", "module": MODULE, "exercises": {
        "m01.x": {"q": {"first": "a", "latest": "a", "changes": 0}}}}))
    damaged = nbformat.read(notebook, as_version=4)
    damaged.cells = damaged.cells[:3] + [nbformat.v4.new_code_cell("") for _ in range(30)]
    nbformat.write(damaged, notebook)
    damaged_text = notebook.read_text()

    again = run("workspace", str(course.root), str(workspace))
    assert again.returncode == 0 and notebook.read_text() == damaged_text, "no reset unless asked"

    proc = run("workspace", str(course.root), str(workspace), "--reset", MODULE)
    assert proc.returncode == 0, proc.stderr
    assert notebook.read_bytes() == (release / f"{MODULE}.ipynb").read_bytes()
    backups = list((workspace / "backups").glob(f"{MODULE}-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == damaged_text
    assert json.loads(answers.read_text())["exercises"]["m01.x"]["q"]["first"] == "a"
    assert "answers are kept" in proc.stdout and str(backups[0]) in proc.stdout
    assert not list((workspace / MODULE).glob("*.ipynb.*")), "no temporary file left behind"


def test_reset_of_a_module_that_is_not_released_says_what_to_do(tmp_path):
    course = CourseFolder.init(tmp_path / "course")
    proc = run("workspace", str(course.root), str(tmp_path / "ws"), "--reset", MODULE)
    assert proc.returncode == 2
    assert f"no released notebook for module '{MODULE}'" in proc.stderr
    assert f"alcourse release COURSE {MODULE}" in proc.stderr and "Traceback" not in proc.stderr
    unknown = run("workspace", str(course.root), str(tmp_path / "ws"), "--reset", "m99-nothing")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
