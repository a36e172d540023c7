"""Load module files and build their exercises, checking every reference."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alcourse.content.loader import ContentError, data_dir, load_course
from alcourse.content.model import Course
from alcourse.curriculum.model import Module
from alcourse.errors import NotFound
from alcourse.exercises.builders import build_exercise
from alcourse.exercises.model import Exercise
from alcourse.located import LMap, build, read_yaml


@dataclass(frozen=True)
class Curriculum:
    """The content plus every module and exercise, looked up by id.

    >>> cur = load_curriculum()
    >>> cur.module("m03-traditional-vs-action-learning").title
    'Traditional learning and action learning'
    """

    course: Course
    modules: dict[str, Module] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    exercise_module: dict[str, str] = field(default_factory=dict)

    def module(self, module_id: str) -> Module:
        try:
            return self.modules[module_id]
        except KeyError:
            raise NotFound(f"no module {module_id!r}; known modules: {', '.join(self.modules)}") from None

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise NotFound(f"no exercise {exercise_id!r}") from None

    def module_exercises(self, module_id: str) -> list[Exercise]:
        return [self.exercises[s.id] for s in self.module(module_id).exercise_specs()]


def load_module(path: Path) -> Module:
    return _build_module(_read_module(path), path)


def _read_module(path: Path) -> Any:
    raw = read_yaml(path, ContentError)
    if raw is None:
        raise ContentError(path, 1, "(file)", "is empty; see another module file for the shape")
    return raw


def _build_module(raw: Any, path: Path) -> Module:
    return build(Module, raw, error=ContentError, path=path.stem)


def load_curriculum(folder: Path | None = None) -> Curriculum:
    """Load the content, then every ``modules/*.yaml`` file, and cross-check them.

    Parsed once per process while the files stay as they are: the result is cached by
    the folder and each file's name, size and modification time, so an edited file is
    read again and everything else costs a few ``stat`` calls. (A grading worker's kernels
    are forked after it is parsed, so no kernel parses the course again.) The curriculum
    returned is shared: read it, never change it.

    >>> load_curriculum() is load_curriculum()
    True
    """
    folder = Path(folder or data_dir()).resolve()
    return _parse_curriculum(folder, _files_stamp(folder))


def _files_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What identifies the content files as they are now."""
    stamp = []
    for path in sorted([*folder.glob("*.yaml"), *(folder / "modules").glob("*.yaml")]):
        info = path.stat()
        stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


@functools.lru_cache(maxsize=4)
def _parse_curriculum(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> Curriculum:
    """Parsed once per process, and read from the user's cache when another process parsed the
    same files (see :mod:`alcourse.curriculum.parsed_cache`)."""
    from alcourse.curriculum.parsed_cache import ParsedCache, default_folder

    where = default_folder()
    cache = ParsedCache(where) if where is not None else None
    key = cache.key((str(folder), stamp)) if cache is not None else ""
    cached = cache.read(key) if cache is not None else None
    if isinstance(cached, Curriculum):
        return cached
    cur = _parse_fresh(folder)
    if cache is not None:
        cache.write(key, cur)
    return cur


def _parse_fresh(folder: Path) -> Curriculum:
    course = load_course(folder)
    cur = Curriculum(course)
    known = set(course.all_ids()) | set(course.collections) | set(course.tables)
    for path in sorted((folder / "modules").glob("*.yaml")):
        # parsed once: the typed module and the line numbers come from the same tree
        raw = _read_module(path)
        module = _build_module(raw, path)
        if module.id != path.stem:
            raise ContentError(path, raw.line_of("id"), "id",
                               f"is {module.id!r} but the file is {path.name}; make them match")
        if module.id in cur.modules:
            raise ContentError(path, raw.line_of("id"), "id", "is used by another module")
        cur.modules[module.id] = module
        _check_module(module, path, raw, cur, known)
    return cur


def _tag_sites(raw_block: Any, where: str) -> list[tuple[Any, str]]:
    """Every mapping in a block that may carry ``competences``, with its field path."""
    sites: list[tuple[Any, str]] = []
    for kind, parts in (("exercise", ("items", "situations")), ("reflection", ("criteria",)),
                        ("simulation", ("criteria",))):
        node = raw_block.get(kind) if isinstance(raw_block, dict) else None
        if not isinstance(node, dict):
            continue
        sites.append((node, f"{where}.{kind}"))
        for part in parts:
            for i, child in enumerate(node.get(part) or ()):
                sites.append((child, f"{where}.{kind}.{part}[{i}]"))
    return sites


def _check_competences(raw_block: Any, where: str, path: Path, course: Course) -> None:
    """Unknown competence ids fail at the line that names them."""
    for node, field_path in _tag_sites(raw_block, where):
        if not isinstance(node, LMap) or "competences" not in node:
            continue
        for tag in node["competences"] or ():
            if tag not in course.competences:
                raise ContentError(
                    path, node.line_of("competences"), f"{field_path}.competences",
                    f"names {tag!r}, which is not a competence; use one of "
                    f"{', '.join(course.competences)} (see competences.yaml)")


def _check_module(module: Module, path: Path, raw: dict[str, Any], cur: Curriculum, known: set[str]) -> None:
    blocks = raw["blocks"]
    module_exercises: set[str] = set()
    for index, block in enumerate(module.blocks):
        line = blocks.line_of(index)
        where = f"{module.id}.blocks[{index}]"
        _check_competences(blocks[index], where, path, cur.course)
        if block.show and block.show not in known:
            raise ContentError(path, line, f"{where}.show",
                               f"names {block.show!r}, which is not a collection, table or item")
        if block.exercise is not None:
            spec = block.exercise
            if spec.id in cur.exercises:
                raise ContentError(path, line, f"{where}.exercise.id",
                                   f"{spec.id!r} is used twice; exercise ids must be unique")
            try:
                exercise = build_exercise(spec, cur.course)
            except (KeyError, ValueError) as exc:
                raise ContentError(path, line, f"{where}.exercise", str(exc).strip("'\"")) from None
            for item_id in exercise.covers:
                if item_id not in known:
                    raise ContentError(path, line, f"{where}.exercise.covers",
                                       f"names {item_id!r}, which is not a content item")
            cur.exercises[spec.id] = exercise
            cur.exercise_module[spec.id] = module.id
            module_exercises.add(spec.id)
        if block.check and block.check not in module_exercises:
            raise ContentError(path, line, f"{where}.check",
                               f"names {block.check!r}; a check must follow its exercise in the "
                               "same module")
        if block.reflection is not None:
            for item_id in block.reflection.covers:
                if item_id not in known:
                    raise ContentError(path, line, f"{where}.reflection.covers",
                                       f"names {item_id!r}, which is not a content item")
