"""A trainee in JupyterLab plays one decision of the simulated set with the keyboard, then rewinds."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alcourse.answers import AnswerStore
from alcourse.simulation import load_scenario, policy, run
from alcourse.simulation.play import ChoiceStore, replay
from tests.browser import (
    jupyter_lab,
    open_notebook,
    play_to_the_end_by_keyboard,
    require_chromium,
    run_all,
    wait_until,
)
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODULE = "m09-simulated-set"


def _saved(path):
    if not path.exists():
        return None
    return json.loads(path.read_text()).get("simulations", {}).get("m09.sim")


def _wait_for(check, timeout=20.0):
    return wait_until(check, timeout, "the saved choices")


@contextlib.contextmanager
def simulator_in_lab(browser, tmp_path, prepare=None):
    """Module 9 in JupyterLab, run; yield the page, its simulator and the answers file.

    ``prepare(folder)`` runs on the module's folder before JupyterLab opens it.
    """
    workspace = tmp_path / "workspace"
    (workspace / MODULE).mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", workspace / MODULE)
    if prepare is not None:
        prepare(workspace / MODULE)
    with jupyter_lab(workspace, tmp_path / "lab.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        try:
            open_notebook(page, base, f"{MODULE}/{MODULE}.ipynb")
            run_all(page)
            sim = page.locator(".alcourse-simulator").first
            sim.wait_for(timeout=60_000)
            yield page, sim, workspace / MODULE / f"{MODULE}.answers.json"
        finally:
            page.close()


def test_trainee_plays_a_decision_and_rewinds_in_jupyterlab(browser, tmp_path):
    with simulator_in_lab(browser, tmp_path) as (page, sim, answers):
        # turn by turn first, then straight to the decision, all from the keyboard
        sim.locator("button.alcourse-next-turn").focus()
        page.keyboard.press("Enter")
        sim.locator(".alcourse-turns li").first.wait_for(timeout=20_000)
        sim.locator("button.alcourse-skip").focus()
        page.keyboard.press("Enter")
        cue = sim.locator(".alcourse-cue")
        cue.wait_for(timeout=20_000)
        assert "Cue:" in cue.inner_text()
        radio = sim.locator(".alcourse-move label", has_text="Catalytic").locator("input[type=radio]")
        box = radio.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, f"move buttons are 24 px targets, not {box}"
        radio.focus()
        page.keyboard.press("Space")
        # the trainee's own words, typed: kept with the move
        own = sim.locator(".alcourse-own-words textarea")
        own.focus()
        # one input event for the whole line: typed key by key, a loaded machine can sync a prefix
        own.fill("What would a good Monday look like?")
        page.keyboard.press("Tab")  # leave the box so the text is synced to the kernel
        sim.locator("button.alcourse-choose").focus()
        page.keyboard.press("Enter")
        feedback = sim.locator(".alcourse-sim-feedback")
        feedback.wait_for(timeout=20_000)
        text = feedback.inner_text()
        assert any(word in text for word in ("It worked.", "It did not land", "The set handled it"))
        saved = _wait_for(lambda: _saved(answers))
        assert saved["path"][0][0] == "catalytic" and len(saved["path"]) == 1
        assert saved["path"][0][3] == "What would a good Monday look like?"
        sim.locator(".alcourse-turns li", has_text="What would a good Monday look like?").wait_for(
            timeout=20_000)
        sim.screenshot(path=str(tmp_path / "played.png"))

        # rewind to the first decision and try another path
        sim.locator(".alcourse-rewind-to select").select_option(index=0)
        sim.locator("button.alcourse-rewind").focus()
        page.keyboard.press("Enter")
        sim.locator(".alcourse-sim-feedback", has_text="Rewound").wait_for(timeout=20_000)
        saved = _wait_for(lambda: (s := _saved(answers)) and s["rewinds"] == 1 and s)
        assert saved["path"] == []
        sim.locator(".alcourse-cue").wait_for(state="visible", timeout=20_000)  # back at decision 1
        expect(sim.locator("button.alcourse-choose")).to_be_enabled(timeout=20_000)
        sim.screenshot(path=str(tmp_path / "rewound.png"))


SCENARIO = "primary-care-practice-managers"  # module 9's set until the trainee chooses another
KEYBOARD_MOVES = ("Summarise", "Deliberately say nothing", "Catalytic", "Supportive")


def save_all_but_the_last_meeting(folder):
    """An answers file with the meetings before the last one played (hands off): the trainee resumes
    at the last meeting's first decision. Returns how many decisions it holds."""
    scenario = load_scenario(SCENARIO)
    path = [d.intervention for d in run(scenario, policy("hands-off")).decisions
            if d.decision.meeting < scenario.meetings]
    ChoiceStore(AnswerStore.beside(MODULE, folder).path, MODULE).save_path("m09.sim", scenario.id,
                                                                         scenario.seed, path)
    return len(path)


