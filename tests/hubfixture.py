"""One real JupyterHub per test session: real Unix users, the private exchange, the grader service.

Made by ``alcourse hub init`` and run by ``alcourse hub start`` on a free
127.0.0.1 port; driven through the hub's REST API with the folder's admin token.
Everything it made (users, folder, processes) is removed at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from alcourse.hub.accounts import remove_user

BIN = Path(sys.executable).parent
PASSWORD = "trainee-password-9"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def open_path_for_users(path: Path) -> list[tuple[Path, int]]:
    """Let other users reach the interpreter (a pyenv under /root is 0700); return what to restore."""
    changed = []
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)
            changed.append((parent, mode))
    return changed


@dataclass
class Hub:
    root: Path
    url: str
    cohort: str
    trainer: str
    trainees: list[str]
    proc: subprocess.Popen[bytes]
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, method: str, path: str, body: object = None, token: str | None = None) -> object:
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {token or (self.root / 'admin-token').read_text().strip()}"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def token(self, user: str, scopes: list[str]) -> str:
        reply = self.api("POST", f"/users/{user}/tokens", {"scopes": scopes, "note": "test"})
        assert isinstance(reply, dict)
        return str(reply["token"])

    def start_server(self, user: str, timeout: float = 180) -> str:
        """Start ``user``'s JupyterLab through the hub; return a token for it."""
        try:
            self.api("POST", f"/users/{user}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{user}")
            assert isinstance(model, dict)
            if model["servers"].get("", {}).get("ready"):
                break
            time.sleep(1)
        else:
            raise TimeoutError(f"{user}'s server did not start; see {self.log}")
        if user not in self.tokens:
            self.tokens[user] = self.token(user, [f"access:servers!user={user}"])
        return self.tokens[user]

    def server(self, user: str, method: str, path: str, form: dict[str, str] | None = None) -> object:
        from urllib.parse import urlencode

        req = urllib.request.Request(
            f"{self.url}/user/{user}{path}", method=method,
            data=urlencode(form).encode() if form is not None else (b"" if method == "POST" else None),
            headers={"Authorization": f"token {self.start_server(user)}"})
        with urllib.request.urlopen(req, timeout=300) as resp:
            text = resp.read()
        return json.loads(text) if text.strip().startswith((b"{", b"[")) else text.decode()

    def as_user(self, user: str, *cmd: str, role: str = "trainee") -> subprocess.CompletedProcess[str]:
        """A command as ``user`` (a login shell's environment, the role's Jupyter configuration)."""
        env = ["env", "-i", f"HOME=/home/{user}", f"USER={user}", f"PATH={BIN}:/usr/bin:/bin",
               "LANG=C.UTF-8", f"JUPYTER_CONFIG_PATH={self.root / 'etc' / role}"]
        return subprocess.run(["runuser", "-u", user, "--", *env, *cmd], cwd="/", capture_output=True,
                              text=True, check=False)


def start_hub(cohort: str, trainer: str, trainees: list[str]) -> tuple[Hub, list[tuple[Path, int]]]:
    opened = open_path_for_users(Path(sys.executable).parent)
    opened += open_path_for_users(Path(os.path.realpath(sys.executable)).parent)
    base = Path(tempfile.mkdtemp(prefix="alcourse-hub-"))
    base.chmod(0o755)
    (base / "trainers.csv").write_text(f"username,name\n{trainer},Tess Trainer\n")
    (base / "trainees.csv").write_text("username,name\n" + "".join(f"{t},Trainee {t}\n" for t in trainees))
    root = base / "hub"
    made = subprocess.run([str(BIN / "alcourse"), "hub", "init", str(root), "--cohort", cohort,
                           "--trainers", str(base / "trainers.csv"), "--trainees", str(base / "trainees.csv"),
                           "--password", PASSWORD], check=False, capture_output=True, text=True)
    if made.returncode != 0:
        for user in [*trainees, trainer, f"grader-{cohort}"]:
            remove_user(user)
        shutil.rmtree(base, ignore_errors=True)
        for path, mode in reversed(opened):
            path.chmod(mode)
        raise RuntimeError(f"alcourse hub init failed: {made.stderr}")
    port = free_port()
    log = base / "hub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(BIN / "alcourse"), "hub", "start", str(root), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(root, f"http://127.0.0.1:{port}", cohort, trainer, trainees, proc, log)
    try:
        wait_for(hub)
    except BaseException:
        stop_hub(hub, opened)
        raise
    return hub, opened


def wait_for(hub: Hub) -> None:
    proc, log = hub.proc, hub.log
    deadline = time.monotonic() + 420
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = log.read_text()
            why = [line for line in text.splitlines() if line.startswith(("[C ", "[E ")) or "Error" in line]
            raise RuntimeError("the hub stopped:\n" + "\n".join(why[-20:]) + "\n" + text[-1500:])
        try:
            hub.api("GET", "/users")
            break
        except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
            time.sleep(1)
    else:
        raise TimeoutError(f"the hub did not start: {log.read_text()[-3000:]}")


def stop_hub(hub: Hub, opened: list[tuple[Path, int]]) -> None:
    # the whole session: the hub and the proxy it started (left behind if the hub died)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(hub.proc.pid, signal.SIGTERM)
    # JupyterHub stops its users' servers and services first; under load one can take a minute
    # (seen once in a full run), and whatever is left is killed as each user below
    try:
        hub.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    time.sleep(1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(hub.proc.pid, signal.SIGKILL)
    hub.proc.wait()
    # servers started by the hub as each user (LocalProcessSpawner) stop with it; make sure
    for user in [*hub.trainees, hub.trainer, f"grader-{hub.cohort}"]:
        subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True, check=False)
        remove_user(user)
    shutil.rmtree(hub.root.parent, ignore_errors=True)
    for path, mode in reversed(opened):
        path.chmod(mode)


def names() -> tuple[str, str, list[str]]:
    """Unique cohort and user names for this session (never an existing account)."""
    tag = secrets.token_hex(2)
    return f"t{tag}", f"tr{tag}", [f"ta{tag}", f"tb{tag}", f"tc{tag}", f"te{tag}"]
