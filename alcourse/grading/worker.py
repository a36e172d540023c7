"""A grading worker: imports nbgrader once, then autogrades one submission after another.

Run by :mod:`alcourse.grading.engine` as ``python -m alcourse.grading.worker
CONFIG_JSON``; it reads ``{"student": ID}`` lines on stdin and answers each with
one JSON :class:`~alcourse.grading.status.Outcome` line. Grading itself is
nbgrader's ``NbGraderAPI.autograde``, configured (through nbgrader's own
``Autograde.*_preprocessors`` settings) with alcourse's preprocessors in place of two of
nbgrader's and one more (see :mod:`alcourse.grading.preprocessors`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import queue
import re
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alcourse.grading import messages
from alcourse.grading.analysis import (
    SourceCell,
    assess,
    check_answers_text,
    check_notebook_text,
    check_submission_files,
    death_reason,
    missing_answers_reason,
)
from alcourse.grading.fingerprint import submission_fingerprint
from alcourse.grading.gradebook import (
    commit_without_fsync,
    flag_for_review,
    read_submission,
    with_busy_timeout,
)
from alcourse.grading.incidents import Journal
from alcourse.grading.kernel_pool import KernelPool, kernel_inputs
from alcourse.grading.options import WorkerConfig
from alcourse.grading.sandbox import Isolation, KernelFactory, KernelFactoryError
from alcourse.grading.shared_statements import shared_statements_url
from alcourse.grading.status import FAILED, NEEDS_ATTENTION, Outcome, StatusStore
from alcourse.grading.timing import SqlClock
from alcourse.venv import put_venv_first


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class GradingWorker:
    """Everything one worker process keeps between submissions."""

    def __init__(self, cfg: WorkerConfig) -> None:
        from nbconvert.preprocessors import ClearMetadataPreprocessor
        from nbgrader.preprocessors import (
            AssignLatePenalties,
            CheckCellMetadata,
            ClearOutput,
            DeduplicateIds,
            IgnorePattern,
            LimitOutput,
            OverwriteKernelspec,
            SaveAutoGrades,
        )
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        from alcourse.curriculum import load_curriculum
        from alcourse.grading.api import GradingAPI
        from alcourse.grading.preprocessors import ReadableExercises, RestoreCells, SandboxedExecute

        self.cfg = cfg
        self.root = Path(cfg.course_root)
        self.sql = SqlClock()
        self.sql.install()
        commit_without_fsync()
        self._started = time.perf_counter()
        self._gb: Any = None  # see _gradebook
        self.isolation = Isolation(enabled=cfg.options.isolation, limits=cfg.options.limits)
        self.factory = KernelFactory(self.isolation)
        try:
            self.pool = KernelPool(self.factory, cfg.options.startup_seconds)
            config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
            extra = Config()
            # workers write to the gradebook at once: SQLite waits for the lock instead of failing
            # (with more than one job the coordinator has put the gradebook in WAL mode, see
            # gradebook.shared_by_writers)
            # (and nbgrader's many short-lived engines share their compiled statements, see
            # shared_statements)
            extra.CourseDirectory.db_url = shared_statements_url(with_busy_timeout(
                config.CourseDirectory.get("db_url", f"sqlite:///{self.root / 'gradebook.db'}")))
            extra.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                                      RestoreCells, CheckCellMetadata]
            late = [AssignLatePenalties] if _late_penalties_configured(config) else []
            # nbgrader's default ends this list with CheckCellMetadata again: the trainee's metadata
            # was checked in the sanitising pass above, and since then only these preprocessors
            # have run (its schema check costs about 40 ms a submission)
            extra.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern,
                                                       ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                                                       *late, ReadableExercises]
            extra.SandboxedExecute.timeout = cfg.options.cell_timeout
            extra.SandboxedExecute.submission_seconds = cfg.options.submission_seconds
            extra.SandboxedExecute.max_output_bytes = cfg.options.max_output_bytes
            extra.SandboxedExecute.shutdown_kernel = "immediate"
            extra.SandboxedExecute.interrupt_on_timeout = True
            # every widget's state would be copied into the autograded notebook (about 300 kB per
            # submission here); scores never depend on it and offline feedback cannot render it
            extra.SandboxedExecute.store_widget_state = False
            # nbconvert checks the notebook against its schema after every preprocessor by default;
            # once after the last is enough to refuse an invalid result (nbgrader's CheckCellMetadata
            # has checked the trainee's metadata already)
            extra.Exporter.optimistic_validation = True
            config.merge(extra)
            self.config = config
            self.journal = Journal()
            self.api = GradingAPI(config=config, kernel_pool=self.pool, journal=self.journal)
            self.coursedir = self.api.coursedir
            self.source, self.release, self.release_sources = self._source_cells()
            self.api.source_cell_ids = frozenset(self.source) if self.source else None
            self.previous = StatusStore(self.root).load(cfg.module)
            self.has_exercises = _has_exercises(self.release)
            self.reflections = tuple(ref.id for ref in load_curriculum().module(cfg.module).reflections())
        except BaseException:
            self.factory.close()  # its scratch folders and sandbox go with it
            raise

    def _source_cells(self) -> tuple[dict[str, SourceCell], dict[str, str], set[str]]:
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                nb = gb.find_notebook(self.cfg.notebook, self.cfg.module)
            except MissingEntry:
                return {}, {}, set()
            graded = {c.name for c in nb.grade_cells}
            solution = {c.name for c in nb.solution_cells}
            source = {c.name: SourceCell(c.name, c.cell_type, bool(c.locked), c.checksum or "",
                                         c.name in graded, c.name in solution) for c in nb.source_cells}
        release = self.root / "release" / self.cfg.module / f"{self.cfg.notebook}.ipynb"
        sources: set[str] = set()
        by_id: dict[str, str] = {}
        if release.exists():
            for cell in json.loads(release.read_text(encoding="utf-8")).get("cells", []):
                text = cell.get("source", "")
                text = "".join(text) if isinstance(text, list) else text
                sources.add(text)
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id:
                    by_id[grade_id] = text
        return source, by_id, sources

    def _failed(self, student: str, why: str, started: float, notes: tuple[str, ...] = (),
                for_trainee: str = "", fingerprint: str = "") -> Outcome:
        stale = self.root / "autograded" / student / self.cfg.module
        if stale.exists():
            # an earlier grading's notebook must not turn into this submission's feedback
            shutil.rmtree(stale, ignore_errors=True)
        self._forget_scores(student)
        return Outcome(student, self.cfg.module, FAILED, (why,), notes,
                       seconds=round(time.monotonic() - started, 3), graded_at=_now(),
                       for_trainee=for_trainee or messages.could_not_run(), fingerprint=fingerprint)

    @contextlib.contextmanager
    def _gradebook(self) -> Iterator[Any]:
        """The worker's own gradebook session, kept open from one submission to the next.

        A new nbgrader ``Gradebook`` makes a new engine, whose statements are compiled again
        (SQLAlchemy caches compiled statements per engine): about 15 ms before the first
        query. Each use ends its transaction (commit, or rollback on an error), so nothing is
        held between uses and every object is read afresh next time.
        """
        from nbgrader.api import Gradebook

        if self._gb is None:
            self._gb = Gradebook(self.coursedir.db_url, self.coursedir.course_id)
        gb = self._gb
        try:
            yield gb
        except BaseException:
            gb.db.rollback()
            raise
        gb.db.commit()

    def _forget_scores(self, student: str) -> None:
        """Take a failed submission's scores out of the gradebook, unless a trainer has marked it.

        nbgrader keeps whatever it managed to record (zeros), and formgrader would list and
        average them; a trainer's own marks are never thrown away.
        """
        from nbgrader.api import MissingEntry

        with self._gradebook() as gb:
            grades = read_submission(gb, self.cfg.module, self.cfg.notebook, student)
            if grades is None or any(c.manual_score is not None or c.comment for c in grades.cells):
                return
            with contextlib.suppress(MissingEntry):
                gb.remove_submission(self.cfg.module, student)

    def _precheck(self, folder: Path) -> tuple[str, str] | None:
        """(for the trainer, for the trainee) when the files cannot be graded, else None."""
        notebook_file = f"{self.cfg.notebook}.ipynb"
        names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        why = check_submission_files(self.cfg.notebook, names)
        if why:
            visible = [n for n in names if not n.startswith(".")]
            shown = [n for n in visible if n.endswith(".ipynb")] or visible
            return why, (messages.wrong_name(notebook_file, ", ".join(shown[:3])) if visible
                         else messages.nothing_arrived(notebook_file))
        path = folder / notebook_file
        if not path.is_file():
            return (f"{path.name} is not a file; ask the trainee to submit the notebook again",
                    messages.damaged_notebook(notebook_file))
        why = check_notebook_text(path.name, path.read_bytes())
        if why:
            return why, messages.damaged_notebook(notebook_file)
        answers = folder / self.answers_file
        if answers.is_file():
            why = check_answers_text(answers.name, self.cfg.module, answers.read_bytes())
            if why:
                return why, messages.damaged_answers(answers.name)
        import warnings

        import nbformat

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. cells without ids: nbgrader copes
                nbformat.validate(nbformat.read(path, as_version=4))
        except Exception as exc:  # nbformat raises several kinds; all mean "not a usable notebook"
            first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            return (f"{path.name} is not a valid Jupyter notebook ({first}); "
                    "ask the trainee to submit it again", messages.damaged_notebook(notebook_file))
        return None

    @property
    def answers_file(self) -> str:
        return f"{self.cfg.module}.answers.json"

    def grade(self, student: str) -> Outcome:
        started = time.monotonic()
        folder = self.root / "submitted" / student / self.cfg.module
        fingerprint = submission_fingerprint(folder)
        problem = self._precheck(folder)
        if problem:
            self.pool.discard(student)
            return self._failed(student, problem[0], started, for_trainee=problem[1],
                                fingerprint=fingerprint)
        finished = self._finished_marks(student, fingerprint)
        self.journal.take(student)
        self.journal.clock.add("alcourse before", time.perf_counter() - self._started)
        sql_before, autograde_started = self.sql.seconds, time.perf_counter()
        try:
            result = self.api.autograde(self.cfg.module, student, force=True, create=True)
        finally:
            self.pool.discard(student)  # a kernel started ahead and never used (nbgrader failed early)
            clock = self.journal.clock
            autograde = time.perf_counter() - autograde_started
            clock.add("nbgrader pipeline", autograde - clock.total("kernel start") - clock.total("cells")
                      - (self.sql.seconds - sql_before))
        incidents = self.journal.take(student)
        if not result.get("success"):
            deaths = [i for i in incidents if i.kind in ("kernel-died", "deadline", "unresponsive")]
            if deaths:
                why = death_reason(deaths[0], self.isolation.limits.cpu_seconds)
            else:
                why = "nbgrader could not grade it: " + _last_error(result)
            return self._failed(student, why, started, fingerprint=fingerprint)
        outcome = self._assess(student, started, incidents, finished)
        return dataclasses.replace(outcome, fingerprint=fingerprint)

    def _finished_marks(self, student: str, fingerprint: str) -> set[str]:
        """Cells a trainer has finished marking whose work is unchanged since they marked it.

        nbgrader's SaveAutoGrades flags every cell with a manual score as needing
        grading again; these are set back once it has run. A written answer counts
        as unchanged when its text is; a check, when the whole submission is.
        """
        with self._gradebook() as gb:
            grades = read_submission(gb, self.cfg.module, self.cfg.notebook, student)
        if grades is None:
            return set()
        marked = {c.name: c for c in grades.cells if c.manual_score is not None and not c.needs_manual_grade}
        if not marked:
            return set()
        previous = self.previous.get(student)
        same_files = previous is not None and previous.fingerprint == fingerprint
        old = _solution_texts(self.root / "autograded" / student / self.cfg.module /
                              f"{self.cfg.notebook}.ipynb")
        new = _solution_texts(self.root / "submitted" / student / self.cfg.module /
                              f"{self.cfg.notebook}.ipynb")
        return {name for name, cell in marked.items() if same_files or (
            cell.cell_type == "markdown" and name in old and old[name] == new.get(name))}

    def _keep_finished(self, gb: Any, student: str, cells: set[str]) -> None:
        nb = gb.find_submission_notebook(self.cfg.notebook, self.cfg.module, student)
        for grade in nb.grades:
            if grade.name in cells:
                grade.needs_manual_grade = False
        gb.db.commit()

    def _assess(self, student: str, started: float, incidents: list[Any],
                finished: set[str] | None = None) -> Outcome:
        folder = self.root / "submitted" / student / self.cfg.module
        submitted = json.loads((folder / f"{self.cfg.notebook}.ipynb").read_text(encoding="utf-8"))
        autograded = json.loads((self.root / "autograded" / student / self.cfg.module /
                                 f"{self.cfg.notebook}.ipynb").read_text(encoding="utf-8"))
        other = sorted(p.name for p in folder.glob("*.ipynb") if p.stem != self.cfg.notebook)
        scratch = re.compile(re.escape(str(self.factory.scratch_root)) + r"/[^/\s]+/")
        # one gradebook session for all that alcourse reads and writes after nbgrader
        with self._gradebook() as gb:
            if finished:
                self._keep_finished(gb, student, finished)
            self._zero_unwritten(gb, student, folder)
            grades = read_submission(gb, self.cfg.module, self.cfg.notebook, student)
            found = None if grades is None else assess(
                submitted, autograded, self.source, self.release, self.release_sources, grades, incidents,
                lambda text: scratch.sub("", text))
            review = [c for c in found.review_cells if c not in (finished or set())] if found else []
            if review:
                flag_for_review(gb, self.cfg.module, self.cfg.notebook, student, review)
                grades = read_submission(gb, self.cfg.module, self.cfg.notebook, student) or grades
        if grades is None or found is None:
            return self._failed(student, "nbgrader recorded no grades for it", started)
        notes = found.notes + ((f"other notebooks were not graded: {', '.join(other)}",) if other else ())
        if found.state == FAILED:
            self._forget_scores(student)
            return Outcome(student, self.cfg.module, FAILED, found.reasons, notes,
                           max_score=grades.max_score, seconds=round(time.monotonic() - started, 3),
                           graded_at=_now(), for_trainee=messages.could_not_run())
        state, reasons, for_trainee = found.state, found.reasons, ""
        if self.has_exercises and not (folder / self.answers_file).is_file():
            state, reasons = NEEDS_ATTENTION, (missing_answers_reason(self.answers_file),)
            for_trainee = messages.missing_answers(self.answers_file)
        return Outcome(student, self.cfg.module, state, reasons, notes, tuple(review),
                       found.review_reasons, grades.score, grades.max_score,
                       round(time.monotonic() - started, 3), _now(), for_trainee)

    def _zero_unwritten(self, gb: Any, student: str, folder: Path) -> None:
        """A written answer left empty scores 0 and waits for nobody.

        Written answers are nbgrader tasks, which nbgrader always leaves for a trainer
        to mark; an empty one has nothing to mark (as nbgrader scores an unchanged
        answer cell 0). A trainer's own mark is never replaced, and an answers file
        that cannot be read leaves every task to the trainer (its state says why).
        """

        from alcourse.answers import AnswersError, AnswerStore
        from alcourse.session import reflection_grade_id

        path = folder / self.answers_file
        if not self.reflections or not path.is_file():
            return
        try:
            store = AnswerStore(path, self.cfg.module)
            empty = {reflection_grade_id(r) for r in self.reflections if not store.text(r).strip()}
        except (AnswersError, OSError, ValueError):
            return
        if not empty:
            return
        nb = gb.find_submission_notebook(self.cfg.notebook, self.cfg.module, student)
        for grade in nb.grades:
            if grade.name in empty and grade.manual_score is None:
                grade.manual_score = 0.0
                grade.needs_manual_grade = False
        for comment in nb.comments:
            if comment.name in empty and not comment.manual_comment:
                comment.manual_comment = "No written answer was handed in."
        gb.db.commit()

    def prefetch(self, student: str) -> None:
        """Start the kernel for a submission that is next in line (see KernelPool.prestart)."""
        try:
            folder = self.root / "submitted" / student / self.cfg.module
            names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
            notebook = folder / f"{self.cfg.notebook}.ipynb"
            if check_submission_files(self.cfg.notebook, names) or not notebook.is_file() or \
                    check_notebook_text(notebook.name, notebook.read_bytes()):
                return
            self.pool.prestart(student, self._predicted_inputs(folder), notebook)
        except Exception:  # a prestart is only an optimisation; grading starts a kernel anyway
            traceback.print_exc(file=sys.stderr)

    def _predicted_inputs(self, folder: Path) -> dict[str, Path]:
        """What nbgrader will put beside the notebook: the submission's files, then the source's."""
        ignore = list(self.coursedir.ignore)
        inputs = kernel_inputs(folder, ignore)
        source = Path(self.coursedir.format_path(self.coursedir.source_directory, ".", self.cfg.module))
        excluded = set(self.config.Autograde.get("exclude_overwriting", {}).get(self.cfg.module, []))
        inputs.update({rel: path for rel, path in kernel_inputs(source, ignore).items()
                       if rel not in excluded})
        return inputs

    def safe_grade(self, student: str) -> Outcome:
        """Grade, turning any failure of the machinery into this submission's failure.

        The outcome carries how late the submission came, read from the gradebook just written.
        """
        from alcourse.grading.lateness import seconds_late

        outcome = self._outcome(student)
        try:
            with self._gradebook() as gb:
                late = seconds_late(gb, self.root, self.cfg.module, student)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return dataclasses.replace(outcome, notes=(
                *outcome.notes, "how late it came could not be read from the gradebook (see its log)"))
        return dataclasses.replace(outcome, seconds_late=late)

    def _outcome(self, student: str) -> Outcome:
        started = time.monotonic()
        self._started, sql_before = time.perf_counter(), self.sql.seconds
        self.journal.clock.take()
        try:
            outcome = self.grade(student)
            clock = self.journal.clock
            clock.add("gradebook", self.sql.seconds - sql_before)
            phases = dict(clock.take())
            phases["alcourse after"] = max(0.0, time.perf_counter() - self._started - sum(phases.values()))
            return dataclasses.replace(outcome, timings=tuple(phases.items()))
        except KernelFactoryError as exc:
            self.restart_factory()
            return self._failed(student, f"the kernel sandbox failed while grading it ({exc})", started)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            return self._failed(student, f"grading stopped with an internal error: {type(exc).__name__}: "
                                         f"{str(exc)[:200]}", started)

    def restart_factory(self) -> None:
        self.factory.close()
        self.factory = KernelFactory(self.isolation)
        self.pool.factory = self.factory

    def close(self) -> None:
        self.pool.close()
        self.factory.close()
        if self._gb is not None:
            self._gb.close()


EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit|Interrupt|Expired)\w*): (.+)$")


def _late_penalties_configured(config: Any) -> bool:
    """Whether the course sets a late-submission penalty (nbgrader's default is none).

    Without one, nbgrader's ``AssignLatePenalties`` only records "no penalty" (None, which
    it is already) and costs a gradebook session per submission, so it is left out.

    >>> from traitlets.config import Config
    >>> _late_penalties_configured(Config())
    False
    >>> c = Config(); c.LateSubmissionPlugin.penalty_method = "zero"
    >>> _late_penalties_configured(c)
    True
    """
    return ("plugin_class" in config.get("AssignLatePenalties", {})
            or config.get("LateSubmissionPlugin", {}).get("penalty_method", "none") != "none")


def _has_exercises(release: dict[str, str]) -> bool:
    """Whether the module's checks read an answers file (some modules have only written answers)."""
    return any(grade_id.startswith(("check-", "simcheck-")) for grade_id in release)


