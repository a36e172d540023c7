"""The hand-in file: make one (in the trainee's kernel), read one nobody can trust (the trainer's).

A hand-in is a zip holding exactly three regular files: ``MODULE.ipynb``, ``MODULE.answers.json``
and ``manifest.json``. Reading never touches the disk: the archive is checked entry by entry
(names that escape, links, devices, nested zips, declared sizes) before any byte is inflated,
then each part is inflated while its bytes are counted against :class:`Limits`, so a zip whose
declared sizes lie still stops at the limit.

>>> from datetime import datetime, UTC
>>> nb = b'{"cells": [], "metadata": {"alcourse": {"module": "m03-x"}}, "nbformat": 4}'
>>> answers = b'{"format": "alcourse-answers/1", "module": "m03-x", "exercises": {}}'
>>> manifest, data = make_archive("m03-x", "ann", "Ann Lee", nb, answers,
...                               datetime(2027, 3, 1, 9, 30, tzinfo=UTC), "0.1.0")
>>> handin = read_archive(data)
>>> handin.manifest == manifest and handin.notebook == nb
True
>>> read_archive(data[:100])
Traceback (most recent call last):
...
alcourse.handin.archive.Refused: a damaged or cut-short (truncated) zip file: ask the trainee to send it again
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from alcourse.handin.manifest import MANIFEST_NAME, Manifest, ManifestError, Part, sha256_hex

MIB = 1024 * 1024
_CHUNK = 64 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


class Refused(ValueError):
    """The hand-in cannot be filed; the message says why and, where it can, what to do."""


@dataclass(frozen=True)
class Limits:
    """How big a hand-in may be. A module's notebook is ~50 kB; these leave a wide margin.

    ``archive_bytes`` bounds the file as received; the others bound each part as inflated,
    checked against the sizes the zip declares and again while inflating.
    """

    archive_bytes: int = 25 * MIB
    notebook_bytes: int = 20 * MIB
    answers_bytes: int = 2 * MIB
    manifest_bytes: int = 64 * 1024
    entries: int = 8

    def for_part(self, name: str) -> int:
        if name == MANIFEST_NAME:
            return self.manifest_bytes
        if name.endswith(".answers.json"):
            return self.answers_bytes
        return self.notebook_bytes

    @property
    def expanded_bytes(self) -> int:
        return self.notebook_bytes + self.answers_bytes + self.manifest_bytes


@dataclass(frozen=True)
class HandIn:
    """A hand-in whose structure, sizes and sha256 sums have been checked."""

    manifest: Manifest
    notebook: bytes
    answers: bytes

    @property
    def notebook_name(self) -> str:
        return f"{self.manifest.module}.ipynb"

    @property
    def answers_name(self) -> str:
        return f"{self.manifest.module}.answers.json"


def _zip_info(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.astimezone(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def make_archive(module: str, trainee: str, name: str, notebook: bytes, answers: bytes,
                 made_at: datetime, course_version: str, made_with: str = "") -> tuple[Manifest, bytes]:
    """The hand-in file's bytes (the same inputs give the same bytes) and its manifest."""
    parts = {f"{module}.ipynb": notebook, f"{module}.answers.json": answers}
    manifest = Manifest(module=module, trainee=trainee, name=name.strip(), course_version=course_version,
                        made_at=made_at.astimezone(UTC).isoformat(timespec="seconds"), made_with=made_with,
                        parts=tuple(Part(n, sha256_hex(b), len(b)) for n, b in sorted(parts.items())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for part, data in parts.items():
            zf.writestr(_zip_info(part, made_at), data)
        zf.writestr(_zip_info(MANIFEST_NAME, made_at),
                    json.dumps(manifest.to_json(), indent=1, sort_keys=True).encode("utf-8"))
    return manifest, out.getvalue()


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why one zip entry can never be part of a hand-in, before reading a byte of it."""
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return f"entry {name!r} has an absolute path: a path that escapes its folder is never filed"
    if ".." in parts:
        return f"entry {name!r} climbs out with '..': a path that escapes its folder is never filed"
    if "\\" in name or "\x00" in name:
        return f"entry {name!r} has a backslash or NUL byte in its name"
    if info.flag_bits & 0x1:
        return f"entry {name!r} is encrypted"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if info.create_system == 3 and kind:  # 3: made on Unix, so the high bits are a file mode
        if stat.S_ISLNK(mode):
            return f"entry {name!r} is a symbolic link: links are never filed"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            return f"entry {name!r} is a device or special file: only regular files are filed"
    if info.is_dir():
        return f"entry {name!r} is a folder: a hand-in holds three files and no folders"
    if name.lower().endswith((".zip", ".jar", ".7z", ".gz", ".tar", ".rar")):
        return (f"a zip inside the zip ({name!r}): send the .alcourse.zip file the Hand in step made, "
                "as it is, not packed into another archive")
    return None


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read one entry, counting bytes as they come, never past ``limit`` (declared sizes can lie)."""
    chunks, total = [], 0
    with zf.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise Refused(f"entry {info.filename!r} expands past the {limit // 1024} kB limit "
                              "(a zip bomb, or not a hand-in)")
            chunks.append(chunk)
    return b"".join(chunks)


def read_archive(data: bytes, limits: Limits | None = None) -> HandIn:
    """Check a received hand-in completely; raise :class:`Refused` with the first problem found."""
    limits = limits or Limits()
    if not data:
        raise Refused("an empty file (0 bytes): ask the trainee to make the hand-in file again")
    if len(data) > limits.archive_bytes:
        raise Refused(f"{len(data) // MIB} MB is over the {limits.archive_bytes // MIB} MB limit for a "
                      "hand-in file")
    if not data.startswith(_ZIP_MAGIC):
        raise Refused("not a zip file: a hand-in is the MODULE--TRAINEE.alcourse.zip file the course's "
                      "Hand in step makes")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise Refused("a damaged or cut-short (truncated) zip file: ask the trainee to send it again"
                      ) from None
    with zf:
        return _read_entries(zf, infos, limits)


def _read_entries(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> HandIn:
    if len(infos) > limits.entries:
        raise Refused(f"{len(infos)} entries: a hand-in holds three files")
    for info in infos:
        problem = _entry_problem(info)
        if problem:
            raise Refused(problem)
    names = [i.filename for i in infos]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise Refused(f"entry {duplicate!r} appears twice: which one is the hand-in is ambiguous")
    declared = sum(i.file_size for i in infos)
    if declared > limits.expanded_bytes:
        raise Refused(f"declares {declared // MIB} MB of content, over the {limits.expanded_bytes // MIB} MB "
                      "limit (a zip bomb, or not a hand-in)")
    for info in infos:
        if info.file_size > limits.for_part(info.filename):
            raise Refused(f"entry {info.filename!r} declares {info.file_size // 1024} kB, over the "
                          f"{limits.for_part(info.filename) // 1024} kB limit (a zip bomb, or not a hand-in)")
    by_name = {i.filename: i for i in infos}
    if MANIFEST_NAME not in by_name:
        raise Refused("no manifest.json: not a file made by the course's Hand in step "
                      f"(it holds {', '.join(sorted(names)) or 'nothing'})")
    try:
        raw = {n: _inflate(zf, i, limits.for_part(n)) for n, i in sorted(by_name.items())}
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError):
        raise Refused("a damaged or cut-short (truncated) zip file: ask the trainee to send it again"
                      ) from None
    try:
        manifest = Manifest.from_json(json.loads(raw[MANIFEST_NAME].decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(f"manifest.json: is not valid JSON ({exc})") from None
    except ManifestError as exc:
        raise Refused(str(exc)) from None
    notebook_name, answers_name = f"{manifest.module}.ipynb", f"{manifest.module}.answers.json"
    expected = {notebook_name, answers_name, MANIFEST_NAME}
    if set(by_name) != expected:
        extra, missing = sorted(set(by_name) - expected), sorted(expected - set(by_name))
        raise Refused("the files inside do not match the manifest's module " f"{manifest.module!r}"
                      + (f": unexpected {', '.join(extra)}" if extra else "")
                      + (f": missing {', '.join(missing)}" if missing else ""))
    listed = {p.name: p for p in manifest.parts}
    if set(listed) != {notebook_name, answers_name}:
        raise Refused(f"manifest.json: parts: lists {', '.join(sorted(listed))}, not the module's notebook "
                      "and answers file")
    for name in (notebook_name, answers_name):
        part = listed[name]
        if sha256_hex(raw[name]) != part.sha256 or len(raw[name]) != part.size:
            raise Refused(f"{name}: its sha256 does not match manifest.json: the file was changed after "
                          "the Hand in step made it, or damaged on the way")
    check_notebook(notebook_name, raw[notebook_name], manifest.module)
    check_answers(answers_name, raw[answers_name], manifest.module)
    return HandIn(manifest, raw[notebook_name], raw[answers_name])


def _json(name: str, data: bytes) -> object:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(f"{name}: is not text (UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise Refused(f"{name}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                      ) from None


def check_notebook(name: str, data: bytes, module: str) -> None:
    """A Jupyter notebook of ``module`` (by its JSON, not by running it)."""
    nb = _json(name, data)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise Refused(f"{name}: is JSON but not a Jupyter notebook (no list of cells)")
    meta = nb.get("metadata")
    declared = meta.get("alcourse", {}).get("module") if isinstance(meta, dict) and isinstance(
        meta.get("alcourse"), dict) else None
    if declared is not None and declared != module:
        raise Refused(f"{name}: is the notebook of module {declared!r}, not {module!r}")


def check_answers(name: str, data: bytes, module: str) -> None:
    """An alcourse answers file of ``module``."""
    from alcourse.answers import FORMAT

    answers = _json(name, data)
    if not isinstance(answers, dict) or answers.get("format") != FORMAT:
        raise Refused(f"{name}: is not an alcourse answers file (format {FORMAT!r})")
    if answers.get("module") != module:
        raise Refused(f"{name}: holds answers for module {answers.get('module')!r}, not {module!r}")
    if not isinstance(answers.get("exercises"), dict):
        raise Refused(f"{name}: exercises: should be a mapping")