def assert_the_last_meeting_was_played_to_the_end(sim, answers, before, made):
    """The file holds the whole last meeting, replayed to the programme's end; nothing is left to
    press but rewind."""
    scenario = load_scenario(SCENARIO)
    saved = _wait_for(lambda: (s := _saved(answers)) and len(s["path"]) == before + made and s)
    game = replay(scenario, None, ChoiceStore(answers, MODULE).path_of("m09.sim"))
    assert game.finished and game.pending is None
    last = [d for d in game.sim.decisions if d.decision.meeting == scenario.meetings]
    assert len(last) == made > 0
    assert saved["path"][before][:3] == ["summarise", last[0].intervention.target, 1], "wording by keyboard"
    assert {d.intervention.move for d in last} <= {"summarise", "none", "catalytic", "supportive"}
    rows = [r for r in game.result().rows if r.meeting == scenario.meetings]
    assert rows[-1].phase == "review" and len(game.result().meetings) == scenario.meetings
    expect(sim.locator("[role=status]").first).to_contain_text(
        f"All {scenario.meetings} meetings played", timeout=20_000)
    for button in ("alcourse-next-turn", "alcourse-skip", "alcourse-choose"):
        expect(sim.locator(f"button.{button}")).to_be_disabled()
    expect(sim.locator(".alcourse-cue")).to_be_hidden()


def test_trainee_plays_the_last_meeting_to_the_end_by_keyboard_in_jupyterlab(browser, tmp_path):
    decisions = []
    with simulator_in_lab(browser, tmp_path, lambda folder: decisions.append(
            save_all_but_the_last_meeting(folder))) as (page, sim, answers):
        before = decisions[0]
        expect(sim.locator("[role=status]").first).to_contain_text(f"decision {before + 1}", timeout=60_000)
        made = play_to_the_end_by_keyboard(page, sim, KEYBOARD_MOVES)
        assert_the_last_meeting_was_played_to_the_end(sim, answers, before, made)
        sim.screenshot(path=str(tmp_path / "ended.png"))


def test_the_simulation_plays_in_voila(browser, tmp_path):
    """Voila shows only outputs: the widget must still play and save choices there."""
    import os
    import subprocess
    import sys
    import urllib.request

    from tests.browser import free_port

    require_chromium()
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shutil.copy(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", workspace)
    answers = workspace / f"{MODULE}.answers.json"
    port = free_port()
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    with (tmp_path / "voila.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
                                 "--Voila.ip=127.0.0.1", f"--ServerApp.root_dir={workspace}",
                                 str(workspace / f"{MODULE}.ipynb")],
                                stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workspace)
        try:
            _wait_for(lambda: _up(urllib.request, port), timeout=60)
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/", timeout=90_000)
            sim = page.locator(".alcourse-simulator").first
            sim.wait_for(timeout=90_000)
            sim.locator("button.alcourse-skip").click()
            sim.locator(".alcourse-cue").wait_for(timeout=20_000)
            sim.locator(".alcourse-move label", has_text="Supportive").locator("input").check()
            sim.locator("button.alcourse-choose").click()
            sim.locator(".alcourse-sim-feedback").wait_for(timeout=20_000)
            saved = _wait_for(lambda: _saved(answers))
            assert saved["path"][0][0] == "supportive"
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def _up(request, port):
    try:
        request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
        return True
    except OSError:
        return False
