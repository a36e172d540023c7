"""What happened to a submission, in words a trainer can act on.

Pure functions over plain data: the submitted notebook (as JSON), the
autograded notebook, the source cells nbgrader recorded, the grades and the
incidents the executor noted. Nothing here grades; nbgrader has done that.

>>> check_submission_files("m03", [])
'the submission folder is empty: nothing was submitted'
>>> check_submission_files("m03", ["Untitled.ipynb"])
'no m03.ipynb in the submission (found Untitled.ipynb); rename it to m03.ipynb and grade again'
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alcourse.answers import FORMAT
from alcourse.grading.gradebook import SubmissionGrades
from alcourse.grading.incidents import Incident
from alcourse.grading.status import FAILED, GRADED, NEEDS_MANUAL


@dataclass(frozen=True)
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    checksum: str
    graded: bool
    solution: bool


@dataclass(frozen=True)
class Assessment:
    state: str
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    review_cells: tuple[str, ...]
    review_reasons: tuple[str, ...]


def check_submission_files(notebook_id: str, names: list[str]) -> str | None:
    """Why a submission folder cannot be graded from its file names alone, or None."""
    expected = f"{notebook_id}.ipynb"
    visible = sorted(n for n in names if not n.startswith("."))
    if not visible:
        return "the submission folder is empty: nothing was submitted"
    if expected not in visible:
        shown = [n for n in visible if n.endswith(".ipynb")] or visible
        found = ", ".join(shown[:5]) + (" …" if len(shown) > 5 else "")
        return (f"no {expected} in the submission (found {found}); rename it to {expected} "
                "and grade again")
    return None


def check_notebook_text(notebook_file: str, text: bytes) -> str | None:
    """Why a notebook file cannot be read as a notebook, or None. Cheap: JSON only."""
    if not text.strip():
        return f"{notebook_file} is an empty file ({len(text)} bytes); ask the trainee to submit it again"
    try:
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        return (f"{notebook_file} is not text ({exc.reason}); the file is damaged: "
                "ask the trainee to submit it again")
    except json.JSONDecodeError as exc:
        return (f"{notebook_file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                "the file is damaged: ask the trainee to submit it again")
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return (f"{notebook_file} is JSON but not a Jupyter notebook (no list of cells); "
                "ask the trainee to submit the .ipynb file again")
    return None


def check_answers_text(answers_file: str, module: str, text: bytes) -> str | None:
    """Why a trainee's answers file cannot be used, for the trainer, or None. Cheap: JSON only.

    >>> print(check_answers_text("m03.answers.json", "m03", b""))
    the answers file m03.answers.json is empty (0 bytes): ask the trainee to send it again, then run \
