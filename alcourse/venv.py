"""This Python environment's commands first on ``PATH``, for the programs alcourse starts.

nbgrader runs ``alembic`` as a command, JupyterHub starts ``configurable-http-proxy`` and
``jupyterhub-singleuser``, Jupyter Book and Voila start kernels: each must find the ones
installed beside this interpreter, even when its ``bin`` is not on the caller's ``PATH``
(a cron job, ``runuser``, a service).

>>> env = with_venv_path({"PATH": "/usr/bin"})
>>> env["PATH"] == f"{venv_bin()}:/usr/bin"
True
>>> with_venv_path(env)["PATH"] == env["PATH"]  # never twice
True
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def venv_bin() -> Path:
    """The folder of this interpreter's commands (the venv's ``bin``)."""
    return Path(sys.executable).parent


def path_with_venv(path: str | None = None) -> str:
    """``path`` (default: a minimal system ``PATH``) with the venv's ``bin`` first, once."""
    parts = [p for p in (path if path is not None else SYSTEM_PATH).split(os.pathsep) if p]
    first = str(venv_bin())
    return os.pathsep.join([first, *(p for p in parts if p != first)])


def with_venv_path(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``env`` (default: this process's environment) with the venv's ``bin`` first on PATH."""
    copy = dict(os.environ if env is None else env)
    copy["PATH"] = path_with_venv(copy.get("PATH"))
    return copy


def put_venv_first() -> None:
    """This process's own ``PATH`` with the venv's ``bin`` first, for the commands that libraries
    run from inside it (nbgrader's ``alembic`` when it makes a gradebook), not only for the
    processes alcourse starts itself."""
    os.environ["PATH"] = path_with_venv(os.environ.get("PATH"))
