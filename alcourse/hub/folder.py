"""A hub folder: everything one cohort's JupyterHub needs, made by ``alcourse hub init``.

::

    DIR/jupyterhub_config.py   the hub (rendered by alcourse.hub.config)
    DIR/cohort.json            the cohort: its name, grader account, trainers and trainees
    DIR/admin-token            API token for automation (mode 600)
    DIR/shared-password        the hub's login password for small cohorts and tests (mode 600)
    DIR/course/                the grader's nbgrader course folder (as `alcourse course init`)
    DIR/source/                its source notebooks, written from the packaged content
    DIR/exchange/              the private nbgrader exchange (alcourse.hub.exchange)
    DIR/etc/ROLE/              Jupyter configuration for trainee, trainer and grader servers
    DIR/state/                 the hub's database, cookie secret and pid files (root only)

Adding trainees never removes anyone or touches their home folders.

>>> HubFolder(Path("/srv/hub")).course
PosixPath('/srv/hub/course')
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from alcourse.errors import UserError
from alcourse.hub import accounts
from alcourse.hub.config import course_hub_section, hub_config, write_role_files
from alcourse.hub.exchange import make_exchange
from alcourse.hub.roster import Person, Roster
from alcourse.venv import put_venv_first


class HubError(UserError):
    """A hub folder problem, with what to do about it."""


def _write_private(path: Path, text: str) -> None:
    """Write a secret readable by root only (made 0600 before anything is written)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    path.chmod(0o600)


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        os.chown(dirpath, uid, gid)
        for name in [*dirnames, *filenames]:
            os.lchown(os.path.join(dirpath, name), uid, gid)


