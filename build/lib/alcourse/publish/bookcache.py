"""Keep the book's execution cache honest when alcourse's code changes.

Jupyter Book caches each executed page by the text of its code cells, so a rebuild after a
one-page edit re-executes only that page. Pages only *call* alcourse (``preview("m03.x")``),
so a change to the widget code would leave every page showing the old widget. This clears
the cache when the code under ``alcourse/`` differs from the code it was filled with.
(Changes to an exercise's data reach the page's code cell through
:func:`alcourse.curriculum.bookpage.data_tag`, so they re-execute only that page.)

Usage (what ``make book`` runs before building)::

    python -m alcourse.publish.bookcache _build
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import alcourse

STAMP = ".alcourse-code"
CACHE = ".jupyter_cache"


def code_fingerprint(package: Path | None = None) -> str:
    """A hash of every ``.py`` file in the package (paths and bytes)."""
    package = package or Path(alcourse.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def refresh(build_dir: Path, package: Path | None = None) -> bool:
    """Clear ``build_dir``'s execution cache if the code changed; True when cleared.

    >>> import tempfile
    >>> build = Path(tempfile.mkdtemp())
    >>> (build / CACHE).mkdir()
    >>> refresh(build), (build / CACHE).exists(), refresh(build)
    (True, False, False)
    """
    stamp = build_dir / STAMP
    current = code_fingerprint(package)
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == current:
        return False
    shutil.rmtree(build_dir / CACHE, ignore_errors=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n", encoding="utf-8")
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "_build")
    if refresh(target):
        print(f"alcourse code changed: cleared {target / CACHE}; every page will re-execute")
