"""The trainer's marking guide: every written reflection with its mark scheme and model answer.

nbgrader's formgrader shows a trainee's answer but not the mark scheme (that
lives in the source notebook's solution region, which is never released), so
trainers keep this page open beside formgrader.

>>> from alcourse.curriculum import load_curriculum
>>> html = marking_guide_html(load_curriculum())
>>> "<h2" in html and "Mark scheme" in html
True
"""

from __future__ import annotations

import html

from alcourse.curriculum.loader import Curriculum
from alcourse.session import reflection_grade_id

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }
h1, h2, h3 { line-height: 1.25; }
.meta { color: #444; }
blockquote { border-left: 4px solid #555; margin: 0; padding-left: 1rem; }
"""


def marking_guide_html(cur: Curriculum, course_name: str = "alcourse") -> str:
    """A self-contained, accessible HTML page (no scripts, no external files)."""
    parts = ['<!DOCTYPE html>', '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Marking guide — {html.escape(course_name)}</title>",
             f"<style>{STYLE}</style>", "</head>", "<body>", "<main>",
             f"<h1>Marking guide — {html.escape(course_name)}</h1>",
             "<p>For trainers only: do not share with trainees. Each written reflection is "
             "graded in nbgrader's formgrader under the grade id shown.</p>"]
    for module in sorted(cur.modules.values(), key=lambda m: m.number):
        reflections = module.reflections()
        if not reflections:
            continue
        parts.append(f"<h2>Module {module.number}: {html.escape(module.title)}</h2>")
        for ref in reflections:
            parts += [
                f"<h3>{html.escape(ref.id)} ({ref.points} marks)</h3>",
                f'<p class="meta">Grade id in formgrader: <code>{reflection_grade_id(ref.id)}</code></p>',
                f"<p><strong>Task:</strong> {html.escape(ref.prompt)}</p>",
                "<h4>Mark scheme</h4>", "<ul>",
                *[f"<li>{html.escape(line)}</li>" for line in ref.mark_scheme],
                "</ul>", "<h4>Model answer</h4>",
                f"<blockquote><p>{html.escape(ref.model_answer)}</p></blockquote>",
            ]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
