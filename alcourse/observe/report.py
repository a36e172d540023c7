"""What ``alcourse observe agree`` prints and writes, for observers' logs or their rubric files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from alcourse.errors import UserError
from alcourse.observe.agree import Agreement, Disagreement, compare_logs

SHOWN = 20
"""Disagreements printed; ``--out`` writes them all."""


@dataclass(frozen=True)
class Report:
    text: str
    csv: str
    disagreements: int


def describe(a: Agreement) -> str:
    value = f"{a.value:.2f}" if a.value is not None else f"undefined ({a.why_undefined})"
    return f"{a.statistic} {value}; same code in {a.observed:.0%} of {a.units} units"


def _table(raters: Sequence[str], rows: Sequence[Disagreement]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "dimension", *raters])
    for d in rows:
        writer.writerow([d.unit, d.dimension, *d.codes])
    return out.getvalue()


def agree_files(paths: Sequence[Path], window: float = 5.0) -> Report:
    """Compare observers' logs (or rubric files, if they start ``# alcourse-rubric``)."""
    for p in paths:
        if not p.exists():
            raise UserError(f"{p}:1: (file): does not exist; give the path of an observer's log or rubric")
    firsts = {p: p.read_text(encoding="utf-8-sig").split("\n", 1)[0].strip() for p in paths}
    rubric = [p for p in paths if firsts[p].startswith("# alcourse-rubric")]
    if rubric and len(rubric) != len(paths):
        raise UserError(f"{rubric[0]} is a rubric but {next(p for p in paths if p not in rubric)} is not; "
                        "compare logs with logs and rubrics with rubrics")
    return _rubrics(paths) if rubric else _logs(paths, window)


def _unique(names: list[str], paths: Sequence[Path]) -> list[str]:
    return names if len(set(names)) == len(names) else [p.stem for p in paths]


def _logs(paths: Sequence[Path], window: float) -> Report:
    from alcourse.observe.log import load

    sessions = [load(p) for p in paths]
    names = _unique([s.observer or p.stem for s, p in zip(sessions, paths, strict=True)], paths)
    c = compare_logs(sessions, names, window)
    lines = [f"Agreement between {', '.join(names)} ({window:g}-second windows):"]
    for dim, label in (("speaker", "who spoke"), ("kind", "kind of turn"), ("heron", "Heron category")):
        lines.append(f"  {label:15} {describe(c.agreements[dim])}")
    lines += _listing(names, c.disagreements, "moments where observers differed")
    return Report("\n".join(lines), _table(names, c.disagreements), len(c.disagreements))


def _rubrics(paths: Sequence[Path]) -> Report:
    from alcourse.content import load_course
    from alcourse.observe.rubric import compare_rubrics, read

    competences = load_course().competences
    rubrics = [read(p, competences) for p in paths]
    names = _unique([r.rater for r in rubrics], paths)
    c = compare_rubrics(rubrics, list(competences))
    lines = [f"Rubric agreement between {', '.join(names)} over {len(competences)} competences:",
             f"  {'level':15} {describe(c.agreement)}"]
    lines += _listing(names, c.disagreements, "competences scored at different levels")
    return Report("\n".join(lines), _table(names, c.disagreements), len(c.disagreements))


def _listing(names: Sequence[str], rows: Sequence[Disagreement], what: str) -> list[str]:
    if not rows:
        return [f"No {what}."]
    more = f" (the first {SHOWN}; --out writes all)" if len(rows) > SHOWN else ""
    lines = [f"{len(rows)} {what}{more}:"]
    lines.append("  " + " | ".join(["unit", "dimension", *names]))
    lines += ["  " + " | ".join([d.unit, d.dimension, *d.codes]) for d in rows[:SHOWN]]
    return lines
