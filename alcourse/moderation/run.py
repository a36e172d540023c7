"""The three steps of ``alcourse moderate``, each reading and writing the course folder."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alcourse.errors import UserError
from alcourse.grading.course import CourseFolder
from alcourse.moderation.forms import (
    MarksError,
    Sampled,
    agreed_form,
    blind_form,
    folder,
    load_sample,
    read_agreed,
    read_second,
    save_sample,
)
from alcourse.moderation.sample import OWN_WORDS_PREFIX, draw, graded_pieces, parse_size
from alcourse.observe.agree import Agreement, agreement
from alcourse.observe.files import write_atomic

AUDIT_COLUMNS = ("when", "who", "piece", "student", "notebook", "criterion", "first", "second", "agreed",
                 "why")


@contextmanager
def gradebook(course: CourseFolder) -> Iterator[Any]:
    """nbgrader's gradebook, holding the course's lock as alcourse's graders do."""
    from nbgrader.api import Gradebook

    from alcourse.grading.gradebook import CourseLock

    lock = CourseLock(course.root / ".alcourse" / "gradebook.lock")
    with lock.held(), Gradebook(course.db_url, course.course_id) as gb:
        yield gb


def draw_sample(course: CourseFolder, module: str, size: str, seed: int, by: str, when: str) -> list[Sampled]:
    """Draw the sample and write the blind forms; refuses to redraw over second marks."""
    from nbgrader.api import MissingEntry

    base = folder(course.root, module)
    if (base / "second.csv").exists():
        raise UserError(f"{base / 'second.csv'}: second marks are already in for this sample; "
                        "move the folder away to draw a new one")
    try:
        with gradebook(course) as gb:
            pieces = graded_pieces(gb, module)
    except MissingEntry:
        raise UserError(f"{module}: not in the gradebook of {course.root}; give a released module") from None
    if not pieces:
        raise UserError(f"{module}: nothing written (a reflection or own words) has been graded by hand "
                        "yet; grade some in formgrader first")
    picked = draw(pieces, parse_size(size, len(pieces)), seed)
    sampled = [Sampled(f"P{i:02d}", p) for i, p in enumerate(picked, start=1)]
    save_sample(course.root, module, sampled, seed, by, when)
    write_atomic(base / "second-marker.csv", blind_form(sampled))
    write_atomic(base / "second-marker.html", blind_page(course, module, sampled))
    return sampled


def _answer(course: CourseFolder, s: Sampled) -> str:
    """The piece as the trainee left it: a reflection is its cell's text; own words are the lines
    the cell before the task showed when the submission was graded."""
    path = course.root / "autograded" / s.piece.student / s.piece.module / f"{s.piece.notebook}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return ""
    own_words = s.piece.cell.startswith(OWN_WORDS_PREFIX)
    wanted = ("ownwords-show-" + s.piece.cell.removeprefix(OWN_WORDS_PREFIX)) if own_words else s.piece.cell
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") != wanted:
            continue
        if own_words:
            return "".join(_joined(out.get("data", {}).get("text/plain", out.get("text", "")))
                           for out in cell.get("outputs", []))
        return _joined(cell.get("source", ""))
    return ""


def _joined(text: object) -> str:
    return "".join(text) if isinstance(text, list) else str(text)


