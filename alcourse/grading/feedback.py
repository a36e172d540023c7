"""Per-trainee feedback pages that open offline.

nbgrader's ``generate_feedback`` renders each autograded notebook with the
trainer's scores and comments. Its pages load MathJax from a CDN; here every
remote script and stylesheet is removed (the course has no mathematics), and a
summary is put at the top: the status, the score, and for every exercise the
trainee's first choices with the checker's feedback sentence. A submission
that failed gets a page saying why instead of a score.

>>> make_offline('<script src="https://cdn.example/x.js"></script><p>kept</p>')
'<p>kept</p>'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from alcourse.answers import AnswersError, AnswerStore
from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.course import CourseError, CourseFolder
from alcourse.grading.gradebook import CourseLock
from alcourse.grading.messages import NOT_ZERO, could_not_run
from alcourse.grading.status import FAILED, GRADED, NEEDS_ATTENTION, NEEDS_MANUAL, NOT_SUBMITTED

REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.S)
MATHJAX_CONFIG = re.compile(r"<script\b[^>]*type=[\"']text/x-mathjax-config[\"'][^>]*>.*?</script>",
                            re.I | re.S)
REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>", re.I | re.S)
STYLE = """<style>
.alcourse-summary { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1rem auto;
  padding: 1rem 1.5rem; border: 2px solid #1a4f8b; border-radius: 6px; color: #1b1b1b;
  background: #ffffff; font-size: 16px; line-height: 1.5; }
.alcourse-summary table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
.alcourse-summary th, .alcourse-summary td { border: 1px solid #6b6b6b; padding: 0.3rem 0.5rem;
  text-align: left; vertical-align: top; }
.alcourse-summary caption { text-align: left; font-weight: 600; color: #1b1b1b; }
.alcourse-summary .status { font-weight: 700; }
</style>"""


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


def _e(text: object) -> str:
    return html.escape(str(text))


def _score(row: CohortRow) -> str:
    s = row.state
    if s.score is None or s.label in (FAILED, NEEDS_ATTENTION):
        return "no score yet"
    return f"{s.score:g} out of {s.max_score:g}"


def summary_html(row: CohortRow, cur: Curriculum, answers_file: Path | None) -> str:
    """The alcourse part of a feedback page: status, score, first choices and why."""
    module = cur.module(row.module)
    s = row.state
    parts = [STYLE, '<section class="alcourse-summary" aria-labelledby="alcourse-summary-title">',
             f'<h1 id="alcourse-summary-title">Feedback: {_e(module.title)}</h1>',
             f'<p>Trainee: {_e(row.person)}. <span class="status">Status: {_e(s.label)}.</span> '
             f"Score: {_e(_score(row))}.</p>"]
    if s.label == NEEDS_ATTENTION:
        parts.append(f"<p>{_e(s.for_trainee or NOT_ZERO)}</p>")
    if s.label == NEEDS_MANUAL:
        parts.append("<p>Your trainer has not finished marking this module yet; the score may change.</p>")
    if answers_file is not None:
        store = AnswerStore(answers_file, module.id)
        for ex in cur.module_exercises(module.id):
            try:
                result = ex.check(store.graded(ex.id))
            except AnswersError:
                parts.append(f"<h2>{_e(ex.title)}</h2><p>Your saved answers could not be read.</p>")
                continue
            parts.append(f"<h2>{_e(ex.title)}: {result.points:g} of {result.max_points:g}</h2>")
            parts.append(f"<table><caption>Your first choice for each question in "
                         f"\u201c{_e(ex.title)}\u201d</caption><thead><tr>"
                         '<th scope="col">Question</th><th scope="col">Your first choice</th>'
                         '<th scope="col">Result</th><th scope="col">Why</th></tr></thead><tbody>')
            items = {i.question_id: i for i in result.items}
            for question in ex.ordered():
                item = items[question.id]
                chosen = question.option(item.chosen) if item.chosen else None
                verdict = ("Not answered" if chosen is None else
                           "Right" if item.correct else
                           "Partly right" if item.points > 0 else "Not right")
                parts.append(f"<tr><td>{_e(question.prompt)}</td>"
                             f"<td>{_e(chosen.label if chosen else 'none')}</td><td>{verdict}</td>"
                             f"<td>{_e(item.feedback)}</td></tr>")
            parts.append("</tbody></table>")
    written = [c for c in (row.grades.cells if row.grades else ()) if c.cell_type == "markdown"]
    for cell in written:
        pending = " (not marked yet)" if cell.needs_manual_grade else ""
        parts.append(f"<h2>Written answer{pending}: {cell.score:g} of {cell.max_score:g}</h2>")
        if cell.comment:
            parts.append(f"<p>Your trainer's comment: {_e(cell.comment)}</p>")
        elif cell.auto_comment == "No response.":
            parts.append("<p>No answer was written.</p>")
    parts.append("<p>Below is your notebook as it was graded, with the score of each part.</p></section>")
    return "\n".join(parts)


def failure_page(row: CohortRow, cur: Curriculum) -> str:
    """The page for a submission that could not be graded: what to send, in the trainee's words."""
    module = cur.module(row.module)
    # the trainer's reason names files and commands; the trainee gets the words written for them
    what = row.state.for_trainee or could_not_run()
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Feedback: '
            f"{_e(module.title)}</title>{STYLE}</head><body><main>"
            '<section class="alcourse-summary" aria-labelledby="t">'
            f'<h1 id="t">Feedback: {_e(module.title)}</h1>'
            f'<p>Trainee: {_e(row.person)}. <span class="status">Status: could not be graded.</span></p>'
            f"<p>{_e(what)}</p><p>{_e(NOT_ZERO)}</p></section></main></body></html>\n")


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
        answers = folder.root / "autograded" / row.student / module_id / f"{module_id}.answers.json"
        page = page_path.read_text(encoding="utf-8")
        page_path.write_text(_inject(page, summary_html(row, cur, answers)), encoding="utf-8")
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
