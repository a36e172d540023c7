"""``alcourse observe``: set up an observation app, debrief a log, compare observers, score a rubric."""

from __future__ import annotations

import argparse
from pathlib import Path

from alcourse.commands.options import positive_float
from alcourse.errors import UserError


def _write(out: Path, text: str, suffix: str) -> None:
    if out.suffix.lower() != suffix:
        raise UserError(f"--out {out}: give a file name ending in {suffix}")
    if not out.parent.exists():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist; create it first")
    from alcourse.observe.files import write_atomic

    write_atomic(out, text)


def _members(args: argparse.Namespace) -> list[str]:
    from alcourse.observe.files import read_roster

    if args.roster:
        return read_roster(Path(args.roster))
    if not args.members:
        raise UserError("give the members' names with --members 'Ann;Bo;Cy' or a roster file with --roster")
    return [m.strip() for m in args.members.split(";") if m.strip()]


def _new(args: argparse.Namespace) -> int:
    from alcourse.observe.app import write_app

    folder = Path(args.folder)
    try:
        notebook = write_app(folder, _members(args), observer=args.observer, meeting=args.meeting)
    except ValueError as exc:  # the session's own checks: "members: a name appears twice..."
        raise UserError(f"--members: {str(exc).partition(': ')[2] or exc}") from None
    print(f"wrote {notebook}; open it in JupyterLab, or as an app with: alcourse observe app {folder}")
    return 0


def _app(args: argparse.Namespace) -> int:
    import subprocess

    from alcourse.publish.voila import command

    folder = Path(args.folder).resolve()
    if not (folder / "observe.ipynb").exists():
        raise UserError(f"{folder}: has no observe.ipynb; make it first with `alcourse observe new {folder}`")
    argv, env = command(folder, args.port)
    print(f"Observer app: http://127.0.0.1:{args.port}/voila/render/observe.ipynb (Ctrl+C to stop)")
    return subprocess.call(argv, env=env, cwd=folder)


def _debrief(args: argparse.Namespace) -> int:
    from alcourse.observe.debrief import debrief_page
    from alcourse.observe.log import load

    session = load(args.log)
    _write(Path(args.out), debrief_page(session, title=args.title), ".html")
    who = session.observer or "one observer"
    print(f"wrote {args.out}: debrief of {len(session.turns())} turns coded by {who}")
    return 0


def _agree(args: argparse.Namespace) -> int:
    from alcourse.observe.report import agree_files

    if len(args.files) < 2:
        raise UserError("give two or more observers' logs (or rubric files) of the same session")
    if not args.window > 0:
        raise UserError(f"--window {args.window:g}: give a number of seconds above 0")
    report = agree_files([Path(f) for f in args.files], window=args.window)
    print(report.text)
    if args.out:
        _write(Path(args.out), report.csv, ".csv")
        print(f"wrote {args.out}: {report.disagreements} moments or lines where observers differed")
    return 0


def _rubric_form(args: argparse.Namespace) -> int:
    from alcourse.content import load_course
    from alcourse.observe.rubric import ROLES, Rubric, render

    if args.role not in ROLES:
        raise UserError(f"--role {args.role!r}: allowed: {', '.join(ROLES)}")
    _write(Path(args.out), render(Rubric(args.rater, args.role), list(load_course().competences)), ".csv")
    print(f"wrote {args.out}: fill in a level (not-yet, competent or strong) and evidence "
          "for each competence")
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from alcourse.content import load_course
    from alcourse.observe.rubric import feedback_page, read

    competences = load_course().competences
    rubrics = [read(f, competences) for f in args.files]
    _write(Path(args.out), feedback_page(rubrics, competences, args.trainee), ".html")
    print(f"wrote {args.out}: {len(rubrics)} rubrics")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ob = sub.add_parser("observe",
                        help="observe practice sets: coding app, debrief, observer agreement, rubric")
    osub = ob.add_subparsers(dest="observe_command", required=True)
    n = osub.add_parser("new", help="write the observer app (a notebook) for one session into FOLDER")
    n.add_argument("folder")
    n.add_argument("--members", default="", help="members' names separated by ';' (e.g. 'Ann;Bo;Cy')")
    n.add_argument("--roster", default="", help="or a file with one member's name per line")
    n.add_argument("--observer", default="", help="your name (it names the log file)")
    n.add_argument("--meeting", type=int, default=1, help="the set's meeting number (default 1)")
    n.set_defaults(func=_new)
    a = osub.add_parser("app", help="open FOLDER's observer app in the browser with Voila (no code shown)")
    a.add_argument("folder")
    a.add_argument("--port", type=int, default=8866)
    a.set_defaults(func=_app)
    d = osub.add_parser("debrief", help="write the debrief page of an observer's log")
    d.add_argument("log")
    d.add_argument("--out", required=True, help="the HTML page to write")
    d.add_argument("--title", default="Debrief of an observed set meeting")
    d.set_defaults(func=_debrief)
    g = osub.add_parser("agree", help="agreement between observers' logs (or rubric files) of one session")
    g.add_argument("files", nargs="+", metavar="FILE")
    g.add_argument("--window", type=positive_float, default=5.0, help="seconds per time window (default 5)")
    g.add_argument("--out", default="", help="CSV of the moments where observers differed")
    g.set_defaults(func=_agree)
    r = osub.add_parser("rubric-form", help="write a blank rubric (CSV) for an observer or the trainee")
    r.add_argument("--rater", required=True)
    r.add_argument("--role", default="observer", help="observer, or self for the trainee's self-assessment")
    r.add_argument("--out", required=True)
    r.set_defaults(func=_rubric_form)
    f = osub.add_parser("feedback", help="the trainee's feedback page: self-assessment against observers")
    f.add_argument("files", nargs="+", metavar="RUBRIC")
    f.add_argument("--trainee", default="")
    f.add_argument("--out", required=True)
    f.set_defaults(func=_feedback)
