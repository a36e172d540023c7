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
import html
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alcourse.answers import AnswersError, AnswerStore
from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.competences import CompetenceResult, cohort_competence_html, trainee_competences
from alcourse.grading.course import CourseFolder
from alcourse.grading.status import (
    FAILED,
    GRADED,
    NEEDS_ATTENTION,
    NEEDS_MANUAL,
    NOT_GRADED,
    NOT_SUBMITTED,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COUNTED = (GRADED, NEEDS_MANUAL, NEEDS_ATTENTION, FAILED, NOT_GRADED, NOT_SUBMITTED)
BAR = "#1a4f8b"  # 8.6:1 on white
BINS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]
STYLE = """
body { font-family: system-ui, sans-serif; color: #1b1b1b; background: #ffffff; line-height: 1.5;
  max-width: 70rem; margin: 0 auto; padding: 1rem 1.5rem; font-size: 16px; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; min-width: 24rem; }
th, td { border: 1px solid #6b6b6b; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
td.num, th.num { text-align: right; }
img { max-width: 100%; height: auto; border: 1px solid #6b6b6b; }
a { color: #0b4a8b; }
"""


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
    answered: int = 0
    right: int = 0
    total: int = 0

    @property
    def missed(self) -> float:
        return 100.0 * (self.total - self.right) / self.total if self.total else 0.0


def _e(text: object) -> str:
    return html.escape(str(text))


def item_label(cur: Curriculum, item_id: str) -> str:
    try:
        item = cur.course.item(item_id)
    except KeyError:
        return item_id
    for attr in ("title", "aspect", "term"):
        if getattr(item, attr, ""):
            return str(getattr(item, attr))
    return item_id


def analyse_answers(folder: CourseFolder, rows: list[CohortRow], cur: Curriculum
                    ) -> tuple[dict[str, ItemStats], list[QuestionStats]]:
    """Per content item and per question, from the answers files nbgrader graded."""
    items: dict[str, ItemStats] = {}
    questions: dict[tuple[str, str], QuestionStats] = {}
    for row in rows:
        # a submission that needs attention has no answers file: its answers are missing, not wrong
        if row.state.label not in (GRADED, NEEDS_MANUAL) or row.module not in cur.modules:
            continue
        graded = folder.root / "autograded" / row.student / row.module
        if not (graded / f"{row.module}.ipynb").exists():
            continue  # graded once, but its autograded files are gone: nothing to read
        path = graded / f"{row.module}.answers.json"
        store = AnswerStore(path, row.module)
        per_item: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for ex in cur.module_exercises(row.module):
            try:
                result = ex.check(store.graded(ex.id))
            except AnswersError:
                continue
            by_id = {i.question_id: i for i in result.items}
            for q in ex.questions:
                res = by_id[q.id]
                stats = questions.setdefault((ex.id, q.id), QuestionStats(
                    row.module, ex.title, q.prompt, q.covers))
                stats.total += 1
                stats.answered += res.answered
                stats.right += res.correct
                for item_id in q.covers:
                    per_item[item_id][0] += res.points
                    per_item[item_id][1] += res.max_points
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
    """Each trainee's results per competence, over their graded modules."""
    by_student: dict[str, list[tuple[str, dict[str, dict[str, str]] | None, tuple]]] = defaultdict(list)
    for row in rows:
        if row.state.label not in (GRADED, NEEDS_MANUAL) or row.module not in cur.modules:
            continue
        path = folder.root / "autograded" / row.student / row.module / f"{row.module}.answers.json"
        choices: dict[str, dict[str, str]] | None = None
        if path.exists():
            store = AnswerStore(path, row.module)
            try:
                choices = {ex.id: store.graded(ex.id) for ex in cur.module_exercises(row.module)}
            except AnswersError:
                choices = None
        by_student[row.student].append((row.module, choices, row.grades.cells if row.grades else ()))
    return {student: trainee_competences(cur, subs) for student, subs in by_student.items()}


