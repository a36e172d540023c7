"""The programme view: one row per trainee, one column per module, for the whole programme.

Each cell is what a trainer needs to know at a glance: **graded** (with the score), **needs
marking** (score so far), **handed in** (not graded yet), **failed** (why; never a zero),
**missing**, and **late** when it came after the module's due date (nbgrader's own lateness,
read once for every view by :mod:`alcourse.grading.lateness`).

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alcourse import render as templates
from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.course import CourseFolder
from alcourse.grading.lateness import read_lateness
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


def programme_view(folder: CourseFolder, cur: Curriculum, rows: list[CohortRow] | None = None,
                   now: datetime | None = None, competences: CompetenceTable | None = None) -> ProgrammeView:
    """Everything the programme page shows, from the cohort's rows (one per trainee and module)."""
    rows = collect(folder) if rows is None else rows
    ids = sorted({r.module for r in rows},
                 key=lambda m: (cur.modules[m].number if m in cur.modules else 999, m))
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
            cell = cell_for(state, row.seconds_late if row else None)
            cells.append(cell)
            counts[m][cell.label.split(",")[0]] += 1
            counts[m]["late"] += cell.label.endswith(", late")
        trainees.append(TraineeRow(student, tuple(cells)))
    made = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return ProgrammeView(str(folder.root), made, modules, tuple(trainees), counts, competences)


def render(view: ProgrammeView) -> str:
    """The page, from ``templates/grading/programme.html.j2`` (autoescaped)."""
    return templates.render("grading/programme.html.j2", view=view)


def competence_table(cur: Curriculum, per_trainee: Mapping[str, Mapping[str, Any]]) -> CompetenceTable:
    """Each trainee's result per competence of the framework, over the modules graded so far.

    ``per_trainee`` maps a trainee to their :class:`~alcourse.grading.competences.CompetenceResult`
    per competence id (see :func:`alcourse.grading.report.competences_by_trainee`).
    """
    ids = list(cur.course.competences)
    return CompetenceTable(
        tuple(cur.course.competences[c].title for c in ids),
        tuple((student, tuple(results[c].describe() if c in results else "nothing graded yet" for c in ids))
              for student, results in sorted(per_trainee.items())))


def write_programme(folder: CourseFolder, cur: Curriculum, out: Path) -> tuple[Path, list[Path]]:
    """The programme page at ``out``, and each trainee's progress page in ``feedback/TRAINEE/``."""
    from alcourse.grading.report import competences_by_trainee

    rows = collect(folder)
    view = programme_view(folder, cur, rows,
                          competences=competence_table(cur, competences_by_trainee(folder, rows, cur)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(view), encoding="utf-8")
    return out, write_progress_pages(folder, view)


# -- the trainee's own progress page (part of their feedback) -------------------------------------

REVISIT_BELOW = 60.0  # percent: below this, a graded module is worth revisiting
TODO = {"missing": "to do: hand it in", "handed in": "handed in: your trainer has not graded it yet",
        "needs marking": "handed in: your trainer is marking your written answers",
        "failed": "hand it in again: it could not be graded ({why})"}


@dataclass(frozen=True)
class ProgressItem:
    title: str
    label: str
    score: str
    due: str
    todo: str


def progress_items(view: ProgrammeView, row: TraineeRow, due: dict[str, str]) -> list[ProgressItem]:
    """One line per module for one trainee: where they are, and what to do next.

    >>> view = ProgrammeView("/c", "now", (ModuleColumn("m1", 1, "One"), ModuleColumn("m2", 2, "Two")), ())
    >>> row = TraineeRow("ann", (Cell("graded", "5 / 10 (50%)"), Cell("missing")))
    >>> [i.todo for i in progress_items(view, row, {"m2": "2027-03-01"})]
    ['done: worth revisiting (50%)', 'to do: hand it in']
    """
    items = []
    for module, cell in zip(view.modules, row.cells, strict=True):
        state = cell.label.split(",")[0]
        if state == "graded":
            percent = float(cell.score.rsplit("(", 1)[1].rstrip("%)")) if "(" in cell.score else 100.0
            todo = f"done: worth revisiting ({percent:.0f}%)" if percent < REVISIT_BELOW else "done"
        else:
            todo = TODO.get(state, state).format(why=cell.why)
        items.append(ProgressItem(f"{module.number}. {module.title}", cell.label, cell.score,
                                  due.get(module.id, ""), todo))
    return items


def write_progress_pages(folder: CourseFolder, view: ProgrammeView) -> list[Path]:
    """``feedback/TRAINEE/progress.html`` for every trainee, beside their module feedback."""
    lateness = read_lateness(folder, [m.id for m in view.modules])
    due = {m.id: lateness.due_text(m.id) for m in view.modules if m.id in lateness.due}
    written = []
    for row in view.trainees:
        target = folder.root / "feedback" / row.student / "progress.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        page = templates.render("grading/progress.html.j2", trainee=row.student, done=row.done,
                                made=view.made, items=progress_items(view, row, due))
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written
