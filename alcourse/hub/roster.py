"""Who is in a cohort: trainers and trainees read from ``username,name`` CSV files.

Each person becomes a Unix account on the hub, so a username must be a valid,
portable Unix name. Every bad row is reported as ``FILE:LINE: field: what is
wrong`` and nothing is written until the whole file is right.

>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "trainees.csv"
>>> _ = f.write_text("username,name\\nasha,Asha Patel\\nben,Ben Okafor\\n")
>>> [p.username for p in read_people(f)]
['asha', 'ben']
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from alcourse.located import LocatedError

# POSIX portable user names, lower case, as useradd accepts by default (NAME_REGEX)
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
COHORT = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
# accounts the hub itself (or the machine) uses: a trainee must never be one of them
RESERVED = frozenset({"root", "nobody", "daemon", "bin", "sys", "admin", "jupyterhub", "jovyan"})


@dataclass(frozen=True)
class Person:
    """One trainer or trainee."""

    username: str
    name: str


def check_cohort(name: str) -> str:
    """A cohort name is the nbgrader course id and the hub service name.

    >>> check_cohort("nhs-2027")
    'nhs-2027'
    >>> check_cohort("NHS 2027")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alcourse.errors.UserError: --cohort: 'NHS 2027' is not a cohort name; use lower-case letters, ...
    """
    from alcourse.errors import UserError

    if not COHORT.match(name):
        raise UserError(f"--cohort: {name!r} is not a cohort name; use lower-case letters, digits and "
                        "'-', starting with a letter (at most 24), e.g. nhs-2027")
    return name


def read_people(path: Path) -> list[Person]:
    """Read a ``username,name`` CSV (header row required); raise on the first bad row.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("username,name\\nAsha P,Asha\\n")
    >>> read_people(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alcourse.located.LocatedError: .../t.csv:2: username: 'Asha P' is not a Unix user name; ...
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LocatedError(path, 1, "file", "does not exist; give a CSV with columns username,name") from None
    except UnicodeDecodeError:
        raise LocatedError(path, 1, "file", "is not UTF-8 text; save the CSV as UTF-8") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["username", "name"]:
        raise LocatedError(path, 1, "header", "the first row must be: username,name")
    people: list[Person] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise LocatedError(path, line, "row", f"has {len(row)} fields; expected 2 (username,name); "
                               "put a name with a comma in double quotes")
        username, name = row[0].strip(), row[1].strip()
        if not USERNAME.match(username):
            raise LocatedError(path, line, "username", f"{username!r} is not a Unix user name; use "
                               "lower-case letters, digits, '_' or '-', starting with a letter (at most 32)")
        if username in RESERVED or username.startswith("grader-"):
            raise LocatedError(path, line, "username", f"{username!r} is reserved for the system or the "
                               "hub; choose another")
        if not name:
            raise LocatedError(path, line, "name", "is empty; give the person's name")
        if username in seen:
            raise LocatedError(path, line, "username", f"{username!r} is already on line {seen[username]}")
        seen[username] = line
        people.append(Person(username, name))
    return people


@dataclass(frozen=True)
class Roster:
    """A cohort: its name, trainers and trainees (nobody is both)."""

    cohort: str
    trainers: tuple[Person, ...]
    trainees: tuple[Person, ...]

    @property
    def grader(self) -> str:
        """The Unix account that runs the cohort's grader service."""
        return f"grader-{self.cohort}"

    @classmethod
    def read(cls, cohort: str, trainers: Path, trainees: Path) -> Roster:
        both = {p.username for p in read_people(trainers)}
        people = read_people(trainees)
        for line, person in _lines(trainees, people):
            if person.username in both:
                raise LocatedError(trainees, line, "username", f"{person.username!r} is also a trainer in "
                                   f"{trainers}; a person is either a trainer or a trainee")
        return cls(check_cohort(cohort), tuple(read_people(trainers)), tuple(people))


def _lines(path: Path, people: list[Person]) -> list[tuple[int, Person]]:
    """The line each person was read from (for errors found after reading)."""
    wanted = {p.username: p for p in people}
    found = []
    for line, row in enumerate(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()), start=1):
        if row and row[0].strip() in wanted and line > 1:
            found.append((line, wanted[row[0].strip()]))
    return found
