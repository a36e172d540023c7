"""How to grade, in one frozen record: what ``alcourse grade`` is told, and what each worker,
kernel sandbox and preprocessor reads. It crosses process boundaries as JSON.

>>> options = GradeOptions(jobs=4, limits=Limits(cpu_seconds=30))
>>> GradeOptions.from_json(options.to_json()) == options
True
>>> GradeOptions(jobs=0)
Traceback (most recent call last):
alcourse.errors.UserError: jobs: is 0; give at least 1
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from alcourse.errors import UserError

# beyond its own time limit, how long a submission may hold a worker before it is stopped
STUCK_MARGIN = 60.0
# every worker holds nbgrader and a kernel in memory, and all of them write one SQLite gradebook,
# one at a time: past this, more workers only wait
MAX_DEFAULT_JOBS = 8


def default_jobs(cores: int | None = None) -> int:
    """Workers ``alcourse grade`` runs when not told (``--jobs``): one more than the cores.

    A worker spends about two fifths of each submission waiting for its kernel (to start, then
    to run the cells), and the extra worker grades in those gaps. On 2 cores, 60 submissions of
    module 3 took 11.6 s with 3 workers and 14.9 s with 2 (``bench/grading.py``).

    >>> default_jobs(2), default_jobs(1), default_jobs(64)
    (3, 2, 8)
    """
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores + 1, MAX_DEFAULT_JOBS)


def _check_positive(record: object) -> None:
    """Every number of ``record`` is above 0 (a whole one at least 1), or a UserError names it."""
    for item in fields(record):  # type: ignore[arg-type]
        value = getattr(record, item.name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value < 1:
            raise UserError(f"{item.name}: is {value}; give at least 1")
        if isinstance(value, float) and not (math.isfinite(value) and value > 0):
            raise UserError(f"{item.name}: is {value}; give a number above 0")


@dataclass(frozen=True)
class Limits:
    """Per-kernel limits. ``memory_bytes`` bounds the address space (RLIMIT_AS).

    >>> Limits(cpu_seconds=30).as_dict()["cpu_seconds"]
    30
    """

    cpu_seconds: int = 120
    memory_bytes: int = 2 * 1024**3
    file_bytes: int = 16 * 1024**2
    open_files: int = 256
    processes: int = 512

    def __post_init__(self) -> None:
        _check_positive(self)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class GradeOptions:
    """How to grade. The defaults suit a real cohort; tests use short limits."""

    jobs: int = field(default_factory=default_jobs)
    isolation: bool = True  # False is ``--no-isolation``: limits only, no sandbox
    cell_timeout: int = 60  # seconds one cell may run before it is interrupted
    submission_seconds: float = 300.0  # seconds one whole submission may take
    max_output_bytes: int = 100_000  # output kept per cell
    limits: Limits = field(default_factory=Limits)
    stuck_margin: float = STUCK_MARGIN  # beyond submission_seconds, before a worker is stopped
    startup_seconds: float = 60.0  # how long one kernel may take to start

    def __post_init__(self) -> None:
        _check_positive(self)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradeOptions:
        return cls(**{**data, "limits": Limits(**data.get("limits", {}))})


@dataclass(frozen=True)
class WorkerConfig:
    """What one grading worker process is started with: which module of which course, and how."""

    course_root: str
    module: str
    notebook: str
    options: GradeOptions = field(default_factory=GradeOptions)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "options": self.options.to_json()})

    @classmethod
    def from_json(cls, text: str) -> WorkerConfig:
        data = json.loads(text)
        return cls(data["course_root"], data["module"], data["notebook"],
                   GradeOptions.from_json(data["options"]))
