"""Per-trainee feedback pages that open offline.

nbgrader's ``generate_feedback`` renders each autograded notebook with the
trainer's scores and comments, through nbconvert. Here it renders with alcourse's nbconvert
template (``alcourse/templates/nbconvert/feedback/alcourse_feedback.html.j2``), which extends
nbgrader's ``feedback`` template: the page says its language, loads nothing from another site
(nbgrader's loads MathJax from a CDN; the course has no mathematics), and its ``<main>`` starts
with a summary: the status, the score, and for every exercise the trainee's first choices with
the checker's feedback sentence. The summary reaches the template through nbconvert's resources
(:class:`~alcourse.grading.preprocessors.FeedbackSummary`). The scores are nbgrader's
gradebook's; the first choices and feedback sentences are what the graded notebook
recorded (see :mod:`alcourse.grading.recorded`), so a later content edit changes neither.
A submission that failed gets a page saying why instead of a score.

>>> [(d / "feedback").is_dir() for d in template_basedirs()]
[True, True]
>>> (template_basedirs()[1] / "feedback" / TEMPLATE_FILE).is_file()
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.competences import competence_rows, module_competences
from alcourse.grading.course import CourseError, CourseFolder
from alcourse.grading.gradebook import CourseLock
from alcourse.grading.messages import NOT_ZERO, could_not_run
from alcourse.grading.recorded import graded_notebook, read_checks
from alcourse.grading.status import FAILED, GRADED, NEEDS_ATTENTION, NEEDS_MANUAL, NOT_SUBMITTED
from alcourse.render import render

# nbgrader's API renders feedback with the nbconvert template named "feedback" whatever the
# configuration says; this file, in alcourse's own "feedback" folder, extends nbgrader's index.html.j2
TEMPLATE_FILE = "alcourse_feedback.html.j2"


@dataclass(frozen=True)
class FeedbackRun:
    written: list[Path]
    failed_pages: list[Path]
    skipped: list[str]  # submitted, not graded yet
    not_submitted: list[str] = field(default_factory=list)  # names (ids without one)


def template_basedirs() -> list[Path]:
    """nbgrader's nbconvert templates (``feedback``, which ours extends) and alcourse's."""
    import nbgrader

    # where nbgrader's GenerateFeedback finds them when the configuration names none
    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    return [nbgrader_templates, Path(__file__).parents[1] / "templates" / "nbconvert"]


def _score(row: CohortRow) -> str:
    s = row.state
    if s.score is None or s.label in (FAILED, NEEDS_ATTENTION):
        return "no score yet"
    return f"{s.score:g} out of {s.max_score:g}"


def summary_html(row: CohortRow, cur: Curriculum, graded: Path | None) -> str:
    """The alcourse part of a feedback page: status, score (the gradebook's), first choices and why.

    The first choices, points and feedback sentences are those the graded notebook ``graded``
    recorded (:mod:`alcourse.grading.recorded`), not a new check against today's content.
    """
    module = cur.module(row.module)
    s = row.state
    checks = read_checks(graded) if graded is not None else None
    cells = row.grades.cells if row.grades else ()
    competences = module_competences(cur, row.module, checks, cells)
    return render("grading/feedback-summary.html.j2", title=module.title, person=row.person, status=s.label,
                  score=_score(row),
                  attention=(s.for_trainee or NOT_ZERO) if s.label == NEEDS_ATTENTION else "",
                  marking=s.label == NEEDS_MANUAL, late=row.late,
                  unrecorded=checks == {} and bool(cur.module_exercises(row.module)),
                  checks=list((checks or {}).values()),
                  written=[c for c in cells if c.cell_type == "markdown"],
                  competence_rows=competence_rows(competences, cur.course))


def failure_page(row: CohortRow, cur: Curriculum) -> str:
    """The page for a submission that could not be graded: what to send, in the trainee's words."""
    module = cur.module(row.module)
    # the trainer's reason names files and commands; the trainee gets the words written for them
    return render("grading/feedback-failed.html.j2", title=module.title, person=row.person,
                  what=row.state.for_trainee or could_not_run(), not_zero=NOT_ZERO)


def generate(folder: CourseFolder, module_id: str, cur: Curriculum) -> FeedbackRun:
    """nbgrader feedback for every graded submission of a module, offline and summarised."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.apps import NbGraderAPI
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    from alcourse.grading.preprocessors import FeedbackSummary

    cur.module(module_id)
    rows = [r for r in collect(folder, [module_id]) if r.module == module_id]
    notebook = f"{module_id}.ipynb"
    gradable = [r for r in rows if r.state.label in (GRADED, NEEDS_MANUAL, NEEDS_ATTENTION)
                and (folder.root / "autograded" / r.student / module_id / notebook).exists()]
    written: list[Path] = []
    failed_pages: list[Path] = []
    out_dir = folder.root / "feedback"
    if gradable:
        config = folder.config()
        # the checks' hidden tests are code a trainee cannot use; nbgrader's own preprocessor drops them
        config.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor,
                                                 FeedbackSummary]
        config.FeedbackSummary.summaries = {
            row.student: summary_html(row, cur, graded_notebook(folder.root, row.student, module_id))
            for row in gradable}
        config.HTMLExporter.template_file = TEMPLATE_FILE
        config.HTMLExporter.extra_template_basedirs = [str(d) for d in template_basedirs()]
        api = NbGraderAPI(config=config)
        with CourseLock(folder.root / ".alcourse" / "gradebook.lock").held():
            for row in gradable:
                result = api.generate_feedback(module_id, row.student, force=True)
                if not result.get("success"):
                    raise CourseError(f"nbgrader could not make feedback for {row.student}: "
                                      f"{(result.get('error') or result.get('log') or '').strip()[-400:]}")
    for row in gradable:
        page_path = out_dir / row.student / module_id / f"{module_id}.html"
        if page_path.exists():
            written.append(page_path)
    for row in rows:
        if row.state.label == FAILED:
            target = out_dir / row.student / module_id / f"{module_id}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(failure_page(row, cur), encoding="utf-8")
            failed_pages.append(target)
    skipped = [r.student for r in rows if r.state.label not in (FAILED, NOT_SUBMITTED) and r not in gradable]
    absent = [r.person for r in rows if r.state.label == NOT_SUBMITTED]
    return FeedbackRun(written, failed_pages, skipped, absent)
