"""Read a real set-meeting log: a CSV with one row per turn (meeting, speaker, turn type, seconds).

Trainers keep such a log while observing their own sets (a tally sheet typed up
afterwards is enough). Every bad row is reported as a :class:`LogError`,
``FILE:LINE: column: what is wrong and what is allowed``.

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

LOG_FORMAT = "alcourse-log/1"
"""The log format this reader reads. A log may start with a line ``# alcourse-log/1`` (a log
without one is read as version 1, as logs were before versions); a later version is refused
with a located error rather than misread. Add columns only as optional ones, and bump the
version only for a change an older reader would misread."""
REQUIRED = ("meeting", "speaker", "turn_type", "seconds")
OPTIONAL = ("move",)
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
    offset = 0
    if lines and lines[0].startswith("#"):
        declared = lines[0].lstrip("#").strip()
        name, _, version = declared.partition("/")
        if name != LOG_FORMAT.split("/")[0] or not version.isdigit():
            raise LogError(path, 1, "(format)", f"is {declared!r}; a log's first line may only be "
                           f"'# {LOG_FORMAT}' (or leave it out)")
        if int(version) > int(LOG_FORMAT.split("/")[1]):
            raise LogError(path, 1, "(format)", f"is version {version}; this alcourse reads "
                           f"{LOG_FORMAT}: update alcourse to read this log")
        lines, offset = lines[1:], 1
    if not lines or not lines[0].strip():
        raise LogError(path, 1 + offset, "(header)", "is empty; the first line must name the columns "
                       f"{', '.join(REQUIRED)}")
    reader = csv.reader(lines)
    header = [_column(h) for h in next(reader)]
    for name in REQUIRED:
        if name not in header:
            raise LogError(path, 1 + offset, name, f"column is missing; the first line must name the columns "
                           f"{', '.join(REQUIRED)} (and optionally move); found {', '.join(header)}")
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:
        raise LogError(path, 1 + offset, unknown[0],
                       f"is not a known column; allowed: {', '.join(REQUIRED + OPTIONAL)}")
    if len(set(header)) != len(header):
        raise LogError(path, 1 + offset, "(header)", "names a column twice; name each column once")
    index = {name: header.index(name) for name in header}
    advisers = ADVISER_NAMES | {adviser.strip().lower()}
    rows = []
    for number, cells in enumerate(reader, start=2 + offset):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise LogError(path, number, "(row)", f"has {len(cells)} values; the header has {len(header)} "
                           f"({', '.join(header)}). Check for a stray comma")
        rows.append(_row(path, number, cells, index, advisers))
    if not rows:
        raise LogError(path, 1, "(file)", "has a header but no turns; add one row per turn")
    return pd.DataFrame(rows, columns=["meeting", "speaker", "turn_type", "seconds", "move"])


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
