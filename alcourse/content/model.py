"""Typed, frozen records for the course's body of knowledge.

Every record has a stable ``id`` (``kind.slug``) that notebooks, exercises,
grades and the coverage test refer to. Records come from the YAML files in
``alcourse/content/data``; see :func:`alcourse.content.load_course`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from alcourse.errors import NotFound

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$")


def check_id(value: str) -> None:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"id {value!r} is not allowed; use lower-case words joined by dots and "
            "hyphens, such as 'principle.listened-to'"
        )


@dataclass(frozen=True)
class Source:
    """Where an idea comes from, for citation in the book."""

    id: str
    citation: str
    url: str = ""

    def __post_init__(self) -> None:
        check_id(self.id)


@dataclass(frozen=True)
class Item:
    """One teachable idea. ``quote`` keeps the seed's own words where there are any."""

    id: str
    title: str
    text: str
    quote: str = ""
    source: str = ""
    detail: str = ""
    in_practice: str = ""
    breaks: str = ""
    examples: tuple[str, ...] = ()
    # ids of related items, e.g. the Heron categories that suit a failure mode
    related: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id)


@dataclass(frozen=True)
class Contrast:
    """One row of Margerison's traditional-versus-action-learning table."""

    id: str
    aspect: str
    traditional: str
    action: str
    explanation: str

    def __post_init__(self) -> None:
        check_id(self.id)


@dataclass(frozen=True)
class Collection:
    """A named, ordered group of items, such as the five key principles."""

    id: str
    title: str
    intro: str
    items: tuple[Item, ...]
    source: str = ""
    kind: Literal["list", "steps", "definitions"] = "list"

    def __post_init__(self) -> None:
        check_id(self.id)
        if not self.items:
            raise ValueError(f"collection {self.id!r} has no items; add at least one")


@dataclass(frozen=True)
class ContrastTable:
    id: str
    title: str
    intro: str
    source: str
    rows: tuple[Contrast, ...]

    def __post_init__(self) -> None:
        check_id(self.id)


@dataclass(frozen=True)
class Term:
    """A glossary entry."""

    id: str
    term: str
    definition: str

    def __post_init__(self) -> None:
        check_id(self.id)


#: The quality levels every competence, rubric and mark scheme uses, weakest first.
LEVELS: tuple[str, ...] = ("not-yet", "competent", "strong")


@dataclass(frozen=True)
class Competence:
    """One facilitator competence the course develops and assesses.

    Graded items (exercise questions, reflection criteria, simulator criteria,
    observation rubric lines, portfolio entries) name the competences they
    evidence by ``id``. ``levels`` maps each of :data:`LEVELS` to what a marker
    or observer sees at that level.

    >>> from alcourse.content import load_course
    >>> c = load_course().competence("competence.contracting")
    >>> c.title, c.level_ids()
    ('Contracting and ground rules', ('not-yet', 'competent', 'strong'))
    """

    id: str
    title: str
    summary: str
    levels: dict[str, str]
    indicators: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        check_id(self.id)
        if not self.id.startswith("competence."):
            raise ValueError(f"id {self.id!r} should start with 'competence.'")
        if tuple(self.levels) != LEVELS:
            raise ValueError(
                f"levels are {', '.join(self.levels) or 'missing'}; give exactly "
                f"{', '.join(LEVELS)}, in that order"
            )

    def level_ids(self) -> tuple[str, ...]:
        return tuple(self.levels)


@dataclass(frozen=True)
class ContentFile:
    """The shape of one YAML file under ``content/data``."""

    sources: tuple[Source, ...] = ()
    collections: tuple[Collection, ...] = ()
    tables: tuple[ContrastTable, ...] = ()
    glossary: tuple[Term, ...] = ()
    competences: tuple[Competence, ...] = ()


@dataclass(frozen=True)
class Course:
    """The whole body of knowledge, looked up by id.

    >>> from alcourse.content import load_course
    >>> course = load_course()
    >>> course.collection("principles").items[0].id
    'principle.learning-from-experience'
    >>> len(course.table("margerison").rows)
    7
    """

    sources: dict[str, Source] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)
    tables: dict[str, ContrastTable] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)
    competences: dict[str, Competence] = field(default_factory=dict)

    def competence(self, competence_id: str) -> Competence:
        """A competence by id (``competence.`` may be left off)."""
        key = competence_id if competence_id.startswith("competence.") else f"competence.{competence_id}"
        try:
            return self.competences[key]
        except KeyError:
            raise NotFound(f"no competence {key!r}; known: {', '.join(self.competences)}") from None

    def collection(self, name: str) -> Collection:
        key = name if name.startswith("collection.") else f"collection.{name}"
        try:
            return self.collections[key]
        except KeyError:
            raise NotFound(f"no collection {key!r}; known: {', '.join(self.collections)}") from None

    def table(self, name: str) -> ContrastTable:
        key = name if name.startswith("table.") else f"table.{name}"
        try:
            return self.tables[key]
        except KeyError:
            raise NotFound(f"no table {key!r}; known: {', '.join(self.tables)}") from None

    def item(self, item_id: str) -> Item | Contrast | Term:
        """Any item, contrast row or glossary term by its id."""
        for collection in self.collections.values():
            for item in collection.items:
                if item.id == item_id:
                    return item
        for table in self.tables.values():
            for row in table.rows:
                if row.id == item_id:
                    return row
        if item_id in self.glossary:
            return self.glossary[item_id]
        raise NotFound(f"no content item {item_id!r}")

    def all_ids(self) -> list[str]:
        """Every teachable id: collection items and table rows (not glossary terms)."""
        ids = [i.id for c in self.collections.values() for i in c.items]
        ids += [r.id for t in self.tables.values() for r in t.rows]
        return ids
