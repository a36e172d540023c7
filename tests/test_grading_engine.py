"""The grading coordinator never hangs: stand-in workers that answer awkwardly (no nbgrader)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from alcourse.grading import CourseFolder
from alcourse.grading.engine import grade_module
from alcourse.grading.options import GradeOptions
from alcourse.grading.status import FAILED, GRADED
from tests.conftest import MODULE

STAND_IN = [sys.executable, str(Path(__file__).parent / "hostile" / "stand_in_worker.py")]


def _grade(folder: CourseFolder, students: list[str], options: GradeOptions, bound: float):
    """grade_module in a thread, so a hang fails the test instead of stopping the run."""
    result: dict[str, object] = {}

    def run() -> None:
        result["outcomes"] = grade_module(folder, MODULE, MODULE, students, options,
                                          worker_program=STAND_IN)

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(bound)
    assert not thread.is_alive(), f"grade did not end within {bound} s"
    return result["outcomes"], time.monotonic() - started


def test_two_answers_in_one_read_are_both_taken(tmp_path):
    folder = CourseFolder.init(tmp_path / "course")
    students = [f"t{i}" for i in range(5)]
    outcomes, _ = _grade(folder, students, GradeOptions(jobs=1, isolation=False, submission_seconds=30,
                                                        stuck_margin=30), bound=20)
    assert [(o.student, o.state) for o in outcomes] == [(s, GRADED) for s in students]


def test_a_stuck_worker_becomes_a_failed_submission_within_its_limit(tmp_path):
    folder = CourseFolder.init(tmp_path / "course")
    students = ["t1", "stuck-a", "t2", "t3"]
    options = GradeOptions(jobs=2, isolation=False, submission_seconds=2, stuck_margin=2)
    outcomes, took = _grade(folder, students, options, bound=40)
    states = {o.student: o for o in outcomes}
    assert states["stuck-a"].state == FAILED and states["stuck-a"].score is None
    assert "took more than 4 s" in states["stuck-a"].why
    assert all(states[s].state == GRADED for s in ("t1", "t2", "t3"))
    assert took < 4 + 2 * 5 + 30  # its limit, the select tick, and the reaping bound
