"""A trainee's results per competence, from the scores of graded items and their tags.

Pure: no gradebook, no files. Each graded item (an exercise question, a criterion
of a written reflection, a simulation criterion; see
:func:`alcourse.curriculum.tags.graded_items`) names the competences it
evidences; an item counts in full towards each of them. A score is a number of
points, or one of the honest states: awaiting a trainer's marking, failed to
grade, or not submitted. A failure is never a zero, so a competence with any
ungraded item has a share of what *is* graded and no level yet.

>>> from alcourse.curriculum.tags import GradedItem
>>> items = [GradedItem("m06.wording:a", "m06", "question", 1, ("competence.q",)),
...          GradedItem("m06.reflection.w:why", "m06", "criterion", 2, ("competence.q", "competence.c"))]
>>> results = competence_results({"m06.wording:a": 1.0, "m06.reflection.w:why": 1.0}, items)
>>> r = results["competence.q"]
>>> (r.points, r.max_points, r.level)
(2.0, 3.0, 'competent')
>>> competence_results({"m06.wording:a": 1.0, "m06.reflection.w:why": NEEDS_MANUAL},
...                    items)["competence.c"].level is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from alcourse.content.model import Course
from alcourse.curriculum.loader import Curriculum
from alcourse.curriculum.model import Criterion
from alcourse.curriculum.tags import GradedItem, graded_items
from alcourse.grading.gradebook import CellGrade
from alcourse.grading.recorded import RecordedCheck
from alcourse.grading.status import FAILED, NEEDS_MANUAL, NOT_SUBMITTED
from alcourse.render import render
from alcourse.session import own_words_grade_id, reflection_grade_id, simulation_grade_id

PENDING_STATES = (NEEDS_MANUAL, FAILED, NOT_SUBMITTED)

#: Share of the marks at or above which a competence is *competent*, then *strong*. The same cut
#: points as the modules' pass threshold (0.6) and the reflections' strong level; the course's own.
COMPETENT_FROM = 0.6
STRONG_FROM = 0.85

Score = float | str


@dataclass(frozen=True)
class CompetenceResult:
    """What the graded items tagged with one competence add up to for one trainee."""

    competence: str
    points: float
    max_points: float
    graded: int
    waiting: int
    failed: int
    missing: int

    @property
    def items(self) -> int:
        return self.graded + self.waiting + self.failed + self.missing

    @property
    def share(self) -> float | None:
        """Points over the maximum of the items graded so far (None if none is graded)."""
        return self.points / self.max_points if self.max_points else None

    @property
    def complete(self) -> bool:
        return self.graded == self.items

    @property
    def level(self) -> str | None:
        """not-yet, competent or strong; None until every item for it is graded."""
        if not self.complete or self.share is None:
            return None
        if self.share >= STRONG_FROM:
            return "strong"
        return "competent" if self.share >= COMPETENT_FROM else "not-yet"

    def describe(self) -> str:
        """One line for a feedback page or a report.

        >>> CompetenceResult("competence.x", 3, 4, 2, 1, 0, 0).describe()
        '3 of 4 (75%) so far; 1 item waiting for a trainer'
        """
        if not self.items:
            return "no graded items evidence it"
        if self.share is None:
            head = "nothing graded yet"
        else:
            head = f"{self.points:g} of {self.max_points:g} ({self.share:.0%})"
        notes = [f"{n} item{'s' if n != 1 else ''} {what}" for n, what in (
            (self.waiting, "waiting for a trainer"), (self.failed, "could not be graded"),
            (self.missing, "not submitted")) if n]
        if not notes:
            return f"{head}: {self.level}"
        return f"{head} so far; " + ", ".join(notes)


def competence_results(scores: Mapping[str, Score], items: Sequence[GradedItem],
                       competences: Iterable[str] = ()) -> dict[str, CompetenceResult]:
    """Per-competence results for one trainee.

    ``scores`` maps a graded item's id to its points, or to :data:`NEEDS_MANUAL` or
    :data:`FAILED`; an item with no score is :data:`NOT_SUBMITTED`. Points above an
    item's maximum, below zero, or an unknown state raise ValueError naming the item.
    ``competences`` lists competences to report even when no item names them.
    """
    totals: dict[str, list[float]] = {c: [0.0, 0.0, 0, 0, 0, 0] for c in competences}
    for item in items:
        score = scores.get(item.id, NOT_SUBMITTED)
        column = _column(item, score)
        for tag in item.competences:
            row = totals.setdefault(tag, [0.0, 0.0, 0, 0, 0, 0])
            row[column] += 1
            if column == 2:
                row[0] += float(score)
                row[1] += item.max_points
    return {c: CompetenceResult(c, round(r[0], 6), round(r[1], 6), int(r[2]), int(r[3]),
                                int(r[4]), int(r[5])) for c, r in totals.items()}


def _column(item: GradedItem, score: Score) -> int:
    if isinstance(score, str):
        if score not in PENDING_STATES:
            raise ValueError(f"{item.id}: score {score!r} is not a number or one of "
                             f"{', '.join(PENDING_STATES)}")
        return 3 + PENDING_STATES.index(score)
    if not 0 <= float(score) <= item.max_points:
        raise ValueError(f"{item.id}: {score} points is outside 0 to {item.max_points:g}")
    return 2


def exercise_scores(exercise_id: str, points: Mapping[str, float]) -> dict[str, float]:
    """An exercise's per-question points under graded-item ids.

    >>> exercise_scores("m03.contrasts-in-practice", {"speaker-first": 1.0})
    {'m03.contrasts-in-practice:speaker-first': 1.0}
    """
    return {f"{exercise_id}:{qid}": float(p) for qid, p in points.items()}


def criterion_marks(comment: str, criteria: Sequence[tuple[str, tuple[float, ...]]],
                    where: str = "comment") -> dict[str, float]:
    """Per-criterion marks a trainer wrote in formgrader's comment box, one ``id: marks`` a line.

    formgrader records one manual grade per written answer; the marks per criterion, which the
    per-competence results need, come from these lines. ``criteria`` gives each criterion's id
    and its allowed level marks. Other lines (the trainer's feedback) are left alone; a
    criterion line with an unknown id or a mark that is not one of its levels raises ValueError.

    >>> criterion_marks("Good moment.\\nmoment: 1\\nprinciple: 0.5", [("moment", (0, 0.5, 1)),
    ...                  ("principle", (0, 0.5, 1))])
    {'moment': 1.0, 'principle': 0.5}
    """
    allowed = dict(criteria)
    marks: dict[str, float] = {}
    for number, line in enumerate(comment.splitlines(), 1):
        head, sep, tail = line.partition(":")
        key = head.strip()
        if not sep or " " in key or not key:
            continue
        try:
            value = float(tail.strip())
        except ValueError:
            continue
        if key not in allowed:
            raise ValueError(f"{where}:{number}: {key}: is not a criterion; use one of "
                             f"{', '.join(allowed)}")
        if value not in allowed[key]:
            raise ValueError(f"{where}:{number}: {key}: {value:g} is not one of its level marks "
                             f"({', '.join(f'{m:g}' for m in allowed[key])})")
        marks[key] = value
    return marks


def module_scores(cur: Curriculum, module_id: str, checks: Mapping[str, RecordedCheck] | None,
                  cells: Sequence[CellGrade]) -> dict[str, Score]:
    """Graded-item scores for one trainee's submission of one module.

    ``checks`` are the exercise checks the graded notebook recorded (None: nothing graded;
    see :mod:`alcourse.grading.recorded`), never re-checked against today's content;
    ``cells`` are the submission's gradebook cells. A written answer counts per criterion
    only when the trainer's comment gives every criterion's marks (see :func:`criterion_marks`)
    or the answer scored nothing or everything; otherwise its criteria wait for the trainer.
    """
    module = cur.module(module_id)
    by_name = {c.name: c for c in cells}
    scores: dict[str, Score] = {}
    for check in (checks or {}).values():
        if not check.problem:
            scores.update(exercise_scores(check.exercise, check.question_points))
    for ref in module.reflections():
        cell = by_name.get(reflection_grade_id(ref.id))
        if cell is None:
            continue
        scores.update(_reflection_scores(ref.id, ref.criteria, cell))
    for sim in module.simulations():
        for crit in sim.criteria:
            cell = by_name.get(simulation_grade_id(sim.id, crit.id))
            if cell is not None:
                scores[f"{sim.id}:{crit.id}"] = (NEEDS_MANUAL if cell.needs_manual_grade
                                                 else min(max(cell.score, 0.0), crit.points))
        own = sim.own_words
        cell = by_name.get(own_words_grade_id(sim.id)) if own is not None else None
        if own is not None and cell is not None:
            scores.update(_reflection_scores(own.id, own.criteria, cell))
    return scores


def _reflection_scores(ref_id: str, criteria: Sequence[Criterion], cell: CellGrade) -> dict[str, Score]:
    ids = [f"{ref_id}:{c.id}" for c in criteria]
    if cell.needs_manual_grade:
        return dict.fromkeys(ids, NEEDS_MANUAL)
    if cell.score <= 0:
        return dict.fromkeys(ids, 0.0)
    if cell.score >= cell.max_score:
        return {i: float(c.points) for i, c in zip(ids, criteria, strict=True)}
    levels = [(c.id, tuple(lv.marks for lv in c.levels.values()) or (0.0, float(c.points)))
              for c in criteria]
    try:
        marks = criterion_marks(cell.comment, levels)
    except ValueError:
        marks = {}
    if set(marks) != {c.id for c in criteria} or abs(sum(marks.values()) - cell.score) > 1e-6:
        # the total is marked but not split by criterion: ask, rather than guess a split
        return dict.fromkeys(ids, NEEDS_MANUAL)
    return {f"{ref_id}:{cid}": m for cid, m in marks.items()}


def competence_rows(results: Mapping[str, CompetenceResult], course: Course) -> list[tuple[str, str]]:
    """(title, result) per competence with graded items, in framework order."""
    return [(course.competences[c].title, results[c].describe()) for c in course.competences
            if c in results and results[c].items]


def competence_table_html(results: Mapping[str, CompetenceResult], course: Course) -> str:
    """A feedback-page table, one row per competence with graded items, in framework order.

    >>> from alcourse.content import load_course
    >>> r = {"competence.contracting": CompetenceResult("competence.contracting", 2, 2, 2, 0, 0, 0)}
    >>> html = competence_table_html(r, load_course())
    >>> "Contracting and ground rules</td><td>2 of 2 (100%): strong" in html
    True
    """
    return render("grading/competences-trainee.html.j2", competence_rows=competence_rows(results, course))


def module_items(cur: Curriculum, module_id: str,
                 checks: Mapping[str, RecordedCheck] | None) -> list[GradedItem]:
    """A module's graded items; its questions as graded (their points and tags) when recorded."""
    items = [i for i in graded_items(cur) if i.module == module_id]
    if not checks:
        return items
    recorded = [GradedItem(f"{c.exercise}:{q.id}", module_id, "question", q.max_points, q.competences)
                for c in checks.values() for q in c.questions]
    return [i for i in items if i.kind != "question"] + recorded


def module_competences(cur: Curriculum, module_id: str, checks: Mapping[str, RecordedCheck] | None,
                       cells: Sequence[CellGrade]) -> dict[str, CompetenceResult]:
    """Per-competence results of one submission of one module."""
    return competence_results(module_scores(cur, module_id, checks, cells),
                              module_items(cur, module_id, checks))


def trainee_competences(cur: Curriculum, submissions: Iterable[
        tuple[str, Mapping[str, RecordedCheck] | None, Sequence[CellGrade]]]
                        ) -> dict[str, CompetenceResult]:
    """One trainee's results per competence over the modules they submitted.

    ``submissions`` holds (module id, recorded checks, gradebook cells) per graded module;
    items of modules not listed are left out rather than counted as missing.
    """
    scores: dict[str, Score] = {}
    items: list[GradedItem] = []
    for module_id, checks, cells in submissions:
        scores.update(module_scores(cur, module_id, checks, cells))
        items += module_items(cur, module_id, checks)
    return competence_results(scores, items, competences=cur.course.competences)


def cohort_competence_html(per_trainee: Mapping[str, Mapping[str, CompetenceResult]],
                           course: Course) -> str:
    """The cohort report's table: how many trainees are at each level, per competence.

    >>> from alcourse.content import load_course
    >>> done = CompetenceResult("competence.contracting", 1, 1, 1, 0, 0, 0)
    >>> waiting = CompetenceResult("competence.contracting", 0, 0, 0, 1, 0, 0)
    >>> html = cohort_competence_html({"ann": {done.competence: done},
    ...                                "bo": {done.competence: waiting}}, load_course())
    >>> '<td class="num">1</td>' in html and "100%" in html
    True
    """
    return render("grading/competences-cohort.html.j2", rows=cohort_rows(per_trainee, course))


def cohort_rows(per_trainee: Mapping[str, Mapping[str, CompetenceResult]],
                course: Course) -> list[dict[str, object]]:
    """One row per competence of the framework: trainees per level and the median share."""
    import statistics

    rows = []
    for cid, competence in course.competences.items():
        results = [r[cid] for r in per_trainee.values() if cid in r and r[cid].items]
        levels = [r.level for r in results]
        shares = [r.share for r in results if r.share is not None]
        rows.append({"title": competence.title, "strong": levels.count("strong"),
                     "competent": levels.count("competent"), "not_yet": levels.count("not-yet"),
                     "incomplete": levels.count(None),
                     "median": f"{statistics.median(shares):.0%}" if shares else "\u2014"})
    return rows
