"""The trainee's JupyterLab (alcourse/profile): a start page first, no instructor tools, no terminal."""

from __future__ import annotations

import pytest

from alcourse.commands.course import write_start_page
from alcourse.profile import write_profile
from tests.browser import jupyter_lab, shots
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
