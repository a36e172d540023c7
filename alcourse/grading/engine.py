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

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO

from alcourse.grading.course import CourseError, CourseFolder
from alcourse.grading.fingerprint import submission_fingerprint
from alcourse.grading.gradebook import shared_by_writers
from alcourse.grading.options import GradeOptions, Limits, WorkerConfig
from alcourse.grading.sandbox import check_isolation
from alcourse.grading.status import FAILED, Outcome, StatusStore
from alcourse.venv import with_venv_path

__all__ = ["GradeOptions", "Limits", "grade_module", "plan_workers"]

# submissions a worker holds: one being graded and two queued, so that when it starts one it
# already knows the next and can start that kernel ahead (with one queued, the next arrives
# just after the worker looked for it, every other time)
PIPELINE = 3
WORKER_MODULE = "alcourse.grading.worker"
# how long a worker may take to import nbgrader and start its kernel fork-server
STARTUP_SECONDS = 180.0
# how long a finished worker may take to clean up before it is killed
REAP_SECONDS = 30.0


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


def plan_regrade(folder: CourseFolder, module_id: str, students: list[str]) -> tuple[list[str], list[str]]:
    """(to grade, to skip): a submission is skipped when its files are exactly those graded last time.

    A trainer's finished marks then stay as they are, and grading a cohort again
    after fixing one submission takes seconds. Failures of the grading machinery
    record no fingerprint, so they are always tried again.
    """
    previous = StatusStore(folder.root).load(module_id)
    to_grade: list[str] = []
    skipped: list[str] = []
    for student in students:
        before = previous.get(student)
        graded = folder.root / "autograded" / student / module_id
        unchanged = (before is not None and before.fingerprint != ""
                     and before.fingerprint == submission_fingerprint(folder.root / "submitted" / student /
                                                                      module_id)
                     and (before.state == FAILED or graded.is_dir()))
        (skipped if unchanged else to_grade).append(student)
    return to_grade, skipped


