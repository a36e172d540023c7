"""Grade a cohort: N long-lived worker processes, one submission at a time each.

nbgrader grades one submission after another in one process, starting a fresh
kernel (and waiting for it) every time. Here each worker imports nbgrader once,
forks kernels from a warm fork-server, and takes the next submission as soon
as it is free; the coordinator (this module) is the only writer of the status
file, and the workers take turns with the gradebook.

>>> plan_workers(jobs=4, submissions=3)
3
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from alcourse.grading.course import CourseError, CourseFolder
from alcourse.grading.sandbox import Limits, check_isolation
from alcourse.grading.status import FAILED, Outcome, StatusStore
from alcourse.grading.worker import WorkerConfig

PIPELINE = 2


@dataclass(frozen=True)
class GradeOptions:
    """How to grade. The defaults suit a real cohort; tests use short limits."""

    jobs: int = 2
    isolation: bool = True
    cell_timeout: int = 60
    submission_seconds: float = 300.0
    max_output_bytes: int = 100_000
    limits: Limits = field(default_factory=Limits)


def plan_workers(jobs: int, submissions: int) -> int:
    return max(1, min(jobs, submissions))


def submissions_for(folder: CourseFolder, module_id: str) -> list[str]:
    """Student ids with a folder ``submitted/STUDENT/MODULE``."""
    submitted = folder.root / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.parent.name for p in submitted.glob(f"*/{module_id}") if p.is_dir())


def check_module_released(folder: CourseFolder, module_id: str, notebook: str) -> None:
    release = folder.root / "release" / module_id / f"{notebook}.ipynb"
    if not release.exists():
        raise CourseError(f"module {module_id!r} has not been released in {folder.root}: "
                          f"run alcourse release {folder.root} {module_id}")


def choose_students(folder: CourseFolder, module_id: str, requested: list[str] | None) -> list[str]:
    available = submissions_for(folder, module_id)
    if not requested:
        if not available:
            raise CourseError(f"no submissions for {module_id} in {folder.root / 'submitted'} "
                              f"(expected submitted/STUDENT/{module_id}/)")
        return available
    missing = [s for s in requested if s not in available]
    if missing:
        known = ", ".join(available[:10]) + (" …" if len(available) > 10 else "") if available else "none"
        raise CourseError(f"no submission of {module_id} from {', '.join(repr(s) for s in missing)} "
                          f"(looked for submitted/STUDENT/{module_id}/); students with a submission: {known}")
    return list(dict.fromkeys(requested))


class _Worker:
    def __init__(self, config: WorkerConfig, log: IO[str]) -> None:
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        cmd = [sys.executable, "-P", "-m", "alcourse.grading.worker", config.to_json()]
        self.proc = subprocess.Popen(cmd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     text=True, bufsize=1, env=env)
        self.tasks: list[str] = []  # sent and not yet answered, the first being graded
        self.since = time.monotonic()  # when the submission in hand was started

    def send(self, student: str) -> None:
        assert self.proc.stdin is not None
        self.tasks.append(student)
        self.proc.stdin.write(json.dumps({"student": student}) + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def grade_module(folder: CourseFolder, module_id: str, notebook: str, students: list[str],
                 options: GradeOptions,
                 progress: Callable[[Outcome, int, int], None] | None = None) -> list[Outcome]:
    """Autograde ``students``' submissions of a module; record and return their outcomes."""
    if options.isolation:
        check_isolation()
    config = WorkerConfig(str(folder.root), module_id, notebook, options.isolation,
                          options.limits.as_dict(), options.cell_timeout, options.submission_seconds,
                          options.max_output_bytes)
    pending = list(students)
    outcomes: dict[str, Outcome] = {}
    log_dir = folder.root / ".alcourse" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    log = open(log_dir / f"grade-{module_id}-{stamp}.log", "w", encoding="utf-8")
    selector = selectors.DefaultSelector()
    workers: list[_Worker] = []
    restarts = 0

    def start_worker() -> _Worker:
        worker = _Worker(config, log)
        assert worker.proc.stdout is not None
        selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
        workers.append(worker)
        return worker

    def record(outcome: Outcome) -> None:
        outcomes[outcome.student] = outcome
        if progress is not None:
            progress(outcome, len(outcomes), len(students))

    def retire(worker: _Worker, why: str) -> None:
        nonlocal restarts
        assert worker.proc.stdout is not None
        selector.unregister(worker.proc.stdout)
        workers.remove(worker)
        worker.stop()
        if worker.tasks:
            record(Outcome(worker.tasks[0], module_id, FAILED, (why,),
                           graded_at=datetime.now(UTC).isoformat(timespec="seconds")))
            pending[:0] = worker.tasks[1:]  # queued behind it: give them to another worker
        if pending and restarts < 3 * options.jobs:
            restarts += 1
            start_worker()

    try:
        for _ in range(plan_workers(options.jobs, len(pending))):
            start_worker()
        # the worker's own watchdog stops a kernel at the submission limit; this is the backstop
        # for a worker that hangs anywhere else
        stuck_after = options.submission_seconds + 120
        while len(outcomes) < len(students) and workers:
            for worker in list(workers):
                if worker.tasks and time.monotonic() - worker.since > stuck_after:
                    worker.proc.kill()
                    retire(worker, f"grading it took more than {stuck_after:.0f} s; its grading worker "
                                   f"was stopped (see {log.name})")
            for key, _ in selector.select(timeout=5):
                worker: _Worker = key.data
                line = key.fileobj.readline()  # type: ignore[union-attr]
                if not line:
                    retire(worker, "the grading worker stopped unexpectedly while grading it "
                                   f"(see {log.name})")
                    continue
                message = json.loads(line)
                if message["op"] == "error":
                    raise CourseError(f"a grading worker could not start: {message['message']} "
                                      f"(details in {log.name})")
                if message["op"] == "outcome":
                    outcome = Outcome.from_json(message["outcome"])
                    record(outcome)
                    if outcome.student in worker.tasks:
                        worker.tasks.remove(outcome.student)
                    worker.since = time.monotonic()
                # one submission in hand and one queued, so the worker can start its kernel early
                while pending and len(worker.tasks) < PIPELINE:
                    worker.send(pending.pop(0))
                if not worker.tasks:
                    selector.unregister(worker.proc.stdout)  # type: ignore[arg-type]
                    workers.remove(worker)
                    worker.stop()
        if len(outcomes) < len(students):
            for student in students:
                if student not in outcomes:
                    record(Outcome(student, module_id, FAILED,
                                   ("grading could not reach it: every grading worker failed "
                                    f"(see {log.name})",)))
    finally:
        for worker in list(workers):
            worker.stop()
        log.close()
        StatusStore(folder.root).update(module_id, list(outcomes.values()))
    return [outcomes[s] for s in students]

