"""Trainer commands: ``grade``, ``feedback``, ``export``, ``report`` and ``trainer``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _module(module_id: str) -> Any:
    from alcourse.curriculum import load_curriculum

    return load_curriculum().module(module_id)  # KeyError names the known modules


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    return "[" + "#" * filled + "-" * (width - filled) + f"] {done}/{total}"


def _progress(outcome: Any, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{_bar(done, total)} {outcome.student[:20]:<20}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)
    else:
        print(f"{_bar(done, total)} {outcome.student}: {outcome.state}", file=sys.stderr, flush=True)


def _score(score: float | None, max_score: float | None) -> str:
    if score is None:
        return "—"
    return f"{score:g} / {max_score:g}" if max_score is not None else f"{score:g}"


def _grade(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder
    from alcourse.grading.engine import GradeOptions, check_module_released, choose_students, grade_module
    from alcourse.grading.sandbox import Limits
    from alcourse.grading.status import FAILED, GRADED, NEEDS_MANUAL
    from alcourse.grading.table import text_table

    folder = CourseFolder.open(Path(args.dir))
    module = _module(args.module)
    check_module_released(folder, module.id, module.id)
    students = choose_students(folder, module.id, args.student)
    if args.jobs < 1:
        raise ValueError("--jobs must be at least 1")
    limits = Limits(cpu_seconds=args.cpu_limit, memory_bytes=args.memory_limit * 1024**2)
    options = GradeOptions(jobs=args.jobs, isolation=not args.no_isolation, cell_timeout=args.cell_timeout,
                           submission_seconds=args.submission_timeout,
                           max_output_bytes=args.max_output * 1000, limits=limits)
    if args.no_isolation:
        print("warning: --no-isolation: submitted code runs as you, with network and your files. "
              "Use it only for submissions you trust.", file=sys.stderr)
    print(f"grading {len(students)} submission(s) of {module.id} with {args.jobs} worker(s)…",
          file=sys.stderr)
    outcomes = grade_module(folder, module.id, module.id, students, options, _progress)
    rows = [(o.student, _score(o.score, o.max_score), o.state + (f": {o.why}" if o.why else ""))
            for o in outcomes]
    print(text_table(("student", "score", "status"), rows))
    counts = {s: sum(o.state == s for o in outcomes) for s in (GRADED, NEEDS_MANUAL, FAILED)}
    print(f"\n{len(outcomes)} submission(s): {counts[GRADED]} graded, {counts[NEEDS_MANUAL]} need manual "
          f"grading, {counts[FAILED]} failed. Gradebook: {folder.root / 'gradebook.db'}")
    if counts[NEEDS_MANUAL]:
        print(f"Mark written answers and review flagged checks with: alcourse trainer {folder.root}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    g = sub.add_parser("grade", help="autograde every submission of a module (in parallel, sandboxed)")
    g.add_argument("dir", help="the course folder")
    g.add_argument("module", help="module id, e.g. m03-traditional-vs-action-learning")
    g.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    g.add_argument("--student", nargs="+", metavar="ID", help="grade only these trainees")
    g.add_argument("--no-isolation", action="store_true",
                   help="run submissions without the sandbox (only for code you trust)")
    g.add_argument("--cell-timeout", type=int, default=60, metavar="S",
                   help="seconds one cell may run before it is interrupted (default 60)")
    g.add_argument("--submission-timeout", type=float, default=300, metavar="S",
                   help="seconds one whole submission may take (default 300)")
    g.add_argument("--cpu-limit", type=int, default=120, metavar="S",
                   help="CPU seconds one kernel may use (default 120)")
    g.add_argument("--memory-limit", type=int, default=2048, metavar="MB",
                   help="address space of one kernel in MB (default 2048)")
    g.add_argument("--max-output", type=int, default=100, metavar="KB",
                   help="output kept per cell, in kB (default 100)")
    g.set_defaults(func=_grade)
