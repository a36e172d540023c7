"""What happened while a submission's notebook ran: the facts its honest status is built on.

The execute preprocessor notes incidents (a cell timed out, output was cut, the kernel
died); the worker takes them once nbgrader is done and judges the submission with them.

>>> journal = Journal()
>>> journal.note("ann", Incident("timeout", 2, "ran longer than 5 s and was interrupted"))
>>> [i.kind for i in journal.take("ann")], journal.take("ann")
(['timeout'], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alcourse.grading.timing import Stopwatch


@dataclass
class Incident:
    """Something that happened while a notebook ran: what the status report builds on."""

    kind: str  # "timeout", "truncated", "kernel-died", "deadline", "unresponsive", "kernel-start"
    cell: int | None
    message: str
    detail: dict[str, Any] = field(default_factory=dict)


class Journal:
    """Incidents per submission, kept by the one worker that grades them."""

    def __init__(self) -> None:
        self._incidents: dict[str, list[Incident]] = {}
        self.clock = Stopwatch()  # seconds per phase of the submission being graded

    def note(self, student: str, incident: Incident) -> None:
        self._incidents.setdefault(student, []).append(incident)

    def take(self, student: str) -> list[Incident]:
        """The incidents of ``student``'s submission, forgetting them here."""
        return self._incidents.pop(student, [])
