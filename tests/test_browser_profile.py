"""The trainee's JupyterLab (alcourse/profile): a start page first, no instructor tools, no terminal."""

from __future__ import annotations

import pytest

from alcourse.commands.course import write_start_page
from alcourse.profile import write_profile
from tests.browser import jupyter_lab, shots, wait_until
from tests.site import trainee_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_trainee_lab_opens_the_start_page_without_instructor_tools(tmp_path, browser, monkeypatch):
    workspace = tmp_path / "workspace"
    trainee_workspace(workspace)
    write_start_page(workspace)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(write_profile(tmp_path / "profile")))
    log = tmp_path / "lab.log"
    with jupyter_lab(workspace, log) as base:
        url, token = base.split("|")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/?token={token}")  # where a trainee lands: the server's default URL
        preview = page.locator(".jp-RenderedMarkdown", has_text="Handing in").first
        try:
            preview.wait_for(timeout=60_000)
        finally:
            page.screenshot(path=str(shots(tmp_path) / "trainee-start.png"))
        assert "Run All Cells" in preview.inner_text()
        page.locator(".jp-RenderedMarkdown a", has_text="Module 1").first.wait_for()
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
        for hidden in ("nbgrader:open-create-assignment", "nbgrader:open-formgrader",
                       "nbgrader:open-course-list", "terminal:create-new", "console:create"):
            assert hidden not in commands, hidden
        assert page.locator("text=Create Assignment").count() == 0
        launcher_labels = page.evaluate(
            "() => [...document.querySelectorAll('.jp-LauncherCard')].map(c => c.textContent)")
        assert not [label for label in launcher_labels if "Terminal" in label or "Console" in label]
        page.close()
    text = log.read_text()
    assert "course directory root is not a subdirectory" not in text
    # a trainee sees no message that is not theirs to fix (issue 15, item 6): no error, no
    # warning (notebook_shim once read jupyter-server's deprecated ServerApp.token)
    noise = [line for line in text.splitlines()
             if line.startswith(("[E ", "[W ")) or "Warning" in line or "Traceback" in line]
    assert not noise, "\n".join(noise)


MODULE = "m03-traditional-vs-action-learning"
# the exercises on screen before a restart are marked; those shown after it must be new ones
MARK_OLD = "() => document.querySelectorAll('.alcourse-exercise').forEach(e => e.dataset.old = '1')"
FRESH = "() => document.querySelectorAll('.jp-NotebookPanel .alcourse-exercise:not([data-old]) input').length"


def test_a_module_shows_its_exercises_on_open_and_after_a_restart_without_python(
        tmp_path, browser, monkeypatch):
    """Issue 15 item 7 / issue 9: no Run All, no Python; the exercises come back after a restart."""
    workspace = tmp_path / "workspace"
    trainee_workspace(workspace)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(write_profile(tmp_path / "profile")))
    with jupyter_lab(workspace, tmp_path / "lab.log") as base:
        url, token = base.split("|")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # opened as a trainee does, and nothing pressed afterwards
        page.goto(f"{url}/lab/workspaces/fresh/tree/{MODULE}/{MODULE}.ipynb?reset&token={token}")
        exercise = page.locator(".jp-NotebookPanel .alcourse-exercise").first
        try:
            exercise.locator("input[type=radio]").first.wait_for(timeout=120_000)
        finally:
            page.screenshot(path=str(shots(tmp_path) / "trainee-open.png"))
        code_cells = page.locator(".jp-NotebookPanel .jp-CodeCell")
        assert code_cells.count() > 3
        # every code cell is collapsed (jupyter.source_hidden) with no one-line preview: no
        # Python on screen, neither an editor nor a line of code
        editors = page.locator(".jp-NotebookPanel .jp-CodeCell .cm-content")
        assert not [i for i in range(editors.count()) if editors.nth(i).is_visible()]
        shown = page.evaluate("() => document.querySelector('.jp-NotebookPanel').innerText")
        for python in ("Session(", "course.exercise(", "course.progress(", "course.hand_in("):
            assert python not in shown, python
        # the self-check ran on open, before any answer: "Check again" brings it up to date
        check = page.locator(".jp-NotebookPanel .alcourse-self-check").first
        check.scroll_into_view_if_needed(timeout=60_000)
        before = check.locator(".alcourse-self-check-result").inner_text()
        assert "Still to do" in before and "not answered" in before, before
        exercise.locator("input[type=radio]").first.check()
        exercise.locator(".alcourse-feedback").first.wait_for(timeout=60_000)
        check.locator("button", has_text="Check again").click()
        wait_until(lambda: check.locator(".alcourse-self-check-result").inner_text() != before, timeout=30,
                   what="the self-check to count the new answer")
        check.screenshot(path=str(shots(tmp_path) / "self-check.png"))
        page.evaluate(MARK_OLD)
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
        # the old widgets lose their kernel; the notebook runs again and shows new, live ones
        wait_until(lambda: page.evaluate(FRESH), timeout=120,
                   what="the exercises to come back after the restart")
        assert page.evaluate("() => !document.body.innerText.includes('model not found')")
        page.close()
