"""The cohort report: one HTML file a trainer can open offline and read with a screen reader.

What it shows: the state of every module (graded, needs manual grading,
failed, not submitted), the score distribution per module, how well the
cohort does on each content item the exercises cover (the course's
competences), the questions most trainees miss, who has not submitted, and
which submissions need the trainer. Charts are matplotlib PNGs embedded as
base64 with a text alternative; every chart's numbers are also in a table.
"""

from __future__ import annotations

import base64
import io
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.competences import CompetenceResult, cohort_rows, trainee_competences
from alcourse.grading.course import CourseFolder
from alcourse.grading.recorded import RecordedCheck, graded_notebook, read_checks
from alcourse.grading.status import (
    FAILED,
    GRADED,
    NEEDS_ATTENTION,
    NEEDS_MANUAL,
    NOT_GRADED,
    NOT_SUBMITTED,
)
from alcourse.render import render

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from alcourse.grading.gradebook import CellGrade

COUNTED = (GRADED, NEEDS_MANUAL, NEEDS_ATTENTION, FAILED, NOT_GRADED, NOT_SUBMITTED)
BAR = "#1a4f8b"  # 8.6:1 on white
BINS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]
@dataclass
class ItemStats:
    """How the cohort did on one content item, over every question that covers it."""

    item_id: str
    label: str
    modules: set[str] = field(default_factory=set)
    shares: list[float] = field(default_factory=list)  # one per trainee: points / max on this item

    @property
    def mean(self) -> float:
        return 100.0 * statistics.fmean(self.shares) if self.shares else 0.0

    @property
    def struggling(self) -> int:
        return sum(1 for s in self.shares if s < 0.5)


@dataclass
class QuestionStats:
    module: str
    exercise: str
    prompt: str
    items: tuple[str, ...]
    item_labels: tuple[str, ...] = ()
    answered: int = 0
    right: int = 0
    total: int = 0

    @property
    def missed(self) -> float:
        return 100.0 * (self.total - self.right) / self.total if self.total else 0.0


def item_label(cur: Curriculum, item_id: str) -> str:
    try:
        item = cur.course.item(item_id)
    except KeyError:
        return item_id
    for attr in ("title", "aspect", "term"):
        if getattr(item, attr, ""):
            return str(getattr(item, attr))
    return item_id


def recorded_checks(folder: CourseFolder, row: CohortRow) -> dict[str, RecordedCheck] | None:
    """The checks a graded submission's notebook recorded (None: not graded, or its files are gone)."""
    if row.state.label not in (GRADED, NEEDS_MANUAL):
        return None
    return read_checks(graded_notebook(folder.root, row.student, row.module))


def analyse_answers(folder: CourseFolder, rows: list[CohortRow], cur: Curriculum
                    ) -> tuple[dict[str, ItemStats], list[QuestionStats]]:
    """Per content item and per question, from what the graded notebooks recorded."""
    items: dict[str, ItemStats] = {}
    questions: dict[tuple[str, str], QuestionStats] = {}
    for row in rows:
        # a submission that needs attention has no answers file: its answers are missing, not wrong
        checks = recorded_checks(folder, row)
        if not checks:
            continue
        per_item: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for check in checks.values():
            if check.problem:
                continue
            for q in check.questions:
                stats = questions.setdefault((check.exercise, q.id), QuestionStats(
                    row.module, check.title, q.prompt, q.covers, tuple(item_label(cur, i) for i in q.covers)))
                stats.total += 1
                stats.answered += q.answered
                stats.right += q.correct
                for item_id in q.covers:
                    per_item[item_id][0] += q.points
                    per_item[item_id][1] += q.max_points
        for item_id, (points, maximum) in per_item.items():
            if maximum:
                stats_item = items.setdefault(item_id, ItemStats(item_id, item_label(cur, item_id)))
                stats_item.modules.add(row.module)
                stats_item.shares.append(points / maximum)
    return items, sorted(questions.values(), key=lambda q: (-q.missed, q.module, q.prompt))