@dataclass(frozen=True)
class HubFolder:
    """An initialised hub folder."""

    root: Path

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def config(self) -> Path:
        return self.root / "jupyterhub_config.py"

    def cohort(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.root / "cohort.json").read_text(encoding="utf-8"))
            return data
        except FileNotFoundError:
            raise HubError(f"{self.root}: not a hub folder (no cohort.json); make one with: "
                           "alcourse hub init DIR --cohort NAME --trainers FILE --trainees FILE") from None

    @classmethod
    def open(cls, root: Path) -> HubFolder:
        folder = cls(root.expanduser().resolve())
        folder.cohort()
        return folder

    @classmethod
    def init(cls, root: Path, roster: Roster, password: str | None = None,
             idle_timeout: int = 3600) -> HubFolder:
        """Make the folder, the accounts, the exchange and the course (as root)."""
        from alcourse.curriculum import load_curriculum
        from alcourse.curriculum.build import write_sources
        from alcourse.grading import CourseFolder

        accounts.require_root("alcourse hub init")
        root = root.expanduser().resolve()
        if root.exists() and any(root.iterdir()):
            raise HubError(f"{root}: exists and is not empty; choose a new folder (to add people to an "
                           f"existing hub use: alcourse hub add-trainees {root} FILE.csv)")
        if password is not None and len(password) < 8:
            raise HubError("--password: must be at least 8 characters (JupyterHub's rule)")
        made = not root.exists()
        try:
            folder = cls(root)
            root.mkdir(parents=True, exist_ok=True)
            root.chmod(0o755)  # trainees' servers read etc/ and the exchange below it
            (root / "state").mkdir(mode=0o700)
            _write_private(root / "admin-token", secrets.token_hex(32) + "\n")
            _write_private(root / "shared-password", (password or secrets.token_urlsafe(12)) + "\n")
            uid, gid = accounts.ensure_user(roster.grader, f"alcourse grader for {roster.cohort}")
            for person in (*roster.trainers, *roster.trainees):
                accounts.ensure_user(person.username, person.name)
            make_exchange(folder.exchange, roster.cohort, uid, gid)
            # the grader's own copy of the source notebooks (hidden tests, mark schemes), from
            # the packaged content: the hub needs no repository checkout
            source = write_sources(load_curriculum(), root / "source")
            CourseFolder.init(folder.course, source=source, course_id=roster.cohort)
            with (folder.course / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
                fh.write(course_hub_section(roster.cohort, folder.exchange))
            shutil.rmtree(folder.course / "exchange", ignore_errors=True)  # the hub's exchange is used
            folder._add_students(roster.cohort, roster.trainees)
            for private in (folder.course, source):
                _chown_tree(private, uid, gid)
                private.chmod(0o700)  # the gradebook, sources and submissions are the grader's alone
            write_role_files(root / "etc", roster.cohort, folder.exchange)
            data = {"cohort": roster.cohort, "grader": roster.grader,
                    "trainers": [asdict(p) for p in roster.trainers],
                    "trainees": [asdict(p) for p in roster.trainees]}
            folder._write_cohort(data)
            folder.config.write_text(hub_config(root, roster.cohort, idle_timeout=idle_timeout),
                                     encoding="utf-8")
        except BaseException:
            if made:
                shutil.rmtree(root, ignore_errors=True)
            raise
        return folder

    def _write_cohort(self, data: dict[str, Any]) -> None:
        tmp = self.root / "cohort.json.tmp"
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        tmp.replace(self.root / "cohort.json")

    def _add_students(self, cohort: str, people: tuple[Person, ...] | list[Person]) -> None:
        """Put trainees in the gradebook (nbgrader's API, in-process: fast for 300)."""
        from nbgrader.api import Gradebook

        put_venv_first()  # nbgrader runs alembic as a subprocess
        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}", cohort) as gb:
            for person in people:
                first, _, last = person.name.partition(" ")
                gb.update_or_create_student(person.username, first_name=first, last_name=last)

    def add_trainees(self, people: list[Person]) -> list[Person]:
        """Add new trainees (accounts, gradebook, hub); existing people and work are kept."""
        accounts.require_root("alcourse hub add-trainees")
        data = self.cohort()
        known = {p["username"] for p in data["trainers"]} | {p["username"] for p in data["trainees"]}
        trainers = {p["username"] for p in data["trainers"]}
        clash = [p.username for p in people if p.username in trainers]
        if clash:
            raise HubError(f"{', '.join(clash)}: already a trainer of {data['cohort']}; "
                           "a person is either a trainer or a trainee")
        new = [p for p in people if p.username not in known]
        for person in new:
            accounts.ensure_user(person.username, person.name)
        grader = accounts.pwd_entry(data["grader"])
        self._add_students(data["cohort"], new)
        os.chown(self.course / "gradebook.db", grader.pw_uid, grader.pw_gid)
        data["trainees"] = [*data["trainees"], *(asdict(p) for p in new)]
        self._write_cohort(data)
        self._tell_running_hub(data["cohort"], [p.username for p in new])
        return new

    def hub_url(self) -> str | None:
        """The URL of this folder's hub if it is running (written by ``alcourse hub start``)."""
        path = self.root / "state" / "hub-url"
        return path.read_text().strip() if path.exists() else None

    def admin_token(self) -> str:
        return (self.root / "admin-token").read_text().strip()

    def api(self, method: str, path: str, body: Any = None, url: str | None = None) -> Any:
        """Call the running hub's REST API with the admin token."""
        base = url or self.hub_url()
        if base is None:
            raise HubError(f"{self.root}: the hub is not running (start it with: alcourse hub start "
                           f"{self.root})")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(  # noqa: S310 - http(s) to our own hub
            f"{base.rstrip('/')}/hub/api{path}", data=data, method=method,
                                     headers={"Authorization": f"token {self.admin_token()}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - our own hub
            text = resp.read()
        return json.loads(text) if text else None

    def _tell_running_hub(self, cohort: str, usernames: list[str]) -> None:
        if not usernames or self.hub_url() is None:
            return
        try:
            self.api("POST", "/users", {"usernames": usernames})
        except OSError:
            return  # not running any more: the next start reads cohort.json
        self.api("POST", f"/groups/nbgrader-{cohort}/users", {"users": usernames})
