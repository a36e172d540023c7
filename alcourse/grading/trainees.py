"""The trainee list: ids and names into nbgrader's student records (``alcourse trainees``).

Pages a person reads name trainees ("Ann Evans"); files a machine reads use
their ids. A trainee on the list who submits nothing is listed as not
submitted; without the list, they would not appear at all.

The list is a CSV file with a header row: ``id`` (required), ``first_name``,
``last_name``, ``email`` — the columns ``nbgrader db student import`` reads.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cohort.csv"
>>> _ = path.write_text("id,first_name,last_name\\nann,Ann,Evans\\n")
>>> read_trainee_list(path)
[Trainee(id='ann', first_name='Ann', last_name='Evans', email='')]
>>> _ = path.write_text("id,first_name\\nann,Ann\\nann,Anne\\n")
>>> read_trainee_list(path)
Traceback (most recent call last):
...
alcourse.located.LocatedError: ...cohort.csv:3: id: 'ann' is already on line 2; give each trainee one row
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from alcourse.grading.course import CourseFolder
from alcourse.located import LocatedError

COLUMNS = ("id", "first_name", "last_name", "email")
# nbgrader uses the id as a folder name (submitted/ID/MODULE) and in its database
VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Trainee:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def read_trainee_list(path: Path) -> list[Trainee]:
    """Every row of a trainee list, checked; errors name the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise LocatedError(path, 1, "(file)", "is not UTF-8 text; save it as CSV UTF-8") from None
    except OSError as exc:
        raise LocatedError(path, 1, "(file)", f"cannot be read ({exc.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    if "id" not in header:
        raise LocatedError(path, 1, "id", "no 'id' column in the header row; the header must name "
                                          f"the columns, e.g. {','.join(COLUMNS)}")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise LocatedError(path, 1, unknown[0], f"unknown column; allowed: {', '.join(COLUMNS)}")
    seen: dict[str, int] = {}
    trainees = []
    for row in reader:
        line = reader.line_num
        ident = (row.get("id") or "").strip()
        if not ident:
            raise LocatedError(path, line, "id", "is empty; every trainee needs an id (their login name)")
        if not VALID_ID.match(ident):
            raise LocatedError(path, line, "id", f"{ident!r} is not a usable id; use letters, digits, "
                                                 "'.', '_' or '-' (it becomes a folder name)")
        if ident in seen:
            raise LocatedError(path, line, "id", f"{ident!r} is already on line {seen[ident]}; give each "
                                                 "trainee one row")
        seen[ident] = line
        trainees.append(Trainee(ident, *((row.get(c) or "").strip() for c in COLUMNS[1:])))
    if not trainees:
        raise LocatedError(path, 2, "id", "the list has a header but no trainees")
    return trainees


def load_trainees(folder: CourseFolder, trainees: list[Trainee]) -> tuple[int, int]:
    """Create or update each trainee's nbgrader student record; (added, updated)."""
    from nbgrader.api import Gradebook

    from alcourse.grading.gradebook import CourseLock

    added = updated = 0
    with CourseLock(folder.root / ".alcourse" / "gradebook.lock").held(), \
            Gradebook(folder.db_url, folder.course_id) as gb:
        known = {s.id for s in gb.students}
        for t in trainees:
            gb.update_or_create_student(t.id, first_name=t.first_name or None,
                                        last_name=t.last_name or None, email=t.email or None)
            if t.id in known:
                updated += 1
            else:
                added += 1
    return added, updated
