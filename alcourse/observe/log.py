"""The observer's log on disk: a version-2 analysis CSV, rewritten atomically after every event.

The file is what :func:`alcourse.analysis.read_log` reads (one format for real and
simulated sessions), with a ``# alcourse-log v2`` line and ``# key: value`` lines for
the members, the observer and the end time. Saving writes a temporary file beside the
log and renames it over the old one, so a closed tab or a kernel restart leaves either
the previous log or the new one, never half of one.

>>> import tempfile, pathlib
>>> from alcourse.observe.session import Session
>>> path = pathlib.Path(tempfile.mkdtemp()) / "obs.csv"
>>> s = Session(("Ann", "Bo"), observer="Kim").turn(0, "Ann", "open-question").end(15)
>>> save(s, path)
>>> load(path) == s
True
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from alcourse.analysis.log import VERSION, LogError, log_version
from alcourse.observe.files import write_atomic
from alcourse.observe.session import ALL_KINDS, INTERVENTION, NOTE, TURN_KINDS, Event, Session

COLUMNS = ("meeting", "speaker", "turn_type", "seconds", "move", "at", "kind", "target", "note")
SEPARATOR = ";"
"""Between members' names in the ``# members:`` line (names may contain commas)."""


def render(session: Session) -> str:
    """The log file's text."""
    out = io.StringIO()
    out.write(f"# alcourse-log v{VERSION}\n")
    out.write(f"# members: {SEPARATOR.join(session.members)}\n")
    if session.observer:
        out.write(f"# observer: {session.observer}\n")
    if session.started is not None:
        out.write(f"# started: {session.started:.3f}\n")
    if session.ended_at is not None:
        out.write(f"# ended: {session.ended_at:g}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in session.rows():
        writer.writerow([row.meeting, row.speaker, row.turn_type, f"{row.seconds:g}", row.move,
                         f"{row.at:g}", row.kind, row.target, " ".join(row.note.split())])
    return out.getvalue()


def save(session: Session, path: Path | str) -> None:
    """Write the log atomically (see :func:`alcourse.observe.files.write_atomic`)."""
    write_atomic(Path(path), lambda: render(session))


def load(path: Path | str) -> Session:
    """Read an observer's log back (after a restart, or to debrief or compare it).

    Every problem is a :class:`~alcourse.analysis.log.LogError`: ``FILE:LINE: field: what is wrong``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LogError(path, 1, "(encoding)",
                       f"is not UTF-8 text ({exc.reason}); save it as CSV UTF-8") from None
    except OSError as exc:
        raise LogError(path, 1, "(file)", f"cannot be read: {exc.strerror}") from None
    lines = text.splitlines()
    version, skip = log_version(path, lines)
    if version < 2:
        raise LogError(path, 1, "(version)", "is a plain tally log; an observer's log starts with "
                       f"'# alcourse-log v{VERSION}' (read a tally log with `alcourse.analysis`)")
    meta = _meta(path, lines[:skip])
    if "members" not in meta:
        raise LogError(path, 1, "members", "line is missing; add '# members: Ann;Bo;Cy' near the top")
    members = tuple(m.strip() for m in meta["members"][1].split(SEPARATOR) if m.strip())
    try:
        session = Session(members, observer=meta.get("observer", (0, ""))[1])
    except ValueError as exc:
        raise LogError(path, meta["members"][0], *_split(exc)) from None
    reader = csv.reader(lines[skip:])
    header = next(reader, [])
    if tuple(h.strip().lower() for h in header) != COLUMNS:
        raise LogError(path, skip + 1, "(header)", f"is {','.join(header)!r}; an observer's log has the "
                       f"columns {','.join(COLUMNS)}")
    meeting = None
    for number, cells in enumerate(reader, start=skip + 2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            raise LogError(path, number, "(row)", f"has {len(cells)} values; the header has {len(COLUMNS)}. "
                           "Check for a stray comma")
        row = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
        event, row_meeting = _event(path, number, row)
        if meeting is None:
            meeting = row_meeting
            session = Session(members, meeting, session.observer)
        elif row_meeting != meeting:
            raise LogError(path, number, "meeting", f"is {row_meeting}; every row of one log is meeting "
                           f"{meeting}")
        try:
            session = session.add(event)
        except ValueError as exc:
            raise LogError(path, number, *_split(exc)) from None
    if "started" in meta:
        line, raw = meta["started"]
        try:
            session = replace(session, started=float(raw))
        except ValueError:
            raise LogError(path, line, "started", f"is {raw!r}; allowed: seconds since 1970") from None
    if "ended" in meta:
        line, raw = meta["ended"]
        try:
            session = session.end(float(raw))
        except ValueError:
            raise LogError(path, line, "ended", f"is {raw!r}; allowed: seconds, not before the last event") \
                from None
    return session


def _split(exc: ValueError) -> tuple[str, str]:
    field, _, message = str(exc).partition(": ")
    return (field, message) if message else ("(row)", field)


def _meta(path: Path, lines: list[str]) -> dict[str, tuple[int, str]]:
    meta = {}
    for number, line in enumerate(lines[1:], start=2):
        key, sep, value = line.lstrip("#").partition(":")
        key = key.strip().lower()
        if not sep or key not in ("members", "observer", "started", "ended"):
            raise LogError(path, number, "(comment)", f"is {line!r}; allowed: '# members: ...', "
                           "'# observer: ...', '# started: EPOCH SECONDS', '# ended: SECONDS'")
        meta[key] = (number, value.strip())
    return meta


def _event(path: Path, number: int, row: dict[str, str]) -> tuple[Event, int]:
    try:
        meeting = int(row["meeting"])
    except ValueError:
        raise LogError(path, number, "meeting",
                       f"is {row['meeting']!r}; allowed: a whole number from 1 to 99") from None
    try:
        at = float(row["at"])
    except ValueError:
        raise LogError(path, number, "at", f"is {row['at']!r}; allowed: seconds since the start") from None
    kind = row["kind"]
    if kind not in ALL_KINDS:
        raise LogError(path, number, "kind", f"is {kind!r}; allowed: {', '.join(ALL_KINDS)}")
    expected = "" if kind == NOTE else "adviser" if kind == INTERVENTION else TURN_KINDS[kind].turn_type
    if row["turn_type"] != expected:
        raise LogError(path, number, "turn_type", f"is {row['turn_type']!r} but kind {kind!r} is "
                       f"turn type {expected!r}; correct one of them")
    return Event(at, kind, row["speaker"], row["move"], row["target"], row["note"]), meeting
