"""Unix accounts for a cohort: one per trainee and trainer, one for the grader service.

On a hub with ``LocalProcessSpawner`` (as The Littlest JupyterHub does) every
person's server runs as their own Unix user, so nbgrader files their work under
their own name and the file system keeps trainees apart. Accounts are made
with ``useradd`` (run as root); an existing account is kept, with its home
folder and everything in it, so adding people never loses anyone's work.

>>> exists("root"), exists("no-such-user-xyz")
(True, False)
"""

from __future__ import annotations

import os
import pwd
import subprocess
import time
from pathlib import Path

from alcourse.errors import UserError


class AccountError(UserError):
    """An account could not be made; the message says why and what to do."""


def exists(username: str) -> bool:
    try:
        pwd.getpwnam(username)
    except KeyError:
        return False
    return True


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise AccountError(f"{what} makes Unix accounts for the cohort and must run as root "
                           "(e.g. with sudo); the hub itself runs as root too, as JupyterHub's "
                           "LocalProcessSpawner requires")


def ensure_user(username: str, comment: str = "", home_root: Path | None = None) -> tuple[int, int]:
    """Make ``username`` (with a private home folder) unless it exists; return (uid, gid)."""
    if not exists(username):
        cmd = ["useradd", "--create-home", "--shell", "/bin/bash", "--user-group"]
        if comment:
            cmd += ["--comment", comment.replace(":", " ")]
        if home_root is not None:
            cmd += ["--home-dir", str(home_root / username)]
        proc = _useradd([*cmd, username])
        if proc.returncode != 0:
            raise AccountError(f"useradd {username}: {proc.stderr.strip() or proc.returncode}")
    entry = pwd.getpwnam(username)
    # a home folder only its owner can enter: nbgrader's cache of submissions lives there
    home = Path(entry.pw_dir)
    if home.is_dir() and home.stat().st_uid == entry.pw_uid:
        home.chmod(0o700)
    return entry.pw_uid, entry.pw_gid


def _useradd(cmd: list[str], attempts: int = 6) -> subprocess.CompletedProcess[str]:
    """``useradd``, again after a pause while another program holds the account files' lock
    (useradd gives up at once, e.g. while an administrator adds someone else)."""
    for attempt in range(attempts):
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode == 0 or "lock" not in proc.stderr.lower() or attempt == attempts - 1:
            return proc
        time.sleep(0.2 * 2 ** attempt)
    return proc


def remove_user(username: str) -> None:
    """Remove an account and its home folder (used by tests; never by the hub commands)."""
    if exists(username):
        subprocess.run(["userdel", "--remove", username], capture_output=True, check=False)


def pwd_entry(username: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(username)
    except KeyError:
        raise AccountError(f"{username}: no such Unix account; was the hub folder made on this "
                           "machine (alcourse hub init)?") from None
