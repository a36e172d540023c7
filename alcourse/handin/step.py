"""The Hand in step that ends every module's notebook (JupyterLab, JupyterLite and Voila alike).

>>> from alcourse.curriculum import load_curriculum
>>> module = load_curriculum().module("m03-traditional-vs-action-learning")
>>> [c.cell_type for c in handin_cells(module)]
['markdown', 'code']
>>> handin_cells(module)[1].source
'course.hand_in()'
"""

from __future__ import annotations

from typing import Any

from nbformat.v4 import new_code_cell, new_markdown_cell

GRADE_ID = "hand-in"

TEXT = """\
## Hand in

When you have finished, hand in this module. You need nothing else.

1. Save the notebook: **Ctrl + S** (Cmd + S on a Mac).
2. Below, type **the id your trainer gave you** and **your name**, then press
   **Make my hand-in file**.
3. You get one file, `{module}--YOUR-ID.alcourse.zip`. Press **Download** to save it on your
   computer (when you work in the browser, this is the only copy outside the browser).
4. Send that one file to your trainer the way they told you: upload it to the place they named,
   or attach it to an email. Do not open, unzip or change it.

You can hand in again later (for example after finishing a written answer): your trainer keeps
the newest file and nothing is lost."""


def handin_cells(module: Any) -> list[Any]:
    """The step's two cells: what to do, and the (locked, never graded) cell that shows the widget."""
    meta = {"nbgrader": {"grade": False, "grade_id": GRADE_ID, "locked": True, "schema_version": 3,
                         "solution": False, "task": False},
            # a trainee sees the widget, not Python (as every locked cell: curriculum/notebook.py)
            "jupyter": {"source_hidden": True}}
    return [new_markdown_cell(TEXT.format(module=module.id)),
            new_code_cell("course.hand_in()", metadata=meta)]
