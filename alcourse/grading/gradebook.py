"""nbgrader's SQLite gradebook shared by parallel grading workers, and plain reads of it.

Parallel grading workers each run nbgrader, and nbgrader opens the gradebook many
times per submission. SQLite itself keeps that safe: the coordinator puts the file in
WAL mode for the run (:func:`shared_by_writers`) and every worker's ``db_url`` carries a
busy timeout (:func:`with_busy_timeout`), so a writer waits for the one before it instead
of failing. Nothing of nbgrader is replaced: these are SQLite settings reached through
nbgrader's own ``CourseDirectory.db_url`` and a connection of our own.

:class:`CourseLock` is for alcourse's own tools that read or write the gradebook as a whole
(export, feedback, the trainee list), so they take turns with each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCK_NAME = "gradebook.lock"
# how long a gradebook writer waits for another before it fails
BUSY_SECONDS = 120


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


def with_busy_timeout(db_url: str, seconds: float = BUSY_SECONDS) -> str:
    """``db_url`` with SQLite's busy timeout, so a writer waits for another instead of failing.

    SQLAlchemy's SQLite driver passes ``timeout`` from the URL to ``sqlite3.connect``: every
    connection nbgrader opens with this URL then waits up to ``seconds`` for the lock
    ("database is locked" is what a trainer would otherwise see). Other databases, and a
    URL that already has options, are left as they are.

    >>> with_busy_timeout("sqlite:////course/gradebook.db")
    'sqlite:////course/gradebook.db?timeout=120'
    >>> with_busy_timeout("postgresql://grader@db/course")
    'postgresql://grader@db/course'
    """
    if not db_url.startswith("sqlite:") or "?" in db_url:
        return db_url
    return f"{db_url}?timeout={seconds:g}"


@contextlib.contextmanager
def shared_by_writers(db_url: str) -> Iterator[None]:
    """The gradebook in SQLite's WAL mode while parallel workers grade, and as before after.

    In WAL mode readers never wait for the writer and a writer waits (with the busy
    timeout of :func:`with_busy_timeout`) for the one before it, so several nbgrader
    processes can write one gradebook without corrupting it or failing. The journal mode
    is a property of the database file: it is set here once, on this function's own
    engine, and every worker's connection uses it. Afterwards the WAL is written back and
    the file returns to the rollback journal, so it stays one self-contained file (WAL
    needs its ``-wal`` and ``-shm`` files beside it, writable by every reader, and does not
    work on network file systems); if another program still has it open, it stays in WAL
    mode, which is as safe.
    """
    path = sqlite_file(db_url)
    if path is None:
        yield
        return
    # the standard library's sqlite3, not SQLAlchemy: ``alcourse grade`` sets this before it
    # starts its workers, and importing SQLAlchemy there would delay them by 0.3 s
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        # WAL is a property of the file; this connection stays open for the run, because
        # SQLite checkpoints the WAL into the database (with fsyncs) whenever the last
        # connection closes, and nbgrader closes its connections after each of its sessions
        connection.execute("PRAGMA journal_mode=WAL").fetchall()
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            # a program that still has the file open keeps it in WAL mode, which is as safe:
            # not worth keeping the trainer waiting for
            connection.execute("PRAGMA busy_timeout=2000").fetchall()
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            connection.execute("PRAGMA journal_mode=DELETE").fetchall()
        connection.close()


def sqlite_file(db_url: str) -> str | None:
    """The file an SQLite ``db_url`` names, as SQLAlchemy reads it; None for any other database.

    >>> sqlite_file("sqlite:////course/gradebook.db?timeout=120")
    '/course/gradebook.db'
    >>> sqlite_file("sqlite:///gradebook.db")
    'gradebook.db'
    >>> sqlite_file("sqlite://"), sqlite_file("sqlite:///:memory:"), sqlite_file("postgresql://db/c")
    (None, None, None)
    """
    scheme, sep, rest = db_url.partition("://")
    if not sep or scheme not in ("sqlite", "sqlite+pysqlite"):
        return None
    path = rest.split("?", 1)[0]
    if "%" in path:  # escaped characters: let SQLAlchemy read it exactly as nbgrader's engine will
        from sqlalchemy.engine import make_url

        database = make_url(db_url).database
        return database if database and database != ":memory:" else None
    if not path.startswith("/") or path[1:] in ("", ":memory:"):
        return None
    return path[1:]


def commit_without_fsync() -> None:
    """In this process, commits to a SQLite gradebook in WAL mode are written but not fsynced.

    With SQLite's ``synchronous=NORMAL`` in WAL mode a commit is written to the WAL without
    waiting for the disk; the database can never be corrupted, but the last commits may be
    lost if the machine loses power (the submissions are then graded again). nbgrader commits
    about 25 times per submission, so this is most of its gradebook time. Set on every
    SQLite connection this process opens, through SQLAlchemy's documented event on the
    ``Engine`` class (nbgrader makes its own engines); for grading worker processes only.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _no_fsync):
        event.listen(Engine, "connect", _no_fsync)


def _no_fsync(dbapi_connection: Any, _record: Any) -> None:
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        # with the rollback journal, NORMAL could corrupt the file on a power loss: only in WAL mode
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


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
