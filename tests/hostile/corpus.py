"""Hostile submissions, each with the exact state and message grading must give it.

Every case is built from the released notebook of a module. Messages name
cells by their 1-based position in the autograded notebook: a cell added at
the end of a released notebook of N cells is cell N + 1.

The limits the cases are written for are :data:`LIMITS`; tests must grade with
them (short, so the corpus runs in well under a minute).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from alcourse.answers import AnswerStore
from alcourse.grading.analysis import CONFIRM
from alcourse.grading.status import FAILED, GRADED, NEEDS_ATTENTION, NEEDS_MANUAL

# The CPU hog must reach its CPU limit before the cell's wall-clock limit even when the tests share
# two busy cores (make test runs two workers): 2 s of CPU within 8 s needs only a quarter of a core.
CELL_TIMEOUT = 8
CPU_SECONDS = 2
SUBMISSION_SECONDS = 16
MEMORY_MB = 1024
LIMITS = {"cell_timeout": CELL_TIMEOUT, "cpu_seconds": CPU_SECONDS,
          "submission_seconds": SUBMISSION_SECONDS, "memory_mb": MEMORY_MB}
REVIEW = ("code added by the trainee ran with the checks ({cell} `{line}`); added code can change a score: "
          + CONFIRM)
AGAIN = "ask the trainee to send it again, then run alcourse grade again"
WRITTEN_ANSWER = ("Our courses teach what is known; a set of five managers would work on our discharge "
                  "delays and learn from what they try.")
WRITTEN = "1 written answer to mark in formgrader: reflection-m03-reflection-sponsor"


@dataclass
class World:
    """What a case may refer to: the release, the course, secrets it must not reach."""

    module: str
    release_notebook: Path
    course_root: Path
    source_notebook: Path
    exercises: list  # alcourse Exercise objects of the module
    escape_targets: list[Path]
    port: int

    @property
    def cells(self) -> int:
        return len(nbformat.read(self.release_notebook, 4).cells)

    def run_label(self, position: int | None = None, extra_code: int = 0) -> str:
        """How formgrader labels a code cell added at ``position`` (None: at the end): In [n]."""
        cells = self.release().cells
        before = cells if position is None else cells[:position]
        return f"In [{1 + extra_code + sum(c.cell_type == 'code' for c in before)}]"

    @property
    def notebook_name(self) -> str:
        return self.release_notebook.name

    def folder(self, student: str) -> Path:
        return self.course_root / "submitted" / student / self.module

    @property
    def reflections(self) -> list[str]:
        from alcourse.curriculum import load_curriculum

        return [r.id for r in load_curriculum().module(self.module).reflections()]

    def release(self) -> nbformat.NotebookNode:
        return nbformat.read(self.release_notebook, 4)

    def submit(self, student: str, nb: nbformat.NotebookNode | None = None,
               answers: str = "model", written: str = "") -> Path:
        folder = self.folder(student)
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb if nb is not None else self.release(), folder / self.notebook_name)
        if answers == "absent":
            return folder
        store = AnswerStore.beside(self.module, folder)
        for ex in self.exercises:
            if answers == "model":
                store.write_all(ex.id, ex.model_answers())
            elif answers == "wrong":
                store.write_all(ex.id, {q.id: min(q.options, key=lambda o: o.points).id
                                        for q in ex.questions})
            else:  # "none": an answers file with no answer in it (no file at all is "absent")
                store.write_all(ex.id, {})
        if written:  # typed into the written answer's text box, which saves it in the answers file
            for reflection in self.reflections:
                store.write_text(reflection, written)
        return folder

    def with_cell(self, source: str, position: int | None = None) -> nbformat.NotebookNode:
        nb = self.release()
        cell = nbformat.v4.new_code_cell(source)
        nb.cells.insert(len(nb.cells) if position is None else position, cell)
        return nb

    def points(self, answers: str) -> float:
        if answers == "model":
            return sum(ex.max_points for ex in self.exercises)
        return 0.0


@dataclass
class Case:
    student: str
    kind: str
    state: str
    why: Callable[[World], str]
    build: Callable[[World, str], None]
    notes: Callable[[World], list[str]] = field(default=lambda w: [])
    score: Callable[[World], float | None] = field(default=lambda w: None)


def _added(world: World, line: str, position: int | None = None) -> str:
    return REVIEW.format(cell=world.run_label(position), line=line)


def _probe(targets: list[str], action: str) -> str:
    """A cell that tries each target and prints what happened, without raising."""
    return (f"import os, socket\nfor target in {targets!r}:\n    try:\n        {action}\n"
            "        print('REACHED', target)\n    except OSError as exc:\n"
            "        print('blocked', target, type(exc).__name__)\n")


def build_cases() -> list[Case]:
    cases = [
        Case("h-loop", "infinite loop", NEEDS_MANUAL,
             lambda w: _added(w, "import time"),
             lambda w, s: w.submit(s, w.with_cell("import time\nwhile True:\n    time.sleep(0.05)")),
             lambda w: [f"{w.run_label()} (added) ran longer than {CELL_TIMEOUT} s and was interrupted"],
             lambda w: w.points("model")),
        Case("h-os-exit", "os._exit", FAILED,
             lambda w: (f"the kernel stopped in cell {w.cells + 1} with exit code 3: the notebook ended its "
                        "own Python process (for example with os._exit or exit())"),
             lambda w, s: w.submit(s, w.with_cell("import os\nos._exit(3)"))),
        Case("h-sys-exit", "sys.exit", NEEDS_MANUAL,
             lambda w: _added(w, "import sys"),
             lambda w, s: w.submit(s, w.with_cell("import sys\nsys.exit(1)")),
             lambda w: [f"{w.run_label()} (added) raised SystemExit: 1"],
             lambda w: w.points("model")),
        Case("h-crash", "kernel crash", FAILED,
             lambda w: f"the kernel crashed in cell {w.cells + 1} (SIGSEGV)",
             lambda w, s: w.submit(s, w.with_cell("import ctypes\nctypes.string_at(0)"))),
        Case("h-invalid-json", "invalid JSON", FAILED,
             lambda w: (f"{w.notebook_name} is not valid JSON (line 1, column 12: Expecting value); "
                        "the file is damaged: ask the trainee to submit it again"),
             lambda w, s: _raw(w, s, b'{"cells": [')),
        Case("h-empty-file", "empty file", FAILED,
             lambda w: f"{w.notebook_name} is an empty file (0 bytes); ask the trainee to submit it again",
             lambda w, s: _raw(w, s, b"")),
        Case("h-deleted-cell", "deleted grade cell", GRADED, lambda w: "",
             lambda w, s: w.submit(s, _without(w, "check-m03-principles-in-tension")),
             lambda w: ["check-m03-principles-in-tension had been deleted; it was put back from the "
                        "source and run"],
             lambda w: w.points("model")),
        Case("h-edited-cell", "edited test cell", GRADED, lambda w: "",
             lambda w, s: w.submit(s, _edited(w, "check-m03-contrasts-in-practice", "5.0  # full marks"),
                                   "wrong"),
             lambda w: ["check-m03-contrasts-in-practice had been edited; the original was restored and run"],
             lambda w: 0.0),
        Case("h-extra-cells", "extra cells", NEEDS_MANUAL,
             lambda w: _added(w, "x = 1"),
             lambda w, s: w.submit(s, _extra(w)),
             lambda w: ["1 text cell(s) added or changed by the trainee (not graded)"],
             lambda w: w.points("model")),
        Case("h-cheat", "code that changes its own score", NEEDS_MANUAL,
             lambda w: _added(w, "from alcourse.session import Session", 2),
             lambda w, s: w.submit(s, w.with_cell(
                 "from alcourse.session import Session\n"
                 "Session.score = lambda self, exercise_id: self._exercise(exercise_id).max_points",
                 position=2), "wrong")),
        Case("h-big-output", "50 MB output", NEEDS_MANUAL,
             lambda w: _added(w, "print('x' * 50_000_000)"),
             lambda w, s: w.submit(s, w.with_cell("print('x' * 50_000_000)")),
             lambda w: [f"{w.run_label()}: output cut here. This cell produced more than 100.0 kB of "
                        "output; 49.9 MB more was not kept."],
             lambda w: w.points("model")),
        Case("h-memory", "memory hog", NEEDS_MANUAL,
             lambda w: _added(w, "hog = bytearray(4 * 1024**3)"),
             lambda w, s: w.submit(s, w.with_cell("hog = bytearray(4 * 1024**3)")),
             lambda w: [f"{w.run_label()} (added) raised MemoryError"],
             lambda w: w.points("model")),
        Case("h-write-outside", "writing outside its folder", NEEDS_MANUAL,
             lambda w: _added(w, "import os, socket"),
             lambda w, s: w.submit(s, w.with_cell(_probe(
                 [str(p) for p in w.escape_targets], "open(target, 'w').write('escaped')"))),
             score=lambda w: w.points("model")),
        Case("h-read-other", "reading another submission and the source", NEEDS_MANUAL,
             lambda w: _added(w, "import os, socket"),
             lambda w, s: w.submit(s, w.with_cell(_probe(
                 [str(w.folder("h-good-full") / f"{w.module}.answers.json"), str(w.source_notebook),
                  str(w.course_root / "gradebook.db"), str(w.course_root / "nbgrader_config.py")],
                 "print(open(target).read()[:80])")
                 + "print('siblings', os.listdir('..'))\nprint('uid', os.getuid(), 'gid', os.getgid())\n")),
             score=lambda w: w.points("model")),
        Case("h-network", "opening a network connection", NEEDS_MANUAL,
             lambda w: _added(w, "import socket"),
             lambda w, s: w.submit(s, w.with_cell(
                 "import socket\n"
                 f"for host, port in [('127.0.0.1', {w.port}), ('1.1.1.1', 53), ('localhost', {w.port})]:\n"
                 "    try:\n        socket.create_connection((host, port), timeout=2)\n"
                 "        print('CONNECTED', host)\n"
                 "    except OSError as exc:\n        print('blocked', host, type(exc).__name__)\n")),
             score=lambda w: w.points("model")),
        Case("h-wrong-name", "a notebook with the wrong name", FAILED,
             lambda w: (f"no {w.notebook_name} in the submission (found Untitled.ipynb); rename it to "
                        f"{w.notebook_name} and grade again"),
             lambda w, s: _renamed(w, s, "Untitled.ipynb")),
        Case("h-empty-folder", "a submission folder with nothing in it", FAILED,
             lambda w: "the submission folder is empty: nothing was submitted",
             lambda w, s: w.folder(s).mkdir(parents=True)),
        Case("h-cpu-hog", "CPU hog", FAILED,
             lambda w: f"the kernel was stopped: it used more than {CPU_SECONDS} s of CPU time",
             lambda w, s: w.submit(s, w.with_cell("while True:\n    pass"))),
        Case("h-unresponsive", "a loop that ignores interrupts", FAILED,
             lambda w: f"cell 3 ran longer than {CELL_TIMEOUT} s and did not stop when interrupted",
             lambda w, s: w.submit(s, w.with_cell(
                 "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                 "    time.sleep(0.05)", position=2))),
        Case("h-deadline", "slow cells that add up past the limit for a submission", FAILED,
             lambda w: f"stopped after {SUBMISSION_SECONDS} s, the time limit for one submission",
             lambda w, s: w.submit(s, _slow(w, cells=10, seconds=2))),
        Case("h-bad-answers", "a damaged answers file", FAILED,
             lambda w: (f"the answers file {w.module}.answers.json is damaged (invalid JSON at line 1, "
                        f"column 2): {AGAIN}"),
             lambda w, s: _answers_bytes(w, s, b"{not json")),
        Case("h-answers-empty", "a 0-byte answers file", FAILED,
             lambda w: f"the answers file {w.module}.answers.json is empty (0 bytes): {AGAIN}",
             lambda w, s: _answers_bytes(w, s, b"")),
        Case("h-answers-cut", "an answers file cut off in transfer", FAILED,
             lambda w: (f"the answers file {w.module}.answers.json is cut off (invalid JSON at "
                        f"{_json_error_at(_cut_answers(w))}): {AGAIN}"),
             lambda w, s: _answers_bytes(w, s, _cut_answers(w))),
        Case("h-answers-latin1", "an answers file that is not UTF-8", FAILED,
             lambda w: f"the answers file {w.module}.answers.json is not UTF-8 text (damaged in transfer): "
                       f"{AGAIN}",
             lambda w, s: _answers_bytes(w, s, _latin1_answers(w))),
        Case("h-no-answers", "a notebook sent without its answers file", NEEDS_ATTENTION,
             lambda w: (f"no answers file: every widget answer is missing; ask the trainee for "
                        f"{w.module}.answers.json (saved beside the notebook), put it in the submission "
                        "folder and run alcourse grade again"),
             lambda w, s: w.submit(s, answers="absent"), score=lambda w: 0.0),
    ]
    return cases


def good_cases() -> list[Case]:
    """Ordinary submissions graded alongside the hostile ones; their scores must be right."""
    return [
        Case("h-good-full", "full marks and a written answer", NEEDS_MANUAL, lambda w: WRITTEN,
             lambda w, s: w.submit(s, written=WRITTEN_ANSWER), score=lambda w: w.points("model")),
        Case("h-good-blank", "nothing answered", GRADED, lambda w: "",
             lambda w, s: w.submit(s, answers="none"), score=lambda w: 0.0),
        Case("h-good-wrong", "every answer wrong", GRADED, lambda w: "",
             lambda w, s: w.submit(s, answers="wrong"), score=lambda w: 0.0),
    ]


def _raw(world: World, student: str, data: bytes) -> None:
    folder = world.folder(student)
    folder.mkdir(parents=True)
    (folder / world.notebook_name).write_bytes(data)


def _without(world: World, grade_id: str) -> nbformat.NotebookNode:
    nb = world.release()
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def _edited(world: World, grade_id: str, source: str) -> nbformat.NotebookNode:
    nb = world.release()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
    return nb


def _extra(world: World) -> nbformat.NotebookNode:
    nb = world.release()
    nb.cells.append(nbformat.v4.new_markdown_cell("My own notes on the contrasts."))
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    return nb


def _renamed(world: World, student: str, name: str) -> None:
    folder = world.submit(student)
    (folder / world.notebook_name).rename(folder / name)


def _slow(world: World, cells: int, seconds: float) -> nbformat.NotebookNode:
    nb = world.release()
    nb.cells += [nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})") for _ in range(cells)]
    return nb


def _answers_bytes(world: World, student: str, data: bytes) -> None:
    folder = world.submit(student)
    (folder / f"{world.module}.answers.json").write_bytes(data)


def _model_answers(world: World) -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        store = AnswerStore.beside(world.module, scratch)
        for ex in world.exercises:
            store.write_all(ex.id, ex.model_answers())
        return store.path.read_bytes()


def _cut_answers(world: World) -> bytes:
    data = _model_answers(world)
    return data[: len(data) // 2]


def _latin1_answers(world: World) -> bytes:
    # an editor that saved the file as Latin-1: one non-ASCII byte makes it invalid UTF-8
    return _model_answers(world).replace(b'"first"', '"fïrst"'.encode("latin-1"), 1)


def _json_error_at(data: bytes) -> str:
    try:
        json.loads(data)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno}, column {exc.colno}"
    raise AssertionError("the cut answers file parses")


def build_world(world: World, cases: list[Case]) -> None:
    for case in cases:
        target = world.folder(case.student)
        if target.exists():
            shutil.rmtree(target)
        case.build(world, case.student)


def describe(cases: list[Case]) -> str:
    return json.dumps({c.student: c.kind for c in cases}, indent=1)
