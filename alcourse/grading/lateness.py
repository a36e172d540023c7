"""How late each submission came: nbgrader's own lateness, read in one place for every view.

nbgrader keeps a module's due date (``Assignment.duedate``) and, once a submission is
autograded, how late it came (``Submission.total_seconds_late``, from the submission's
``timestamp.txt``). A submission not graded yet has no gradebook entry, so its
``timestamp.txt`` is compared with the due date the same way nbgrader does. ``grade``'s table,
``export``, the cohort ``report``, the programme view and feedback pages all read
:func:`read_lateness`: late work is shown as late, never silently penalised.

>>> late_text(0), late_text(90), late_text(3 * 86400 + 7200)
('', 'late by 2 minutes', 'late by 3 days 2 hours')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Lateness:
    """Due dates per module (UTC) and seconds late per (trainee, module); on time is 0."""

    due: dict[str, datetime] = field(default_factory=dict)
    seconds: dict[tuple[str, str], float] = field(default_factory=dict)

    def of(self, student: str, module: str) -> float:
        return self.seconds.get((student, module), 0.0)

    def due_text(self, module: str) -> str:
        due = self.due.get(module)
        return due.strftime("%Y-%m-%d %H:%M UTC") if due else ""


def lateness_in(gb: Any, course_root: Path, modules: Sequence[str]) -> Lateness:
    """Lateness from an open nbgrader ``Gradebook`` (the caller holds the course's lock)."""
    from nbgrader.api import MissingEntry

    due: dict[str, datetime] = {}
    seconds: dict[tuple[str, str], float] = {}
    for module in modules:
        try:
            assignment = gb.find_assignment(module)
        except MissingEntry:
            continue
        if assignment.duedate is not None:
            # nbgrader stores naive UTC
            due[module] = assignment.duedate.replace(tzinfo=UTC)
        for sub in assignment.submissions:
            seconds[(sub.student_id, module)] = float(sub.total_seconds_late or 0.0)
        if module not in due:
            continue
        for stamp in (course_root / "submitted").glob(f"*/{module}/timestamp.txt"):
            student = stamp.parent.parent.name
            if (student, module) in seconds:
                continue  # graded: nbgrader's own figure
            late = _late_by_timestamp(stamp, due[module])
            if late is not None:
                seconds[(student, module)] = late
    return Lateness(due, seconds)


def seconds_late(gb: Any, course_root: Path, module: str, student: str) -> float:
    """How late one trainee's submission of a module came, counted as :func:`lateness_in` counts it.

    A grading worker reads it from its open gradebook as it records each outcome, so that
    ``alcourse grade`` can print its table without opening the gradebook (or importing
    nbgrader) again at the end.
    """
    from nbgrader.api import MissingEntry

    try:
        assignment = gb.find_assignment(module)
    except MissingEntry:
        return 0.0
    try:
        return float(gb.find_submission(module, student).total_seconds_late or 0.0)
    except MissingEntry:
        pass  # not in the gradebook (its grading failed): from its timestamp, as for ungraded work
    if assignment.duedate is None:
        return 0.0
    late = _late_by_timestamp(course_root / "submitted" / student / module / "timestamp.txt",
                              assignment.duedate.replace(tzinfo=UTC))
    return late or 0.0


def _late_by_timestamp(stamp: Path, due: datetime) -> float | None:
    """Seconds after ``due`` that a submission's ``timestamp.txt`` says it came (None: no usable stamp)."""
    from alcourse.handin.collect import parse_timestamp

    try:
        when = parse_timestamp(stamp.read_text(encoding="utf-8"))
    except OSError:
        return None
    return None if when is None else max(0.0, (when - due).total_seconds())


def read_lateness(folder: Any, modules: Sequence[str]) -> Lateness:
    """Lateness of a course folder's submissions, opening its gradebook under the course's lock."""
    from nbgrader.api import Gradebook

    from alcourse.grading.gradebook import CourseLock

    with CourseLock(folder.root / ".alcourse" / "gradebook.lock").held(), \
            Gradebook(folder.db_url, folder.course_id) as gb:
        return lateness_in(gb, folder.root, modules)


def late_text(seconds: float) -> str:
    """How late a submission was, for people ("" when on time)."""
    if seconds <= 0:
        return ""
    days, rest = divmod(int(seconds + 59), 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        more = f" {hours} hour{'s' * (hours != 1)}" if hours else ""
        return f"late by {days} day{'s' * (days != 1)}{more}"
    if hours:
        return f"late by {hours} hour{'s' * (hours != 1)}"
    minutes = max(1, rest // 60)
    return f"late by {minutes} minute{'s' * (minutes != 1)}"


def grade_table_rows(outcomes: Sequence[Any]) -> list[tuple[str, str, str, str]]:
    """``alcourse grade``'s table rows: student, score, late, status.

    ``outcomes`` are :class:`~alcourse.grading.status.Outcome` s of this run; each carries the
    lateness its worker read from the gradebook it had just written (:func:`seconds_late`).
    """
    rows = []
    for o in outcomes:
        score = "—" if o.score is None else f"{o.score:g}" + (
            f" / {o.max_score:g}" if o.max_score is not None else "")
        rows.append((o.student, score, late_text(o.seconds_late),
                     o.state + (f": {o.why}" if o.why else "")))
    return rows
