"""nbgrader course folders: where a trainer's release, submissions and gradebook live.

The folder sits outside the repository. Its ``nbgrader_config.py`` points
nbgrader's *source* directory at the repository's ``notebooks/``, so trainers
never copy source notebooks (with their hidden tests) around.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alcourse.curriculum import Curriculum, load_curriculum
from alcourse.errors import UserError
from alcourse.publish.project import MARKERS
from alcourse.venv import put_venv_first, with_venv_path

CONFIG_NAME = "nbgrader_config.py"
MARKER = "# alcourse course folder"


class CourseError(UserError):
    """A course folder problem, with what to do about it."""


def default_source(folder: Path | None = None) -> Path | None:
    """The ``notebooks/`` of the course project in ``folder`` (default: the current folder), or
    None when that is not a course project (then ``init`` writes the packaged content's notebooks).

    >>> import tempfile
    >>> project = Path(tempfile.mkdtemp())
    >>> default_source(project) is None
    True
    >>> for name in ("_config.yml", "_toc.yml", "notebooks/"):
    ...     _ = (project / name).mkdir() if name.endswith("/") else (project / name).write_text("")
    >>> default_source(project) == (project / "notebooks").resolve()
    True
    """
    root = (folder or Path.cwd()).resolve()
    candidate = root / "notebooks"
    return candidate if candidate.is_dir() and all((root / m).is_file() for m in MARKERS) else None


def config_text(root: Path, source: Path, cur: Curriculum, course_id: str) -> str:
    answers = {m.id: [m.answers_file] for m in cur.modules.values()}
    return f'''{MARKER}: made by `alcourse course init`. Safe to edit.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {str(root)!r}
# The repository's notebooks are the source; the hidden tests never leave it.
c.CourseDirectory.source_directory = {str(source)!r}
c.CourseDirectory.db_url = {"sqlite:///" + str(root / "gradebook.db")!r}
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.tmp"]
# A trainee's answers file is what gets graded: an answers file left in the source
# folder (a trainer trying the notebook) must never replace it. `alcourse release`
# also keeps such files out of the release.
c.Autograde.exclude_overwriting = {answers!r}
c.ExecutePreprocessor.timeout = 60
c.Exchange.root = {str(root / "exchange")!r}
'''


@dataclass(frozen=True)
class CourseFolder:
    """An initialised course folder.

    >>> import tempfile, pathlib
    >>> folder = CourseFolder.init(pathlib.Path(tempfile.mkdtemp()) / "cohort-1")
    >>> (folder.root / "nbgrader_config.py").exists()
    True
    """

    root: Path

    @classmethod
    def init(cls, root: Path, source: Path | None = None, course_id: str = "alcourse",
             cur: Curriculum | None = None) -> CourseFolder:
        root = root.expanduser().resolve()
        cur = cur or load_curriculum()
        config = root / CONFIG_NAME
        if root.exists() and any(root.iterdir()) and not config.exists():
            raise CourseError(f"{root}: exists and is not an alcourse course folder; "
                              "choose an empty or new folder")
        if config.exists() and MARKER not in config.read_text(encoding="utf-8"):
            raise CourseError(f"{config}: was not made by alcourse; not touching it")
        source = source or default_source()
        if source is None and not config.exists():
            # not in a course project: the sources come from the packaged content
            from alcourse.curriculum.build import write_sources

            source = write_sources(cur, root / "source")
        source = (source or root / "source").resolve()
        if not (source.is_dir() and any(source.glob("*/*.ipynb"))):
            raise CourseError(
                f"{source}: no source notebooks found (expected MODULE/MODULE.ipynb). "
                "Pass --source with the path of the repository's notebooks/ folder."
            )
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("release", "submitted", "autograded", "feedback", "exchange"):
            (root / sub).mkdir(exist_ok=True)
        if not config.exists():
            config.write_text(config_text(root, source, cur, course_id),
                              encoding="utf-8")
        return cls(root)

    @classmethod
    def open(cls, root: Path) -> CourseFolder:
        root = root.expanduser().resolve()
        if not (root / CONFIG_NAME).exists():
            raise CourseError(f"{root}: not a course folder (no {CONFIG_NAME}); "
                              f"create one with: alcourse course init {root}")
        return cls(root)

    def config(self) -> Any:
        """The folder's nbgrader configuration (a traitlets ``Config``)."""
        from traitlets.config.loader import PyFileConfigLoader

        try:
            return PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()
        except Exception as exc:  # the file is Python a trainer may have edited
            raise CourseError(f"{self.root / CONFIG_NAME}: cannot be read ({exc}); fix it or make a "
                              "new course folder with: alcourse course init") from None

    @property
    def course_id(self) -> str:
        return str(self.config().CourseDirectory.get("course_id", "default_course"))

    @property
    def db_url(self) -> str:
        return str(self.config().CourseDirectory.get("db_url", f"sqlite:///{self.root / 'gradebook.db'}"))

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run an nbgrader command in this folder (it reads our config from the cwd)."""
        # nbgrader runs alembic as a subprocess, so the venv's bin must be on PATH
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=with_venv_path(),
                              capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise CourseError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
        return proc

    def generate(self, module_ids: list[str],
                 progress: Callable[[str, int, int], None] | None = None) -> list[Path]:
        """Make the trainee versions (nbgrader generate_assignment) into ``release/``.

        ``progress(module_id, done, total)`` is called as each module is released.
        """
        from nbgrader.apps import NbGraderAPI

        put_venv_first()  # nbgrader runs `alembic` when it makes a new gradebook
        # One process for every module (nbgrader's own API, as formgrader uses it): starting
        # nbgrader costs seconds, generating a module under one.
        api = NbGraderAPI(config=self.config())
        made = []
        for module_id in module_ids:
            result = api.generate_assignment(module_id, force=True)
            if not result["success"]:
                raise CourseError(f"nbgrader generate_assignment {module_id} failed:\n"
                                  f"{result.get('log', '')}{result.get('error', '')}")
            release = self.root / "release" / module_id
            # answers a trainer left while trying the source must not reach trainees
            for stray in release.glob("*.answers.json"):
                stray.unlink()
            made.append(release)
            if progress is not None:
                progress(module_id, len(made), len(module_ids))
        return made


def copy_workspace(release: Path, workspace: Path) -> list[Path]:
    """Copy released modules into a trainee's folder, never overwriting their work."""
    copied = []
    for module_dir in sorted(p for p in release.iterdir() if p.is_dir()):
        for src in module_dir.rglob("*"):
            if src.is_dir():
                continue
            dest = workspace / module_dir.name / src.relative_to(module_dir)
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            copied.append(dest)
    return copied
