"""Per-trainee feedback pages that open offline.

nbgrader's ``generate_feedback`` renders each autograded notebook with the
trainer's scores and comments. Its pages load MathJax from a CDN; here every
remote script and stylesheet is removed (the course has no mathematics), and a
summary is put at the top: the status, the score, and for every exercise the
trainee's first choices with the checker's feedback sentence. The scores are
nbgrader's gradebook's; the first choices and feedback sentences are what the graded notebook
recorded (see :mod:`alcourse.grading.recorded`), so a later content edit changes neither.
A submission that failed gets a page saying why instead of a score.

>>> make_offline('<script src="https://cdn.example/x.js"></script><p>kept</p>')
'<p>kept</p>'
"""

from __future__ import annotations

import re
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

REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.S)
MATHJAX_CONFIG = re.compile(r"<script\b[^>]*type=[\"']text/x-mathjax-config[\"'][^>]*>.*?</script>",
                            re.I | re.S)
REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>", re.I | re.S)
@dataclass(frozen=True)
class FeedbackRun:
    written: list[Path]
    failed_pages: list[Path]
    skipped: list[str]  # submitted, not graded yet
    not_submitted: list[str] = field(default_factory=list)  # names (ids without one)


def make_offline(page: str) -> str:
    """Drop everything a page would fetch from another site."""
    page = REMOTE_SCRIPT.sub("", page)
    page = MATHJAX_CONFIG.sub("", page)
    return REMOTE_LINK.sub("", page)


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


def _inject(page: str, summary: str) -> str:
    page = make_offline(page)
    if '<html lang=' not in page:
        page = page.replace("<html>", '<html lang="en">', 1)
    match = re.search(r"<body[^>]*>", page)
    if not match:
        return summary + page
    return page[:match.end()] + "\n<main>\n" + summary + page[match.end():].replace(
        "</body>", "</main>\n</body>", 1)


def generate(folder: CourseFolder, module_id: str, cur: Curriculum) -> FeedbackRun:
    """nbgrader feedback for every graded submission of a module, made offline and summarised."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.apps import NbGraderAPI
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

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
        config.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
        api = NbGraderAPI(config=config)
        with CourseLock(folder.root / ".alcourse" / "gradebook.lock").held():
            for row in gradable:
                result = api.generate_feedback(module_id, row.student, force=True)
                if not result.get("success"):
                    raise CourseError(f"nbgrader could not make feedback for {row.student}: "
                                      f"{(result.get('error') or result.get('log') or '').strip()[-400:]}")
    for row in gradable:
        page_path = out_dir / row.student / module_id / f"{module_id}.html"
        if not page_path.exists():
            continue
        page = page_path.read_text(encoding="utf-8")
        summary = summary_html(row, cur, graded_notebook(folder.root, row.student, module_id))
        page_path.write_text(_inject(page, summary), encoding="utf-8")
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