def _png(fig: Figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _bin_label(low: int, high: int) -> str:
    return f"{low}–{min(high, 100)}%"


def histogram_png(percents: list[float], title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = [sum(low <= p < high for p in percents) for low, high in BINS]
    fig, ax = plt.subplots(figsize=(6, 2.8))
    bars = ax.bar([_bin_label(lo, hi) for lo, hi in BINS], counts, color=BAR, edgecolor="#000000")
    ax.bar_label(bars, labels=[str(c) for c in counts], padding=2)
    ax.set_xlabel("score")
    ax.set_ylabel("trainees")
    ax.set_title(title)
    ax.set_ylim(0, max([*counts, 1]) * 1.25)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def items_png(stats: list[ItemStats]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = sorted(stats, key=lambda s: s.mean)
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(shown) + 1.2))
    bars = ax.barh([s.label[:45] for s in shown], [s.mean for s in shown], color=BAR, edgecolor="#000000")
    ax.bar_label(bars, labels=[f"{s.mean:.0f}%" for s in shown], padding=2)
    ax.set_xlim(0, 110)
    ax.set_xlabel("average share of points, %")
    ax.set_title("Content items: how much the cohort got right")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _percent(row: CohortRow) -> float | None:
    """Final percentages only (see CohortRow.percent): never a failure, never work being marked."""
    return row.percent


def competences_by_trainee(folder: CourseFolder, rows: list[CohortRow], cur: Curriculum
                 ) -> dict[str, dict[str, CompetenceResult]]:
    """Each trainee's results per competence, over their graded modules (as their notebooks recorded)."""
    by_student: dict[str, list[tuple[str, dict[str, RecordedCheck] | None, Sequence[CellGrade]]]] = \
        defaultdict(list)
    for row in rows:
        if row.state.label not in (GRADED, NEEDS_MANUAL) or row.module not in cur.modules:
            continue
        by_student[row.student].append((row.module, recorded_checks(folder, row),
                                        row.grades.cells if row.grades else ()))
    return {student: trainee_competences(cur, subs) for student, subs in by_student.items()}


def build_report(folder: CourseFolder, cur: Curriculum, now: datetime | None = None) -> str:
    """The report's HTML, from ``templates/grading/report.html.j2``; scores are the gradebook's."""
    rows = collect(folder)
    ids = sorted({r.module for r in rows})

    def title(module_id: str) -> str:
        return cur.modules[module_id].title if module_id in cur.modules else module_id

    modules = []
    for m in ids:
        mine = [r for r in rows if r.module == m]
        percents = [p for r in mine if (p := _percent(r)) is not None]
        counts = [sum(lo <= p < hi for p in percents) for lo, hi in BINS]
        column: dict[str, Any] = {
                  "id": m, "title": title(m),
                  "counts": [sum(r.state.label == label for r in mine) for label in COUNTED],
                  "median": f"{statistics.median(percents):.0f}%" if percents else "—",
                  "missing": [r.person for r in mine if r.state.label == NOT_SUBMITTED],
                  "late": [(r.person, r.late) for r in mine if r.late],
                  "bands": [], "chart": "", "alt": ""}
        if percents:
            column["bands"] = [(_bin_label(lo, hi), c) for c, (lo, hi) in zip(counts, BINS, strict=True)]
            column["chart"] = histogram_png(percents, title(m))
            column["alt"] = (f"Bar chart of scores in {title(m)} for {len(percents)} trainees: "
                             + ", ".join(f"{c} scored {band}" for band, c in column["bands"])
                             + f". Median {statistics.median(percents):.0f}%, lowest {min(percents):.0f}%, "
                               f"highest {max(percents):.0f}%.")
        modules.append(column)
    items, questions = analyse_answers(folder, rows, cur)
    ordered = sorted(items.values(), key=lambda s: (s.mean, s.label))
    attention = [{"person": r.person, "title": title(r.module), "status": r.state.label, "why": r.state.why}
                 for r in sorted(rows, key=lambda r: (r.state.label, r.module, r.student))
                 if r.state.label in (FAILED, NEEDS_ATTENTION, NEEDS_MANUAL, NOT_GRADED)]
    return render(
        "grading/report.html.j2", students=len({r.student for r in rows}), modules=modules,
        root=str(folder.root), made=(now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        counted=COUNTED, rows=cohort_rows(competences_by_trainee(folder, rows, cur), cur.course),
        items=ordered, items_chart=items_png(ordered) if ordered else "",
        items_alt="Horizontal bar chart of the average share of points per content item: "
                  + "; ".join(f"{s.label} {s.mean:.0f}%" for s in ordered) + ".",
        missed=[q for q in questions if q.total and q.missed >= 50.0], attention=attention)


def write_report(folder: CourseFolder, cur: Curriculum, out: Path | None) -> Path:
    target = out or folder.root / "cohort-report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(build_report(folder, cur), encoding="utf-8")
    return target
