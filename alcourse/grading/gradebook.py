"""One writer at a time for nbgrader's SQLite gradebook, and plain reads of it.

Parallel grading workers each run nbgrader, and nbgrader opens the gradebook
many times per submission. :func:`serialise_gradebook` makes every
``nbgrader.api.Gradebook`` session in this process hold an exclusive lock file
for the course, so SQLite never sees two writers (the SQLite docs advise
against concurrent writers; "database is locked" is what a trainer would see).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCK_NAME = "gradebook.lock"


class CourseLock:
    """An exclusive, re-entrant (within a process) lock shared by every process of a course."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._depth = 0
        self._local = threading.RLock()
        self._fd: int | None = None

    def acquire(self) -> None:
        self._local.acquire()
        if self._depth == 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._local.release()

    @property
    def depth(self) -> int:
        """How many sessions of this process hold the lock now."""
        return self._depth

    def reset(self) -> None:
        """Let go of the lock however deep it is held (after a session was never closed)."""
        while self._depth:
            self.release()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()


def serialise_gradebook(lock: CourseLock) -> None:
    """Make every nbgrader Gradebook session in this process hold ``lock``.

    Meant for grading worker processes; nbgrader opens a session in the
    constructor and ends it in ``close()`` (also called by ``__exit__``).
    It also keeps one SQLAlchemy engine per database in the process: nbgrader
    makes a new engine for every one of its ~11 sessions per submission, and
    SQLAlchemy caches compiled queries per engine. ``close()`` still disposes
    of the engine's connections, so no connection outlives a session.
    """
    import nbgrader.api
    from nbgrader.api import Gradebook

    if getattr(Gradebook, "_alcourse_lock", None) is lock:
        return
    engines: dict[str, Any] = {}
    original_create_engine = nbgrader.api.create_engine

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        key = repr((str(url), args, sorted(kwargs.items())))
        if key not in engines:
            engines[key] = original_create_engine(url, *args, **kwargs)
        return engines[key]

    nbgrader.api.create_engine = create_engine
    original_init = Gradebook.__init__
    original_close = Gradebook.close

    def locked_init(self: Any, *args: Any, **kwargs: Any) -> None:
        lock.acquire()
        self._alcourse_locked = True
        try:
            original_init(self, *args, **kwargs)
        except BaseException:
            self._alcourse_locked = False
            lock.release()
            raise

    def locked_close(self: Any) -> None:
        try:
            original_close(self)
        finally:
            if getattr(self, "_alcourse_locked", False):
                self._alcourse_locked = False
                lock.release()

    Gradebook.__init__ = locked_init
    Gradebook.close = locked_close
    Gradebook._alcourse_lock = lock


@dataclass(frozen=True)
class CellGrade:
    """One graded cell of one submission, as the gradebook holds it."""

    name: str
    cell_type: str  # "code" (autograded check) or "markdown" (written answer)
    score: float
    max_score: float
    auto_score: float | None
    manual_score: float | None
    needs_manual_grade: bool
    comment: str  # the trainer's
    auto_comment: str = ""  # nbgrader's, e.g. "No response."


@dataclass(frozen=True)
class SubmissionGrades:
    student: str
    module: str
    score: float
    max_score: float
    cells: tuple[CellGrade, ...]

    @property
    def pending(self) -> list[CellGrade]:
        return [c for c in self.cells if c.needs_manual_grade]


def read_submission(gb: Any, module: str, notebook: str, student: str) -> SubmissionGrades | None:
    """The grades of one submitted notebook, or None if the gradebook has none."""
    from nbgrader.api import MissingEntry

    try:
        nb = gb.find_submission_notebook(notebook, module, student)
    except MissingEntry:
        return None
    comments = {c.name: (c.manual_comment or "", c.auto_comment or "") for c in nb.comments}
    cells = tuple(
        CellGrade(name=g.name, cell_type=g.cell_type, score=float(g.score or 0.0),
                  max_score=float(g.max_score or 0.0),
                  auto_score=None if g.auto_score is None else float(g.auto_score),
                  manual_score=None if g.manual_score is None else float(g.manual_score),
                  needs_manual_grade=bool(g.needs_manual_grade),
                  comment=comments.get(g.name, ("", ""))[0], auto_comment=comments.get(g.name, ("", ""))[1])
        for g in sorted(nb.grades, key=lambda g: g.name))
    return SubmissionGrades(student, module, float(nb.score or 0.0), float(nb.max_score or 0.0), cells)


def flag_for_review(gb: Any, module: str, notebook: str, student: str, cell_names: list[str]) -> None:
    """Mark autograded cells as needing a trainer's look (formgrader shows them)."""
    nb = gb.find_submission_notebook(notebook, module, student)
    for grade in nb.grades:
        if grade.name in cell_names:
            grade.needs_manual_grade = True
    gb.db.commit()
