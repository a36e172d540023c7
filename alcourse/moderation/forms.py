"""The moderation files in ``COURSE/moderation/MODULE/``: the sample, the blind form, the marks.

``sample.json`` (the moderator's record, with the first marks) never goes to the second
marker. ``second-marker.csv`` and ``second-marker.html`` name pieces by number only and
show no first mark.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from alcourse.errors import UserError
from alcourse.located import LocatedError
from alcourse.moderation.sample import Piece
from alcourse.observe.files import write_atomic

SECOND_COLUMNS = ("piece", "criterion", "max_mark", "second_mark", "comment")
AGREED_COLUMNS = ("piece", "criterion", "first_mark", "second_mark", "agreed_mark", "why")


class MarksError(LocatedError):
    """A problem in a marks file: ``FILE:LINE: field: what is wrong``."""


@dataclass(frozen=True)
class Sampled:
    number: str
    """``P01``, ``P02``...: how the blind form names the piece."""
    piece: Piece


def folder(course: Path, module: str) -> Path:
    return course / "moderation" / module


def save_sample(course: Path, module: str, sampled: Sequence[Sampled], seed: int, drawn_by: str,
                when: str) -> Path:
    path = folder(course, module) / "sample.json"
    data = {"module": module, "seed": seed, "drawn_by": drawn_by, "drawn_at": when,
            "pieces": [{"number": s.number, **asdict(s.piece)} for s in sampled]}
    write_atomic(path, json.dumps(data, indent=1) + "\n")
    return path


def load_sample(course: Path, module: str) -> list[Sampled]:
    path = folder(course, module) / "sample.json"
    if not path.exists():
        raise UserError(f"{path}: no sample drawn for {module}; draw one first with "
                        f"`alcourse moderate {course} {module} --sample 20%`")
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Sampled(p.pop("number"), Piece(**p)) for p in data["pieces"]]


def blind_form(sampled: Sequence[Sampled]) -> str:
    """The second marker's CSV: one line per piece, the mark left empty. No first mark anywhere."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SECOND_COLUMNS)
    for s in sampled:
        writer.writerow([s.number, s.piece.cell, f"{s.piece.max_score:g}", "", ""])
    return out.getvalue()


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MarksError(path, 1, "(file)", f"cannot be read as UTF-8 text: {exc}") from None
    reader = csv.reader(lines)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise MarksError(path, 1, missing[0],
                         f"column is missing; the first line must be {','.join(columns)}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise MarksError(path, number, "(row)", f"has {len(cells)} values; the header has {len(header)}. "
                             "Put a comment that contains a comma in double quotes")
        rows.append((number, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return rows


def _mark(path: Path, number: int, field: str, raw: str, piece: Piece) -> float:
    try:
        mark = float(raw)
    except ValueError:
        mark = -1.0
    if not 0 <= mark <= piece.max_score:
        raise MarksError(path, number, field, f"is {raw!r}; allowed: a mark from 0 to {piece.max_score:g}")
    return mark


def _piece(path: Path, number: int, row: dict[str, str], by_number: dict[str, Sampled],
           seen: dict[str, int]) -> Sampled:
    key = row["piece"]
    if key not in by_number:
        raise MarksError(path, number, "piece", f"{key!r} is not in the sample; allowed: "
                         f"{', '.join(by_number)}")
    if key in seen:
        raise MarksError(path, number, "piece", f"{key} is marked twice (also line {seen[key]}); keep one")
    seen[key] = number
    s = by_number[key]
    if row["criterion"] != s.piece.cell:
        raise MarksError(path, number, "criterion", f"is {row['criterion']!r}; piece {key} is "
                         f"{s.piece.cell!r}. Do not edit the first two columns")
    return s


def read_second(path: Path, sampled: Sequence[Sampled]) -> dict[str, tuple[float, str]]:
    """The second marker's marks by piece number; every sampled piece must have one."""
    by_number = {s.number: s for s in sampled}
    seen: dict[str, int] = {}
    marks = {}
    for number, row in _rows(path, SECOND_COLUMNS):
        s = _piece(path, number, row, by_number, seen)
        marks[s.number] = (_mark(path, number, "second_mark", row["second_mark"], s.piece), row["comment"])
    missing = [n for n in by_number if n not in marks]
    if missing:
        raise MarksError(path, 1, "second_mark", f"no mark for {', '.join(missing)}; mark every piece "
                         "in the sample")
    return marks


def agreed_form(sampled: Sequence[Sampled], second: dict[str, tuple[float, str]]) -> str:
    """The moderator's form: first and second marks side by side, agreed mark and reason to fill in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AGREED_COLUMNS)
    for s in sampled:
        writer.writerow([s.number, s.piece.cell, f"{s.piece.first:g}", f"{second[s.number][0]:g}", "", ""])
    return out.getvalue()


@dataclass(frozen=True)
class Agreed:
    sampled: Sampled
    second: float
    agreed: float
    why: str


def read_agreed(path: Path, sampled: Sequence[Sampled], second: dict[str, tuple[float, str]]) -> list[Agreed]:
    """Agreed marks (rows with an empty agreed mark are left for later); a changed mark needs a reason."""
    by_number = {s.number: s for s in sampled}
    seen: dict[str, int] = {}
    found = []
    for number, row in _rows(path, AGREED_COLUMNS):
        s = _piece(path, number, row, by_number, seen)
        if not row["agreed_mark"]:
            continue
        agreed = _mark(path, number, "agreed_mark", row["agreed_mark"], s.piece)
        if agreed != s.piece.first and not row["why"]:
            raise MarksError(path, number, "why", f"is empty; say why the agreed mark {agreed:g} differs "
                             f"from the first mark {s.piece.first:g}")
        found.append(Agreed(s, second[s.number][0], agreed, row["why"]))
    return found
