"""A trainee's reflective portfolio: one entry per real set meeting, tagged with competences.

Written in YAML (or JSON) by the trainee, in any editor::

    trainee: Sam Patel
    entries:
      - date: 2026-03-04
        set: Ward managers set
        what_happened: ...
        my_interventions: ...
        what_i_felt: ...
        what_i_learned: ...
        what_i_will_try: ...
        competences: [contracting, questioning-listening]

Competences are the course's (``competence.`` may be left off). Every mistake comes
back as ``FILE:LINE: field: what is wrong``.

>>> p = parse(EXAMPLE, "p.yaml")
>>> p.entries[0].competences
('competence.contracting',)
>>> parse(EXAMPLE.replace("contracting", "juggling"), "p.yaml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
alcourse.portfolio.model.PortfolioError: p.yaml:10: portfolio.entries[0].competences[0]: is 'juggling'; ...
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from alcourse.content.model import LEVELS
from alcourse.located import LocatedError, build, parse_yaml, read_yaml

EXAMPLE = """trainee: Sam Patel
entries:
  - date: 2026-03-04
    set: Ward managers
    what_happened: Two bids; Ana presented the rota problem.
    my_interventions: A catalytic question to Ana about who owns the rota.
    what_i_felt: Anxious when the set went quiet.
    what_i_learned: The silence was thinking, not trouble.
    what_i_will_try: Wait longer before speaking.
    competences: [contracting]
"""


class PortfolioError(LocatedError):
    """A problem in a portfolio or rubric file: ``FILE:LINE: field: what is wrong``."""


@dataclass(frozen=True)
class Entry:
    date: str
    set: str
    what_happened: str
    my_interventions: str
    what_i_felt: str
    what_i_learned: str
    what_i_will_try: str
    competences: tuple[str, ...]

    def __post_init__(self) -> None:
        try:
            dt.date.fromisoformat(self.date)
        except ValueError:
            raise ValueError(f"the date is {self.date!r}; write it as YEAR-MONTH-DAY, "
                             "e.g. 2026-03-04") from None
        if not self.competences:
            raise ValueError("the competences list is empty; tag the entry with at least one competence")


@dataclass(frozen=True)
class Portfolio:
    trainee: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    levels: dict[str, str]

    def __post_init__(self) -> None:
        if tuple(self.levels) != LEVELS:
            raise ValueError(f"levels: give exactly {', '.join(LEVELS)}, in that order")


@dataclass(frozen=True)
class PortfolioRubric:
    criteria: tuple[Criterion, ...]


RUBRIC = Path(__file__).with_name("rubric.yaml")


def _dates_as_text(raw: Any) -> Any:
    """YAML reads 2026-03-04 as a date; the model keeps the text the trainee wrote."""
    for entry in raw.get("entries", []) if isinstance(raw, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("date"), dt.date):
            entry["date"] = entry["date"].isoformat()
    return raw


def parse(text: str, file: str | Path, competences: dict[str, Any] | None = None) -> Portfolio:
    """A portfolio from YAML or JSON text, with every competence tag checked."""
    if competences is None:
        from alcourse.content import load_course

        competences = load_course().competences
    raw = _dates_as_text(parse_yaml(text, file, PortfolioError))
    portfolio = build(Portfolio, raw, error=PortfolioError, path="portfolio", file=str(file))
    entries = []
    for i, entry in enumerate(portfolio.entries):
        raw_entry = raw["entries"][i]
        lines = getattr(raw_entry.get("competences"), "item_lines", [])
        tags = []
        for j, tag in enumerate(entry.competences):
            key = tag if tag.startswith("competence.") else f"competence.{tag}"
            if key not in competences:
                line = lines[j] if j < len(lines) else raw_entry.line_of("competences")
                short = ", ".join(c.removeprefix("competence.") for c in competences)
                raise PortfolioError(file, line, f"portfolio.entries[{i}].competences[{j}]",
                                     f"is {tag!r}; allowed: {short}")
            tags.append(key)
        entries.append(replace(entry, competences=tuple(tags)))
    return replace(portfolio, entries=tuple(entries))


def load(path: Path | str) -> Portfolio:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PortfolioError(path, 1, "(file)", f"cannot be read as UTF-8 text: {exc}") from None
    return parse(text, path)


def load_rubric(path: Path = RUBRIC) -> PortfolioRubric:
    """The trainer's levelled rubric for portfolios.

    >>> [c.title for c in load_rubric().criteria][:2]
    ['Practice sustained over time', 'Describes what happened and what the adviser did']
    """
    return build(PortfolioRubric, read_yaml(path, PortfolioError), error=PortfolioError, path="rubric")