def _solution_texts(path: Path) -> dict[str, str]:
    """Grade id -> text of each written answer in a notebook file ({} if it cannot be read)."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell.get("cell_type") == "markdown" and meta.get("grade_id"):
            text = cell.get("source", "")
            found[meta["grade_id"]] = "".join(text) if isinstance(text, list) else text
    return found


def _last_error(result: dict[str, Any]) -> str:
    """The exception nbgrader logged, as ``Name: message``."""
    text = f"{result.get('log') or ''}\n{result.get('error') or ''}"
    for line in reversed(text.splitlines()):
        match = EXCEPTION_LINE.match(line)
        if match and match.group(1) != "NbGraderException":
            return f"{match.group(1)}: {match.group(2).strip()}"[:300]
    for line in reversed(text.splitlines()):
        if line.startswith(("[ERROR]", "[CRITICAL]")) and "Please see the" not in line and \
                "There was an error processing" not in line and "Traceback" not in line:
            return line.split("]", 1)[1].strip()[:300]
    return "unknown error (see nbgrader's log)"


def main() -> None:
    import faulthandler
    import signal

    # the coordinator asks a stuck worker for its stacks (into the log) before stopping it
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    cfg = WorkerConfig.from_json(sys.argv[1])
    # nbgrader runs alembic as a command: this environment's, whoever started the worker
    put_venv_first()
    # the protocol owns the real stdout; anything else printed goes to stderr
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        worker = GradingWorker(cfg)
    except Exception as exc:
        protocol.write(json.dumps({"op": "error", "message": f"{type(exc).__name__}: {exc}"}) + "\n")
        raise
    tasks: queue.Queue[str | None] = queue.Queue()

    def read_tasks() -> None:
        for line in sys.stdin:
            if line.strip():
                tasks.put(json.loads(line)["student"])
        tasks.put(None)

    threading.Thread(target=read_tasks, daemon=True).start()
    protocol.write(json.dumps({"op": "ready", "pid": os.getpid()}) + "\n")
    prefetched: set[str] = set()
    try:
        while (student := tasks.get()) is not None:
            upcoming = tasks.queue[0] if tasks.qsize() else None  # the coordinator sends one ahead
            if upcoming and upcoming not in prefetched:
                worker.prefetch(upcoming)
                prefetched.add(upcoming)
            outcome = worker.safe_grade(student)
            protocol.write(json.dumps({"op": "outcome", "outcome": outcome.to_json()}) + "\n")
    finally:
        worker.close()
    # Everything the worker owns is closed and its gradebook session committed: tearing down
    # the interpreter (about 1,500 modules) would only keep the trainer waiting, for most of a
    # second. An exception above still ends the worker the ordinary way, with its traceback.
    protocol.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
