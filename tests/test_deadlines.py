"""A trainer's due date (nbgrader's gradebook) reaches the top of the trainee's module (issue 9).

Real nbgrader: the date is set with ``nbgrader db assignment add --duedate`` (what
``alcourse hub release --due`` runs), ``alcourse release`` generates the trainee version,
nbgrader releases it, a trainee fetches it, and nbgrader still autogrades it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime

import nbformat
import pytest

from alcourse.cli import main
from alcourse.deadlines import DUE_CELL_ID, stamp
from alcourse.grading import CourseFolder
from tests.conftest import ROOT

MODULE = "m01-what-is-action-learning"


def _due_cells(path):
    return [cell.source for cell in nbformat.read(path, 4).cells if cell.get("id") == DUE_CELL_ID]


@pytest.mark.slow
def test_the_due_date_is_at_the_top_of_the_released_fetched_and_gradable_module(tmp_path, capsys):
    source = tmp_path / "source"
    shutil.copytree(ROOT / "notebooks" / MODULE, source / MODULE)
    folder = CourseFolder.init(tmp_path / "course", source=source)
    folder.nbgrader("db", "assignment", "add", MODULE, "--duedate=2027-03-01 17:00:00 UTC")
    assert main(["release", str(folder.root), MODULE]) == 0
    assert "(due 2027-03-01 17:00 UTC)" in capsys.readouterr().out
    released = folder.root / "release" / MODULE / f"{MODULE}.ipynb"
    first = nbformat.read(released, 4).cells[0]
    assert first.cell_type == "markdown" and first.get("id") == DUE_CELL_ID
    assert first.source.startswith("**Hand in by Monday 1 March 2027, 17:00 (UTC).**")

    # nbgrader releases it over the exchange and a trainee fetches it: the date is in their copy
    folder.nbgrader("release_assignment", MODULE, "--force")
    home = tmp_path / "trainee"
    home.mkdir()
    fetch = subprocess.run([sys.executable, "-m", "nbgrader", "fetch_assignment", MODULE,
                            "--course=alcourse", f"--Exchange.root={folder.root / 'exchange'}"],
                           cwd=home, capture_output=True, text=True, check=False)
    assert fetch.returncode == 0, fetch.stderr[-2000:]
    assert _due_cells(home / MODULE / f"{MODULE}.ipynb") == [first.source]

    # the extra cell does not upset nbgrader's autograding of a hand-in
    submitted = folder.root / "submitted" / "t1" / MODULE
    submitted.mkdir(parents=True)
    shutil.copy(home / MODULE / f"{MODULE}.ipynb", submitted)
    folder.nbgrader("db", "student", "add", "t1")
    graded = folder.nbgrader("autograde", MODULE, "--force", check=False)
    assert graded.returncode == 0, graded.stdout[-2000:] + graded.stderr[-2000:]
    assert (folder.root / "autograded" / "t1" / MODULE / f"{MODULE}.ipynb").exists()

    # the trainer moves the date and releases again: one cell, with the new date
    folder.nbgrader("db", "assignment", "add", MODULE, "--duedate=2027-03-08 09:30:00 UTC")
    assert main(["release", str(folder.root), MODULE]) == 0
    assert _due_cells(released) == [
        "**Hand in by Monday 8 March 2027, 09:30 (UTC).** Your trainer set this date; ask them "
        "if you need more time."]


def test_a_module_without_a_due_date_has_no_due_cell(tmp_path):
    notebook = tmp_path / "m.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Module")]), notebook)
    stamp(notebook, datetime(2027, 3, 1, 17, 0))
    assert len(_due_cells(notebook)) == 1
    stamp(notebook, None)  # the trainer's date was removed: so is the cell
    assert _due_cells(notebook) == []
    assert [c.source for c in nbformat.read(notebook, 4).cells] == ["# Module"]
    assert not list(tmp_path.glob(".*.tmp"))
