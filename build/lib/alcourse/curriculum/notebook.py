"""Generate a module's nbgrader *source* notebook from its module file.

The notebook is written, not hand-edited: change the content data and run
``alcourse build`` (``make notebooks``). A test fails if a committed notebook
differs from what the data generates.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from alcourse.curriculum.loader import Curriculum
from alcourse.curriculum.model import Module, Reflection, SimulationSpec
from alcourse.curriculum.render import render_show
from alcourse.session import check_grade_id, reflection_grade_id, simulation_grade_id

HOW_TO = """\
**How to use this notebook.** You do not need to write any code.

1. Start at the top. Click in a grey cell and press **Shift + Enter** to run it
   (or choose *Run → Run All Cells* once).
2. Answer the exercises by choosing options. Feedback appears straight away.
   Your answers are saved automatically in the file `{answers}` beside this
   notebook. Keep that file there: it is what your trainer grades.
3. For written answers, double-click the box that says *YOUR ANSWER HERE*,
   type your answer, then press **Shift + Enter**.
4. Save with **Ctrl + S** (Cmd + S on a Mac) and run the self-check at the end
   before you submit."""


def _meta(grade_id: str, *, locked: bool = True, grade: bool = False, solution: bool = False,
          points: float | None = None) -> dict:
    meta: dict = {"grade": grade, "grade_id": grade_id, "locked": locked,
                  "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _code(source: str, grade_id: str, **kwargs: object) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata=_meta(grade_id, **kwargs))  # type: ignore[arg-type]


def _md(source: str, metadata: dict | None = None) -> nbformat.NotebookNode:
    return new_markdown_cell(source, metadata=metadata or {})


def reflection_source(reflection: Reflection) -> str:
    """The answer cell: nbgrader replaces the whole solution region with YOUR ANSWER HERE.

    The mark scheme sits inside the solution region because nbgrader only allows
    mark-scheme regions in task cells; either way trainees never see it.
    """
    scheme = "\n".join(f"- {line}" for line in reflection.mark_scheme)
    return ("### BEGIN SOLUTION\n"
            f"**Mark scheme (out of {reflection.points}):**\n\n{scheme}\n\n"
            f"**Model answer:** {reflection.model_answer}\n"
            "### END SOLUTION")


def simulation_cells(sim: SimulationSpec) -> list[nbformat.NotebookNode]:
    """The play cell, then one autograded cell per stated criterion.

    Each test cell replays the saved choices and ends with the points as a number:
    nbgrader records it as partial credit (a cell with no output would get full marks).
    """
    slug = sim.id.replace(".", "-")
    criteria = "\n".join(f"- {c.label} ({c.points:g} marks)" for c in sim.criteria)
    cells = [_md(f"## Simulation: {sim.title}\n\nRun the next cell to start (or carry on). "
                 f"Your trainer grades the path you finish with against these criteria:\n\n{criteria}"),
             _code(f'course.simulation("{sim.id}")', f"simulation-{slug}"),
             _md("**Check your simulation.** Run the cells below to see how far you have played. "
                 "Your trainer's grading replays your saved choices in the same cells.")]
    for c in sim.criteria:
        cells.append(_code(
            f'course.simulation_progress("{sim.id}", "{c.id}")\n'
            "### BEGIN HIDDEN TESTS\n"
            f'course.simulation_score("{sim.id}", "{c.id}")\n'
            "### END HIDDEN TESTS",
            simulation_grade_id(sim.id, c.id), grade=True, points=float(c.points)))
    return cells


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
            cells.append(_md(f"**Check: {exercise.title.rstrip('.?!')}.** Run the next cell to see how many "
                             "you have answered. Your trainer's grading uses the same cell."))
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
            ref = block.reflection
            cells.append(_md(f"## Written reflection ({ref.points} marks)\n\n{ref.prompt}\n\n"
                             "*Double-click the box below, replace YOUR ANSWER HERE with your "
                             "answer, then press Shift + Enter. Your trainer marks it.*"))
            cells.append(_md(reflection_source(ref),
                             _meta(reflection_grade_id(ref.id), locked=False, grade=True,
                                   solution=True, points=ref.points)))
    cells.append(_md("## Before you submit\n\nRun the cell below. It lists anything you have not "
                     "answered yet. It does not show marks."))
    cells.append(_code("course.self_check()", "self-check"))
    cells.append(_md("## Summary\n\n" + "\n".join(f"- {s}" for s in module.summary)))
    nb = new_notebook(cells=cells, metadata={
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
    return nbformat.writes(module_notebook(module, cur)) + "\n"
