"""Hostile and broken hand-ins, each with the exact outcome ``alcourse collect`` must give it.

Every case is a file (or a link, or a pipe) written into a folder that is then collected as a
trainer would collect a saved mail folder. Good hand-ins sit beside them, so the tests also
show that one bad file never stops the others.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alcourse.handin.archive import make_archive
from alcourse.handin.collect import REFUSED

WHEN = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Parts:
    """What a well-meaning trainee would hand in: the module's notebook and an answers file."""

    module: str
    notebook: bytes
    answers: bytes

    def archive(self, trainee: str = "ann", name: str = "Ann Lee", when: datetime = WHEN,
                module: str | None = None, notebook: bytes | None = None) -> bytes:
        module = module or self.module
        answers = self.answers.replace(self.module.encode(), module.encode())
        if notebook is None:
            notebook = self.notebook.replace(self.module.encode(), module.encode())
        return make_archive(module, trainee, name, notebook, answers, when, "0.1.0")[1]


def rezip(data: bytes, change: Callable[[str, bytes], tuple[str, bytes] | None]) -> bytes:
    """The same zip with entries changed (``change`` returns None to drop one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            changed = change(info.filename, src.read(info))
            if changed is not None:
                dst.writestr(changed[0], changed[1])
    return out.getvalue()


def with_entry(data: bytes, name: str, body: bytes, mode: int | None = None) -> bytes:
    """The zip with one more entry, made with a Unix file mode (a link, a device...) if given."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as zf:
        info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 9, 30, 0))
        if mode is not None:
            info.create_system = 3
            info.external_attr = mode << 16
        zf.writestr(info, body)
    return out.getvalue()


def manifest_edit(data: bytes, **fields: object) -> bytes:
    def change(name: str, body: bytes) -> tuple[str, bytes]:
        if name != "manifest.json":
            return name, body
        manifest = json.loads(body)
        manifest.update(fields)
        return name, json.dumps(manifest).encode()
    return rezip(data, change)