class _Worker:
    """One worker process, read without buffering.

    The coordinator waits for many workers with ``select``; a buffered reader
    could take two lines from the pipe, hand back one and keep the other where
    ``select`` never sees it (the coordinator then waits for an answer it
    already has). So bytes are read as they come and split into lines here.
    """

    def __init__(self, config: WorkerConfig, log: IO[str], program: list[str] | None = None) -> None:
        cmd = [*(program or [sys.executable, "-P", "-m", WORKER_MODULE]), config.to_json()]
        # nbgrader runs alembic as a command
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     bufsize=0, env=with_venv_path())
        self.tasks: list[str] = []  # sent and not yet answered, the first being graded
        self.since = time.monotonic()  # when the submission in hand (or the start) began
        self.ready = False
        self._pending = b""

    def fileno(self) -> int:
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def read_lines(self) -> list[str] | None:
        """Every complete line that has arrived; None once the worker has closed its end."""
        chunk = os.read(self.fileno(), 1 << 16)
        if not chunk:
            return None
        self._pending += chunk
        *lines, self._pending = self._pending.split(b"\n")
        return [line.decode("utf-8") for line in lines if line.strip()]

    def send(self, student: str) -> None:
        assert self.proc.stdin is not None
        self.tasks.append(student)
        self.proc.stdin.write((json.dumps({"student": student}) + "\n").encode("utf-8"))

    def finish(self) -> None:
        """Ask the worker to end (it does once its queue is empty); never waits."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass

    def reap(self, deadline: float) -> None:
        """Wait for the worker to end until ``deadline`` (monotonic), then kill it."""
        self.finish()
        try:
            self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def grade_module(folder: CourseFolder, module_id: str, notebook: str, students: list[str],
                 options: GradeOptions,
                 progress: Callable[[Outcome, int, int], None] | None = None,
                 worker_program: list[str] | None = None) -> list[Outcome]:
    """Autograde ``students``' submissions of a module; record and return their outcomes.

    With more than one job, the workers write the gradebook at once; it is in SQLite's
    WAL mode meanwhile (see :func:`~alcourse.grading.gradebook.shared_by_writers`).
    """
    if options.isolation:
        check_isolation()
    # one worker is the only writer: no need for WAL mode (which a network file system lacks)
    with shared_by_writers(folder.db_url) if options.jobs > 1 else contextlib.nullcontext():
        return _grade_module(folder, module_id, notebook, students, options, progress, worker_program)


def _grade_module(folder: CourseFolder, module_id: str, notebook: str, students: list[str],
                  options: GradeOptions, progress: Callable[[Outcome, int, int], None] | None,
                  worker_program: list[str] | None) -> list[Outcome]:
    """The coordinator's loop: start workers, hand out submissions, record outcomes.

    Ends within about ``options.submission_seconds + STUCK_MARGIN`` per submission
    in a worker's hands: a worker that does not answer in time is stopped and its
    submission recorded as failed (never a hang, never a zero).
    ``worker_program`` is the worker's command line before its configuration
    (default: this Python running :mod:`alcourse.grading.worker`; tests use stand-ins).
    """
    config = WorkerConfig(str(folder.root), module_id, notebook, options)
    pending = list(students)
    outcomes: dict[str, Outcome] = {}
    log_dir = folder.root / ".alcourse" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    log = open(log_dir / f"grade-{module_id}-{stamp}.log", "w", encoding="utf-8")
    selector = selectors.DefaultSelector()
    workers: list[_Worker] = []
    leaving: list[_Worker] = []  # asked to end; reaped at the end, so the loop never waits on one
    restarts = 0
    # the worker's own watchdog stops a kernel at the submission limit; this is the backstop
    # for a worker that hangs anywhere else
    stuck_after = options.submission_seconds + options.stuck_margin

    def start_worker() -> _Worker:
        worker = _Worker(config, log, worker_program)
        selector.register(worker, selectors.EVENT_READ, worker)
        workers.append(worker)
        return worker

    def record(outcome: Outcome) -> None:
        if outcome.student in outcomes or outcome.student not in students:
            return
        outcomes[outcome.student] = outcome
        if progress is not None:
            progress(outcome, len(outcomes), len(students))

    def let_go(worker: _Worker) -> None:
        selector.unregister(worker)
        workers.remove(worker)
        worker.finish()
        leaving.append(worker)

    def retire(worker: _Worker, why: str) -> None:
        nonlocal restarts
        let_go(worker)
        worker.proc.kill()
        if worker.tasks:
            record(Outcome(worker.tasks[0], module_id, FAILED, (why,),
                           graded_at=datetime.now(UTC).isoformat(timespec="seconds")))
            pending[:0] = [s for s in worker.tasks[1:] if s not in outcomes]  # give them to another
        if pending and restarts < 3 * options.jobs:
            restarts += 1
            start_worker()

    def dump_stacks(worker: _Worker) -> None:
        # the worker writes every thread's stack into the log (faulthandler), so a trainer
        # can send the log with a bug report
        with contextlib.suppress(OSError):
            os.kill(worker.proc.pid, signal.SIGUSR1)
            time.sleep(0.5)

    try:
        for _ in range(plan_workers(options.jobs, len(pending))):
            start_worker()
        while len(outcomes) < len(students) and workers:
            now = time.monotonic()
            for worker in list(workers):
                if worker.tasks and now - worker.since > stuck_after:
                    dump_stacks(worker)
                    retire(worker, f"grading it took more than {stuck_after:.0f} s; its grading worker "
                                   f"was stopped (see {log.name})")
                elif not worker.ready and now - worker.since > STARTUP_SECONDS:
                    dump_stacks(worker)
                    retire(worker, f"its grading worker did not start within {STARTUP_SECONDS:.0f} s "
                                   f"(see {log.name})")
            for key, _ in selector.select(timeout=1):
                worker = key.data
                lines = worker.read_lines()
                if lines is None:
                    retire(worker, "the grading worker stopped unexpectedly while grading it "
                                   f"(see {log.name})")
                    continue
                for line in lines:
                    message = json.loads(line)
                    if message["op"] == "error":
                        raise CourseError(f"a grading worker could not start: {message['message']} "
                                          f"(details in {log.name})")
                    if message["op"] == "ready":
                        worker.ready = True
                        worker.since = time.monotonic()
                    if message["op"] == "outcome":
                        outcome = Outcome.from_json(message["outcome"])
                        record(outcome)
                        if outcome.student in worker.tasks:
                            worker.tasks.remove(outcome.student)
                        worker.since = time.monotonic()
                if not worker.ready:
                    continue
                # the last few go one at a time beyond the next in line, so that no worker
                # holds two while another has finished and waits with nothing to do
                while pending and len(worker.tasks) < (PIPELINE if len(pending) > len(workers) else 2):
                    worker.send(pending.pop(0))
                if not worker.tasks:
                    let_go(worker)
        if len(outcomes) < len(students):
            for student in students:
                if student not in outcomes:
                    record(Outcome(student, module_id, FAILED,
                                   ("grading could not reach it: every grading worker failed "
                                    f"(see {log.name})",)))
    finally:
        deadline = time.monotonic() + REAP_SECONDS
        for worker in list(workers):
            let_go(worker)
        for worker in leaving:
            worker.reap(deadline)
        selector.close()
        log.close()
        StatusStore(folder.root).update(module_id, list(outcomes.values()))
    return [outcomes[s] for s in students]
