"""JupyterLab: an answer survives a kernel restart and a page reload, and is still what is graded.

A trainee answers a widget exercise, the kernel restarts (as after a crash or "Restart
Kernel"), the page is reloaded, and Run All shows the same choice with the same feedback; the
progress check counts it; the saved first choice is what nbgrader's check cell scores; and a
changed answer after the restart does not replace it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alcourse.session import Session
from tests.browser import (
    KERNEL_READY,
    jupyter_lab,
    require_chromium,
    run_all,
)
from tests.site import open_alone, trainee_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODULE = "m03-traditional-vs-action-learning"
EXERCISE = "m03.contrasts-in-practice"


def _run_and_find(page):  # type: ignore[no-untyped-def]
    run_all(page)
    exercise = page.locator(".alcourse-exercise").first
    exercise.wait_for(timeout=60_000)
    return exercise


def test_answer_survives_restart_and_reload_and_is_still_graded(tmp_path, browser, curriculum):
    require_chromium()
    workspace = tmp_path / "workspace"
    trainee_workspace(workspace)
    exercise_spec = curriculum.exercise(EXERCISE)
    with jupyter_lab(workspace, tmp_path / "lab.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_alone(page, base, f"{MODULE}/{MODULE}.ipynb")
        exercise = _run_and_find(page)
        prompt = exercise.locator(f"p[id^='q-{EXERCISE}-']").first
        question = prompt.get_attribute("id").removeprefix(f"q-{EXERCISE}-")
        radios = exercise.locator(".alcourse-choice").first.locator("input[type=radio]")
        # keyboard only: focus the group, move to the second choice
        radios.first.focus()
        page.keyboard.press("ArrowDown")
        feedback = exercise.locator(".alcourse-feedback").first
        feedback.wait_for(timeout=20_000)
        before = feedback.inner_text()
        chosen = exercise_spec.question(question).options[1].id

        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
        page.wait_for_function(KERNEL_READY, timeout=60_000)
        page.reload()
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        page.wait_for_function(KERNEL_READY, timeout=60_000)
        exercise = _run_and_find(page)
        radios = exercise.locator(".alcourse-choice").first.locator("input[type=radio]")
        expect(radios.nth(1)).to_be_checked(timeout=20_000)
        expect(exercise.locator(".alcourse-feedback").first).to_have_text(before, timeout=20_000)
        # the check cell (what nbgrader runs, minus its hidden test) counts the saved answer
        outputs = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output")
        counted = f"1 of {len(exercise_spec.questions)} answered in '{exercise_spec.title}'"
        expect(outputs.filter(has_text=counted)).to_have_count(1, timeout=20_000)

        # a change after the restart is shown, but the first choice is still the graded one
        radios.first.focus()
        page.keyboard.press("Space")
        expect(exercise.locator(".alcourse-feedback").first).to_contain_text(
            "Your first choice", timeout=20_000)
        page.screenshot(path=str(Path(os.environ.get("ALCOURSE_SCREENSHOTS", tmp_path)) / "restart.png"))
    session = Session(MODULE, folder=workspace / MODULE, curriculum=curriculum)
    assert session.store.graded(EXERCISE) == {question: chosen}
    assert session.score(EXERCISE) == exercise_spec.check({question: chosen}).points