alcourse grade again
    """
    again = "ask the trainee to send it again, then run alcourse grade again"
    if not text.strip():
        return f"the answers file {answers_file} is empty ({len(text)} bytes): {again}"
    try:
        data = json.loads(text)
    except UnicodeDecodeError:
        return f"the answers file {answers_file} is not UTF-8 text (damaged in transfer): {again}"
    except json.JSONDecodeError as exc:
        # a file cut off in transfer ends early: the parser runs out of text, often inside a string
        cut = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        what = "cut off" if cut else "damaged"
        return (f"the answers file {answers_file} is {what} (invalid JSON at line {exc.lineno}, column "
                f"{exc.colno}): {again}")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return f"{answers_file} is not an alcourse answers file (no format {FORMAT!r}): {again}"
    if data.get("module") != module:
        return (f"{answers_file} holds answers for module {data.get('module')!r}, not {module!r}: "
                f"{again}")
    if not isinstance(data.get("exercises"), dict):
        return f"{answers_file}: field 'exercises' is not a mapping: {again}"
    return None


def missing_answers_reason(answers_file: str) -> str:
    return (f"no answers file: every widget answer is missing; ask the trainee for {answers_file} "
            "(saved beside the notebook), put it in the submission folder and run alcourse grade again")


# what "confirm the check scores" means in formgrader, step by step
CONFIRM = ("in formgrader open this submission, read the added code, then type into each flagged check's "
           "score box the score it should get (the same number if the added code changed nothing) and "
           "press Tab; the flag clears once every flagged check has your score")


def cell_label(cell: dict[str, Any], index: int) -> str:
    """A code cell named as formgrader shows it: ``In [9]`` (its execution count), else its position.

    >>> cell_label({"cell_type": "code", "execution_count": 9}, 20)
    'In [9]'
    >>> cell_label({"cell_type": "code", "execution_count": None}, 20)
    'cell 21'
    """
    count = cell.get("execution_count")
    if cell.get("cell_type") == "code" and isinstance(count, int):
        return f"In [{count}]"
    return f"cell {index + 1}"


def _snippet(source: str) -> str:
    line = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return line if len(line) <= 40 else line[:39] + "…"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def death_reason(incident: Incident, cpu_seconds: int) -> str:
    """Why the kernel stopped, from the exit status the fork-server saw."""
    # limits are reached wherever the notebook happens to be: no cell number for those
    if incident.kind in ("deadline", "unresponsive"):
        return incident.message
    where = f" in cell {incident.cell + 1}" if incident.cell is not None else ""
    code, sig = incident.detail.get("code"), incident.detail.get("signal")
    if sig == signal.SIGXCPU:
        return f"the kernel was stopped: it used more than {cpu_seconds} s of CPU time"
    if sig == signal.SIGKILL:
        return f"the kernel was killed{where} (SIGKILL), for example for using too much memory"
    if sig:
        return f"the kernel crashed{where} ({_signal_name(sig)})"
    if code is not None:
        return (f"the kernel stopped{where} with exit code {code}: the notebook ended its own Python "
                "process (for example with os._exit or exit())")
    return f"the kernel stopped{where}"


def _error(err: dict[str, Any], scrub: Callable[[str], str], limit: int) -> str:
    """``Name: message`` of an error a cell raised.

    >>> _error({"ename": "AnswersError", "evalue": "m.json: holds answers for 'x'. Keep each file "
    ...         "beside its notebook; ask your trainer."}, str, 300)
    "AnswersError: m.json: holds answers for 'x'"
    """
    value = scrub(str(err.get("evalue", ""))).strip()
    if err.get("ename") == "AnswersError":
        # the rest of its message tells a trainee in the notebook what to do; not for the trainer
        value = value.split(". ")[0].rstrip(".")
    return f"{err.get('ename')}: {value[:limit]}" if value else str(err.get("ename"))


def assess(submitted: dict[str, Any], autograded: dict[str, Any], source: dict[str, SourceCell],
           release: dict[str, str], release_sources: set[str], grades: SubmissionGrades,
           incidents: list[Incident], scrub: Callable[[str], str] = str) -> Assessment:
    """The state of a submission nbgrader graded, with reasons and notes.

    ``release`` maps grade ids to the cell text trainees received (the source's
    check cells hold hidden tests, so the release is what "unedited" means);
    ``release_sources`` is the text of every released cell; ``scrub`` removes
    sandbox paths from error messages.
    """
    reasons: list[str] = []
    notes: list[str] = []
    review_reasons: list[str] = []

    submitted_ids = {}
    for cell in submitted.get("cells", []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            submitted_ids[gid] = cell
    for name, src in source.items():
        if not (src.locked or src.graded or src.solution):
            continue
        if name not in submitted_ids:
            notes.append(f"{name} had been deleted; it was put back from the source and run")
        elif src.locked and name in release and _text(submitted_ids[name]) != release[name]:
            notes.append(f"{name} had been edited; the original was restored and run")

    check_names = {n for n, s in source.items() if s.graded and s.cell_type == "code"}
    check_errors: dict[str, list[str]] = {}
    cell_errors: list[tuple[str, str]] = []
    timeouts = {i.cell: i for i in incidents if i.kind == "timeout"}
    added_code: list[int] = []
    added_markdown = 0
    for index, cell in enumerate(autograded.get("cells", [])):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        text = cell.get("source", "")
        text = "".join(text) if isinstance(text, list) else text
        known = gid in source
        if not known and text.strip() and text not in release_sources:
            if cell.get("cell_type") == "code":
                added_code.append(index)
            elif cell.get("cell_type") == "markdown":
                added_markdown += 1
        if cell.get("cell_type") != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        label = cell_label(cell, index)
        if gid in check_names:
            if index in timeouts:
                reasons.append(f"the check {gid} ran longer than {timeouts[index].detail['seconds']} s")
            elif errors:
                check_errors.setdefault(_error(errors[0], scrub, 300), []).append(gid)
            else:
                stderr = [o for o in cell.get("outputs", [])
                          if o.get("output_type") == "stream" and o.get("name") == "stderr"]
                if stderr:
                    first = _snippet(str(stderr[0].get("text", "")))
                    review_reasons.append(f"the check {gid} wrote to stderr ({first!r}), which nbgrader "
                                          "scores 0: review it in formgrader")
        else:
            origin = " (added)" if index in added_code else ""
            if index in timeouts:
                notes.append(f"{label}{origin} ran longer than {timeouts[index].detail['seconds']} s "
                             "and was interrupted")
            elif errors:
                cell_errors.append((f"{label}{origin}", _error(errors[0], scrub, 300)))

    # an error the checks also raise is reported once, with the checks
    notes += [f"{label} raised {error}" for label, error in cell_errors if error not in check_errors]
    if added_code:
        shown = [(cell_label(autograded["cells"][i], i), _snippet(_text(autograded["cells"][i])))
                 for i in added_code]
        where = ", ".join(f"{label} `{line}`" for label, line in shown)
        review_reasons.insert(0, f"code added by the trainee ran with the checks ({where}); added code "
                                 f"can change a score: {CONFIRM}")
    if added_markdown:
        notes.append(f"{added_markdown} text cell(s) added or changed by the trainee (not graded)")
    cells = autograded.get("cells", [])
    for incident in incidents:
        if incident.kind == "truncated" and incident.cell is not None:
            where = (cell_label(cells[incident.cell], incident.cell) if incident.cell < len(cells)
                     else f"cell {incident.cell + 1}")
            notes.append(f"{where}: {incident.message.removeprefix('[alcourse: ')}".rstrip("]"))

    for error, gids in check_errors.items():
        which = f"the check {gids[0]}" if len(gids) == 1 else "the checks " + ", ".join(gids)
        reasons.append(f"{which} could not run: {error}")
    if reasons:
        return Assessment(FAILED, tuple(reasons), tuple(notes), (), ())
    review_cells = tuple(sorted(check_names)) if review_reasons else ()
    pending_written = [c.name for c in grades.pending if c.cell_type == "markdown"]
    if review_reasons or pending_written:
        why = list(review_reasons)
        if pending_written:
            noun = "answer" if len(pending_written) == 1 else "answers"
            why.append(f"{len(pending_written)} written {noun} to mark in formgrader: "
                       + ", ".join(pending_written))
        return Assessment(NEEDS_MANUAL, tuple(why), tuple(notes), review_cells, tuple(review_reasons))
    return Assessment(GRADED, (), tuple(notes), (), ())


def _text(cell: dict[str, Any]) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)

