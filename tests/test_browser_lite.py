"""JupyterLite: every module runs in the browser with no server, and the network cut off.

The site is served as static files from 127.0.0.1; every other request is routed to fail and
recorded, and the tests assert that none was made. Answers are saved beside the notebook in
the browser's storage, so they survive a reload.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from alcourse.publish.serve import serving
from tests.browser import KERNEL_READY, shots
from tests.browser import run_all as browser_run_all
from tests.site import Watch, open_next

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODULE = "m03-traditional-vs-action-learning"
ERRORS = (".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], "
          ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")






def open_lite(page, base: str, module: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/lite/lab/index.html?path={module}/{module}.ipynb")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    # Pyodide starts in a web worker: running cells before it is ready would queue them
    page.wait_for_function(KERNEL_READY, timeout=120_000)


def _eventually(page, predicate: str, arg: object, seconds: float = 30) -> bool:  # type: ignore[no-untyped-def]
    """Poll an async page function (wait_for_function does not await promises)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(predicate, arg):
            return True
        page.wait_for_timeout(500)
    return False


def run_all(page) -> None:  # type: ignore[no-untyped-def]
    """:func:`tests.browser.run_all`, with longer to wait: Pyodide runs the cells."""
    browser_run_all(page, timeout=120_000)


def test_lite_site_ships_trainee_notebooks_only(site, curriculum):
    files = site / "lite" / "files"
    for module in curriculum.modules.values():
        path = files / module.id / module.notebook
        assert path.exists(), f"{module.id} is not in the JupyterLite site"
        text = path.read_text(encoding="utf-8")
        for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Mark scheme", "Model answer"):
            assert secret not in text, f"{path.name} gives away {secret!r}"
        for reflection in module.reflections():
            assert reflection.model_answer[:60] not in text
        assert json.loads(text)["metadata"]["kernelspec"]["name"] == "python"
    lock = json.loads((site / "lite" / "static" / "pyodide" / "pyodide-lock.json").read_text())
    for name in ("alcourse", "ipywidgets", "pyyaml", "ipython", "micropip"):
        wheel = site / "lite" / "static" / "pyodide" / lock["packages"][name]["file_name"]
        assert wheel.exists(), f"{name}: {wheel.name} is in the lock file but not in the site"
    settings = json.loads((site / "lite" / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = settings["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"].startswith("./static/pyodide/"), "Pyodide would load from a CDN"


def test_exercise_gives_feedback_offline_and_answers_survive_a_reload(site, browser, tmp_path):
    with serving(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        watch = Watch(base).attach(context)
        page = context.new_page()
        open_lite(page, base, MODULE)
        run_all(page)
        exercise = page.locator(".alcourse-exercise").first
        exercise.wait_for(timeout=60_000)
        group = exercise.locator(".alcourse-choice").first
        group.locator("input[type=radio]").nth(1).check()
        feedback = exercise.locator(".alcourse-feedback").first
        feedback.wait_for(timeout=30_000)
        assert any(verdict in feedback.inner_text() for verdict in ("Right.", "Partly.", "Not quite."))
        first_feedback = feedback.inner_text()
        exercise.locator(".alcourse-choice").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots(tmp_path) / "lite-feedback.png"))
        # the answers file is written beside the notebook, in the browser's storage
        # ask the contents service itself, not the file browser, which refreshes on a timer
        assert _eventually(page, """async (path) => {
                 try { await window.jupyterapp.serviceManager.contents.get(path, {content: false});
                       return true; } catch (e) { return false; } }""",
                           f"{MODULE}/{MODULE}.answers.json"), "answers file never saved in the browser"

        page.reload()
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        page.wait_for_function(KERNEL_READY, timeout=120_000)
        run_all(page)
        exercise = page.locator(".alcourse-exercise").first
        exercise.wait_for(timeout=60_000)
        radios = exercise.locator(".alcourse-choice").first.locator("input[type=radio]")
        page.wait_for_function("r => r.checked", arg=radios.nth(1).element_handle(), timeout=30_000)
        expect(exercise.locator(".alcourse-feedback").first).to_have_text(first_feedback, timeout=30_000)
        expect(exercise.locator("[role=status]").last).to_contain_text("Answered 1 of", timeout=30_000)
        context.close()
    assert watch.external == [], f"requests left the machine: {watch.external}"
    assert watch.problems() == []


def _play_simulator(scope) -> None:  # type: ignore[no-untyped-def]
    sim = scope.locator(".alcourse-simulator").first
    sim.wait_for(timeout=60_000)
    sim.locator("button.alcourse-skip").click()
    sim.locator(".alcourse-cue").wait_for(timeout=30_000)
    sim.locator(".alcourse-move input[type=radio]").first.check()
    sim.locator("button.alcourse-choose").click()
    sim.locator(".alcourse-sim-feedback").wait_for(timeout=30_000)


def test_every_module_runs_offline_and_the_simulator_plays(site, browser, curriculum, tmp_path):
    """One JupyterLite app opens each module in turn, all in the first module's Pyodide kernel
    (starting one takes about 10 s: the other tests here start theirs)."""
    played = 0
    modules = sorted(curriculum.modules.values(), key=lambda m: m.number)
    notebook = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    with serving(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        watch = Watch(base).attach(context)
        page = context.new_page()
        open_lite(page, base, modules[0].id)
        for module in modules:
            if module is not modules[0]:
                open_next(page, f"{module.id}/{module.notebook}", same_kernel=True)
            run_all(page)
            errors = page.locator(f"{notebook} :is({ERRORS})")
            assert errors.count() == 0, f"{module.id}: {errors.first.inner_text()[:2000]}"
            expect(page.locator(f"{notebook} .alcourse-exercise")).to_have_count(
                len(module.exercise_specs()), timeout=30_000)
            if module.simulations():
                _play_simulator(page.locator(notebook))
                page.locator(f"{notebook} .alcourse-simulator").first.screenshot(
                    path=str(shots(tmp_path) / f"lite-{module.id}.png"))
                played += 1
            assert watch.external == [], f"{module.id}: requests left the machine: {watch.external}"
            assert watch.problems() == [], module.id
        context.close()
    print(f"JupyterLite: {len(modules)} modules ran offline; simulator played in {played}")
