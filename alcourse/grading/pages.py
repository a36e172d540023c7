"""HTML from the package's Jinja2 templates (``alcourse/templates``), always autoescaped.

>>> "&lt;b&gt;" in render("grading/answers.html.j2", title="<b>", points="0", max_points="1",
...                        rows=[], problem="none")
True
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("alcourse", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render(template: str, **context: Any) -> str:
    """The named template (a path under ``alcourse/templates``) filled with ``context``."""
    return _environment().get_template(template).render(**context)
