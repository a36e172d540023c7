"""A module's due date at the top of the trainee's notebook.

A trainer sets it with nbgrader (``alcourse hub release --due``, or ``nbgrader db assignment
add MODULE --duedate=...``), which keeps it in the gradebook. Trainees cannot read the
gradebook, and nbgrader's Assignments tab shows no due dates (nbgrader #943; #1909 is not
merged), so the release step writes it into a first cell of the trainee version, as
nbgrader's maintainers suggest there. A later release with a new date replaces the cell.

>>> from datetime import datetime
>>> due_text(datetime(2027, 3, 1, 17, 0))
'**Hand in by Monday 1 March 2027, 17:00 (UTC).** Your trainer set this date; ask them if you need more time.'
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

from alcourse.observe.files import write_atomic

DUE_CELL_ID = "alcourse-due-date"


def due_text(due: datetime) -> str:
    """The cell's text; nbgrader stores due dates in UTC (naive datetimes)."""
    when = f"{due:%A} {due.day} {due:%B %Y, %H:%M}"
    return (f"**Hand in by {when} (UTC).** Your trainer set this date; ask them if you "
            "need more time.")


def stamp(notebook: Path, due: datetime | None) -> None:
    """Put the due date first in ``notebook`` (or take an old one out when ``due`` is None).

    Written atomically: a reader sees the old notebook or the new one, never half of one.
    """
    nb = nbformat.read(notebook, as_version=4)
    cells = [cell for cell in nb.cells if cell.get("id") != DUE_CELL_ID]
    if due is not None:
        cell = new_markdown_cell(due_text(due))
        cell.id = DUE_CELL_ID
        cells.insert(0, cell)
    nb.cells = cells
    text = nbformat.writes(nb)
    # the bytes nbformat.write gives (it ends the file with a newline)
    write_atomic(notebook, text if text.endswith("\n") else text + "\n")


def stamp_release(release: Path, due: datetime | None) -> list[Path]:
    """Stamp every notebook of one released module folder; return them."""
    notebooks = sorted(release.glob("*.ipynb"))
    for notebook in notebooks:
        stamp(notebook, due)
    return notebooks