def lying_sizes(data: bytes, entry: str, declared: int) -> bytes:
    """The zip with ``entry``'s uncompressed size rewritten in both headers: sizes that lie."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(entry)
    # local header: uncompressed size at offset 22; central directory entry: at offset 24
    raw[info.header_offset + 22:info.header_offset + 26] = declared.to_bytes(4, "little")
    start = 0
    name = entry.encode()
    while True:
        central = bytes(raw).find(b"PK\x01\x02", start)
        if central < 0:
            raise ValueError(entry)
        name_len = int.from_bytes(raw[central + 28:central + 30], "little")
        if bytes(raw[central + 46:central + 46 + name_len]) == name:
            break
        start = central + 4
    raw[central + 24:central + 28] = declared.to_bytes(4, "little")
    return bytes(raw)


@dataclass(frozen=True)
class Case:
    name: str
    outcome: str
    message: str  # exactly what collect says after "FILE: outcome: "
    flagged: bool = False


def write_corpus(folder: Path, parts: Parts, other_module: str) -> list[Case]:
    """Write the hostile corpus into ``folder``; return each case's expected outcome, by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    good = parts.archive()
    m = parts.module
    big = b"{" + b" " * (30 * 1024 * 1024) + b"}"  # 30 MB that deflates to ~30 kB
    files: dict[str, bytes] = {
        "empty.zip": b"",
        "not-a-zip.zip": b"Hello, please find my work attached.\n",
        "truncated.zip": good[: len(good) // 2],
        "dotdot.zip": with_entry(good, "../../escaped.txt", b"x"),
        "absolute.zip": with_entry(good, "/tmp/alcourse-absolute-escape.txt", b"x"),
        "symlink.zip": with_entry(good, "link", b"/etc/passwd", stat.S_IFLNK | 0o777),
        "device.zip": with_entry(good, "dev", b"", stat.S_IFCHR | 0o666),
        "zip-in-zip.zip": rezip(good, lambda n, b: (f"{m}--ann.alcourse.zip", good) if n == "manifest.json"
                                else None),
        "bomb.zip": parts.archive(trainee="bomb", name="Bo Mb", notebook=big),
        "lying-bomb.zip": lying_sizes(parts.archive(trainee="liar", name="Li Ar", notebook=big),
                                      f"{m}.ipynb", 1000),
        "sha-mismatch.zip": rezip(good, lambda n, b: (n, b.replace(b'"cells"', b'"cells" '))
                                  if n == f"{m}.ipynb" else (n, b)),
        "not-json.zip": parts.archive(trainee="dan", name="Dan Ode", notebook=b'{"cells": [,]}'),
        "unknown-module.zip": parts.archive(module="m99-no-such-module"),
        "unreleased-module.zip": parts.archive(module=other_module),
        "other-course.zip": manifest_edit(good, course="another-course"),
        "extra-entry.zip": with_entry(good, "notes.txt", b"hello"),
        "other-module-notebook.zip": parts.archive(trainee="eve", name="Eve", notebook=parts.notebook.replace(
            m.encode(), other_module.encode())),
        "future.zip": parts.archive(trainee="fay", name="Fay", when=datetime(2099, 1, 1, tzinfo=UTC)),
        "bad-id.zip": manifest_edit(good, trainee="../../root"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "link-to-good.zip").symlink_to(folder / "empty.zip")
    os.mkfifo(folder / "pipe.zip")
    damaged = "a damaged or cut-short (truncated) zip file: ask the trainee to send it again"
    escape = "a path that escapes its folder is never filed"
    return [
        Case("empty.zip", REFUSED, "an empty file (0 bytes): ask the trainee to make the hand-in file again"),
        Case("not-a-zip.zip", REFUSED, "not a zip file: a hand-in is the MODULE--TRAINEE.alcourse.zip file "
             "the course's Hand in step makes"),
        Case("truncated.zip", REFUSED, damaged),
        Case("dotdot.zip", REFUSED, f"entry '../../escaped.txt' climbs out with '..': {escape}"),
        Case("absolute.zip", REFUSED,
             f"entry '/tmp/alcourse-absolute-escape.txt' has an absolute path: {escape}"),
        Case("symlink.zip", REFUSED, "entry 'link' is a symbolic link: links are never filed"),
        Case("device.zip", REFUSED, "entry 'dev' is a device or special file: only regular files are filed"),
        Case("zip-in-zip.zip", REFUSED, f"a zip inside the zip ('{m}--ann.alcourse.zip'): send the "
             ".alcourse.zip file the Hand in step made, as it is, not packed into another archive"),
        Case("bomb.zip", REFUSED, "declares 30 MB of content, over the 22 MB limit (a zip bomb, or not a "
             "hand-in)"),
        Case("lying-bomb.zip", REFUSED, damaged),
        Case("sha-mismatch.zip", REFUSED, f"{m}.ipynb: its sha256 does not match manifest.json: the file "
             "was changed after the Hand in step made it, or damaged on the way"),
        Case("not-json.zip", REFUSED, f"{m}.ipynb: is not valid JSON (line 1, column 12: Expecting value)"),
        Case("unknown-module.zip", REFUSED, "unknown module 'm99-no-such-module': this course has no such "
             "module (a hand-in from another course or another version of it?)"),
        Case("unreleased-module.zip", REFUSED, f"module '{other_module}' is not released in this course "
             "folder: release it first (alcourse release {root}) or check the trainee worked in the right "
             "course"),
        Case("other-course.zip", REFUSED, "manifest.json: course: the hand-in is for course "
             "'another-course', not 'alcourse'"),
        Case("extra-entry.zip", REFUSED, f"the files inside do not match the manifest's module '{m}': "
             "unexpected notes.txt"),
        Case("other-module-notebook.zip", REFUSED, f"{m}.ipynb: is the notebook of module "
             f"'{other_module}', not '{m}'"),
        Case("future.zip", REFUSED, "made_at 2099-01-01T00:00:00+00:00 is in the future: the trainee's "
             "computer clock is wrong; ask them to set it and hand in again"),
        Case("bad-id.zip", REFUSED, "manifest.json: trainee: '../../root': use the id your trainer gave "
             "you, exactly: letters, digits, dots, dashes or underscores, no spaces"),
        Case("link-to-good.zip", REFUSED, "a symbolic link: links are never followed"),
        Case("pipe.zip", REFUSED, "not a regular file (a device, pipe or socket)"),
    ]