def _schemes(module: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    from alcourse.curriculum import load_curriculum
    from alcourse.session import own_words_grade_id, reflection_grade_id

    try:
        m = load_curriculum().module(module)
    except KeyError:
        return {}
    schemes = {reflection_grade_id(r.id): (r.prompt, r.mark_scheme) for r in m.reflections()}
    for sim in m.simulations():
        if sim.own_words is not None:
            schemes[own_words_grade_id(sim.id)] = (sim.own_words.prompt, sim.own_words.mark_scheme)
    return schemes


def blind_page(course: CourseFolder, module: str, sampled: list[Sampled]) -> str:
    """The second marker's reading copy: each piece's answer and mark scheme, never the first mark."""
    from alcourse.render import render

    schemes = _schemes(module)
    pieces = [{"number": s.number, "criterion": s.piece.cell, "max": s.piece.max_score,
               "answer": _answer(course, s), "prompt": schemes.get(s.piece.cell, ("", ()))[0],
               "scheme": schemes.get(s.piece.cell, ("", ()))[1]} for s in sampled]
    return render("observe/second_marker.html.j2", title=f"Second marking: {module}", pieces=pieces)


@dataclass(frozen=True)
class SecondReport:
    agreements: dict[str, Agreement]
    differing: list[tuple[Sampled, float]]
    agreed_form: Path


def _scale(max_score: float) -> list[str]:
    """Every mark from 0 to the maximum in half marks: weighted kappa counts steps along it."""
    return [f"{x / 2:g}" for x in range(int(max_score * 2) + 1)]


def import_second(course: CourseFolder, module: str, path: Path, threshold: float) -> SecondReport:
    """Check and keep the second marks; agreement per criterion; pieces differing by more than
    ``threshold``. Writes the moderator's agreed-marks form. The gradebook is not touched."""
    sampled = load_sample(course.root, module)
    second = read_second(path, sampled)
    base = folder(course.root, module)
    write_atomic(base / "second.csv", path.read_text(encoding="utf-8-sig"))
    criteria = sorted({s.piece.cell for s in sampled})
    agreements = {}
    for criterion in criteria:
        mine = [s for s in sampled if s.piece.cell == criterion]
        scale = _scale(max(s.piece.max_score for s in mine))
        agreements[criterion] = agreement([[f"{s.piece.first:g}" for s in mine],
                                           [f"{second[s.number][0]:g}" for s in mine]], ordered=scale)
    differing = [(s, second[s.number][0]) for s in sampled
                 if abs(second[s.number][0] - s.piece.first) > threshold]
    form = base / "agreed-marks.csv"
    if not form.exists():  # never overwrite what the moderator has begun to fill in
        write_atomic(form, agreed_form(sampled, second))
    return SecondReport(agreements, differing, form)


def record_agreed(course: CourseFolder, module: str, path: Path, by: str, when: str) -> int:
    """Write the agreed marks into the gradebook (manual score) and the audit trail.

    Everything is checked first (the file, and that no first mark changed since the sample
    was drawn); on any problem nothing is written.
    """
    base = folder(course.root, module)
    sampled = load_sample(course.root, module)
    if not (base / "second.csv").exists():
        raise UserError(f"{module}: no second marks imported yet; import them with --second FILE")
    second = read_second(base / "second.csv", sampled)
    agreed = read_agreed(path, sampled, second)
    if not agreed:
        raise UserError(f"{path}: no agreed mark filled in; fill in agreed_mark (and why)")
    audit = base / "audit.csv"
    done = _audited(audit)
    with gradebook(course) as gb:
        grades = []
        for a in agreed:
            p = a.sampled.piece
            grade = gb.find_grade(p.cell, p.notebook, module, p.student)
            current = grade.manual_score
            expected = done.get(a.sampled.number, p.first)
            if current is None or abs(float(current) - expected) > 1e-9:
                raise MarksError(path, 1, a.sampled.number,
                                 f"the gradebook now has {current} for this piece, not {expected:g}: it "
                                 "changed after the sample was drawn; draw a new sample")
            grades.append((grade, a))
        for grade, a in grades:
            grade.manual_score = a.agreed
        rows = _audit_rows(audit) + [[when, by, a.sampled.number, a.sampled.piece.student,
                                      a.sampled.piece.notebook, a.sampled.piece.cell,
                                      f"{a.sampled.piece.first:g}", f"{a.second:g}", f"{a.agreed:g}", a.why]
                                     for a in agreed]
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([list(AUDIT_COLUMNS), *rows])
        gb.db.commit()
    write_atomic(audit, text.getvalue())
    return len(agreed)


def _audit_rows(audit: Path) -> list[list[str]]:
    if not audit.exists():
        return []
    return list(csv.reader(audit.read_text(encoding="utf-8").splitlines()))[1:]


def _audited(audit: Path) -> dict[str, float]:
    """The last agreed mark per piece, so agreeing a piece again checks against that."""
    return {row[2]: float(row[8]) for row in _audit_rows(audit) if len(row) == len(AUDIT_COLUMNS)}
