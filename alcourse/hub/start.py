"""Run a hub folder's JupyterHub in the foreground until it is stopped.

The hub runs as root (JupyterHub's LocalProcessSpawner starts each person's
server as their own Unix account); the proxy is PyPI's ``configurable-http-proxy``.
While it runs, ``DIR/state/hub-url`` says where, so ``alcourse hub add-trainees``
can tell it about new people.

>>> hub_command(Path("/srv/hub"), "127.0.0.1", 8000)[-4:]
['--ip', '127.0.0.1', '--port', '8000']
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
from pathlib import Path

from alcourse.hub import accounts
from alcourse.hub.folder import HubFolder
from alcourse.venv import venv_bin, with_venv_path


def hub_command(root: Path, ip: str, port: int) -> list[str]:
    return [str(venv_bin() / "jupyterhub"), "-f", str(root / "jupyterhub_config.py"),
            "--ip", ip, "--port", str(port)]


def hub_env() -> dict[str, str]:
    """The hub's environment: the venv's commands (proxy, singleuser, nbgrader's alembic) first."""
    return with_venv_path()


def start(folder: HubFolder, ip: str = "127.0.0.1", port: int = 8000) -> int:
    """Run the hub until it stops or is interrupted; return its exit code."""
    accounts.require_root("alcourse hub start")
    folder.cohort()
    url_file = folder.root / "state" / "hub-url"
    host = f"[{ip}]" if ":" in ip else ip
    url_file.write_text(f"http://{host if ip not in ('', '0.0.0.0') else '127.0.0.1'}:{port}\n")  # noqa: S104
    proc = subprocess.Popen(hub_command(folder.root, ip, port), cwd=folder.root / "state", env=hub_env())

    def forward(signum: int, _frame: object) -> None:
        proc.send_signal(signum)

    old = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return proc.wait()
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        with contextlib.suppress(FileNotFoundError):
            url_file.unlink()
