"""Writing files so that a crash leaves the old file or the new one, and reading a set's roster."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from alcourse.located import LocatedError


def write_atomic(path: Path, text: str | Callable[[], str]) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, flushed, then renamed.

    ``text`` may be a function, called once the temporary file is open.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(p, "one"); p.read_text()
    'one'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text() if callable(text) else text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_roster(path: Path) -> list[str]:
    """Members' names, one a line (blank lines and ``#`` comments ignored).

    Problems are :class:`~alcourse.located.LocatedError` naming the file and line.
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LocatedError(path, 1, "(file)", f"cannot be read as UTF-8 text: {exc}") from None
    names: list[str] = []
    for number, line in enumerate(lines, start=1):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if ";" in name or name.lower() in ("adviser", "set"):
            raise LocatedError(path, number, "name", f"is {name!r}; a member's name, without ';' "
                               "(and not 'adviser' or 'set')")
        if name.lower() in (n.lower() for n in names):
            raise LocatedError(path, number, "name", f"{name!r} is listed twice; list each member once")
        names.append(name)
    if not names:
        raise LocatedError(path, 1, "(file)", "names no member; write one name a line")
    return names
