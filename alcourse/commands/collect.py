"""``alcourse collect``: file hand-ins made without a hub into the course folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def _collect(args: argparse.Namespace) -> int:
    import alcourse
    from alcourse.curriculum import load_curriculum
    from alcourse.grading import CourseFolder
    from alcourse.grading.cohort import released_modules
    from alcourse.grading.gradebook import CourseLock
    from alcourse.handin.archive import Limits
    from alcourse.handin.collect import REFUSED, Cohort, collect, roster

    folder = CourseFolder.open(Path(args.dir))
    cohort = Cohort(root=folder.root, modules=frozenset(load_curriculum().modules),
                    released=frozenset(released_modules(folder)),
                    roster=roster(folder.root, folder.db_url, folder.course_id),
                    course_version=alcourse.__version__)
    # one collect at a time per course folder: two would race for the same submission slot
    with CourseLock(folder.root / ".alcourse" / "collect.lock").held():
        results = collect(cohort, [Path(p) for p in args.paths], Limits())
    for result in results:
        print(result.line())
    counts: dict[str, int] = {}
    for result in results:
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no hand-in files found"
    print(f"\n{len(results)} file(s): {summary}.")
    if cohort.roster is None:
        print("No roster: any trainee id is accepted. Add trainees to nbgrader's student table "
              "(nbgrader db student add ID) to accept only your cohort.")
    flagged = [r for r in results if r.flagged]
    if flagged:
        print(f"{len(flagged)} hand-in(s) FLAGGED: one trainee id used by two people; see above.")
    return 1 if counts.get(REFUSED) else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("collect", help="file hand-in files (MODULE--TRAINEE.alcourse.zip) into the course "
                       "folder's submitted/ for grading")
    c.add_argument("dir", help="the course folder")
    c.add_argument("paths", nargs="+", metavar="PATH",
                   help="hand-in files, or folders holding them (e.g. a saved mail folder)")
    c.set_defaults(func=_collect)
