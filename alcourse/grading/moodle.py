"""``alcourse export --format moodle``: a grade import CSV for Moodle (and Totara, which reads it).

Moodle's *Grades → Import → CSV file* maps each column by hand once; this file is laid out so
that the mapping is obvious:

============================  ==========================================================
column                        map it to, in Moodle's import form
============================  ==========================================================
``Username``                  *Map from*: this column; *Map to*: ``username`` (or
                              ``idnumber`` if your trainee ids are Moodle ID numbers)
``N. TITLE (MODULE)``         the grade item for that module (give it a maximum of the
                              module's points, shown in the header as ``out of P``)
``Feedback: N. TITLE``        *Feedback for* that grade item
============================  ==========================================================

A grade is exported only when the submission is **graded** (every written answer marked).
Anything else (needs marking, handed in, failed, missing) exports ``-``, which Moodle's import
reads as "no grade": never a zero. The feedback column says which state it is and why.

>>> from alcourse.grading.status import State
>>> grade_cell(State("graded", "", 24.0, 32.0)), grade_cell(State("failed", "empty file", None, 32.0))
('24', '-')
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from alcourse.curriculum import Curriculum
from alcourse.grading.cohort import CohortRow, collect
from alcourse.grading.course import CourseFolder
from alcourse.grading.programme import LABELS
from alcourse.grading.status import GRADED, State

NO_GRADE = "-"  # Moodle's grade import: "" or "-" is no grade


def grade_cell(state: State) -> str:
    return f"{state.score:g}" if state.label == GRADED and state.score is not None else NO_GRADE


def feedback_cell(state: State) -> str:
    label = LABELS.get(state.label, state.label)
    return f"{label}: {state.why}" if state.why and state.label != GRADED else label


def moodle_csv(rows: list[CohortRow], cur: Curriculum) -> str:
    """The CSV text: one row per trainee, a grade and a feedback column per module."""
    modules = sorted({r.module for r in rows},
                     key=lambda m: (cur.modules[m].number if m in cur.modules else 999, m))
    by_key = {(r.student, r.module): r for r in rows}

    def title(m: str) -> str:
        return f"{cur.modules[m].number}. {cur.modules[m].title}" if m in cur.modules else m

    maxima = {m: next((r.state.max_score for r in rows if r.module == m and r.state.max_score), None)
              for m in modules}
    header = ["Username"]
    for m in modules:
        out_of = f", out of {maxima[m]:g}" if maxima[m] else ""
        header += [f"{title(m)} ({m}{out_of})", f"Feedback: {title(m)}"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for student in sorted({r.student for r in rows}):
        line = [student]
        for m in modules:
            row = by_key.get((student, m))
            state = row.state if row else State("not submitted", "")
            line += [grade_cell(state), feedback_cell(state)]
        writer.writerow(line)
    return out.getvalue()


def write_moodle(folder: CourseFolder, cur: Curriculum, out: Path | None) -> tuple[Path, int]:
    rows = collect(folder)
    target = out or folder.root / "grades-moodle.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(moodle_csv(rows, cur), encoding="utf-8")
    return target, len({r.student for r in rows})