def build_report(folder: CourseFolder, cur: Curriculum, now: datetime | None = None) -> str:
    rows = collect(folder)
    modules = sorted({r.module for r in rows})
    students = sorted({r.student for r in rows})  # ids: two trainees may share a name
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")

    def title(module_id: str) -> str:
        return cur.modules[module_id].title if module_id in cur.modules else module_id

    out = [f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>Cohort report</title><style>{STYLE}</style></head><body><main>",
           "<h1>Cohort report</h1>",
           f"<p>{len(students)} trainees, {len(modules)} released modules. Course folder: "
           f"{_e(folder.root)}. Made {when}.</p>"]
    if not rows:
        out.append("<p>No module has been released yet: run <code>alcourse release</code>.</p>")
        out.append("</main></body></html>\n")
        return "\n".join(out)

    out.append("<h2>Summary by module</h2>")
    out.append('<table><caption>How many submissions are in each state, per module</caption><thead><tr>'
               '<th scope="col">Module</th>' + "".join(
                   f'<th scope="col" class="num">{_e(label)}</th>'
                   for label in (*COUNTED, "median final score"))
               + "</tr></thead><tbody>")
    for m in modules:
        mine = [r for r in rows if r.module == m]
        percents = [p for r in mine if (p := _percent(r)) is not None]
        median = f"{statistics.median(percents):.0f}%" if percents else "—"
        out.append(f'<tr><th scope="row">{_e(title(m))}</th>' + "".join(
            f'<td class="num">{sum(r.state.label == label for r in mine)}</td>'
            for label in COUNTED)
            + f'<td class="num">{median}</td></tr>')
    out.append("</tbody></table>")
    out.append("<p>Only final scores are counted: a submission still being marked or needing attention "
               "has no final score until it is marked or sorted out, and a failed submission has no "
               "score at all (it is not a zero).</p>")

    out.append("<h2>Score distribution per module</h2>")
    for m in modules:
        percents = [p for r in rows if r.module == m and (p := _percent(r)) is not None]
        out.append(f"<h3>{_e(title(m))}</h3>")
        if not percents:
            out.append("<p>No scores yet.</p>")
            continue
        counts = [sum(lo <= p < hi for p in percents) for lo, hi in BINS]
        alt = (f"Bar chart of scores in {title(m)} for {len(percents)} trainees: "
               + ", ".join(f"{c} scored {_bin_label(lo, hi)}"
                           for c, (lo, hi) in zip(counts, BINS, strict=True))
               + f". Median {statistics.median(percents):.0f}%, lowest {min(percents):.0f}%, "
                 f"highest {max(percents):.0f}%.")
        out.append(f'<img src="data:image/png;base64,{histogram_png(percents, title(m))}" alt="{_e(alt)}">')
        out.append(f"<table><caption>Trainees per score band in {_e(title(m))}</caption><thead><tr>"
                   '<th scope="col">Score</th><th scope="col" class="num">Trainees</th></tr></thead><tbody>'
                   + "".join(f'<tr><th scope="row">{_bin_label(lo, hi)}</th><td class="num">{c}</td></tr>'
                             for c, (lo, hi) in zip(counts, BINS, strict=True)) + "</tbody></table>")

    out.append(cohort_competence_html(competences_by_trainee(folder, rows, cur), cur.course))

    items, questions = analyse_answers(folder, rows, cur)
    out.append("<h2>Content items (competences)</h2>")
    if items:
        ordered = sorted(items.values(), key=lambda s: (s.mean, s.label))
        alt = "Horizontal bar chart of the average share of points per content item: " + "; ".join(
            f"{s.label} {s.mean:.0f}%" for s in ordered) + "."
        out.append(f'<img src="data:image/png;base64,{items_png(ordered)}" alt="{_e(alt)}">')
        out.append("<table><caption>Content items, weakest first</caption><thead><tr>"
                   '<th scope="col">Content item</th><th scope="col">Modules</th>'
                   '<th scope="col" class="num">Average share of points</th>'
                   '<th scope="col" class="num">Trainees below half</th>'
                   '<th scope="col" class="num">Trainees</th></tr></thead><tbody>')
        for s in ordered:
            out.append(f'<tr><th scope="row">{_e(s.label)} <small>({_e(s.item_id)})</small></th>'
                       f"<td>{_e(', '.join(sorted(s.modules)))}</td><td class='num'>{s.mean:.0f}%</td>"
                       f"<td class='num'>{s.struggling}</td><td class='num'>{len(s.shares)}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>No graded answers yet.</p>")

    out.append("<h2>What most trainees miss</h2>")
    missed = [q for q in questions if q.total and q.missed >= 50.0]
    if missed:
        out.append("<table><caption>Questions that at least half of the graded trainees did not get right"
                   "</caption><thead><tr><th scope='col'>Question</th><th scope='col'>Exercise</th>"
                   "<th scope='col'>Content items</th><th scope='col' class='num'>Missed</th>"
                   "<th scope='col' class='num'>Not answered</th></tr></thead><tbody>")
        for q in missed:
            out.append(f"<tr><th scope='row'>{_e(q.prompt)}</th><td>{_e(q.exercise)}</td>"
                       f"<td>{_e(', '.join(item_label(cur, i) for i in q.items))}</td>"
                       f"<td class='num'>{q.missed:.0f}% ({q.total - q.right} of {q.total})</td>"
                       f"<td class='num'>{q.total - q.answered}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>No question was missed by half of the graded trainees.</p>")

    out.append("<h2>Who has not submitted</h2>")
    any_missing = False
    for m in modules:
        missing = [r.person for r in rows if r.module == m and r.state.label == NOT_SUBMITTED]
        if missing:
            any_missing = True
            out.append(f"<h3>{_e(title(m))}</h3><ul>" + "".join(f"<li>{_e(s)}</li>" for s in missing)
                       + "</ul>")
    if not any_missing:
        out.append("<p>Every trainee has submitted every released module.</p>")

    out.append("<h2>Submissions that need you</h2>")
    attention = [r for r in rows if r.state.label in (FAILED, NEEDS_ATTENTION, NEEDS_MANUAL, NOT_GRADED)]
    if attention:
        out.append("<table><caption>Failed, ungraded and not fully graded submissions</caption><thead><tr>"
                   "<th scope='col'>Trainee</th><th scope='col'>Module</th><th scope='col'>Status</th>"
                   "<th scope='col'>Why</th></tr></thead><tbody>")
        for r in sorted(attention, key=lambda r: (r.state.label, r.module, r.student)):
            out.append(f"<tr><th scope='row'>{_e(r.person)}</th><td>{_e(title(r.module))}</td>"
                       f"<td>{_e(r.state.label)}</td><td>{_e(r.state.why)}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>Nothing: every submission is graded.</p>")
    out.append("</main></body></html>\n")
    return "\n".join(out)


def write_report(folder: CourseFolder, cur: Curriculum, out: Path | None) -> Path:
    target = out or folder.root / "cohort-report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(build_report(folder, cur), encoding="utf-8")
    return target
