"""Open the modules as apps with Voila: outputs and widgets only, no code, nothing from a CDN.

Voila's "lab" template links two Font Awesome stylesheets from a CDN, and Voila loads every
JupyterLab extension installed here (nbgrader's, JupyterLite's…), some of which fail outside
JupyterLab. The ``alcourse`` template (``publish/jupyter/voila/templates/alcourse``) drops the
CDN links, and those extensions are left out.

Usage::

    python -m alcourse.publish.voila WORKSPACE [--port 8866]   # then open /voila/tree
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from alcourse.venv import with_venv_path

JUPYTER_DATA = Path(__file__).with_name("jupyter")
# front-end extensions that fail outside JupyterLab, or make no sense in an app
NOT_IN_APPS = ["@jupyter/nbgrader", "@jupyterlite/pyodide-kernel-extension",
               "@jupyter-notebook/lab-extension"]


def command(root: Path, port: int) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for serving ``root`` on 127.0.0.1:``port``.

    >>> argv, env = command(Path("ws"), 8866)
    >>> "--template=alcourse" in argv and str(JUPYTER_DATA) in env["JUPYTER_PATH"]
    True
    """
    argv = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            "--template=alcourse", f"--VoilaConfiguration.extension_denylist={NOT_IN_APPS!r}",
            f"--ServerApp.root_dir={root}", str(root)]
    env = with_venv_path()  # the kernel and Voila's helpers run from this environment's bin
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH")) if p)
    return argv, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a folder of module notebooks (a trainee workspace)")
    parser.add_argument("--port", type=int, default=8866)
    args = parser.parse_args(argv)
    cmd, env = command(args.root.resolve(), args.port)
    print(f"Modules as apps: http://127.0.0.1:{args.port}/voila/tree (Ctrl+C to stop)")
    return subprocess.call(cmd, env=env, cwd=args.root)


if __name__ == "__main__":
    sys.exit(main())
