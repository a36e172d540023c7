"""Load the course content from YAML files, with located errors."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from alcourse.content.model import ContentFile, Course
from alcourse.located import LocatedError, build, read_yaml


class ContentError(LocatedError):
    """A content file is wrong; the message names the file, line, item and field."""


def data_dir() -> Path:
    """The folder of YAML files shipped inside the package."""
    return Path(str(resources.files("alcourse.content") / "data"))


def load_file(path: Path) -> ContentFile:
    """Parse and validate one content file."""
    return _build_file(_read_file(path), path)


def _read_file(path: Path) -> object:
    raw = read_yaml(path, ContentError)
    if raw is None:
        raise ContentError(path, 1, "(file)", "is empty; add sources, collections, tables or glossary")
    return raw


def _build_file(raw: object, path: Path) -> ContentFile:
    return build(ContentFile, raw, error=ContentError, path=path.stem)


def load_course(folder: Path | None = None) -> Course:
    """Load and cross-check every ``*.yaml`` file directly in ``folder``.

    >>> course = load_course()
    >>> course.item("contrast.location").traditional
    'Classroom-Based'
    """
    folder = folder or data_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError(folder, 1, "(folder)", "holds no .yaml content files")
    course = Course()
    seen: dict[str, str] = {}
    raw_lines: dict[str, tuple[Path, int]] = {}
    for path in files:
        # parsed once: the typed records and the line numbers come from the same tree
        raw = _read_file(path)
        content = _build_file(raw, path)
        lines = _id_lines(raw)
        # each group's records go into the course's map of the same kind; the pairing is
        # the tuple below, which a type checker cannot follow through a loop variable
        groups: tuple[tuple[Sequence[Any], MutableMapping[str, Any]], ...] = (
            (content.sources, course.sources),
            (content.collections, course.collections),
            (content.tables, course.tables),
            (content.glossary, course.glossary),
            (content.competences, course.competences),
        )
        for group, target in groups:
            for record in group:
                ids = [record.id]
                ids += [i.id for i in getattr(record, "items", ())]
                ids += [r.id for r in getattr(record, "rows", ())]
                for item_id in ids:
                    # the same id may appear twice in a file: take its lines in order
                    line = lines[item_id].pop(0) if lines.get(item_id) else 1
                    if item_id in seen:
                        raise ContentError(
                            path, line, f"{item_id}.id",
                            f"is used twice (also in {seen[item_id]}); every id must be unique",
                        )
                    seen[item_id] = f"{path.name}:{line}"
                    raw_lines[item_id] = (path, line)
                target[record.id] = record
    _check_sources(course, raw_lines)
    return course


def _id_lines(raw: object) -> dict[str, list[int]]:
    """Map every ``id:`` value in a parsed file to its lines, in order, for later errors."""
    found: dict[str, list[int]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                line = node.line_of("id") if hasattr(node, "line_of") else 1
                found.setdefault(node["id"], []).append(line)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(raw)
    return found


def _check_sources(course: Course, lines: dict[str, tuple[Path, int]]) -> None:
    def check(owner: str, source: str) -> None:
        if source and source not in course.sources:
            path, line = lines[owner]
            raise ContentError(
                path, line, f"{owner}.source",
                f"names {source!r}, which is not a source; known: {', '.join(course.sources)}",
            )

    known = set(course.all_ids()) | set(course.glossary) | set(course.collections) | set(course.tables)
    for collection in course.collections.values():
        check(collection.id, collection.source)
        for item in collection.items:
            check(item.id, item.source)
            for other in item.related:
                if other not in known:
                    path, line = lines[item.id]
                    raise ContentError(path, line, f"{item.id}.related",
                                       f"names {other!r}, which is not a content item id")
    for table in course.tables.values():
        check(table.id, table.source)
    for competence in course.competences.values():
        check(competence.id, competence.source)
