"""A submission's fingerprint: tells a changed submission from one graded before.

Its own module because the coordinator (``alcourse grade``) needs it before it starts the
workers, and importing the worker module would load nbgrader's and SQLAlchemy's modules there.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> empty = submission_fingerprint(folder)
>>> _ = (folder / "m01.ipynb").write_text("{}")
>>> submission_fingerprint(folder) != empty
True
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def submission_fingerprint(folder: Path) -> str:
    """A digest of every file handed in (names and bytes), to tell a changed submission."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder)
            if ".ipynb_checkpoints" in rel.parts:
                continue
            digest.update(str(rel).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
