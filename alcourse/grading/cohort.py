"""The state of a whole cohort: every trainee × every released module, honestly labelled.

Built from three places: the submission folders (who submitted what), the
recorded grading outcomes (:class:`~alcourse.grading.status.StatusStore`) and
nbgrader's gradebook (scores, including a trainer's manual ones, and lateness through
:mod:`alcourse.grading.lateness`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from alcourse.grading.course import CourseFolder
from alcourse.grading.gradebook import CourseLock, SubmissionGrades, read_submission
from alcourse.grading.lateness import late_text, lateness_in
from alcourse.grading.status import (
    GRADED,
    NEEDS_ATTENTION,
    NEEDS_MANUAL,
    NOT_SUBMITTED,
    State,
    StatusStore,
    current_state,
)

EXPORT_COLUMNS = ("student", "name", "module", "status", "score", "max_score", "percent",
                  "autograded_score", "autograded_max", "why", "notes", "graded_at", "late")


@dataclass(frozen=True)
class CohortRow:
    student: str
    module: str
    state: State
    grades: SubmissionGrades | None
    graded_at: str = ""
    name: str = ""  # from nbgrader's student record; the id when it has no name
    # seconds after the module's due date (nbgrader's duedate); shown, never a silent penalty
    seconds_late: float = 0.0

    @property
    def late(self) -> str:
        """"late by …" when the submission came after the due date, else ""."""
        return "" if self.state.label == NOT_SUBMITTED else late_text(self.seconds_late)

    @property
    def final(self) -> bool:
        """Whether the score is final: graded, with nothing left to mark or sort out."""
        return self.state.label == GRADED and self.state.score is not None

    @property
    def percent(self) -> float | None:
        """The final percentage; None while anything is still to be marked or sorted out."""
        s = self.state
        if not self.final or not s.max_score or s.score is None:
            return None
        return 100.0 * s.score / s.max_score

    @property
    def autograded(self) -> tuple[float, float] | None:
        """(score, max) of the autograded checks alone, when the submission has grades."""
        if self.grades is None or self.state.label not in (GRADED, NEEDS_MANUAL, NEEDS_ATTENTION):
            return None
        checks = [c for c in self.grades.cells if c.cell_type != "markdown"]
        return sum(c.auto_score or 0.0 for c in checks), sum(c.max_score for c in checks)

    @property
    def person(self) -> str:
        """How a person reading a page is named: the trainee's name, else their id."""
        return self.name or self.student


def released_modules(folder: CourseFolder) -> list[str]:
    release = folder.root / "release"
    return sorted(p.name for p in release.iterdir() if p.is_dir()) if release.is_dir() else []


def students(folder: CourseFolder, modules: Iterable[str], gradebook_students: Iterable[str]) -> list[str]:
    found = set(gradebook_students)
    submitted = folder.root / "submitted"
    if submitted.is_dir():
        found |= {p.name for p in submitted.iterdir() if p.is_dir()}
    store = StatusStore(folder.root)
    for module in modules:
        found |= set(store.load(module))
    return sorted(found)


def collect(folder: CourseFolder, modules: list[str] | None = None) -> list[CohortRow]:
    """One row per trainee and module, in trainee then module order."""
    from nbgrader.api import Gradebook

    modules = modules if modules is not None else released_modules(folder)
    if not modules:
        return []
    store = StatusStore(folder.root)
    outcomes = {m: store.load(m) for m in modules}
    rows: list[CohortRow] = []
    lock = CourseLock(folder.root / ".alcourse" / "gradebook.lock")
    with lock.held(), Gradebook(folder.db_url, folder.course_id) as gb:
        names = {s.id: " ".join(p for p in (s.first_name, s.last_name) if p) for s in gb.students}
        people = students(folder, modules, names)
        late = lateness_in(gb, folder.root, modules)
        for student in people:
            name = names.get(student, "")
            for module in modules:
                outcome = outcomes[module].get(student)
                grades = read_submission(gb, module, module, student)
                submitted = (folder.root / "submitted" / student / module).is_dir()
                if not submitted and outcome is None:
                    state = State(NOT_SUBMITTED, "no submission in submitted/"
                                  f"{student}/{module}/")
                    rows.append(CohortRow(student, module, state, None, name=name))
                    continue
                rows.append(CohortRow(student, module, current_state(outcome, grades), grades,
                                      outcome.graded_at if outcome else "", name,
                                      late.of(student, module)))
    return rows


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def export_csv(rows: list[CohortRow]) -> str:
    """CSV text with a status column.

    ``score`` and ``percent`` are final scores only: empty for a failed submission (never 0)
    and for one still being marked or needing attention, whose autograded part is in
    ``autograded_score`` / ``autograded_max``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        s = row.state
        percent = row.percent
        auto = row.autograded
        writer.writerow([row.student, row.name, row.module, s.label,
                         _number(s.score) if row.final else "", _number(s.max_score),
                         "" if percent is None else f"{percent:.1f}",
                         _number(auto[0]) if auto else "", _number(auto[1]) if auto else "",
                         s.why, " | ".join(s.notes), row.graded_at, row.late])
    return out.getvalue()


def write_export(folder: CourseFolder, out: Path | None) -> tuple[Path, list[CohortRow]]:
    rows = collect(folder)
    target = out or folder.root / "grades.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(export_csv(rows), encoding="utf-8")
    return target, rows
