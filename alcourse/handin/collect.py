"""``alcourse collect``: file hand-ins into nbgrader's ``submitted/TRAINEE/MODULE/``, or refuse them.

Hand-ins arrive from anywhere (a mail export, a Teams or SharePoint download) and are
untrusted. Each is read completely in memory and checked (:func:`~alcourse.handin.archive.read_archive`);
only then is it written, into a staging folder inside the course folder, and renamed into place.
So a refused hand-in writes nothing, a filed one is never half there, and nothing is ever
written outside the course folder (names inside the zip are never used as paths).

One :class:`Collected` per file says what happened:

- **filed** — a first hand-in of that module by that trainee;
- **replaced** — newer than the one filed; the older one is kept under ``replaced/`` with its date;
- **kept older** — older than the one filed; kept under ``replaced/`` with its date;
- **unchanged** — exactly this hand-in is already filed or kept (collecting again changes nothing);
- **refused** — with why; ``flagged`` when the trainer must look (one id used by two people).

The time written to nbgrader's ``timestamp.txt`` is when the trainee's Hand in step made the file
(their computer's clock), so nbgrader's late status works as for hub submissions.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alcourse.handin.archive import HandIn, Limits, Refused, read_archive
from alcourse.handin.manifest import sha256_hex

FILED = "filed"
REPLACED = "replaced"
KEPT_OLDER = "kept older"
UNCHANGED = "unchanged"
REFUSED = "refused"
# nbgrader's own default (nbgrader.exchange.abc.Exchange.timestamp_format), read by its parse_utc
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
# a trainee's clock may be a little ahead; a hand-in "made" further in the future is not believed
CLOCK_SKEW = timedelta(hours=1)
STATE_DIR = Path(".alcourse") / "handin"
REPLACED_DIR = "replaced"


@dataclass(frozen=True)
class Collected:
    """What happened to one file."""

    source: Path
    outcome: str
    message: str
    trainee: str = ""
    module: str = ""
    flagged: bool = False

    def line(self) -> str:
        flag = " [FLAGGED for the trainer]" if self.flagged else ""
        return f"{self.source}: {self.outcome}{flag}: {self.message}"


@dataclass(frozen=True)
class Cohort:
    """What the course folder knows when it checks a hand-in."""

    root: Path
    modules: frozenset[str]  # every module of the course
    released: frozenset[str]  # released in this course folder
    roster: frozenset[str] | None  # nbgrader's student table, when it lists anyone
    course_version: str


def nbgrader_timestamp(when: datetime) -> str:
    """``timestamp.txt`` as nbgrader writes it.

    >>> nbgrader_timestamp(datetime(2027, 3, 1, 9, 30, tzinfo=UTC))
    '2027-03-01 09:30:00.000000 UTC'
    """
    return when.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> datetime | None:
    """A ``timestamp.txt`` written by nbgrader or by us, as an aware UTC time (None if unreadable)."""
    from dateutil.parser import parse

    try:
        when = parse(text.strip())
    except (ValueError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _dated(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


def hand_in_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each file to look at, with why it cannot be read (None if it can).

    A named file is always looked at; in a folder (walked without following links), files
    whose name ends in ``.zip``.
    """
    for path in paths:
        if path.is_symlink():
            yield path, "a symbolic link: pass the hand-in file itself"
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files + [d for d in dirs if Path(folder, d).is_symlink()]):
                    found = Path(folder, name)
                    if not name.lower().endswith(".zip"):
                        continue
                    yield found, ("a symbolic link: links are never followed" if found.is_symlink()
                                  else None)
        elif not path.exists():
            yield path, "no such file or folder"
        else:
            yield path, None


def _read_bounded(path: Path, limits: Limits) -> bytes:
    # O_NOFOLLOW: a file swapped for a link after the check is still not followed
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Refused("not a regular file (a device, pipe or socket)")
        return handle.read(limits.archive_bytes + 1)


def assess(handin: HandIn, cohort: Cohort, now: datetime) -> str | None:
    """Why this well-formed hand-in cannot be filed in this course folder (None if it can)."""
    m = handin.manifest
    if m.module not in cohort.modules:
        return (f"unknown module {m.module!r}: this course has no such module (a hand-in from another "
                "course or another version of it?)")
    if m.module not in cohort.released:
        return (f"module {m.module!r} is not released in this course folder: release it first "
                f"(alcourse release {cohort.root}) or check the trainee worked in the right course")
    if m.made_at_time > now + CLOCK_SKEW:
        return (f"made_at {m.made_at} is in the future: the trainee's computer clock is wrong; ask them to "
                "set it and hand in again")
    if cohort.roster is not None and m.trainee not in cohort.roster:
        return (f"unknown trainee {m.trainee!r}: not in this cohort's roster (nbgrader's student table). "
                f"If they are new, add them (nbgrader db student add {m.trainee}) and collect again; "
                "otherwise ask them for the id you gave them")
    return None


def _name_clash(handin: HandIn, people: dict[str, str]) -> str | None:
    from alcourse.handin.manifest import same_person

    m = handin.manifest
    known = people.get(m.trainee)
    if known is not None and not same_person(known, m.name):
        return (f"trainee id {m.trainee!r} was used by {known!r} and now by {m.name!r}: two people may be "
                "sharing one id. Not filed: check with both, then give one of them a new id")
    return None


def _contents(folder: Path, handin: HandIn) -> tuple[bytes, bytes] | None:
    try:
        return ((folder / handin.notebook_name).read_bytes(), (folder / handin.answers_name).read_bytes())
    except OSError:
        return None


