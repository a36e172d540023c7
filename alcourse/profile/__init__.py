"""The trainee's JupyterLab: instructor tools hidden, a start page, notebooks that show exercises.

One profile for every place a trainee opens the course (``make course`` here, the
cohort's JupyterHub in ``deploy/``): :func:`write_profile` writes it into a Jupyter
config folder, and :func:`lab_environment` points a JupyterLab at it.

>>> import tempfile, pathlib, json
>>> folder = write_profile(pathlib.Path(tempfile.mkdtemp()))
>>> disabled = json.loads((folder / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
>>> disabled["@jupyter/nbgrader:formgrader"], disabled["@jupyterlab/terminal-extension"]
(True, True)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

START_PAGE = "START-HERE.md"

# JupyterLab plugins a trainee never needs: nbgrader's instructor tools (they show errors outside
# a course folder), and the console and terminal (a trainee never writes code).
HIDDEN_LAB_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyterlab/terminal-extension",
    "@jupyterlab/console-extension:tracker",
    "@jupyterlab/console-extension:factory",
    "@jupyterlab/console-extension:foreign",
    "@jupyterlab/console-extension:kernel-status",
    "@jupyterlab/console-extension:cursor-position",
    "@jupyterlab/console-extension:completer",
    # the server parts below are off too: Voila's preview, Notebook 7's "open in Notebook"
    # switcher, and the language-server client (a trainee edits no code)
    "@voila-dashboards/jupyterlab-preview",
    "@jupyter-notebook/lab-extension",
    "@jupyterlab/lsp-extension",
)

# The matching server parts: without them nbgrader logs no "course directory root" error.
# notebook_shim only ports classic-notebook server extensions (the course has none); while
# linking it reads every ServerApp setting, including jupyter-server's deprecated
# ServerApp.token, which prints a DeprecationWarning a trainee cannot act on.
# The rest serve what a trainee never opens (Voila, the Notebook 7 interface, language
# servers, terminals); each loaded extension costs an idle server memory (bench/idle_server.py).
SERVER_EXTENSIONS_OFF = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
    "notebook_shim": False,
    "voila.server_extension": False,
    "notebook": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
}


# alcourse's own JupyterLab plugin (alcourse/profile/autorun, built by `make setup`) runs a
# module notebook when it opens and after a kernel restart, so the exercises appear without
# Run All. It acts only where the page config sets this key (JupyterLab passes page config
# keys to the browser), so a trainer opening a trainee's copy never runs it.
RUN_ON_OPEN = "alcourseRunOnOpen"


def page_config() -> dict[str, Any]:
    """JupyterLab's ``labconfig/page_config.json`` for trainees.

    >>> page_config()[RUN_ON_OPEN]
    True
    """
    return {"disabledExtensions": {name: True for name in HIDDEN_LAB_PLUGINS}, RUN_ON_OPEN: True}


def server_config(start_page: str = START_PAGE) -> dict[str, Any]:
    """``jupyter_server_config.json`` for trainees: no terminals, the start page opens first."""
    return {
        "ServerApp": {"jpserver_extensions": dict(SERVER_EXTENSIONS_OFF), "terminals_enabled": False},
        "LabApp": {"default_url": f"/lab/tree/{start_page}"},
    }


def write_profile(config_dir: Path) -> Path:
    """Write the trainee profile into ``config_dir`` (use it as ``JUPYTER_CONFIG_DIR``)."""
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    (config_dir / "labconfig" / "page_config.json").write_text(
        json.dumps(page_config(), indent=1) + "\n", encoding="utf-8")
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps(server_config(), indent=1) + "\n", encoding="utf-8")
    return config_dir


def lab_environment(config_dir: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a trainee's JupyterLab using the profile in ``config_dir``."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_CONFIG_DIR"] = str(write_profile(config_dir))
    return env


def start_page(modules: list[tuple[str, str]]) -> str:
    """The start page's Markdown: what to do, in order, and how to hand in.

    >>> "Module 1" in start_page([("m01-x/m01-x.ipynb", "Module 1: What is action learning?")])
    True
    """
    lines = ["# Start here", "",
             "Welcome to the action learning course for set advisers. You do not need to write "
             "any code.", "",
             "## What to do", "",
             "1. Open a module below (or double-click its folder on the left, then its notebook).",
             "2. The exercises appear when the notebook opens (give it a few seconds). If they "
             "are missing, choose **Run → Run All Cells**.",
             "3. Answer by choosing options; feedback appears at once. Written answers go in the "
             "box under each question. Everything is saved as you go, in the module's "
             "*answers* file beside the notebook: leave that file where it is.",
             "4. At the end of the module, the self-check lists anything still to do (press "
             "**Check again** after answering).",
             "", "## Handing in", "",
             "When the self-check says everything has an answer, hand the module in as your trainer "
             "told you (on a JupyterHub: *Nbgrader → Assignment List*, then **Submit**). Your "
             "trainer grades your first choice for each question and marks your written answers.",
             "", "If a notebook gets damaged (cells deleted or changed), tell your trainer: they can "
             "put it back as it was released, and your saved answers are kept.", "",
             "## Modules", ""]
    lines += [f"- [{title}]({path})" for path, title in modules]
    return "\n".join(lines) + "\n"
