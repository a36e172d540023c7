"""A trainee's workspace: the released modules, a way back from a damaged notebook.

``alcourse workspace`` copies released modules and never overwrites a trainee's
work. When a notebook is damaged (cells deleted, code changed), :func:`reset_module`
puts the released notebook back, keeps the answers file (where every choice and
written answer is saved) and moves the damaged copy to ``backups/`` first.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "release" / "m01").mkdir(parents=True)
>>> _ = (root / "release" / "m01" / "m01.ipynb").write_text("released")
>>> (root / "ws" / "m01").mkdir(parents=True)
>>> _ = (root / "ws" / "m01" / "m01.ipynb").write_text("damaged")
>>> _ = (root / "ws" / "m01" / "m01.answers.json").write_text("{}")
>>> reset = reset_module(root / "release", root / "ws", "m01")
>>> reset.restored.read_text(), reset.backup.read_text(), reset.kept
('released', 'damaged', [PosixPath('m01.answers.json')])
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alcourse.errors import UserError

BACKUPS = "backups"


@dataclass(frozen=True)
class Reset:
    """What a reset did: the notebook put back, where the damaged copy went, what was kept."""

    restored: Path
    backup: Path | None
    kept: list[Path]


def _backup_path(workspace: Path, notebook: Path, now: datetime.datetime) -> Path:
    # outside the module folder: a submission must hold one notebook per module
    stamp = now.strftime("%Y%m%d-%H%M%S")
    folder = workspace / BACKUPS
    candidate = folder / f"{notebook.stem}-{stamp}{notebook.suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{notebook.stem}-{stamp}-{n}{notebook.suffix}"
        n += 1
    return candidate


def reset_module(release: Path, workspace: Path, module_id: str,
                 now: datetime.datetime | None = None) -> Reset:
    """Put the released notebook of ``module_id`` back in ``workspace``; keep the answers file."""
    source_dir = release / module_id
    notebooks = sorted(source_dir.glob("*.ipynb")) if source_dir.is_dir() else []
    if not notebooks:
        raise UserError(f"{source_dir}: no released notebook for module {module_id!r}; release it "
                        f"first with: alcourse release COURSE {module_id}")
    target_dir = workspace / module_id
    target_dir.mkdir(parents=True, exist_ok=True)
    backup = None
    for src in notebooks:
        dest = target_dir / src.name
        if dest.exists():
            backup = _backup_path(workspace, dest, now or datetime.datetime.now())
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dest, backup)
        # written beside it, then renamed: a crash leaves the old or the new notebook, never half
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=target_dir)
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    kept = sorted(p.relative_to(target_dir) for p in target_dir.glob("*.answers.json"))
    return Reset(target_dir / notebooks[0].name, backup, kept)