def _digest(notebook: bytes, answers: bytes) -> str:
    return sha256_hex(sha256_hex(notebook).encode() + sha256_hex(answers).encode())


def _stage(root: Path, handin: HandIn) -> Path:
    staging = root / STATE_DIR / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=staging, prefix="handin-"))
    try:
        (stage / handin.notebook_name).write_bytes(handin.notebook)
        (stage / handin.answers_name).write_bytes(handin.answers)
        (stage / "timestamp.txt").write_text(nbgrader_timestamp(handin.manifest.made_at_time) + "\n",
                                             encoding="utf-8")
        for f in stage.iterdir():
            with open(f, "rb") as handle:
                os.fsync(handle.fileno())
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def _free_dated(base: Path, when: datetime) -> Path:
    target = base / _dated(when)
    n = 2
    while target.exists():
        target = base / f"{_dated(when)}-{n}"
        n += 1
    return target


def _filed_time(folder: Path) -> datetime:
    stamp = folder / "timestamp.txt"
    when = parse_timestamp(stamp.read_text(encoding="utf-8")) if stamp.is_file() else None
    return when or datetime.fromtimestamp(folder.stat().st_mtime, UTC)


def file_handin(source: Path, handin: HandIn, root: Path) -> Collected:
    """Put a checked hand-in in place: staged, then renamed; the older one is kept, never lost."""
    m = handin.manifest
    target = root / "submitted" / m.trainee / m.module
    older = root / REPLACED_DIR / m.trainee / m.module
    incoming = _digest(handin.notebook, handin.answers)
    made = m.made_at_time
    said = f"{m.trainee} / {m.module}, made {m.made_at} by {m.name}"
    if target.is_dir():
        filed = _contents(target, handin)
        if filed is not None and _digest(*filed) == incoming:
            return Collected(source, UNCHANGED, f"{said}: already filed in {target}", m.trainee, m.module)
        filed_at = _filed_time(target)
        if made <= filed_at:
            for kept in sorted(older.glob(f"{_dated(made)}*")) if older.is_dir() else []:
                again = _contents(kept, handin)
                if again is not None and _digest(*again) == incoming:
                    return Collected(source, UNCHANGED, f"{said}: already kept as an older hand-in in {kept}",
                                     m.trainee, m.module)
            stage = _stage(root, handin)
            dest = _free_dated(older, made)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.rename(stage, dest)
            return Collected(source, KEPT_OLDER, f"{said}: older than the hand-in filed "
                             f"({nbgrader_timestamp(filed_at)}), which stays; kept in {dest}",
                             m.trainee, m.module)
        stage = _stage(root, handin)
        dest = _free_dated(older, filed_at)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.rename(target, dest)
        try:
            os.rename(stage, target)
        except BaseException:
            os.rename(dest, target)  # put the old one back: never an empty slot
            shutil.rmtree(stage, ignore_errors=True)
            raise
        return Collected(source, REPLACED, f"{said}: filed in {target}; the older hand-in "
                         f"({nbgrader_timestamp(filed_at)}) is kept in {dest}", m.trainee, m.module)
    stage = _stage(root, handin)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(stage, target)
    return Collected(source, FILED, f"{said}: filed in {target}", m.trainee, m.module)


class People:
    """Which name each trainee id was first handed in under (``.alcourse/handin/trainees.json``)."""

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_DIR / "trainees.json"

    def load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            from alcourse.grading.course import CourseError

            raise CourseError(f"{self.path}: cannot be read ({exc}); move it away and collect again "
                              "(names are learnt again from new hand-ins)") from None
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save(self, people: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".trainees.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(people, handle, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def collect(cohort: Cohort, paths: Iterable[Path], limits: Limits | None = None,
            now: datetime | None = None) -> list[Collected]:
    """Collect every hand-in found in ``paths`` into the course folder; one result per file."""
    limits = limits or Limits()
    now = now or datetime.now(UTC)
    store = People(cohort.root)
    people = store.load()
    results = []
    for source, problem in hand_in_files(paths):
        if problem:
            results.append(Collected(source, REFUSED, problem))
            continue
        try:
            handin = read_archive(_read_bounded(source, limits), limits)
        except Refused as exc:
            results.append(Collected(source, REFUSED, str(exc)))
            continue
        except OSError as exc:
            results.append(Collected(source, REFUSED, f"cannot be read ({exc.strerror or exc})"))
            continue
        m = handin.manifest
        why = assess(handin, cohort, now)
        if why:
            results.append(Collected(source, REFUSED, why, m.trainee, m.module))
            continue
        clash = _name_clash(handin, people)
        if clash:
            results.append(Collected(source, REFUSED, clash, m.trainee, m.module, flagged=True))
            continue
        result = file_handin(source, handin, cohort.root)
        if m.course_version != cohort.course_version and result.outcome != UNCHANGED:
            result = Collected(result.source, result.outcome, result.message + f" (made with course version "
                               f"{m.course_version}; this is {cohort.course_version})",
                               result.trainee, result.module)
        results.append(result)
        if m.trainee not in people:
            people[m.trainee] = m.name
            store.save(people)
    return results


def roster(root: Path, db_url: str, course_id: str) -> frozenset[str] | None:
    """The trainee ids in nbgrader's student table, or None when it lists nobody (no roster)."""
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).exists():
        return None  # opening the gradebook would create it: no gradebook, no roster
    from nbgrader.api import Gradebook

    from alcourse.grading.gradebook import CourseLock

    with CourseLock(root / ".alcourse" / "gradebook.lock").held(), Gradebook(db_url, course_id) as gb:
        ids = frozenset(s.id for s in gb.students)
    return ids or None
