"""The observation rubric: the course's competences, scored at a level with evidence, by observers
and by the trainee (self-assessment); the trainee's feedback sets self against observers.

A rubric file is a CSV a spreadsheet can edit (or the observer widget writes)::

    # alcourse-rubric v1
    # rater: Kim
    # role: observer
    competence,level,evidence
    competence.contracting,competent,"Named the broken ground rule at 12:40"

>>> from alcourse.content import load_course
>>> competences = load_course().competences
>>> r = Rubric("Kim", "observer", {"competence.contracting": Score("strong", "renewed the contract")})
>>> parse(render(r), "kim.csv", competences) == r
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alcourse.content.model import LEVELS, Competence
from alcourse.located import LocatedError
from alcourse.observe.agree import Agreement, Disagreement, agreement

HEADER = "# alcourse-rubric v1"
ROLES = ("observer", "self")
COLUMNS = ("competence", "level", "evidence")


class RubricError(LocatedError):
    """A problem in a rubric file: ``FILE:LINE: field: what is wrong``."""


@dataclass(frozen=True)
class Score:
    level: str
    evidence: str = ""


@dataclass(frozen=True)
class Rubric:
    """One rater's scores of one facilitator, by competence id (unscored competences left out)."""

    rater: str
    role: str = "observer"
    scores: dict[str, Score] = field(default_factory=dict)


def render(rubric: Rubric, competences: Sequence[str] = ()) -> str:
    """The CSV text; ``competences`` adds empty lines for those not scored yet (a blank form)."""
    out = io.StringIO()
    out.write(f"{HEADER}\n# rater: {rubric.rater}\n# role: {rubric.role}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    ids = list(rubric.scores) + [c for c in competences if c not in rubric.scores]
    for cid in ids:
        score = rubric.scores.get(cid, Score(""))
        writer.writerow([cid, score.level, " ".join(score.evidence.split())])
    return out.getvalue()


def parse(text: str, file: str | Path, competences: Mapping[str, Competence]) -> Rubric:
    """Read a rubric file's text; every problem is a :class:`RubricError` with its line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != HEADER:
        raise RubricError(file, 1, "(version)", f"the first line must be '{HEADER}'")
    meta: dict[str, str] = {}
    number = 1
    for number, line in enumerate(lines[1:], start=2):
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("#").partition(":")
        key = key.strip().lower()
        if not sep or key not in ("rater", "role"):
            raise RubricError(file, number, "(comment)", f"is {line!r}; allowed: '# rater: NAME', "
                              "'# role: observer' or '# role: self'")
        meta[key] = value.strip()
    if not meta.get("rater"):
        raise RubricError(file, 2, "rater", "is missing; add '# rater: YOUR NAME' as the second line")
    role = meta.get("role", "observer")
    if role not in ROLES:
        raise RubricError(file, 3, "role", f"is {role!r}; allowed: {', '.join(ROLES)}")
    header_line = number
    reader = csv.reader(lines[header_line - 1:])
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise RubricError(file, header_line, "(header)", f"should be {','.join(COLUMNS)}")
    scores: dict[str, Score] = {}
    for number, cells in enumerate(reader, start=header_line + 1):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            raise RubricError(file, number, "(row)", f"has {len(cells)} values; give competence,level,"
                              "evidence (quote evidence that contains a comma)")
        cid, level, evidence = (c.strip() for c in cells)
        if cid not in competences:
            raise RubricError(file, number, "competence", f"is {cid!r}; allowed: {', '.join(competences)}")
        if cid in scores:
            raise RubricError(file, number, "competence", f"{cid} is scored twice; keep one line")
        if not level:
            continue  # not scored: this rater saw no evidence either way
        if level not in LEVELS:
            raise RubricError(file, number, "level", f"is {level!r}; allowed: {', '.join(LEVELS)} "
                              "(or empty if you saw no evidence)")
        scores[cid] = Score(level, evidence)
    return Rubric(meta["rater"], role, scores)


def read(path: Path | str, competences: Mapping[str, Competence]) -> Rubric:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(path, 1, "(file)", f"cannot be read as UTF-8 text: {exc}") from None
    return parse(text, path, competences)


@dataclass(frozen=True)
class RubricComparison:
    raters: tuple[str, ...]
    agreement: Agreement
    disagreements: list[Disagreement]


def compare_rubrics(rubrics: Sequence[Rubric], competences: Sequence[str]) -> RubricComparison:
    """Observers' levels compared per competence (ordinal: strong vs not-yet differs by two)."""
    codes = [[r.scores[c].level if c in r.scores else None for c in competences] for r in rubrics]
    found = agreement(codes, ordered=LEVELS)
    differ = [Disagreement(c, "level", tuple(x[i] or "—" for x in codes))
              for i, c in enumerate(competences) if len({x[i] for x in codes}) > 1]
    return RubricComparison(tuple(r.rater for r in rubrics), found, differ)


def feedback_page(rubrics: Sequence[Rubric], competences: Mapping[str, Competence],
                  trainee: str = "") -> str:
    """The trainee's feedback: per competence, their own level beside each observer's, with evidence."""
    from alcourse.render import render

    selves = [r for r in rubrics if r.role == "self"]
    observers = [r for r in rubrics if r.role == "observer"]
    comparison = compare_rubrics(observers, list(competences)) if len(observers) >= 2 else None
    return render("observe/rubric.html.j2", title=f"Observation feedback{': ' + trainee if trainee else ''}",
                       competences=list(competences.values()), selves=selves, observers=observers,
                       comparison=comparison, levels=LEVELS)
