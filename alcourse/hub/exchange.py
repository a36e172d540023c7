"""A private nbgrader exchange: a trainee reads the released modules and their own feedback only.

nbgrader's default exchange is one world-writable folder: a trainee who knows
(or guesses) the name of another's submission can read, change or delete it,
and ``nbgrader submit --student OTHER`` files work under someone else's name
(nbgrader #1174, #1225). These classes plug into nbgrader through its
documented exchange API (``c.ExchangeFactory.*``) and keep nbgrader's folder
layout, so the Assignments tab, ``nbgrader collect`` and formgrader work as
before. The folders are made once by :func:`make_exchange` (as root):

- ``ROOT``, owned by root, ``0755``: nobody but root makes course folders;
- ``ROOT/COHORT/outbound``, owned by the grader, ``0755``: released modules, readable by all;
- ``ROOT/COHORT/inbound``, owned by the grader, ``3733`` (sticky, set-group-id, others may only
  create): a trainee cannot list it, and cannot rename or delete what is not theirs;
  every submission inherits the grader's group;
- each submission: a folder owned by its trainee, group the grader's (inherited from
  ``inbound``), ``0750``: the grader enters and reads it; no other trainee can enter it, so
  nothing in it can be read, listed or changed by them (the files inside stay ``0644``:
  a trainee cannot give files to the grader's group, and need not);
- ``ROOT/COHORT/feedback``, owned by the grader, ``0711``: a feedback file's name is a
  hash of the submission's secret, which only its trainee (and the grader) can read.

``collect`` takes only submissions whose folder is owned by the trainee they name.

>>> sorted(factory_config())[:2]
['collect', 'exchange']
"""

from __future__ import annotations

import glob
import os
import pwd
from collections import defaultdict
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default import (
    Exchange,
    ExchangeCollect,
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)
from nbgrader.utils import check_directory, get_username

INBOUND_MODE = 0o3733
SUBMISSION_DIR_MODE = 0o750


class _CohortRoot:
    """The exchange root belongs to root: check it can be entered, never make it world-writable."""

    root: str

    def ensure_root(self) -> None:
        if not check_directory(self.root, read=True, execute=True):
            self.fail(f"The exchange {self.root} is missing or closed to you; ask your trainer "  # type: ignore[attr-defined]
                      "(alcourse hub init makes it)")


class PrivateExchange(_CohortRoot, Exchange):
    """Base exchange (``c.ExchangeFactory.exchange``)."""


class PrivateFetchAssignment(_CohortRoot, ExchangeFetchAssignment):
    """Fetch a released module (unchanged apart from the root check)."""


class PrivateFetchFeedback(_CohortRoot, ExchangeFetchFeedback):
    """Fetch one's own feedback (unchanged apart from the root check)."""


class PrivateList(_CohortRoot, ExchangeList):
    """List released modules and one's own submissions (unchanged apart from the root check)."""


class PrivateReleaseAssignment(_CohortRoot, ExchangeReleaseAssignment):
    """Release a module (the grader); the inbound folder keeps its private mode."""


class PrivateReleaseFeedback(_CohortRoot, ExchangeReleaseFeedback):
    """Release feedback (the grader)."""


class PrivateSubmit(_CohortRoot, ExchangeSubmit):
    """Submit as oneself only; the submission is readable by its trainee and the grader alone."""

    def init_dest(self) -> None:
        me = get_username()
        if self.coursedir.student_id not in ("*", "", me):
            self.fail(f"You can only submit your own work (you are {me!r}, not "
                      f"{self.coursedir.student_id!r}).")
        super().init_dest()

    def copy_files(self) -> None:
        super().copy_files()
        # nbgrader leaves the folder world-writable (0777) "so the instructor can delete
        # it"; here its group is the grader's, so the grader needs no more than 0750
        os.chmod(Path(self.inbound_path) / self.assignment_filename, SUBMISSION_DIR_MODE)


def owner_of(path: str) -> str | None:
    """The Unix user name owning ``path`` (None if it has no name)."""
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except KeyError:
        return None


class PrivateCollect(_CohortRoot, ExchangeCollect):
    """Collect only submissions owned by the trainee they name (never one filed under another's name)."""

    def init_src(self) -> None:
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not check_directory(self.inbound_path, read=True, execute=True):
            self.fail(f"Cannot read the inbound folder {self.inbound_path}; collect as the grader")
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student_id}+{self.coursedir.assignment_id}+*")
        by_user: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for path in glob.glob(pattern):
            record = self._path_to_record(path)
            owner = owner_of(path)
            if owner != record["username"]:
                self.log.warning("Skipping %s: filed under %r but made by %r",
                                 path, record["username"], owner)
                continue
            by_user[record["username"]].append(record)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for records in by_user.values():
            ordered = self._sort_by_timestamp(records)
            if self.duedate is not None and self.before_duedate:
                on_time = [r for r in ordered if r["timestamp"] <= self.duedate]
                ordered = on_time or ordered
            self.src_records.append(ordered[0])


def factory_config() -> dict[str, str]:
    """``c.ExchangeFactory`` settings that select these classes."""
    name = __name__
    return {
        "exchange": f"{name}.PrivateExchange",
        "fetch_assignment": f"{name}.PrivateFetchAssignment",
        "fetch_feedback": f"{name}.PrivateFetchFeedback",
        "release_assignment": f"{name}.PrivateReleaseAssignment",
        "release_feedback": f"{name}.PrivateReleaseFeedback",
        "list": f"{name}.PrivateList",
        "submit": f"{name}.PrivateSubmit",
        "collect": f"{name}.PrivateCollect",
    }


def make_exchange(root: Path, cohort: str, grader_uid: int, grader_gid: int) -> Path:
    """Make (or repair) the exchange folders for a cohort; run as root. Returns the course folder."""
    root.mkdir(parents=True, exist_ok=True)
    os.chown(root, 0, 0)
    root.chmod(0o755)
    course = root / cohort
    modes = {course: 0o755, course / "outbound": 0o755, course / "inbound": INBOUND_MODE,
             course / "feedback": 0o711}
    for path, mode in modes.items():
        path.mkdir(exist_ok=True)
        os.chown(path, grader_uid, grader_gid)
        # chmod after chown: chown clears the set-group-id bit
        path.chmod(mode)
    return course
