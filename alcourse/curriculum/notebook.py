"""Generate a module's nbgrader *source* notebook from its module file.

The notebook is written, not hand-edited: change the content data and run
``alcourse build`` (``make notebooks``). A test fails if a committed notebook
differs from what the data generates.
"""

from __future__ import annotations

from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from alcourse.curriculum.loader import Curriculum
from alcourse.curriculum.model import Module, OwnWords, Reflection, SimulationSpec
from alcourse.curriculum.render import render_show
from alcourse.handin.step import handin_cells
from alcourse.session import (
    check_grade_id,
    own_words_grade_id,
    reflection_grade_id,
    simulation_grade_id,
    written_grade_id,
)

HOW_TO = """\
**How to use this notebook.** You do not need to write any code.

1. The exercises appear below when the notebook opens. If they are missing (for
   example in the browser-only version), choose *Run → Run All Cells*.
2. Answer the exercises by choosing options. Feedback appears straight away.
   Your answers are saved automatically in the file `{answers}` beside this
   notebook: it is what your trainer grades, so keep it there. (In the
   browser-only version it is kept in that browser on that device.)
3. For written answers, click in the box under the question and type. Your
   answer is saved as you type.
4. At the end, the self-check lists anything still to do (press **Check again** after
   answering). Then use the **Hand in** step (or, on your JupyterHub, submit the module
   in the Assignments tab)."""


def _meta(grade_id: str, *, locked: bool = True, grade: bool = False, solution: bool = False,
          points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                  "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _code(source: str, grade_id: str, *, locked: bool = True, grade: bool = False,
          solution: bool = False, points: float | None = None) -> nbformat.NotebookNode:
    metadata = _meta(grade_id, locked=locked, grade=grade, solution=solution, points=points)
    if locked:
        # a trainee sees text, widgets and results, not Python: JupyterLab collapses the code
        # (a click on the collapsed cell shows it); nbgrader keeps this metadata on release
        metadata["jupyter"] = {"source_hidden": True}
    cell: nbformat.NotebookNode = new_code_cell(source, metadata=metadata)
    return cell


def _md(source: str, metadata: dict[str, Any] | None = None) -> nbformat.NotebookNode:
    cell: nbformat.NotebookNode = new_markdown_cell(source, metadata=metadata or {})
    return cell


def reflection_source(reflection: Reflection) -> str:
    """The cell the trainer marks (an nbgrader task): its mark scheme never reaches trainees.

    The answer itself is typed in a text box and saved in the answers file; when nbgrader
    grades the notebook the box's cell prints it, just above this cell.
    """
    scheme = "\n".join(f"- {line}" for line in reflection.mark_scheme)
    return (f"**Your trainer marks the written answer above ({reflection.points} marks).**\n\n"
            "=== BEGIN MARK SCHEME ===\n\n"
            f"**Mark scheme (out of {reflection.points}):**\n\n{scheme}\n\n"
            f"**Model answer:** {reflection.model_answer}\n\n"
            "=== END MARK SCHEME ===")


def reflection_cells(ref: Reflection) -> list[nbformat.NotebookNode]:
    """The question, the text box the answer is typed in, and the cell the trainer marks.

    The box's cell is a check worth no points: nbgrader's *validate* then fails while the
    answer is missing or not the asked length, instead of reporting success.
    """
    low, high = ref.words
    # an nbgrader "manually graded task", as its Create Assignment tool writes one
    task_meta = _meta(reflection_grade_id(ref.id), locked=True, points=ref.points)
    task_meta["nbgrader"]["task"] = True
    return [_md(f"## {ref.title} ({ref.points} marks)\n\n{ref.prompt}\n\n"
                f"*Click in the box below and type your answer ({low} to {high} words). "
                "It is saved as you type.*"),
            _code(f'course.written("{ref.id}")', written_grade_id(ref.id), grade=True, points=0.0),
            _md(reflection_source(ref), task_meta)]


