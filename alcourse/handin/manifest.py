"""What a hand-in says about itself: ``manifest.json`` inside ``MODULE--TRAINEE.alcourse.zip``.

The manifest names the module, the course and its version, the trainee (the id their trainer
gave them, and their name), when the file was made and the sha256 of every other part. It is
written by the course's Hand in step and checked, field by field, by ``alcourse collect``.

>>> m = Manifest(module="m03-x", trainee="ann.lee", name="Ann Lee", course_version="0.1.0",
...              made_at="2027-03-01T09:30:00+00:00", made_with="emscripten",
...              parts=(Part("m03-x.answers.json", "1" * 64, 5), Part("m03-x.ipynb", "0" * 64, 10)))
>>> Manifest.from_json(m.to_json()) == m
True
>>> archive_name("m03-x", "ann.lee")
'm03-x--ann.lee.alcourse.zip'
>>> check_trainee_id("Ann Lee")
'use the id your trainer gave you, exactly: letters, digits, dots, dashes or underscores, no spaces'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMAT = "alcourse-handin/1"
COURSE = "alcourse"
MANIFEST_NAME = "manifest.json"
SUFFIX = ".alcourse.zip"
# the id becomes a folder name (nbgrader's submitted/TRAINEE/): no separators, no leading dot
_TRAINEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_MODULE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ManifestError(ValueError):
    """A manifest field is missing or wrong; the message names the field."""


def check_trainee_id(text: str) -> str | None:
    """What is wrong with ``text`` as a trainee id (said to the trainee), or None if it is fine.

    >>> check_trainee_id("t017") is None
    True
    >>> check_trainee_id("../etc")
    'use the id your trainer gave you, exactly: letters, digits, dots, dashes or underscores, no spaces'
    """
    if not text:
        return "type the name or id your trainer gave you first"
    if len(text) > 64:
        return "that is longer than 64 characters: use the short id your trainer gave you"
    if not _TRAINEE_ID.fullmatch(text):
        return ("use the id your trainer gave you, exactly: letters, digits, dots, dashes or "
                "underscores, no spaces")
    return None


def archive_name(module: str, trainee: str) -> str:
    """The file name the trainee gets (the manifest, not the name, is what counts)."""
    return f"{module}--{trainee}{SUFFIX}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def same_person(a: str, b: str) -> bool:
    """Two spellings of one name: case and spacing do not matter.

    >>> same_person("Ann  Lee", "ann lee")
    True
    """
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class Part:
    """One file inside the hand-in, with its sha256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    module: str
    trainee: str
    name: str
    course_version: str
    made_at: str  # ISO 8601 with a UTC offset, from the trainee's own clock
    parts: tuple[Part, ...]
    made_with: str = ""  # sys.platform of the kernel: "emscripten" is JupyterLite
    course: str = COURSE
    format: str = FORMAT

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "course": self.course, "course_version": self.course_version,
                "module": self.module, "trainee": self.trainee, "name": self.name,
                "made_at": self.made_at, "made_with": self.made_with,
                "parts": {p.name: {"sha256": p.sha256, "bytes": p.size} for p in self.parts}}

    @property
    def made_at_time(self) -> datetime:
        return datetime.fromisoformat(self.made_at)

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        """Check every field; :class:`ManifestError` names the first one that is wrong."""
        if not isinstance(data, dict):
            raise ManifestError("manifest.json: is not a JSON object")
        if data.get("format") != FORMAT:
            raise ManifestError(f"manifest.json: format: {data.get('format')!r} is not {FORMAT!r}; "
                                "this file was not made by the course's Hand in step")
        if data.get("course") != COURSE:
            raise ManifestError(f"manifest.json: course: the hand-in is for course {data.get('course')!r}, "
                                f"not {COURSE!r}")
        text = {}
        for key in ("course_version", "module", "trainee", "name", "made_at"):
            value = data.get(key)
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                raise ManifestError(f"manifest.json: {key}: missing or not a short text")
            text[key] = value
        if not _MODULE_ID.fullmatch(text["module"]):
            raise ManifestError(f"manifest.json: module: {text['module']!r} is not a module id")
        problem = check_trainee_id(text["trainee"])
        if problem:
            raise ManifestError(f"manifest.json: trainee: {text['trainee']!r}: {problem}")
        try:
            made = datetime.fromisoformat(text["made_at"])
        except ValueError:
            raise ManifestError(f"manifest.json: made_at: {text['made_at']!r} is not an ISO 8601 time"
                                ) from None
        if made.tzinfo is None:
            raise ManifestError("manifest.json: made_at: has no time zone")
        parts = data.get("parts")
        if not isinstance(parts, dict) or not parts:
            raise ManifestError("manifest.json: parts: missing or empty")
        checked = []
        for name, entry in parts.items():
            sha = entry.get("sha256") if isinstance(entry, dict) else None
            size = entry.get("bytes") if isinstance(entry, dict) else None
            if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
                raise ManifestError(f"manifest.json: parts: {name}: sha256 is missing or malformed")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise ManifestError(f"manifest.json: parts: {name}: bytes is missing or not a count")
            checked.append(Part(str(name), sha, size))
        made_with = data.get("made_with", "")
        return cls(module=text["module"], trainee=text["trainee"], name=text["name"].strip(),
                   course_version=text["course_version"], made_at=text["made_at"],
                   parts=tuple(sorted(checked, key=lambda p: p.name)),
                   made_with=made_with if isinstance(made_with, str) else "")
