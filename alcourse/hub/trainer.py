"""What a trainer does on the hub, run as the cohort's grader account: release, collect, grade, feedback.

Each step is nbgrader (or ``alcourse grade``) in the grader's course folder, over
the private exchange. Run as root, the commands switch to the grader account
(``runuser``); run as the grader (e.g. in the grader service's terminal) they
run directly. Grading is sandboxed without root (user namespaces).

>>> grader_command(Path("/srv/hub"), "grader-x", ["nbgrader", "collect", "m01"], root=False)
['nbgrader', 'collect', 'm01']
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alcourse.errors import UserError
from alcourse.hub import accounts
from alcourse.hub.folder import HubFolder
from alcourse.venv import path_with_venv


def grader_command(hub_dir: Path, grader: str, argv: list[str], root: bool | None = None) -> list[str]:
    """``argv`` as the grader: through ``runuser`` when called as root."""
    if not (os.geteuid() == 0 if root is None else root):
        return argv
    home = accounts.pwd_entry(grader).pw_dir
    return ["runuser", "-u", grader, "--", "env", "-i", f"HOME={home}", f"USER={grader}",
            f"PATH={path_with_venv()}", "LANG=C.UTF-8",
            f"JUPYTER_CONFIG_PATH={hub_dir / 'etc' / 'grader'}", *argv]


def run_as_grader(folder: HubFolder, argv: list[str]) -> str:
    data = folder.cohort()
    if os.geteuid() != 0 and accounts.pwd_entry(data["grader"]).pw_uid != os.geteuid():
        raise UserError(f"run this as root or as the cohort's grader account {data['grader']!r}")
    proc = subprocess.run(grader_command(folder.root, data["grader"], argv), cwd=folder.course,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise UserError(f"{' '.join(argv[:3])} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc.stdout + proc.stderr


def _py(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def release(folder: HubFolder, module: str, due: str | None = None) -> str:
    """Set the module's due date, generate the trainee version (due date at its top), release it."""
    out = ""
    if due:
        # first: the trainee version shows the gradebook's due date (alcourse/deadlines.py)
        out += run_as_grader(folder, _py("nbgrader", "db", "assignment", "add", module, f"--duedate={due}"))
    out += run_as_grader(folder, _py("alcourse.cli", "release", str(folder.course), module))
    out += run_as_grader(folder, _py("nbgrader", "release_assignment", module, "--force"))
    return out


def collect(folder: HubFolder, module: str) -> str:
    """Copy every trainee's latest submission into the course folder (``nbgrader collect``)."""
    return run_as_grader(folder, _py("nbgrader", "collect", module, "--update"))


def grade(folder: HubFolder, module: str, jobs: int | None = None, again: bool = False) -> str:
    """``alcourse grade`` as the grader: autograded in parallel, sandboxed without root.

    ``jobs`` workers (default: ``alcourse grade``'s own, one more than the cores); ``again``
    grades every submission again (``--all``), not only new and changed ones.
    """
    return run_as_grader(folder, _py("alcourse.cli", "grade", str(folder.course), module,
                                     *(["--jobs", str(jobs)] if jobs else []),
                                     *(["--all"] if again else [])))


def feedback(folder: HubFolder, module: str) -> str:
    """The course's feedback pages (nbgrader's, offline, with the alcourse summary at the top),
    released to each trainee's Assignments tab by nbgrader."""
    out = run_as_grader(folder, _py("alcourse.cli", "feedback", str(folder.course), module))
    return out + run_as_grader(folder, _py("nbgrader", "release_feedback", module))
