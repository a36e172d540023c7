"""The programme view: one row per trainee, one column per module, for the whole programme.

Each cell is what a trainer needs to know at a glance: **graded** (with the score), **needs
marking** (score so far), **handed in** (not graded yet), **failed** (why; never a zero),
**missing**, and **late** when it came after the module's due date (nbgrader's own lateness:
the submission's ``timestamp.txt`` against the assignment's due date in the gradebook).

Per-competence results need the course's competence framework (issue 11). The seam is
:class:`CompetenceTable`: pass one to :func:`programme_view` and the page gains a
"Competences" table; until the framework exists, nothing is shown rather than a guess.

>>> cell_for(State("graded", "", 24.0, 32.0), late_seconds=0.0)
Cell(label='graded', score='24 / 32 (75%)', why='')
>>> cell_for(State("not submitted", "no submission"), late_seconds=None).label
'missing'
>>> cell_for(State("failed", "empty file", None, 32.0), late_seconds=3600.0)
Cell(label='failed, late', score='', why='empty file')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.course import CourseFolder
from alcourse.grading.status import FAILED, GRADED, NEEDS_MANUAL, NOT_GRADED, NOT_SUBMITTED, State

# the words trainers read, for the honest states of alcourse.grading.status
LABELS = {GRADED: "graded", NEEDS_MANUAL: "needs marking", NOT_GRADED: "handed in", FAILED: "failed",
          NOT_SUBMITTED: "missing"}
COUNTED = ("graded", "needs marking", "handed in", "failed", "missing", "late")


@dataclass(frozen=True)
class Cell:
    label: str
    score: str = ""
    why: str = ""


@dataclass(frozen=True)
class ModuleColumn:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class TraineeRow:
    student: str
    cells: tuple[Cell, ...]

    @property
    def done(self) -> int:
        return sum(c.label.split(",")[0] == "graded" for c in self.cells)


@dataclass(frozen=True)
class CompetenceTable:
    """Results per competence across modules: the seam for the competence framework (issue 11).

    ``rows`` holds, per trainee, one already-worded result per name in ``names``.
    """

    names: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ProgrammeView:
    root: str
    made: str
    modules: tuple[ModuleColumn, ...]
    trainees: tuple[TraineeRow, ...]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    competences: CompetenceTable | None = None
    labels: tuple[str, ...] = COUNTED


def _score(state: State) -> str:
    if state.score is None or not state.max_score:
        return ""
    return f"{state.score:g} / {state.max_score:g} ({100.0 * state.score / state.max_score:.0f}%)"


def cell_for(state: State, late_seconds: float | None) -> Cell:
    """The cell for one trainee and module."""
    label = LABELS.get(state.label, state.label)
    if late_seconds and late_seconds > 0 and state.label != NOT_SUBMITTED:
        label += ", late"
    why = state.why if state.label in (FAILED, NEEDS_MANUAL) else ""
    return Cell(label, _score(state) if state.label in (GRADED, NEEDS_MANUAL) else "", why)


def lateness(folder: CourseFolder, modules: Sequence[str]) -> dict[tuple[str, str], float]:
    """(trainee, module) → seconds late, from nbgrader: the gradebook once graded, else timestamp.txt."""
    from nbgrader.api import Gradebook, MissingEntry

    from alcourse.grading.gradebook import CourseLock
    from alcourse.handin.collect import parse_timestamp

    late: dict[tuple[str, str], float] = {}
    with CourseLock(folder.root / ".alcourse" / "gradebook.lock").held(), \
            Gradebook(folder.db_url, folder.course_id) as gb:
        for module in modules:
            try:
                due = gb.find_assignment(module).duedate
            except MissingEntry:
                continue
            for sub in gb.assignment_submissions(module):
                late[(sub.student_id, module)] = float(sub.total_seconds_late or 0.0)
            if due is None:
                continue
            for stamp in (folder.root / "submitted").glob(f"*/{module}/timestamp.txt"):
                student = stamp.parent.parent.name
                when = parse_timestamp(stamp.read_text(encoding="utf-8"))
                if (student, module) not in late and when is not None:
                    late[(student, module)] = max(0.0, (when - due.replace(tzinfo=UTC)).total_seconds())
    return late


def programme_view(folder: CourseFolder, cur: Curriculum, rows: list[CohortRow] | None = None,
                   late: dict[tuple[str, str], float] | None = None, now: datetime | None = None,
                   competences: CompetenceTable | None = None) -> ProgrammeView:
    """Everything the programme page shows, from the cohort's rows (one per trainee and module)."""
    rows = collect(folder) if rows is None else rows
    ids = sorted({r.module for r in rows},
                 key=lambda m: (cur.modules[m].number if m in cur.modules else 999, m))
    late = lateness(folder, ids) if late is None else late
    modules = tuple(ModuleColumn(m, cur.modules[m].number if m in cur.modules else 0,
                                 cur.modules[m].title if m in cur.modules else m) for m in ids)
    by_key = {(r.student, r.module): r for r in rows}
    trainees = []
    counts = {m: dict.fromkeys(COUNTED, 0) for m in ids}
    for student in sorted({r.student for r in rows}):
        cells = []
        for m in ids:
            row = by_key.get((student, m))
            state = row.state if row else State(NOT_SUBMITTED, "")
            cell = cell_for(state, late.get((student, m)))
            cells.append(cell)
            counts[m][cell.label.split(",")[0]] += 1
            counts[m]["late"] += cell.label.endswith(", late")
        trainees.append(TraineeRow(student, tuple(cells)))
    made = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return ProgrammeView(str(folder.root), made, modules, tuple(trainees), counts, competences)


def render(view: ProgrammeView) -> str:
    """The page, from ``templates/programme.html.j2`` (autoescaped)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("alcourse.grading", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("programme.html.j2").render(view=view)


def write_programme(folder: CourseFolder, cur: Curriculum, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(programme_view(folder, cur)), encoding="utf-8")
    return out
