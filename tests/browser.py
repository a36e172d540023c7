"""Helpers for real-browser tests: Debian chromium driven by playwright, and JupyterLab."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    # never skip silently: `make test` installs chromium, so its absence is a failure
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` (it installs Debian chromium "
                           "when run as root) or `sudo apt-get install chromium`")


def wait_until(check, timeout: float = 30.0, what: str = "the condition"):  # type: ignore[no-untyped-def]
    """Poll ``check`` every 0.2 s until it returns something true; return that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def jupyter_lab(root: Path, log: Path, extra: list[str] | None = None) -> Iterator[str]:
    """Run JupyterLab on 127.0.0.1 over ``root``; yield its base URL with the token."""
    port, token = free_port(), "alcourse-test"
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_RUNTIME_DIR"] = str(log.parent / "runtime")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False",
           # a fresh workspace: otherwise JupyterLab reopens tabs from earlier runs
           f"--LabApp.workspaces_dir={log.parent / 'workspaces'}",
           *(extra or [])]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    url = f"http://127.0.0.1:{port}"
    with _serving(cmd, env, log, f"{url}/api/status?token={token}", "JupyterLab"):
        yield f"{url}|{token}"


@contextlib.contextmanager
def _serving(cmd: list[str], env: dict[str, str], log: Path, probe: str, what: str,
             cwd: Path | None = None) -> Iterator[None]:
    """Run a server, wait until ``probe`` answers (at most 60 s), and stop it afterwards."""
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(probe, timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{what} did not start:\n{log.read_text()}") from None
                    time.sleep(0.3)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


# Every code cell of the notebook in front has run (some have an execution count) and none is
# running. The cells' code is collapsed (jupyter.source_hidden), so JupyterLab shows no input
# prompts to read: this asks the notebook's model.
RAN_ALL = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const cells = w && w.content && w.content.widgets
    ? w.content.widgets.filter(c => c.model.type === 'code') : [];
  return cells.some(c => c.model.executionCount !== null)
    && !cells.some(c => c.model.executionState === 'running');
}"""

KERNEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""


def open_notebook(page, base: str, rel: str) -> None:  # type: ignore[no-untyped-def]
    url, token = base.split("|")
    page.goto(f"{url}/lab/tree/{rel}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    # running cells before the kernel is connected fails about 2 runs in 5
    page.wait_for_function(KERNEL_READY, timeout=60_000)


def run_all(page, timeout: float = 90_000) -> None:  # type: ignore[no-untyped-def]
    """Run every cell of the notebook in front; return once all have run and the kernel is idle.

    Tests play only then: while a cell is still running, ipykernel 7 can handle a widget message
    that arrives during the run before one that arrived earlier and is queued behind the next
    cell (typed words could reach the kernel after the click that uses them).
    """
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(RAN_ALL, timeout=timeout)
    page.wait_for_function(KERNEL_READY, timeout=timeout)


def shots(tmp_path: Path) -> Path:
    """Where tests put screenshots: ALCOURSE_SCREENSHOTS keeps them for a person to look at."""
    folder = Path(os.environ.get("ALCOURSE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def voila(root: Path, log: Path) -> Iterator[str]:
    """Voila (alcourse's template, as ``alcourse observe app`` runs it) over ``root``; yield its URL."""
    from alcourse.publish.voila import command

    port = free_port()
    argv, env = command(root, port)
    with _serving(list(argv), dict(env), log, f"http://127.0.0.1:{port}/voila/tree", "Voila", cwd=root):
        yield f"http://127.0.0.1:{port}"


def play_to_the_end_by_keyboard(page, sim, moves: tuple[str, ...], timeout: float = 600.0) -> int:  # type: ignore[no-untyped-def]
    """Play a simulator (``sim``, its root locator) to the end of the programme with the keyboard
    only: Enter on "Skip to the decision", Space on a move, ArrowDown in the wordings (at the first
    decision), Enter on "Make this move". ``moves`` are move labels, used in turn. Returns how many
    moves were made.
    """
    skip, choose = sim.locator("button.alcourse-skip"), sim.locator("button.alcourse-choose")
    status = sim.locator("[role=status]").first
    made = 0
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, f"the programme did not end in {timeout:.0f} s ({made} moves)"
        if "meetings played" in status.inner_text() and skip.is_disabled():
            return made
        if sim.locator(".alcourse-cue").is_visible() and choose.is_enabled():
            move_by_keyboard(page, sim, moves[made % len(moves)], second_wording=made == 0)
            made += 1
        elif skip.is_enabled():
            skip.focus()
            page.keyboard.press("Enter")
            page.wait_for_timeout(200)
        else:
            page.wait_for_timeout(200)


def move_by_keyboard(page, sim, label: str, second_wording: bool = False) -> None:  # type: ignore[no-untyped-def]
    """At a decision: Space on the move labelled ``label`` (and ArrowDown to the second wording
    offered), then Enter on "Make this move"; waits until the simulator has moved on.

    A late update from the kernel can clear a move just chosen, so the move is chosen again until
    it holds and "Make this move" is on.
    """
    choose = sim.locator("button.alcourse-choose")
    status = sim.locator("[role=status]").first
    before = status.inner_text()
    radio = sim.locator(".alcourse-move label", has_text=label).locator("input[type=radio]")

    def chosen():  # type: ignore[no-untyped-def]
        if not radio.is_checked():
            radio.focus()
            page.keyboard.press("Space")
        return radio.is_checked() and choose.is_enabled()

    wait_until(chosen, 30, f"{label!r} chosen with 'Make this move' on")
    wording = sim.locator(".alcourse-wording select")
    if second_wording:
        # the wordings arrive from the kernel after the move is chosen
        wait_until(lambda: wording.is_visible() and wording.evaluate("s => s.options.length") > 1, 30,
                   f"the wordings of {label!r}")

        def second():  # type: ignore[no-untyped-def]
            if wording.evaluate("s => s.selectedIndex") == 0:
                wording.focus()
                page.keyboard.press("ArrowDown")
            return wording.evaluate("s => s.selectedIndex") == 1

        wait_until(second, 30, "the second wording")
    choose.focus()
    page.keyboard.press("Enter")
    wait_until(lambda: status.inner_text() != before, 60, f"the move {label!r} to be made")


def mark_in_formgrader(page, submission_url: str, cell_id: str, score: float, comment: str,  # type: ignore[no-untyped-def]
                       recorded, timeout_ms: int = 120_000, attempts: int = 3) -> None:
    """A trainer marks one written answer in formgrader: the score, then the comment (each is
    saved when the field loses focus), until ``recorded()`` says the gradebook has both.

    formgrader shows the fields first, then loads the saved marks into them: a mark typed
    before they arrive is overwritten, so it waits for them (the ``loaded`` flags of its grades and comments).
    Should a mark still not be saved, it opens the page again and types it again, as a trainer
    would.
    """
    field = page.locator(f"input.score#{cell_id}")
    box = page.locator(f"textarea#{cell_id}-comment")
    for _ in range(attempts):
        # loaded afresh each time: a field changes (and is saved) only if its value differs
        page.goto(submission_url)
        field.wait_for(timeout=timeout_ms)
        page.wait_for_function("() => window.formgrader && formgrader.grades && formgrader.grades.loaded"
                               " && formgrader.comments && formgrader.comments.loaded", timeout=timeout_ms)
        field.fill(f"{score:g}")
        field.press("Tab")
        box.fill(comment)
        box.press("Tab")
        deadline = time.monotonic() + timeout_ms / 1000 / attempts
        while time.monotonic() < deadline:
            if recorded():
                return
            page.wait_for_timeout(200)
