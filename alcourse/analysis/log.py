"""Read a real set-meeting log: a CSV with one row per turn (meeting, speaker, turn type, seconds).

Trainers keep such a log while observing their own sets (a tally sheet typed up
afterwards is enough). Every bad row is reported as a :class:`LogError`,
``FILE:LINE: column: what is wrong and what is allowed``.

Version 2 (written by ``alcourse observe``) starts with the line ``# alcourse-log v2``,
may carry more ``# key: value`` lines, and adds optional columns (see
:data:`OPTIONAL`); a row with an empty ``turn_type`` and a ``note`` is an observer's note,
not a turn, and is skipped here (:mod:`alcourse.observe.log` reads the whole record).
A file without the version line is version 1 and reads as before.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "set.csv"
>>> _ = path.write_text("meeting,speaker,turn_type,seconds\\n"
...                     "1,Ann,open-question,20\\n1,adviser,adviser,15\\n")
>>> read_log(path)[["meeting", "speaker", "seconds"]].values.tolist()
[[1, 'Ann', 20.0], [1, 'adviser', 15.0]]
>>> _ = path.write_text("meeting,speaker,turn_type,seconds\\n1,Ann,lecture,20\\n")
>>> read_log(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
alcourse.analysis.log.LogError: ...set.csv:2: turn_type: is 'lecture'; allowed: check-in, bid, ...
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from alcourse.located import LocatedError
from alcourse.simulation.vocabulary import MOVES, TURN_TYPES

REQUIRED = ("meeting", "speaker", "turn_type", "seconds")
OPTIONAL = ("move", "at", "kind", "target", "note")
VERSION = 2
"""The newest log version this reader knows; ``# alcourse-log v2`` names it in the file."""
VERSION_PREFIX = "# alcourse-log v"
MAX_SECONDS = 3600.0
ADVISER_NAMES = frozenset({"adviser", "set adviser", "facilitator"})


class LogError(LocatedError):
    """A problem in a meeting log, with its file, line, column and what is allowed."""


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _allowed_types() -> str:
    shown = ", ".join(TURN_TYPES[:2])
    return f"{shown}, ... (one of: {', '.join(TURN_TYPES)})"


def read_log(path: Path | str, adviser: str = "adviser") -> Any:
    """The log as a DataFrame (meeting, speaker, turn_type, seconds, move), checked row by row.

    The adviser's rows may use the speaker name ``adviser`` (or ``set adviser``,
    ``facilitator``, or the name passed as ``adviser``); they are renamed ``adviser``.
    """
    import pandas as pd

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LogError(path, 1, "(encoding)", f"is not UTF-8 text ({exc.reason}); "
                       "save the spreadsheet as 'CSV UTF-8'") from None
    except OSError as exc:
        raise LogError(path, 1, "(file)", f"cannot be read: {exc.strerror}") from None
    lines = text.splitlines()
    version, skip = log_version(path, lines)
    lines = lines[skip:]
    if not lines or not lines[0].strip():
        raise LogError(path, skip + 1, "(header)", "is empty; the first line must name the columns "
                       f"{', '.join(REQUIRED)}")
    reader = csv.reader(lines)
    header = [_column(h) for h in next(reader)]
    for name in REQUIRED:
        if name not in header:
            raise LogError(path, skip + 1, name, f"column is missing; the first line must name the columns "
                           f"{', '.join(REQUIRED)} (and optionally move); found {', '.join(header)}")
    allowed = REQUIRED + (OPTIONAL if version >= 2 else OPTIONAL[:1])
    unknown = [h for h in header if h not in allowed]
    if unknown:
        raise LogError(path, skip + 1, unknown[0], f"is not a known column; allowed: {', '.join(allowed)}")
    if len(set(header)) != len(header):
        raise LogError(path, skip + 1, "(header)", "names a column twice; name each column once")
    index = {name: header.index(name) for name in header}
    advisers = ADVISER_NAMES | {adviser.strip().lower()}
    rows = []
    for number, cells in enumerate(reader, start=skip + 2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise LogError(path, number, "(row)", f"has {len(cells)} values; the header has {len(header)} "
                           f"({', '.join(header)}). Check for a stray comma")
        if "note" in index and not cells[index["turn_type"]].strip() and cells[index["note"]].strip():
            continue  # an observer's note, not a turn
        rows.append(_row(path, number, cells, index, advisers))
    if not rows:
        raise LogError(path, 1, "(file)", "has a header but no turns; add one row per turn")
    return pd.DataFrame(rows, columns=["meeting", "speaker", "turn_type", "seconds", "move"])


def log_version(path: Path, lines: list[str]) -> tuple[int, int]:
    """The log's version and how many leading ``#`` lines it has (1 and 0 for a plain CSV).

    >>> log_version(Path("x.csv"), ["# alcourse-log v2", "# members: Ann", "meeting,speaker"])
    (2, 2)
    """
    skip = 0
    while skip < len(lines) and lines[skip].startswith("#"):
        skip += 1
    if not skip:
        return 1, 0
    first = lines[0].strip()
    number = first[len(VERSION_PREFIX):] if first.startswith(VERSION_PREFIX) else ""
    if not number.isdigit():
        raise LogError(path, 1, "(version)", f"is {first!r}; a log's first comment line must be "
                       f"'{VERSION_PREFIX}{VERSION}'")
    if int(number) > VERSION:
        raise LogError(path, 1, "(version)", f"is version {number}, newer than this alcourse reads "
                       f"(up to {VERSION}); upgrade alcourse")
    return int(number), skip


def _row(path: Path, number: int, cells: list[str], index: dict[str, int],
         advisers: frozenset[str] | set[str]) -> tuple[int, str, str, float, str]:
    raw_meeting = cells[index["meeting"]].strip()
    try:
        meeting = int(raw_meeting)
    except ValueError:
        meeting = 0
    if meeting < 1 or meeting > 99:
        raise LogError(path, number, "meeting", f"is {raw_meeting!r}; allowed: a whole number from 1 to 99")
    speaker = cells[index["speaker"]].strip()
    if not speaker:
        raise LogError(path, number, "speaker", "is empty; allowed: a name (or 'adviser' for you)")
    if speaker.lower() in advisers:
        speaker = "adviser"
    turn_type = cells[index["turn_type"]].strip().lower()
    if turn_type not in TURN_TYPES:
        raise LogError(path, number, "turn_type", f"is {turn_type!r}; allowed: {_allowed_types()}")
    if (turn_type == "adviser") != (speaker == "adviser"):
        raise LogError(path, number, "turn_type",
                       f"is {turn_type!r} for speaker {speaker!r}; allowed: 'adviser' exactly for the "
                       "adviser's own turns")
    raw_seconds = cells[index["seconds"]].strip()
    try:
        seconds = float(raw_seconds)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_SECONDS:
        raise LogError(path, number, "seconds", f"is {raw_seconds!r}; allowed: a number of seconds "
                       f"from 0 to {MAX_SECONDS:.0f}")
    move = cells[index["move"]].strip().lower() if "move" in index else ""
    if move and move not in MOVES:
        raise LogError(path, number, "move", f"is {move!r}; allowed: empty or one of {', '.join(MOVES)}")
    if move and speaker != "adviser":
        raise LogError(path, number, "move", "is only for the adviser's turns; leave it empty here")
    return meeting, speaker, turn_type, seconds, move
