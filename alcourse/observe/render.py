"""Jinja2 (autoescaped) for every page the observe, moderate and portfolio tools write."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")


def environment() -> Any:
    """A Jinja2 environment over ``templates/`` with autoescaping on (a widget keeps one, so
    templates compile once, not at every event)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.filters["pct"] = lambda x: f"{x:.0%}"
    env.filters["clock"] = lambda s: f"{int(s) // 60:02d}:{int(s) % 60:02d}"
    return env


def render_page(template: str, env: Any = None, **context: Any) -> str:
    """Render ``templates/<template>``.

    >>> "&lt;b&gt;" in render_page("base.html.j2", title="<b>")
    True
    """
    return (env or environment()).get_template(template).render(**context)


def render_part(env: Any, name: str, **context: Any) -> str:
    """One macro of ``widgets.html.j2`` (the widgets' small pieces of HTML).

    >>> render_part(environment(), "status", text="<b>")
    '<p role="status" aria-live="polite">&lt;b&gt;</p>'
    """
    return str(getattr(env.get_template("widgets.html.j2").module, name)(**context)).strip()
