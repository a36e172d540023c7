"""A trainee's first modules in JupyterLab, as they would really use it.

Each test follows what a trainee does (two tabs on one notebook, typing a written answer as the
instructions say) and checks that no work is lost or damaged.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser import KERNEL_READY, jupyter_lab, run_all, shots
from tests.site import open_alone, trainee_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIM_MODULE = "m09-simulated-set"
RAN_ALL = """() => { const prompts = [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')].map(p => p.textContent);
  return prompts.some(p => /\\d/.test(p)) && !prompts.some(p => p.includes('*')); }"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab over a trainee workspace with every module, shared by this file's tests."""
    root = tmp_path_factory.mktemp("trainee")
    workspace = root / "workspace"
    trainee_workspace(workspace)
    with jupyter_lab(workspace, root / "lab.log") as base:
        yield base, workspace


def _wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def _saved_path(answers):
    if not answers.exists():
        return None
    return json.loads(answers.read_text()).get("simulations", {}).get("m09.sim", {}).get("path")


def _move(sim, page, move="Catalytic"):
    sim.locator("button.alcourse-skip").click()
    sim.locator(".alcourse-cue").wait_for(state="visible", timeout=20_000)
    sim.locator(".alcourse-move label", has_text=move).locator("input[type=radio]").check()
    sim.locator("button.alcourse-choose").click()


def test_a_stale_simulator_tab_never_overwrites_a_longer_saved_game(lab, browser, tmp_path):
    base, workspace = lab
    answers = workspace / SIM_MODULE / f"{SIM_MODULE}.answers.json"
    rel = f"{SIM_MODULE}/{SIM_MODULE}.ipynb"
    old_tab = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_alone(old_tab, base, rel)
    run_all(old_tab)
    old_sim = old_tab.locator(".alcourse-simulator").first
    old_sim.wait_for(timeout=60_000)
    _move(old_sim, old_tab)
    _wait_for(lambda: (p := _saved_path(answers)) and len(p) == 1)

    # the trainee opens the notebook again (the kernel still runs), runs it and plays on
    new_tab = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_alone(new_tab, base, rel)
    new_tab.wait_for_function(KERNEL_READY, timeout=60_000)
    run_all(new_tab)
    new_tab.wait_for_function(RAN_ALL, timeout=90_000)
    new_sim = new_tab.locator(".alcourse-simulator").first
    for count in (2, 3, 4):
        _move(new_sim, new_tab, "Supportive")
        _wait_for(lambda n=count: (p := _saved_path(answers)) and len(p) == n)
    longer = _saved_path(answers)

    # one move in the old tab, which still shows the game after decision 1
    _move(old_sim, old_tab)
    expect(old_sim.locator(".alcourse-sim-feedback")).to_contain_text("Nothing was overwritten",
                                                                      timeout=20_000)
    old_tab.screenshot(path=str(shots(tmp_path) / "stale-simulator.png"))
    assert _saved_path(answers) == longer, "the old tab replaced a longer saved game"
    expect(old_sim.locator("[role=status]").first).to_contain_text("decision 5", timeout=20_000)
    old_tab.close()
    new_tab.close()
