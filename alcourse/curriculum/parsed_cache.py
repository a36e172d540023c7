"""The parsed course, kept on disk between processes, keyed by every file it was made from.

Parsing the course's YAML into typed modules takes about half a second, and every process
that needs the content pays it: each ``alcourse`` command, each grading worker and its
kernel sandbox, and each trainee kernel when a module notebook opens. The parsed result is
written to the user's cache folder and read back in about a hundredth of that time.

The key covers the content files (name, size, modification time), alcourse's own code (a
changed model class must never meet an old pickle) and the Python version, so an edit to
any of them parses afresh. Only the user's own files are read: the folder must belong to
them and be writable by nobody else, because unpickling runs code. Any problem reading or
writing the cache only costs the parse it would have saved.

>>> import tempfile
>>> cache = ParsedCache(Path(tempfile.mkdtemp()) / "alcourse")
>>> key = cache.key(("content", 1))
>>> cache.read(key) is None
True
>>> cache.write(key, {"parsed": True})
>>> cache.read(key)
{'parsed': True}
>>> cache.read(cache.key(("content", 2))) is None  # another stamp, another entry
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]
# entries older than the newest few are removed when one is written
KEEP = 8


def default_folder() -> Path | None:
    """``$ALCOURSE_CACHE`` (empty: no cache), else ``$XDG_CACHE_HOME/alcourse``, else
    ``~/.cache/alcourse``; None when there is no home to keep it in."""
    chosen = os.environ.get("ALCOURSE_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "alcourse"
    try:
        return Path.home() / ".cache" / "alcourse"
    except (RuntimeError, KeyError):
        return None


def code_stamp(package: Path = PACKAGE) -> tuple[tuple[str, int, int], ...]:
    """alcourse's own Python files as they are now (a few hundred ``stat`` calls)."""
    stamp = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        stamp.append((str(path.relative_to(package)), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


class ParsedCache:
    """Pickles in one private folder, one file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, content_stamp: object) -> str:
        text = repr((content_stamp, code_stamp(), sys.version, str(PACKAGE)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def _private(self) -> bool:
        try:
            info = self.folder.stat()
            uid = os.getuid()  # absent in some in-browser Pythons: then there is no cache
        except (OSError, AttributeError):
            return False
        return (stat.S_ISDIR(info.st_mode) and info.st_uid == uid
                and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))

    def read(self, key: str) -> Any:
        """What was written under ``key``, or None."""
        path = self.folder / f"{key}.pickle"
        try:
            if not self._private():
                return None
            info = path.stat()
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
            with open(path, "rb") as handle:
                return pickle.load(handle)  # noqa: S301 - the user's own private file
        except Exception:  # a missing, cut-off or stale entry is parsed again
            return None

    def write(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` (whole or not at all); failures are ignored."""
        temporary = None
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self._private():
                return
            handle = tempfile.NamedTemporaryFile(dir=self.folder, prefix=".", suffix=".tmp", delete=False)
            temporary = handle.name
            with handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            # another process may write the same key at once: each rename is whole
            os.replace(temporary, self.folder / f"{key}.pickle")
            temporary = None
            self._prune()
        except Exception:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()
