"""A trainee's first modules in JupyterLab, as they would really use it.

Each test follows what a trainee does (two tabs on one notebook, typing a written answer as the
instructions say) and checks that no work is lost or damaged.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser import KERNEL_READY, jupyter_lab, run_all, shots, wait_until
from tests.site import open_alone, trainee_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIM_MODULE = "m09-simulated-set"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab over a trainee workspace with every module, shared by this file's tests."""
    root = tmp_path_factory.mktemp("trainee")
    workspace = root / "workspace"
    trainee_workspace(workspace)
    with jupyter_lab(workspace, root / "lab.log") as base:
        yield base, workspace


def _wait_for(check, timeout=30.0):
    return wait_until(check, timeout)


def _saved_path(answers):
    if not answers.exists():
        return None
    return json.loads(answers.read_text()).get("simulations", {}).get("m09.sim", {}).get("path")


def _move(sim, page, move="Catalytic"):
    # skip to the decision, unless the next decision comes with no turns before it (skip is then off)
    skip, choose = sim.locator("button.alcourse-skip"), sim.locator("button.alcourse-choose")

    def at_decision():
        if sim.locator(".alcourse-cue").is_visible() and choose.is_enabled():
            return True
        if skip.is_enabled():
            skip.click()
        return False

    wait_until(at_decision, 30, "the simulator to reach a decision")
    radio = sim.locator(".alcourse-move label", has_text=move).locator("input[type=radio]")

    def chosen():
        # the page may still show the previous decision when the move is first chosen: the
        # kernel's update then clears the choice and shows turns to skip before the next decision.
        # Skip again if so, and choose again until the choice holds and the button is on.
        if not at_decision():
            return False
        if not radio.is_checked():
            radio.check()
        return radio.is_checked() and choose.is_enabled()

    wait_until(chosen, 30, f"{move!r} chosen with 'Make this move' enabled")
    choose.click()


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


WRITTEN_MODULE = "m01-what-is-action-learning"
PARAGRAPH = ("My ward has a problem, not a puzzle: discharges are delayed and nobody agrees why. "
             "I am part of it, because I ask the bed manager for dates and then accept them. "
             "A set would ask me questions; I would try a daily huddle, and bring back what happened. "
             "Admissions and a backlog made me decide, by mid-May, to ask 12345 questions.")
CELL_COUNT = "() => window.jupyterapp.shell.currentWidget.content.model.cells.length"


def test_typing_a_written_answer_as_instructed_keeps_the_notebook_whole(lab, browser, tmp_path):
    base, workspace = lab
    answers = workspace / WRITTEN_MODULE / f"{WRITTEN_MODULE}.answers.json"
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_alone(page, base, f"{WRITTEN_MODULE}/{WRITTEN_MODULE}.ipynb")
    cells = page.evaluate(CELL_COUNT)
    run_all(page)
    instruction = page.locator(".jp-MarkdownOutput", has_text="Click in the box below and type your answer")
    instruction.first.scroll_into_view_if_needed()
    box = page.locator(".alcourse-written textarea").first
    box.click()  # "Click in the box below and type your answer"
    page.keyboard.type(PARAGRAPH, delay=5)
    status = page.locator(".alcourse-written").first
    expect(status).to_contain_text("Saved.", timeout=20_000)
    saved = _wait_for(lambda: answers.exists() and json.loads(answers.read_text()).get("written", {})
                      .get("m01.reflection.own-problem", {}).get("text") == PARAGRAPH and PARAGRAPH)
    assert saved == PARAGRAPH
    page.screenshot(path=str(shots(tmp_path) / "written-answer.png"))

    # a trainee who clicks beside the box (command mode) and types: no cell is added or deleted
    page.locator(".jp-MarkdownOutput", has_text="Click in the box below").first.click()
    page.keyboard.press("Escape")
    page.keyboard.type("aabbddxxvvmmyyrrzz12")
    page.keyboard.press("Shift+M")
    page.keyboard.press("Alt+Enter")
    page.wait_for_timeout(500)
    assert page.evaluate(CELL_COUNT) == cells, "typing in command mode changed the notebook's cells"
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1000)
    on_disk = json.loads((workspace / WRITTEN_MODULE / f"{WRITTEN_MODULE}.ipynb").read_text())
    assert len(on_disk["cells"]) == cells
    page.close()
