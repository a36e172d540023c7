"""Benchmark: `alcourse grade` against plain sequential `nbgrader autograde`.

Builds a course folder with a synthetic cohort (seeded), copies it, grades one
copy with `nbgrader autograde MODULE --force` (nbgrader's own command, one
process, one submission after another, no sandbox) and the other with
`alcourse grade DIR MODULE` (sandboxed, its default number of workers: one more than the
cores) in the same run. Checks that every autograded cell has the same score in both
gradebooks (and the score the checkers predict), then prints both times and the ratio.

    .venv/bin/python bench/grading.py                 # 60 submissions of m03
    .venv/bin/python bench/grading.py --jobs 2        # as many workers as 2 cores
    .venv/bin/python bench/grading.py --size 20 --repeat 2

It also prints, per submission, where alcourse's time went (from the status file the
workers write): starting the kernel, running the cells, nbgrader's own pipeline
(converting, the other preprocessors, writing files), the gradebook (SQL and commits,
nbgrader's and alcourse's) and alcourse's own checks before and after. Each is the time
a worker spent, so with N workers their sum is about N times the wall time.

Other agents share this machine's 2 cores: the load average is printed with
the figures, and --repeat alternates the two runs and reports medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alcourse.curriculum import load_curriculum  # noqa: E402
from alcourse.grading import CourseFolder  # noqa: E402
from alcourse.grading.options import default_jobs  # noqa: E402
from alcourse.grading.synthetic import make_cohort  # noqa: E402
from alcourse.session import check_grade_id  # noqa: E402
from alcourse.venv import venv_bin, with_venv_path  # noqa: E402

BIN = venv_bin()


def env() -> dict[str, str]:
    return with_venv_path()


PHASES = ("kernel start", "cells", "nbgrader pipeline", "gradebook", "alcourse before", "alcourse after")


def print_phases(course: Path, module: str, each: bool = True) -> None:
    """Per submission, seconds in each phase of alcourse's grading, then the mean."""
    from alcourse.grading.status import StatusStore

    outcomes = sorted(StatusStore(course).load(module).values(), key=lambda o: o.student)
    print("\nwhere alcourse's time went, per submission (seconds of one worker):")
    header = f"{'submission':<14}{'total':>7}" + "".join(f"{p:>18}" for p in PHASES)
    print(header)
    rows = []
    for outcome in outcomes:
        phases = dict(outcome.timings)
        row = [sum(phases.values()), *(phases.get(p, 0.0) for p in PHASES)]
        rows.append(row)
        if each:
            print(f"{outcome.student[:13]:<14}{row[0]:7.2f}" + "".join(f"{v:18.3f}" for v in row[1:]))
    if rows:
        mean = [statistics.mean(col) for col in zip(*rows, strict=True)]
        print(f"{'mean':<14}{mean[0]:7.2f}" + "".join(f"{v:18.3f}" for v in mean[1:]))
        print(f"{'share':<14}{'':7}" + "".join(f"{v / mean[0]:18.0%}" for v in mean[1:]))


def copy_course(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    config = dest / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(src), str(dest)))
    return dest


def reset(course: Path) -> None:
    """Back to 'submitted, never graded': no autograded files, no submissions in the gradebook."""
    shutil.rmtree(course / "autograded", ignore_errors=True)
    (course / "autograded").mkdir()
    shutil.rmtree(course / ".alcourse", ignore_errors=True)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in list(gb.students):
            gb.remove_student(student.id)


def scores(course: Path, module: str) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(module):
            for nb in submission.notebooks:
                for grade in nb.grades:
                    if grade.cell_type == "code":
                        found[(submission.student_id, grade.name)] = grade.auto_score
    return found


def timed(cmd: list[str], cwd: Path, limit: float) -> float:
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True, check=False,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        sys.exit(f"{' '.join(cmd)} took more than {limit:.0f} s (--max-seconds); stopped")
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=60, help="submissions in the cohort (default 60)")
    parser.add_argument("--jobs", type=int, help="alcourse's workers (default: alcourse grade's own)")
    parser.add_argument("--module", default="m03-traditional-vs-action-learning")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the runs N times; report medians")
    parser.add_argument("--no-isolation", action="store_true", help="grade without the sandbox")
    parser.add_argument("--keep", action="store_true", help="keep the course folders and print where")
    parser.add_argument("--max-seconds", type=float, default=1800,
                        help="stop if one grading run takes longer (default 1800)")
    parser.add_argument("--quiet", action="store_true", help="no per-submission table, only the means")
    args = parser.parse_args()

    cur = load_curriculum()
    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    base = CourseFolder.init(tmp / "nbgrader")
    print(f"building a cohort of {args.size} for {args.module} in {tmp} …", flush=True)
    base.generate([args.module])
    expected = make_cohort(base.root, args.module, args.size, cur, seed=2026)
    ours = copy_course(base.root, tmp / "alcourse-grade")

    baseline_times, alcourse_times = [], []
    jobs = args.jobs or default_jobs()
    grade_cmd = [str(BIN / "alcourse"), "grade", str(ours), args.module,
                 *(["--jobs", str(args.jobs)] if args.jobs else [])]
    if args.no_isolation:
        grade_cmd.append("--no-isolation")
    load_before = os.getloadavg()
    for _ in range(args.repeat):
        reset(base.root)
        reset(ours)
        baseline_times.append(timed([str(BIN / "nbgrader"), "autograde", args.module, "--force"],
                                    base.root, args.max_seconds))
        alcourse_times.append(timed(grade_cmd, tmp, args.max_seconds))
    load_after = os.getloadavg()

    theirs, mine = scores(base.root, args.module), scores(ours, args.module)
    predicted = {(student, check_grade_id(ex)): points for student, by_ex in expected.items()
                 for ex, points in by_ex.items()}
    # every check the checkers predict must be there (the written answer's box scores too, 0 points)
    if not set(predicted) <= set(mine) or theirs != mine:
        diff = sorted(k for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k))
        print(f"SCORES DIFFER for {len(diff)} cells, e.g. {diff[:5]}")
        return 1
    wrong = sorted(k for k, v in predicted.items() if mine.get(k) != v)
    if wrong:
        print(f"SCORES DIFFER from the checkers' for {len(wrong)} cells, e.g. {wrong[:5]}")
        return 1

    b, a = statistics.median(baseline_times), statistics.median(alcourse_times)
    print(f"cohort: {args.size} submissions of {args.module}; {len(mine)} autograded cells, "
          "identical scores in both gradebooks (and as the checkers predict)")
    print(f"nbgrader autograde (sequential, no sandbox): {b:7.1f} s  ({b / args.size:.2f} s/submission)"
          f"  runs: {', '.join(f'{t:.1f}' for t in baseline_times)}")
    mode = "no sandbox" if args.no_isolation else "sandboxed"
    how = f"--jobs {jobs} ({mode})" if args.jobs else f"({jobs} workers, {mode})"
    print(f"alcourse grade {how}:    {a:7.1f} s  ({a / args.size:.2f} s/submission)"
          f"  runs: {', '.join(f'{t:.1f}' for t in alcourse_times)}")
    print(f"ratio: {b / a:.2f}x faster   (load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f}; {os.cpu_count()} cores)")
    print_phases(ours, args.module, each=not args.quiet)
    if args.keep:
        print(f"kept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
