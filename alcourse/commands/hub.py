"""``alcourse hub init``, ``start`` and ``add-trainees``: a cohort on a real JupyterHub."""

from __future__ import annotations

import argparse
from pathlib import Path

from alcourse.commands.options import JOBS_HELP, positive_int


def _init(args: argparse.Namespace) -> int:
    from alcourse.hub.folder import HubFolder
    from alcourse.hub.roster import Roster

    roster = Roster.read(args.cohort, Path(args.trainers), Path(args.trainees))
    folder = HubFolder.init(Path(args.dir), roster, password=args.password, idle_timeout=args.idle_timeout)
    print(f"hub folder ready: {folder.root}  (cohort {roster.cohort}: {len(roster.trainers)} trainers, "
          f"{len(roster.trainees)} trainees; grader account {roster.grader})")
    print(f"login password: {folder.root / 'shared-password'}; API token: {folder.root / 'admin-token'}")
    print(f"start it with: alcourse hub start {folder.root}")
    return 0


def _start(args: argparse.Namespace) -> int:
    from alcourse.hub.folder import HubFolder
    from alcourse.hub.start import start

    return start(HubFolder.open(Path(args.dir)), ip=args.ip, port=args.port)


def _add(args: argparse.Namespace) -> int:
    from alcourse.hub.folder import HubFolder
    from alcourse.hub.roster import read_people

    folder = HubFolder.open(Path(args.dir))
    new = folder.add_trainees(read_people(Path(args.file)))
    print(f"{len(new)} new trainees added" + (f": {', '.join(p.username for p in new)}" if new else
                                              " (everyone was already in the cohort)"))
    return 0


def _trainer_step(args: argparse.Namespace) -> int:
    from alcourse.hub import trainer
    from alcourse.hub.folder import HubFolder

    folder = HubFolder.open(Path(args.dir))
    if args.hub_command == "release":
        out = trainer.release(folder, args.module, due=args.due)
    elif args.hub_command == "grade":
        out = trainer.grade(folder, args.module, jobs=args.jobs, again=args.all)
    else:
        out = getattr(trainer, args.hub_command)(folder, args.module)
    print(out.rstrip())
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    h = sub.add_parser("hub", help="run a cohort on JupyterHub (run as root)")
    hsub = h.add_subparsers(dest="hub_command", required=True)
    i = hsub.add_parser("init", help="make a hub folder: accounts, exchange, course, configuration")
    i.add_argument("dir")
    i.add_argument("--cohort", required=True, help="cohort name = nbgrader course id, e.g. nhs-2027")
    i.add_argument("--trainers", required=True, help="CSV with columns username,name")
    i.add_argument("--trainees", required=True, help="CSV with columns username,name")
    i.add_argument("--password", help="the hub's shared login password (default: a random one)")
    i.add_argument("--idle-timeout", type=int, default=3600,
                   help="stop servers idle this many seconds (0: never)")
    i.set_defaults(func=_init)
    s = hsub.add_parser("start", help="run the hub until stopped")
    s.add_argument("dir")
    s.add_argument("--ip", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=_start)
    a = hsub.add_parser("add-trainees", help="add trainees from a CSV (nobody's work is lost)")
    a.add_argument("dir")
    a.add_argument("file")
    a.set_defaults(func=_add)
    for name, text in (("release", "generate a module, set its due date and release it to trainees"),
                       ("collect", "collect every trainee's latest submission from the exchange"),
                       ("grade", "autograde the collected submissions (sandboxed, as the grader)"),
                       ("feedback", "generate feedback and release it to trainees")):
        t = hsub.add_parser(name, help=text)
        t.add_argument("dir")
        t.add_argument("module")
        if name == "release":
            t.add_argument("--due", help="due date, e.g. '2027-03-01 17:00:00 Europe/London' "
                           "(later submissions are marked late)")
        if name == "grade":
            t.add_argument("--jobs", type=positive_int, help=JOBS_HELP)
            t.add_argument("--all", action="store_true",
                           help="grade every submission again, not only new and changed ones")
        t.set_defaults(func=_trainer_step)
