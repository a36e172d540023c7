"""Jinja2 (autoescaped) for every page the observe, moderate and portfolio tools write."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")


def render_page(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with autoescaping on.

    >>> "&lt;b&gt;" in render_page("base.html.j2", title="<b>")
    True
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.filters["pct"] = lambda x: f"{x:.0%}"
    env.filters["clock"] = lambda s: f"{int(s) // 60:02d}:{int(s) % 60:02d}"
    return env.get_template(template).render(**context)
