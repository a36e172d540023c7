"""Where a submission's grading time goes, for ``bench/grading.py`` and the status file.

>>> clock = Stopwatch()
>>> clock.add("cells", 1.5); clock.add("cells", 0.5)
>>> clock.take()
(('cells', 2.0),)
"""

from __future__ import annotations

import time
from typing import Any


class Stopwatch:
    """Seconds per phase, summed until taken."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}

    def add(self, phase: str, seconds: float) -> None:
        self._seconds[phase] = self._seconds.get(phase, 0.0) + seconds

    def total(self, phase: str) -> float:
        return self._seconds.get(phase, 0.0)

    def take(self) -> tuple[tuple[str, float], ...]:
        taken = tuple((phase, round(seconds, 4)) for phase, seconds in self._seconds.items())
        self._seconds.clear()
        return taken


class SqlClock:
    """Time spent in the gradebook by every SQLAlchemy engine of this process (nbgrader's too):
    SQL statements, and commits (where SQLite waits for its lock and writes to disk).

    Uses SQLAlchemy's public event API on the ``Engine`` and ``Session`` classes, so it sees
    the engines and sessions nbgrader makes for each of its gradebook sessions; it only measures.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started: dict[int, float] = {}
        self._commits: dict[int, tuple[float, float]] = {}

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        from sqlalchemy.orm import Session

        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)
        event.listen(Session, "before_commit", self._before_commit)
        event.listen(Session, "after_commit", self._after_commit)

    def _before_commit(self, session: Any) -> None:
        self._commits[id(session)] = (time.perf_counter(), self.seconds)

    def _after_commit(self, session: Any) -> None:
        started = self._commits.pop(id(session), None)
        if started is not None:
            # the statements flushed inside the commit are already counted
            self.seconds += (time.perf_counter() - started[0]) - (self.seconds - started[1])

    def _before(self, conn: Any, cursor: Any, *args: Any) -> None:
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, *args: Any) -> None:
        started = self._started.pop(id(cursor), None)
        if started is not None:
            self.seconds += time.perf_counter() - started
