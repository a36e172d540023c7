"""A trainee in a real browser: JupyterLab opens the module, runs it, answers, sees feedback."""

from __future__ import annotations

import json
import shutil

import pytest

from alcourse.curriculum import load_curriculum
from tests.browser import (
    jupyter_lab,
    open_notebook,
    require_chromium,
    run_all,
)
from tests.conftest import MODULE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_trainee_answers_a_widget_exercise_in_jupyterlab(released, browser, tmp_path):
    require_chromium()
    workspace = tmp_path / "workspace"
    shutil.copytree(released.root / "release" / MODULE, workspace / MODULE)
    answers = workspace / MODULE / f"{MODULE}.answers.json"
    with jupyter_lab(workspace, tmp_path / "lab.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_notebook(page, base, f"{MODULE}/{MODULE}.ipynb")
        run_all(page)
        exercise = page.locator(".alcourse-exercise").first
        exercise.wait_for(timeout=60_000)
        first_group = exercise.locator(".alcourse-choice").first
        prompt = exercise.locator("p[id^='q-m03.contrasts-in-practice-']").first
        question_id = prompt.get_attribute("id").removeprefix("q-m03.contrasts-in-practice-")
        # keyboard, as a trainee without a mouse would: focus the first radio, choose it
        radio = first_group.locator("input[type=radio]").first
        radio.focus()
        page.keyboard.press("Space")
        feedback = exercise.locator(".alcourse-feedback").first
        feedback.wait_for(timeout=20_000)
        text = feedback.inner_text()
        # best, partly right (a plausible option with part of the points) or not quite
        assert any(verdict in text for verdict in ("Right.", "Partly.", "Not quite."))
        page.wait_for_timeout(300)
        page.screenshot(path=str(tmp_path / "lab.png"))
    saved = json.loads(answers.read_text())["exercises"]["m03.contrasts-in-practice"]
    assert question_id in saved
    question = load_curriculum().exercise("m03.contrasts-in-practice").question(question_id)
    options = {o.id for o in question.options}
    assert saved[question_id]["first"] in options
