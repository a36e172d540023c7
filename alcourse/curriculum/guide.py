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

from jinja2 import Environment

from alcourse.curriculum.loader import Curriculum
from alcourse.curriculum.model import Reflection
from alcourse.session import reflection_grade_id

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
# One table per reflection: a row per criterion, a column per quality level, so a marker reads
# across the descriptors beside formgrader and picks the marks of the level the answer reaches.
_SCHEME = _ENV.from_string("""
<h4>Mark scheme</h4>
<p>Pass mark: {{ "%g"|format(ref.pass_mark) }} of {{ ref.points }} (competent on every criterion).</p>
<table>
<caption>Criteria and quality levels for {{ ref.id }}</caption>
<thead><tr><th scope="col">Criterion</th>
{% for level in levels %}<th scope="col">{{ level|replace("-", " ")|capitalize }}</th>{% endfor %}
</tr></thead>
<tbody>
{% for c in ref.criteria %}
<tr><th scope="row">{{ c.line() }}
<br><span class="meta">Evidences: {{ competences(c) }}</span></th>
{% for level in levels %}
<td>{% if c.levels %}<strong>{{ "%g"|format(c.levels[level].marks) }}</strong>:
{{ c.levels[level].text }}{% endif %}</td>
{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% if ref.exemplar %}
<h4>Borderline exemplar ({{ "%g"|format(ref.exemplar.total) }} of {{ ref.points }})</h4>
<blockquote><p>{{ ref.exemplar.text }}</p></blockquote>
<ul>
{% for c in ref.criteria %}
<li>{{ c.id }}: {{ "%g"|format(ref.exemplar.marks[c.id]) }} of {{ "%g"|format(c.points) }}</li>
{% endfor %}
</ul>
<p><strong>Why:</strong> {{ ref.exemplar.why }}</p>
{% endif %}
""")

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }
h1, h2, h3 { line-height: 1.25; }
.meta { color: #444; }
blockquote { border-left: 4px solid #555; margin: 0; padding-left: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #767676; padding: 0.4rem; text-align: left; vertical-align: top; }
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
        parts.append(f'<p class="meta">Module pass threshold: {module.pass_threshold:.0%} of all '
                     "its marks (exercises, reflections and simulation together).</p>")
        for ref in reflections:
            parts += [
                f"<h3>{html.escape(ref.id)} ({ref.points} marks)</h3>",
                f'<p class="meta">Grade id in formgrader: <code>{reflection_grade_id(ref.id)}</code></p>',
                f"<p><strong>Task:</strong> {html.escape(ref.prompt)}</p>",
                scheme_html(ref, cur), "<h4>Model answer</h4>",
                f"<blockquote><p>{html.escape(ref.model_answer)}</p></blockquote>",
            ]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def scheme_html(ref: Reflection, cur: Curriculum) -> str:
    """A reflection's levelled mark scheme and borderline exemplar, as an HTML fragment.

    >>> from alcourse.curriculum import load_curriculum
    >>> cur = load_curriculum()
    >>> ref = cur.module("m02-key-principles").reflections()[0]
    >>> part = scheme_html(ref, cur)
    >>> "Not yet" in part and "Borderline exemplar" in part and "Pass mark: 3 of 6" in part
    True
    """
    from alcourse.content.model import LEVELS

    def competences(criterion: object) -> str:
        tags = getattr(criterion, "competences", ())
        return ", ".join(cur.course.competence(t).title for t in tags) or "none"

    return _SCHEME.render(ref=ref, levels=LEVELS, competences=competences).strip()
