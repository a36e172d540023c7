"""Trainer commands: ``grade``, ``feedback``, ``export``, ``report`` and ``trainer``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from alcourse.commands.options import JOBS_HELP, positive_float, positive_int


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


def _grade(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder
    from alcourse.grading.engine import (
        GradeOptions,
        check_module_released,
        choose_students,
        grade_module,
        plan_regrade,
    )
    from alcourse.grading.lateness import grade_table_rows
    from alcourse.grading.options import Limits, default_jobs
    from alcourse.grading.status import FAILED, GRADED, NEEDS_ATTENTION, NEEDS_MANUAL
    from alcourse.grading.table import text_table

    folder = CourseFolder.open(Path(args.dir))
    module = _module(args.module)
    check_module_released(folder, module.id, module.id)
    students = choose_students(folder, module.id, args.student)
    limits = Limits(cpu_seconds=args.cpu_limit, memory_bytes=args.memory_limit * 1024**2)
    options = GradeOptions(jobs=args.jobs or default_jobs(), isolation=not args.no_isolation,
                           cell_timeout=args.cell_timeout,
                           submission_seconds=args.submission_timeout,
                           max_output_bytes=args.max_output * 1000, limits=limits)
    skipped: list[str] = []
    if not args.all and not args.student:
        students, skipped = plan_regrade(folder, module.id, students)
    if skipped:
        print(f"skipped {len(skipped)} submission(s) unchanged since they were last graded (their "
              f"marks stay as they are; --all grades them again): {', '.join(skipped)}", file=sys.stderr)
    if not students:
        print(f"nothing to grade: every submission of {module.id} is unchanged since it was last graded. "
              f"Use --all to grade them again, or see the state of each with: alcourse export {folder.root}")
        return 0
    if args.no_isolation:
        print("warning: --no-isolation: submitted code runs as you, with network and your files. "
              "Use it only for submissions you trust.", file=sys.stderr)
    print(f"grading {len(students)} submission(s) of {module.id} with {options.jobs} worker(s)…",
          file=sys.stderr)
    outcomes = grade_module(folder, module.id, module.id, students, options, _progress)
    print(text_table(("student", "score", "late", "status"), grade_table_rows(outcomes)))
    noted = [o for o in outcomes if o.notes]
    if noted:
        print("\nNotes:")
        for o in noted:
            for note in o.notes:
                print(f"  {o.student}: {note}")
    counts = {s: sum(o.state == s for o in outcomes) for s in (GRADED, NEEDS_MANUAL, NEEDS_ATTENTION, FAILED)}
    print(f"\n{len(outcomes)} submission(s): {counts[GRADED]} graded, {counts[NEEDS_MANUAL]} need manual "
          f"grading, {counts[NEEDS_ATTENTION]} need attention, {counts[FAILED]} failed (no score). "
          f"Gradebook: {folder.root / 'gradebook.db'}")
    if counts[NEEDS_ATTENTION] or counts[FAILED]:
        print("For each one needing attention or failed, the status says what to ask the trainee for; "
              "put the new files in its submission folder and run this command again (only changed "
              "submissions are graded).")
    if counts[NEEDS_MANUAL]:
        print(f"Mark written answers and review flagged checks with: alcourse trainer {folder.root}")
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from alcourse.curriculum import load_curriculum
    from alcourse.grading import CourseFolder
    from alcourse.grading.engine import check_module_released
    from alcourse.grading.feedback import generate

    folder = CourseFolder.open(Path(args.dir))
    module = _module(args.module)
    check_module_released(folder, module.id, module.id)
    run = generate(folder, module.id, load_curriculum())
    print(f"feedback for {len(run.written)} graded and {len(run.failed_pages)} failed submission(s) "
          f"of {module.id} in {folder.root / 'feedback'} (pages open offline)")
    if run.skipped:
        print(f"no feedback for {len(run.skipped)} trainee(s) whose submission is not graded yet "
              f"(run alcourse grade {folder.root} {module.id}): " + ", ".join(run.skipped))
    if run.not_submitted:
        print(f"no feedback for {len(run.not_submitted)} trainee(s) who have not submitted "
              f"{module.id}: " + ", ".join(run.not_submitted))
    return 0


def _export(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder
    from alcourse.grading.cohort import write_export

    folder = CourseFolder.open(Path(args.dir))
    if args.format == "moodle":  # issue 10: Moodle's grade import CSV (alcourse/grading/moodle.py)
        from alcourse.curriculum import load_curriculum
        from alcourse.grading.moodle import write_moodle

        moodle, trainees = write_moodle(folder, load_curriculum(), Path(args.out) if args.out else None)
        print(f"wrote {trainees} trainee(s) in Moodle's grade import format to {moodle} "
              "(column mapping: alcourse/grading/moodle.py and the README)")
        return 0
    target, rows = write_export(folder, Path(args.out) if args.out else None)
    print(f"wrote {len(rows)} row(s) (trainee × module, with a status column) to {target}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from alcourse.curriculum import load_curriculum
    from alcourse.grading import CourseFolder
    from alcourse.grading.report import write_report

    folder = CourseFolder.open(Path(args.dir))
    target = write_report(folder, load_curriculum(), Path(args.out) if args.out else None)
    print(f"wrote the cohort report to {target} (opens offline)")
    from alcourse.grading.programme import write_programme  # issue 10: the programme view

    programme, pages = write_programme(folder, load_curriculum(), target.with_name("programme.html"))
    print(f"wrote the programme view (every trainee × every module) to {programme}, and "
          f"{len(pages)} trainee progress page(s) as feedback/TRAINEE/progress.html")
    return 0


def _trainees(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder
    from alcourse.grading.trainees import load_trainees, read_trainee_list

    folder = CourseFolder.open(Path(args.dir))
    trainees = read_trainee_list(Path(args.list))
    added, updated = load_trainees(folder, trainees)
    print(f"{len(trainees)} trainee(s) from {args.list}: {added} added, {updated} updated. Feedback "
          f"pages and the report now use their names; anyone on the list who has not submitted a "
          f"released module is listed as not submitted (alcourse report {folder.root}).")
    return 0


def _trainer(args: argparse.Namespace) -> int:
    import os
    import secrets
    import socket

    from alcourse.grading import CourseFolder

    folder = CourseFolder.open(Path(args.dir))
    port = args.port
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
    token = args.token or secrets.token_hex(16)
    from alcourse.venv import with_venv_path

    env = with_venv_path()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder.root}",
           "--ServerApp.open_browser=False", *args.extra]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    # formgrader shows a trainee's answer, not the mark scheme: keep the guide beside it
    from alcourse.curriculum import load_curriculum
    from alcourse.curriculum.guide import write_marking_guides

    guides = write_marking_guides(load_curriculum(), folder.root / "marking-guide.html")
    print(f"Formgrader (mark written answers, review flagged checks, comment): "
          f"{base}/formgrader?token={token}")
    print(f"JupyterLab on the course folder: {base}/lab?token={token}")
    print(f"Mark schemes and model answers: {guides['all']} (also in JupyterLab's file browser)")
    released = sorted(p.name for p in (folder.root / "release").iterdir() if p.is_dir()) \
        if (folder.root / "release").is_dir() else []
    for module_id in released:
        if module_id in guides:
            print(f"  {module_id}: {guides[module_id]}")
    print("Stop with Ctrl+C.", flush=True)
    # nbgrader's formgrader reads nbgrader_config.py from the folder the server starts in; exec, so
    # that Ctrl+C and signals reach JupyterLab itself
    os.chdir(folder.root)
    os.execve(sys.executable, cmd, env)  # noqa: S606 - a fixed argv, no shell


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    g = sub.add_parser("grade", help="autograde every submission of a module (in parallel, sandboxed)")
    g.add_argument("dir", help="the course folder")
    g.add_argument("module", help="module id, e.g. m03-traditional-vs-action-learning")
    g.add_argument("--jobs", type=positive_int, help=JOBS_HELP)
    g.add_argument("--student", nargs="+", metavar="ID",
                   help="grade only these trainees (even if unchanged since last graded)")
    g.add_argument("--all", action="store_true",
                   help="grade every submission again, not only new and changed ones "
                        "(finished marks on unchanged work stay finished)")
    g.add_argument("--no-isolation", action="store_true",
                   help="run submissions without the sandbox (only for code you trust)")
    g.add_argument("--cell-timeout", type=positive_int, default=60, metavar="S",
                   help="seconds one cell may run before it is interrupted (default 60)")
    g.add_argument("--submission-timeout", type=positive_float, default=300, metavar="S",
                   help="seconds one whole submission may take (default 300)")
    g.add_argument("--cpu-limit", type=positive_int, default=120, metavar="S",
                   help="CPU seconds one kernel may use (default 120)")
    g.add_argument("--memory-limit", type=positive_int, default=2048, metavar="MB",
                   help="address space of one kernel in MB (default 2048)")
    g.add_argument("--max-output", type=positive_int, default=100, metavar="KB",
                   help="output kept per cell, in kB (default 100)")
    g.set_defaults(func=_grade)

    f = sub.add_parser("feedback", help="per-trainee feedback pages for a module (offline HTML)")
    f.add_argument("dir", help="the course folder")
    f.add_argument("module", help="module id")
    f.set_defaults(func=_feedback)

    e = sub.add_parser("export", help="grades of every trainee and module as CSV, with a status column")
    e.add_argument("dir", help="the course folder")
    e.add_argument("--out", metavar="FILE.csv", help="where to write (default DIR/grades.csv, or "
                   "DIR/grades-moodle.csv)")
    e.add_argument("--format", choices=("csv", "moodle"), default="csv",
                   help="csv: one row per trainee and module; moodle: Moodle's grade import CSV")
    e.set_defaults(func=_export)

    r = sub.add_parser("report", help="the cohort report (offline HTML with charts)")
    r.add_argument("dir", help="the course folder")
    r.add_argument("--out", metavar="FILE.html", help="where to write (default DIR/cohort-report.html)")
    r.set_defaults(func=_report)

    n = sub.add_parser("trainees", help="load the trainee list (CSV: id,first_name,last_name,email) "
                                        "into the gradebook")
    n.add_argument("dir", help="the course folder")
    n.add_argument("list", metavar="FILE.csv", help="header row id,first_name,last_name[,email]; one "
                                                    "trainee per row")
    n.set_defaults(func=_trainees)

    t = sub.add_parser("trainer", help="open JupyterLab with nbgrader's formgrader on the course folder")
    t.add_argument("dir", help="the course folder")
    t.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    t.add_argument("--token", help="access token (default: a random one, printed)")
    t.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    t.set_defaults(func=_trainer)
