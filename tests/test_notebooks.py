"""Committed notebooks match the data, carry no outputs, and run top to bottom."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from alcourse.answers import AnswerStore
from alcourse.curriculum.build import stale_files
from tests.conftest import ROOT


def test_generated_files_are_up_to_date(curriculum):
    assert stale_files(curriculum, ROOT) == [], "run `make notebooks` and commit the result"


def test_source_notebooks_have_no_outputs_and_valid_nbgrader_metadata(curriculum):
    for module in curriculum.modules.values():
        path = ROOT / "notebooks" / module.id / module.notebook
        nb = nbformat.read(path, 4)
        nbformat.validate(nb)
        ids = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
                # a non-programmer sees text, widgets and results, not Python (issue 9)
                assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, (
                    module.id, cell.metadata.get("nbgrader", {}).get("grade_id"))
            meta = cell.metadata.get("nbgrader")
            if meta:
                ids.append(meta["grade_id"])
                assert all(ch.isalnum() or ch in "-_" for ch in meta["grade_id"])
        assert len(ids) == len(set(ids))


def _run(path, cwd):
    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["source", "release"])
def test_module_notebook_executes_in_a_fresh_kernel(variant, curriculum, tmp_path, released):
    for module in curriculum.modules.values():
        if variant == "source":
            src = ROOT / "notebooks" / module.id / module.notebook
        else:
            src = released.root / "release" / module.id / module.notebook
        work = tmp_path / variant / module.id
        work.mkdir(parents=True)
        shutil.copy(src, work)
        for ex in curriculum.module_exercises(module.id):
            AnswerStore.beside(module.id, work).write_all(ex.id, ex.model_answers())
        nb = _run(work / module.notebook, work)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert not [o for o in outputs if o.get("name") == "stderr"], "stderr would zero a grade"
        widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json"
                   in o.get("data", {})]
        # one per exercise, simulation and written answer, the self-check and the Hand in step
        assert len(widgets) == (len(module.exercise_specs()) + len(module.simulations())
                                + len(module.reflections()) + 2)
        text = json.dumps(outputs)
        assert "answered" in text
