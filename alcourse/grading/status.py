"""Honest states: every submission is graded, needs manual grading, or failed, with why.

An :class:`Outcome` is what one grading run found for one submission. The
*current* state also depends on the trainer's work since then (a written
answer marked in formgrader no longer needs marking), so :func:`current_state`
combines the recorded outcome with the gradebook.

>>> o = Outcome("ann", "m03-x", FAILED, ("m03-x.ipynb is an empty file (0 bytes)",))
>>> current_state(o, None).label
'failed'
>>> current_state(o, None).score is None
True
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alcourse.grading.gradebook import SubmissionGrades

GRADED = "graded"
NEEDS_MANUAL = "needs manual grading"
FAILED = "failed"
# graded, but almost certainly not what the trainee meant to hand in (no answers file)
NEEDS_ATTENTION = "needs attention"
NOT_SUBMITTED = "not submitted"
NOT_GRADED = "not graded yet"
STATES = (GRADED, NEEDS_MANUAL, NEEDS_ATTENTION, FAILED)


@dataclass(frozen=True)
class Outcome:
    """What grading found for one trainee's submission of one module."""

    student: str
    module: str
    state: str
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    review_cells: tuple[str, ...] = ()
    review_reasons: tuple[str, ...] = ()
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    graded_at: str = ""
    for_trainee: str = ""  # what the trainee's feedback page says when the state is not a score
    fingerprint: str = ""  # of the submitted files; "" when grading should be tried again
    timings: tuple[tuple[str, float], ...] = ()  # seconds per phase of grading it (bench/grading.py)
    seconds_late: float = 0.0  # after the module's due date, as the gradebook has it (lateness.py)

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown state {self.state!r}; expected one of {STATES}")
        if self.state != GRADED and not self.reasons:
            raise ValueError(f"a submission that is {self.state!r} needs a reason")
        if self.state == FAILED and self.score is not None:
            # a failure is never a score: whatever nbgrader recorded, it is not the trainee's
            object.__setattr__(self, "score", None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        tuples = {"reasons", "notes", "review_cells", "review_reasons"}
        known: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()
                                 if k in cls.__dataclass_fields__}
        known["timings"] = tuple((str(phase), float(s)) for phase, s in known.get("timings", ()))
        return cls(**known)

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class State:
    """The state shown to a trainer now: label, why, and a score only when it means something."""

    label: str
    why: str = ""
    score: float | None = None
    max_score: float | None = None
    notes: tuple[str, ...] = field(default=())
    for_trainee: str = ""  # the same state in words for the trainee (feedback pages)


def current_state(outcome: Outcome | None, grades: SubmissionGrades | None) -> State:
    """The state of a submission from its recorded outcome and the gradebook as it is now."""
    if outcome is None:
        return State(NOT_GRADED, "submitted but not graded yet: run alcourse grade")
    if outcome.state == FAILED:
        # never a 0.0 that looks like a real zero
        return State(FAILED, outcome.why, None, outcome.max_score, outcome.notes, outcome.for_trainee)
    if grades is None:
        return State(NOT_GRADED, "the gradebook has no grades for it: run alcourse grade again")
    why = list(outcome.reasons) if outcome.state == NEEDS_ATTENTION else []
    pending = grades.pending
    written = [c.name for c in pending if c.cell_type == "markdown"]
    checks = [c.name for c in pending if c.cell_type != "markdown"]
    if checks:
        flagged = [c for c in checks if c in outcome.review_cells]
        why += list(outcome.review_reasons) if flagged else []
        others = [c for c in checks if c not in outcome.review_cells]
        if others:
            why.append("checks to review in formgrader: " + ", ".join(others))
    if written:
        noun = "answer" if len(written) == 1 else "answers"
        why.append(f"{len(written)} written {noun} to mark in formgrader: " + ", ".join(written))
    if outcome.state == NEEDS_ATTENTION:
        return State(NEEDS_ATTENTION, "; ".join(why), grades.score, grades.max_score, outcome.notes,
                     outcome.for_trainee)
    if why:
        return State(NEEDS_MANUAL, "; ".join(why), grades.score, grades.max_score, outcome.notes)
    return State(GRADED, "", grades.score, grades.max_score, outcome.notes)


class StatusStore:
    """The recorded outcomes of a course, one JSON file per module, written atomically.

    Only the grading coordinator writes it (one writer); everything else reads.
    """

    def __init__(self, course_root: Path) -> None:
        self.folder = course_root / ".alcourse" / "status"

    def path(self, module: str) -> Path:
        return self.folder / f"{module}.json"

    def load(self, module: str) -> dict[str, Outcome]:
        path = self.path(module)
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return {student: Outcome.from_json(o) for student, o in data.get("outcomes", {}).items()}
        except (OSError, ValueError, TypeError) as exc:
            from alcourse.grading.course import CourseError

            raise CourseError(f"{path}: cannot read the grading status ({exc}); run alcourse grade "
                              "again for this module to rebuild it") from None

    def save(self, module: str, outcomes: dict[str, Outcome]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"module": module, "outcomes": {s: o.to_json() for s, o in sorted(outcomes.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".status.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1)
            os.replace(tmp, self.path(module))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def update(self, module: str, outcomes: list[Outcome]) -> None:
        merged = self.load(module)
        merged.update({o.student: o for o in outcomes})
        self.save(module, merged)
