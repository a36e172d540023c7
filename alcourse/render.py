"""HTML from the package's one Jinja2 template folder (``alcourse/templates``), always autoescaped.

Every page and every widget's HTML comes from here: grading pages (``grading/``), observe,
moderation and portfolio pages (``observe/``) and the widgets' small pieces (``widgets/``).

>>> "&lt;b&gt;" in render("grading/answers.html.j2", title="<b>", points="0", max_points="1",
...                        rows=[], problem="none")
True
>>> part("widgets/observe.html.j2", "status", text="<b>")
'<p role="status" aria-live="polite">&lt;b&gt;</p>'
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

import jinja2


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


@cache
def environment() -> jinja2.Environment:
    """The one environment: autoescaping on, a missing variable is an error, and templates
    compile once per process (``auto_reload`` off: widgets render at every click)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("alcourse", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             auto_reload=False)
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.filters["pct"] = lambda x: f"{x:.0%}"
    env.filters["clock"] = _clock
    return env


def render(template: str, **context: Any) -> str:
    """The named template (a path under ``alcourse/templates``) filled with ``context``."""
    return environment().get_template(template).render(**context)


def part(template: str, name: str, **context: Any) -> str:
    """One macro of ``template`` (the widgets' small pieces of HTML), without surrounding space."""
    return str(getattr(environment().get_template(template).module, name)(**context)).strip()
