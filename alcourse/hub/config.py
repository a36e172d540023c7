"""The hub's configuration files, rendered from Jinja2 templates (package data).

- ``jupyterhub_config.py``: the hub, its groups, roles and the cohort's grader service;
- ``etc/ROLE/``: what each kind of server loads (``JUPYTER_CONFIG_PATH``): nbgrader's
  settings for the private exchange, and which nbgrader extensions are on. Trainees get
  the Assignments tab only; trainers get the assignment and course lists; the grader
  service gets formgrader and the assignment creator (nbgrader's documented table).

>>> py_literal("/srv/hub")
"'/srv/hub'"
>>> sorted(EXTENSIONS["trainee"]["server"].items())[1]
('nbgrader.server_extensions.course_list', False)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from alcourse.hub.exchange import factory_config
from alcourse.venv import venv_bin

TEMPLATES = Path(__file__).parent / "templates"
_NB = "nbgrader.server_extensions."
_LAB = "@jupyter/nbgrader:"


def _extensions(assignments: bool, courses: bool, formgrader: bool) -> dict[str, Any]:
    server = {f"{_NB}assignment_list": assignments, f"{_NB}course_list": courses,
              f"{_NB}formgrader": formgrader, f"{_NB}validate_assignment": True}
    lab = {f"{_LAB}assignment-list": not assignments, f"{_LAB}course-list": not courses,
           f"{_LAB}formgrader": not formgrader, f"{_LAB}create-assignment": not formgrader}
    return {"server": server, "lab_disabled": {k: True for k, off in lab.items() if off}}


EXTENSIONS = {
    "trainee": _extensions(assignments=True, courses=False, formgrader=False),
    "trainer": _extensions(assignments=True, courses=True, formgrader=False),
    "grader": _extensions(assignments=False, courses=False, formgrader=True),
}


def py_literal(value: object) -> str:
    """A Python literal for a template (paths, names, numbers)."""
    return repr(value)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,  # noqa: S701
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    # Python and JSON files, not HTML: every value goes through repr() or tojson
    env.filters["py"] = py_literal
    return env


def hub_config(hub_dir: Path, cohort: str, idle_timeout: int = 3600,
               memory_limit: str | None = None) -> str:
    """The text of ``jupyterhub_config.py``."""
    return _env().get_template("jupyterhub_config.py.j2").render(
        hub_dir=str(hub_dir), bin_dir=str(venv_bin()), cohort=cohort,
        idle_timeout=idle_timeout, memory_limit=memory_limit)


def _page_and_server(role: str) -> tuple[dict[str, Any], dict[str, bool]]:
    """The role's page config and server extensions: trainees get the trainee profile.

    The trainee profile (alcourse/profile, as ``make course`` uses it) hides the tools a
    trainee never uses, loads none of their server parts, and runs a module when it opens.
    """
    from alcourse.profile import HIDDEN_LAB_PLUGINS, RUN_ON_OPEN, SERVER_EXTENSIONS_OFF

    ext = EXTENSIONS[role]
    if role != "trainee":
        return {"disabledExtensions": ext["lab_disabled"]}, ext["server"]
    disabled = {**{name: True for name in HIDDEN_LAB_PLUGINS}, **ext["lab_disabled"]}
    return ({"disabledExtensions": disabled, RUN_ON_OPEN: True},
            {**SERVER_EXTENSIONS_OFF, **ext["server"]})


def role_files(role: str, cohort: str, exchange: Path) -> dict[str, str]:
    """Relative path → text of the files in ``etc/ROLE``."""
    env = _env()
    page, server = _page_and_server(role)
    return {
        "nbgrader_config.py": env.get_template("nbgrader_config.py.j2").render(
            role=role, cohort=cohort, exchange=str(exchange), factory=factory_config()),
        "jupyter_server_config.json": env.get_template("jupyter_server_config.json.j2").render(
            extensions=server),
        "labconfig/page_config.json": env.get_template("page_config.json.j2").render(page=page),
    }


def course_hub_section(cohort: str, exchange: Path) -> str:
    """Lines appended to the grader's course ``nbgrader_config.py`` (the exchange of the hub)."""
    factory = "\n".join(f"c.ExchangeFactory.{k} = {v!r}" for k, v in factory_config().items())
    return (f"\n# alcourse hub: the cohort's exchange (made by `alcourse hub init`)\n"
            f"c.CourseDirectory.course_id = {cohort!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            "c.Exchange.path_includes_course = True\n"
            f"{factory}\n")


def write_role_files(etc: Path, cohort: str, exchange: Path) -> None:
    for role in EXTENSIONS:
        for rel, text in role_files(role, cohort, exchange).items():
            path = etc / role / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
