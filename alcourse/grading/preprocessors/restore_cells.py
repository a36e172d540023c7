"""RestoreCells: nbgrader's ``OverwriteCells``, plus deleted locked and graded cells put back.

nbgrader's ``OverwriteCells`` restores edited locked cells from the gradebook. This one
also puts back every *deleted* locked or graded cell, in its place: nbgrader's own
``add_missing_cells`` fails with a ``KeyError`` when the cell before a deleted one is an
ordinary locked cell, and never restores locked cells that are not graded (such as the
setup cell every check depends on). Configured in place of ``OverwriteCells`` through
``Autograde.sanitize_preprocessors`` (see :mod:`alcourse.grading.worker`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import OverwriteCells

from alcourse.grading.preprocessors.lineage import find_up

RESTORED_NOTE = "This cell (id:{cell_id}) was missing from the submission. It was put back by alcourse."


class RestoreCells(OverwriteCells):
    """OverwriteCells, plus deleted locked and graded cells put back where they were."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        nb, resources = super().preprocess(nb, resources)
        known = find_up(self, "source_cell_ids")
        if known is not None and known <= self._present(nb).keys():
            return nb, resources  # nothing deleted: no need to open the gradebook again
        with Gradebook(self.db_url) as gb:
            try:
                source_nb = gb.find_notebook(self.notebook_id, self.assignment_id)
            except MissingEntry:
                return nb, resources
            source_cells = list(source_nb.source_cells)
            grade_cells = {c.name: c for c in source_nb.grade_cells}
            solution_ids = {c.name for c in source_nb.solution_cells}
            task_ids = {c.name for c in source_nb.task_cells}
            order = self._source_order(resources)
            source_cells.sort(key=lambda c: order.get(c.name, len(order)))
            for position, source_cell in enumerate(source_cells):
                if source_cell.name in self._present(nb):
                    continue
                if not (source_cell.locked or source_cell.name in grade_cells
                        or source_cell.name in solution_ids or source_cell.name in task_ids):
                    continue
                cell = self._rebuild(source_cell, grade_cells.get(source_cell.name),
                                     source_cell.name in solution_ids, source_cell.name in task_ids)
                self.log.warning("Missing cell %s put back into the notebook", source_cell.name)
                present = self._present(nb)
                before = [present[c.name] for c in source_cells[:position] if c.name in present]
                nb.cells.insert(before[-1] + 1 if before else 0, cell)
        return nb, resources

    @staticmethod
    def _present(nb: NotebookNode) -> dict[str, int]:
        return {cell.metadata["nbgrader"]["grade_id"]: index for index, cell in enumerate(nb.cells)
                if "grade_id" in cell.metadata.get("nbgrader", {})}

    def _source_order(self, resources: ResourcesDict) -> dict[str, int]:
        """Cell order from the source notebook (the gradebook does not keep positions)."""
        coursedir = find_up(self, "coursedir")
        if coursedir is None:
            return {}
        path = Path(coursedir.format_path(coursedir.source_directory, ".", self.assignment_id))
        try:
            source = json.loads((path / f"{self.notebook_id}.ipynb").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in source.get("cells", [])]
        return {grade_id: index for index, grade_id in enumerate(ids) if grade_id}

    def _rebuild(self, source_cell: Any, grade_cell: Any, is_solution: bool, is_task: bool) -> NotebookNode:
        if grade_cell is not None:
            cell: NotebookNode = self.missing_cell_transform(source_cell, grade_cell.max_score,
                                                             is_solution=is_solution)
            if is_solution:
                # an empty answer put back must score as "no response", not wait for a marker
                cell.source = source_cell.source
            else:
                cell.source = f"# {RESTORED_NOTE.format(cell_id=source_cell.name)}\n{source_cell.source}"
            return cell
        if is_task:
            task: NotebookNode = self.missing_cell_transform(source_cell, 0, is_task=True)
            return task
        source = source_cell.source
        if source_cell.cell_type == "code":
            source = f"# {RESTORED_NOTE.format(cell_id=source_cell.name)}\n{source}"
        if source_cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell(source=source)
        else:
            cell = nbformat.v4.new_markdown_cell(source=source)
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
        cell.metadata["nbgrader"] = {"grade": False, "solution": is_solution, "task": False,
                                     "locked": source_cell.locked, "grade_id": source_cell.name,
                                     "checksum": source_cell.checksum, "schema_version": 3}
        cell.pop("id", None)
        return MetadataValidator().upgrade_cell_metadata(cell)  # type: ignore[no-any-return]

