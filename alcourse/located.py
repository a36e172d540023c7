"""Read YAML files into typed, frozen dataclasses with errors that point at a line.

Trainers edit the course content and the simulator scenarios by hand, so every
mistake must come back as ``FILE:LINE: field: what is wrong and what is allowed``
rather than a traceback.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Point:
...     x: int
...     label: str = ""
>>> doc = parse_yaml("x: 3\\nlabel: top", "p.yaml")
>>> build(Point, doc)
Point(x=3, label='top')
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import yaml

T = TypeVar("T")


class LocatedError(ValueError):
    """A problem in a hand-written file, with where it is and what to do.

    >>> str(LocatedError("a.yaml", 3, "principles[0].text", "is missing; add a sentence"))
    'a.yaml:3: principles[0].text: is missing; add a sentence'
    """

    def __init__(self, file: str | Path, line: int, field: str, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(f"{self.file}:{line}: {field}: {message}")


_PLAIN_KEY = re.compile(r"^[^:\n]+$")


def child_field(path: str, key: object) -> str:
    """The dotted field for ``key`` under ``path``.

    A key with a colon or a line break would make ``FILE:LINE: field: message``
    ambiguous, so such a key is named by its line instead (and quoted in the message).

    >>> child_field("scenario", "title"), child_field("scenario", "a: b")
    ('scenario.title', 'scenario.(key on this line)')
    """
    text = str(key)
    name = text if _PLAIN_KEY.match(text) else "(key on this line)"
    return f"{path}.{name}" if path else name


def _named(key: object) -> str:
    """How a message starts for ``key``: empty when the field already names it."""
    return "" if _PLAIN_KEY.match(str(key)) else f"the key {str(key)!r} "


class LMap(dict[str, Any]):
    """A mapping that remembers the file and the line of itself and of each key."""

    file: str = "<string>"
    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list[Any]):
    """A list that remembers the file and the line of itself and of each element."""

    file: str = "<string>"
    line: int = 1
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's parser is several times faster than PyYAML's pure-Python one (the whole curriculum is
# parsed by every command), and it reports the same marks; PyYAML without libyaml still works.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _make_loader(file: str, error: type[LocatedError]) -> type[yaml.SafeLoader]:
    class Loader(_SafeLoader):  # type: ignore[valid-type,misc]
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LMap:
        result = LMap()
        result.file, result.line, result.key_lines = file, node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise error(file, line, child_field("", key),
                            f"keys must be words; put {str(key)!r} in quotes")
            if key in result:
                raise error(
                    file, line, child_field("", key),
                    f"{_named(key)}appears twice in one block (first on line {result.key_lines[key]}); "
                    "keep one of them",
                )
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LList:
        result = LList(loader.construct_object(child, deep=True) for child in node.value)
        result.file, result.line = file, node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    return Loader


def parse_yaml(
    text: str, file: str | Path = "<string>", error: type[LocatedError] = LocatedError
) -> Any:
    """Parse YAML text; syntax errors become ``error`` with the line of the problem."""
    name = str(file)
    try:
        return yaml.load(text, Loader=_make_loader(name, error))  # noqa: S506 - SafeLoader subclass
    except LocatedError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "the file is not valid YAML"
        raise error(
            name, line, "(syntax)",
            f"{what}; check indentation, colons and quotes on this line or the one before",
        ) from None
    except yaml.YAMLError as exc:
        raise error(name, 1, "(syntax)", f"not valid YAML: {exc}") from None


def read_yaml(path: Path, error: type[LocatedError] = LocatedError) -> Any:
    """Read and parse a YAML file, naming the file in every error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(path, 1, "(encoding)", f"is not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except OSError as exc:
        raise error(path, 1, "(file)", f"cannot be read: {exc.strerror}") from None
    return parse_yaml(text, path, error)


def _describe(tp: Any) -> str:
    origin = get_origin(tp)
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if tp is bool:
        return "true or false"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (tuple, list):
        return f"a list of {_describe(get_args(tp)[0])}"
    if origin is dict:
        return f"a mapping of names to {_describe(get_args(tp)[1])}"
    if dataclasses.is_dataclass(tp):
        names = ", ".join(f.name for f in dataclasses.fields(tp))
        return f"a block with the keys {names}"
    if origin in (Union, types.UnionType):
        return " or ".join(_describe(a) for a in get_args(tp) if a is not type(None))
    return getattr(tp, "__name__", str(tp))


def build(
    cls: type[T],
    data: Any,
    *,
    error: type[LocatedError] = LocatedError,
    path: str = "",
    file: str | None = None,
    line: int | None = None,
) -> T:
    """Turn parsed YAML into ``cls`` (a dataclass), checking every field's type.

    Unknown keys, missing keys and wrong types raise ``error`` naming the file,
    line and dotted field path, and saying what is allowed.
    """
    return typing.cast(T, _convert(cls, data, error, path or cls.__name__, file, line))


def _where(data: Any, file: str | None, line: int | None) -> tuple[str, int]:
    return (getattr(data, "file", file) or "<string>", getattr(data, "line", line) or 1)


def _convert(tp: Any, data: Any, error: type[LocatedError], path: str,
             file: str | None, line: int | None) -> Any:
    file, line = _where(data, file, line)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = get_args(tp)
        if data is None and type(None) in options:
            return None
        real = [o for o in options if o is not type(None)]
        if len(real) == 1:
            # an optional block: its own error (say, a criterion's bad marks) is the useful one
            return _convert(real[0], data, error, path, file, line)
        for option in options:
            if option is type(None):
                continue
            try:
                return _convert(option, data, error, path, file, line)
            except LocatedError:
                continue
        raise error(file, line, path, f"should be {_describe(tp)}")
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise error(file, line, path, f"should be {_describe(tp)}, not {_show(data)}")
        hints = typing.get_type_hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp) if f.init}
        for key in data:
            if key not in fields:
                raise error(
                    file, _line_of(data, key, line), child_field(path, key),
                    f"{_named(key)}is not a known field; allowed: {', '.join(fields)}",
                )
        kwargs: dict[str, Any] = {}
        for name, field in fields.items():
            if name not in data:
                no_default = (field.default is dataclasses.MISSING
                              and field.default_factory is dataclasses.MISSING)
                if no_default:
                    raise error(file, line, f"{path}.{name}",
                                f"is missing; add it as {_describe(hints[name])}")
                continue
            kwargs[name] = _convert(hints[name], data[name], error, f"{path}.{name}",
                                    file, _line_of(data, name, line))
        try:
            return tp(**kwargs)
        except (ValueError, TypeError) as exc:
            if isinstance(exc, LocatedError):
                raise
            raise error(file, line, path, str(exc)) from None
    if origin in (tuple, list):
        if not isinstance(data, list):
            raise error(file, line, path, f"should be {_describe(tp)}, not {_show(data)}")
        inner = get_args(tp)[0]
        lines = getattr(data, "item_lines", [])
        items = [
            _convert(inner, item, error, f"{path}[{i}]", file, lines[i] if i < len(lines) else line)
            for i, item in enumerate(data)
        ]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(data, dict):
            raise error(file, line, path, f"should be {_describe(tp)}, not {_show(data)}")
        inner = get_args(tp)[1]
        return {
            key: _convert(inner, value, error, child_field(path, key), file, _line_of(data, key, line))
            for key, value in data.items()
        }
    if origin is Literal:
        if data not in get_args(tp):
            raise error(file, line, path, f"is {_show(data)}; allowed: {_describe(tp)}")
        return data
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise error(file, line, path, f"should be a number, not {_show(data)}")
        return float(data)
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise error(file, line, path, f"should be a whole number, not {_show(data)}")
        return data
    if tp is str:
        if not isinstance(data, str) or not data.strip():
            raise error(file, line, path, f"should be non-empty text, not {_show(data)}")
        return data.strip()
    if tp is bool:
        if not isinstance(data, bool):
            raise error(file, line, path, f"should be true or false, not {_show(data)}")
        return data
    if tp is Any:
        return data
    raise TypeError(f"located.build cannot convert to {tp!r}")  # a programming error


def _line_of(data: Any, key: str, default: int) -> int:
    getter = getattr(data, "line_of", None)
    return getter(key) if getter else default


def _show(data: Any) -> str:
    if data is None:
        return "empty"
    if isinstance(data, dict):
        return "a block of keys"
    if isinstance(data, list):
        return "a list"
    text = repr(data)
    return text if len(text) < 40 else text[:37] + "..."
