"""``alcourse moderate``: second marking of a sample of written reflections, recorded in the gradebook."""

from __future__ import annotations

import argparse
import getpass
from datetime import UTC, datetime
from pathlib import Path

from alcourse.errors import UserError


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _moderate(args: argparse.Namespace) -> int:
    from alcourse.grading.course import CourseFolder
    from alcourse.moderation.forms import folder
    from alcourse.moderation.run import draw_sample, import_second, record_agreed
    from alcourse.observe.report import describe

    actions = [a for a in (args.sample, args.second, args.agreed) if a]
    if len(actions) != 1:
        raise UserError("give exactly one of --sample N|P% (draw), --second FILE (import second marks) "
                        "or --agreed FILE (record agreed marks)")
    course = CourseFolder.open(Path(args.course))
    by = args.by or getpass.getuser()
    base = folder(course.root, args.module)
    if args.sample:
        sampled = draw_sample(course, args.module, args.sample, args.seed, by, _now())
        print(f"sampled {len(sampled)} pieces of {args.module} (seed {args.seed}) into {base}/sample.json")
        print(f"give the second marker {base}/second-marker.csv and {base}/second-marker.html "
              "(no first marks in either)")
        return 0
    if args.second:
        report = import_second(course, args.module, Path(args.second), args.threshold)
        print(f"second marks imported for {args.module}; agreement with the first marker per criterion:")
        for criterion, found in report.agreements.items():
            print(f"  {criterion}: {describe(found)}")
        if report.differing:
            print(f"pieces whose marks differ by more than {args.threshold:g}:")
            for s, second in report.differing:
                print(f"  {s.number} {s.piece.cell}: first {s.piece.first:g}, second {second:g}")
        else:
            print(f"no piece differs by more than {args.threshold:g}")
        print(f"agree the marks in {report.agreed_form}, then: alcourse moderate {args.course} {args.module} "
              f"--agreed {report.agreed_form} --by NAME")
        return 0
    count = record_agreed(course, args.module, Path(args.agreed), by, _now())
    print(f"recorded {count} agreed marks in the gradebook; audit trail: {base}/audit.csv")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    m = sub.add_parser("moderate", help="second-mark a sample of written reflections and record agreed marks")
    m.add_argument("course", help="the course folder")
    m.add_argument("module", help="the module (nbgrader assignment)")
    m.add_argument("--sample", default="", help="draw a sample: a number of pieces (8) or a share (20%%)")
    m.add_argument("--seed", type=int, default=1, help="seed of the sample (default 1)")
    m.add_argument("--second", default="", help="import the second marker's filled-in second-marker.csv")
    m.add_argument("--threshold", type=float, default=1.0,
                   help="list pieces whose marks differ by more than this (default 1)")
    m.add_argument("--agreed", default="", help="record the agreed marks from agreed-marks.csv")
    m.add_argument("--by", default="", help="who is acting (for the audit trail; default: your login)")
    m.set_defaults(func=_moderate)