def simulation_cells(sim: SimulationSpec) -> list[nbformat.NotebookNode]:
    """The play cell, then one autograded cell per stated criterion.

    Each test cell replays the saved choices and ends with the points as a number:
    nbgrader records it as partial credit (a cell with no output would get full marks).
    """
    slug = sim.id.replace(".", "-")
    criteria = "\n".join(f"- {c.label} ({c.points:g} marks)" for c in sim.criteria)
    cells = [_md(f"## Simulation: {sim.title}\n\nThe simulator below starts where you left off. "
                 f"Your trainer grades the path you finish with against these criteria:\n\n{criteria}"),
             _code(f'course.simulation("{sim.id}")', f"simulation-{slug}"),
             _md("**Where your simulation stands.** The notes below show how far you had played when "
                 "this module opened; to bring them up to date, choose *Run → Run All Cells*. "
                 "Your trainer's grading replays your saved choices in the same cells.")]
    for c in sim.criteria:
        cells.append(_code(
            f'course.simulation_progress("{sim.id}", "{c.id}")\n'
            "### BEGIN HIDDEN TESTS\n"
            f'course.simulation_score("{sim.id}", "{c.id}")\n'
            "### END HIDDEN TESTS",
            simulation_grade_id(sim.id, c.id), grade=True, points=float(c.points)))
    if sim.own_words is not None:
        cells += own_words_cells(sim.id, sim.own_words)
    return cells


def own_words_cells(sim_id: str, own: OwnWords) -> list[nbformat.NotebookNode]:
    """What the trainee is asked, the cell that shows their own lines in their moments, and the
    trainer's manually graded cell with its mark scheme (never released to trainees)."""
    slug = sim_id.replace(".", "-")
    task_meta = _meta(own_words_grade_id(sim_id), locked=True, points=own.points)
    task_meta["nbgrader"]["task"] = True  # an nbgrader "manually graded task": never scored automatically
    scheme = "\n".join(f"- {line}" for line in own.mark_scheme)
    return [_md(f"## {own.title} ({own.points} marks)\n\n{own.prompt}\n\n"
                "*Below are the lines you typed, each in its moment, as they stood when this module "
                "opened (choose Run → Run All Cells to bring them up to date).*"),
            _code(f'course.own_words("{sim_id}")', f"ownwords-show-{slug}"),
            _md(f"**Your trainer marks your own words above ({own.points} marks).**\n\n"
                "=== BEGIN MARK SCHEME ===\n\n"
                f"**Mark scheme (out of {own.points}; pass mark {own.pass_mark:g}):**\n\n{scheme}\n\n"
                f"**A strong line, in its moment:** {own.model_answer}\n\n"
                "=== END MARK SCHEME ===", task_meta)]


def module_notebook(module: Module, cur: Curriculum) -> nbformat.NotebookNode:
    """The nbgrader source notebook for ``module``."""
    cells = [
        _md(f"# Module {module.number}: {module.title}\n\n"
            f"*About {module.minutes} minutes.*\n\n"
            "## What you will be able to do\n\n"
            + "\n".join(f"- {o}" for o in module.objectives)
            + "\n\n" + HOW_TO.format(answers=module.answers_file)),
        _code("# Loads this module's exercises. Run it first; you never need to change it.\n"
              "from alcourse.session import Session\n\n"
              f'course = Session("{module.id}")', "setup"),
    ]
    for block in module.blocks:
        if block.markdown:
            cells.append(_md(block.markdown.strip()))
        elif block.show:
            cells.append(_md(render_show(block.show, cur.course)))
        elif block.exercise is not None:
            spec = block.exercise
            cells.append(_code(f'course.exercise("{spec.id}")',
                               "exercise-" + spec.id.replace(".", "-")))
        elif block.check:
            exercise = cur.exercise(block.check)
            cells.append(_md(f"**Check: {exercise.title.rstrip('.?!')}.** The note below shows how many you "
                             "had answered when this module opened. Your trainer's grading uses the same "
                             "cell."))
            cells.append(_code(
                f'course.progress("{exercise.id}")\n'
                "### BEGIN HIDDEN TESTS\n"
                f'course.score("{exercise.id}")\n'
                "### END HIDDEN TESTS",
                check_grade_id(exercise.id), grade=True, points=exercise.max_points,
            ))
        elif block.simulation is not None:
            cells += simulation_cells(block.simulation)
        elif block.reflection is not None:
            cells += reflection_cells(block.reflection)
    cells.append(_md("## Before you hand in\n\nThe list below shows anything you have not answered yet. "
                     "After answering, press **Check again**. It does not show marks."))
    cells.append(_code("course.self_check()", "self-check"))
    cells.append(_md("## Summary\n\n" + "\n".join(f"- {s}" for s in module.summary)))
    cells += handin_cells(module)  # issue 10: the Hand in step ends every module
    nb: nbformat.NotebookNode = new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
        "alcourse": {"module": module.id, "generated": "edit the module file, not this notebook"},
    })
    for index, cell in enumerate(nb.cells):
        # stable ids keep regenerated notebooks byte-identical
        cell.id = f"cell-{index:02d}"
    return nb


def notebook_text(module: Module, cur: Curriculum) -> str:
    text: str = nbformat.writes(module_notebook(module, cur))
    return text + "\n"
