"""Voila: a module opens as an app (no code shown), its exercises give feedback, the simulator plays.

Voila runs with alcourse's template and extension list (alcourse/publish/voila.py), and every
request that would leave the machine is routed to fail and recorded: there must be none.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from alcourse.publish.voila import command
from tests.browser import free_port, require_chromium, shots
from tests.site import Watch, axe, describe, trainee_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODULE = "m03-traditional-vs-action-learning"
CODE_MARKERS = ("from alcourse", "Session(", "course.exercise(", "course.simulation(", "course.self_check(",
                "course.hand_in(")


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voila over a trainee workspace; yields (base URL, workspace)."""
    require_chromium()
    tmp = tmp_path_factory.mktemp("voila")
    workspace = tmp / "workspace"
    trainee_workspace(workspace)
    port = free_port()
    argv, env = command(workspace, port)
    with (tmp / "voila.log").open("w") as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workspace)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/tree", timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log_text = (tmp / "voila.log").read_text()
                        raise RuntimeError(f"Voila did not start:\n{log_text}") from None
                    time.sleep(0.3)
            yield f"http://127.0.0.1:{port}", workspace
        finally:
            proc.terminate()
            proc.wait(timeout=15)






def _open_app(context, base: str, module: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{base}/voila/render/{module}/{module}.ipynb", timeout=90_000)
    page.locator(".alcourse-exercise, .alcourse-simulator").first.wait_for(timeout=90_000)
    return page


def _assert_no_code(page, module: str) -> None:  # type: ignore[no-untyped-def]
    assert page.locator(".jp-InputArea-editor, .cm-editor, .CodeMirror").count() == 0, module
    text = page.inner_text("body")
    shown = [m for m in CODE_MARKERS if m in text]
    assert shown == [], f"{module} shows code: {shown}"


def test_module_opens_as_an_app_without_code_and_gives_feedback(voila, browser, curriculum, tmp_path):
    base, workspace = voila
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(base).attach(context)
    page = _open_app(context, base, MODULE)
    _assert_no_code(page, MODULE)
    exercises = page.locator(".alcourse-exercise")
    expect(exercises).to_have_count(len(curriculum.module(MODULE).exercise_specs()), timeout=30_000)
    group = exercises.first.locator(".alcourse-choice").first
    group.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    feedback = exercises.first.locator(".alcourse-feedback").first
    expect(feedback).to_contain_text(re.compile(r"Right\.|Partly\.|Not quite\."), timeout=20_000)
    group.scroll_into_view_if_needed()
    page.screenshot(path=str(shots(tmp_path) / "voila-exercise.png"))
    saved = json.loads((workspace / MODULE / f"{MODULE}.answers.json").read_text())
    assert len(saved["exercises"]["m03.contrasts-in-practice"]) == 1
    context.close()
    assert watch.problems() == []


def test_the_simulator_plays_as_an_app(voila, browser, curriculum, tmp_path):
    base, workspace = voila
    modules = [m for m in curriculum.modules.values() if m.simulations()]
    assert modules, "no module has a simulation"
    lines: list[str] = []
    for module in modules:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        watch = Watch(base).attach(context)
        page = _open_app(context, base, module.id)
        _assert_no_code(page, module.id)
        sim = page.locator(".alcourse-simulator").first
        sim.locator("button.alcourse-next-turn").click()
        sim.locator(".alcourse-turns li").first.wait_for(timeout=20_000)
        sim.locator("button.alcourse-skip").click()
        sim.locator(".alcourse-cue").wait_for(timeout=20_000)
        sim.locator(".alcourse-move input[type=radio]").first.check()
        sim.locator("button.alcourse-choose").click()
        sim.locator(".alcourse-sim-feedback").wait_for(timeout=20_000)
        sim.screenshot(path=str(shots(tmp_path) / f"voila-{module.id}.png"))
        # the simulator after a move: cue, turns, feedback, rewind controls all present
        lines += describe(f"Voila {module.id} simulator", axe(page, ".alcourse-simulator"))
        answers = workspace / module.id / f"{module.id}.answers.json"
        deadline = time.monotonic() + 20
        while not (answers.exists() and json.loads(answers.read_text()).get("simulations")):
            assert time.monotonic() < deadline, f"{module.id}: the move was not saved"
            time.sleep(0.2)
        context.close()
        assert watch.problems() == [], module.id
    assert lines == [], "\n".join(lines)


def test_hand_in_as_an_app_saves_the_file_beside_the_notebook_and_downloads_it(voila, browser, tmp_path):
    from alcourse.handin.archive import read_archive

    base, workspace = voila
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    watch = Watch(base).attach(context)
    page = _open_app(context, base, MODULE)
    step = page.locator(".alcourse-handin").first
    step.scroll_into_view_if_needed()
    step.locator("input[type=text]").nth(0).fill("voila.trainee")
    step.locator("input[type=text]").nth(1).fill("Vi Ola")
    step.locator("button.alcourse-handin-make").click()
    link = step.locator("a.alcourse-download")
    link.wait_for(timeout=30_000)
    expect(step).to_contain_text("saved beside this notebook")
    lines = describe("Voila hand-in step", axe(page, ".alcourse-handin"))
    with page.expect_download(timeout=30_000) as download:
        link.click()
    got = tmp_path / "download.zip"
    download.value.save_as(got)
    context.close()
    beside = workspace / MODULE / f"{MODULE}--voila.trainee.alcourse.zip"
    assert got.read_bytes() == beside.read_bytes()
    assert read_archive(got.read_bytes()).manifest.name == "Vi Ola"
    assert watch.problems() == []
    assert lines == [], "\n".join(lines)


def test_the_last_meeting_plays_to_the_end_by_keyboard_as_an_app(voila, browser, tmp_path):
    from tests.browser import play_to_the_end_by_keyboard
    from tests.test_browser_simulator import (
        KEYBOARD_MOVES,
        assert_the_last_meeting_was_played_to_the_end,
        save_all_but_the_last_meeting,
    )

    base, workspace = voila
    module = "m09-simulated-set"
    answers = workspace / module / f"{module}.answers.json"
    answers.unlink(missing_ok=True)  # another test's game: this one resumes at the last meeting
    before = save_all_but_the_last_meeting(workspace / module)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = _open_app(context, base, module)
    sim = page.locator(".alcourse-simulator").first
    expect(sim.locator("[role=status]").first).to_contain_text(f"decision {before + 1}", timeout=60_000)
    made = play_to_the_end_by_keyboard(page, sim, KEYBOARD_MOVES)
    assert_the_last_meeting_was_played_to_the_end(sim, answers, before, made)
    sim.screenshot(path=str(shots(tmp_path) / "voila-keyboard-ended.png"))
    context.close()
