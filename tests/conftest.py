"""Shared fixtures. Paths are computed from this file, so tests run from any folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# nbgrader and jupyter run helper commands (alembic, jupyter-*) from the venv's bin
os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
MODULE = "m03-traditional-vs-action-learning"


# Files that share a costly session fixture run on one xdist worker, so it is built once.
SHARED_WORKER = {
    "site": ("test_accessibility", "test_book", "test_browser_book", "test_browser_handin",
             "test_browser_lite"),  # the book + JupyterLite build
    "released": ("test_notebooks", "test_browser_lab"),  # every module released by nbgrader
}


def pytest_xdist_make_scheduler(config, log):
    """``make test`` runs ``pytest -n N``: a file never splits across workers (its tests run in
    order and its module fixtures, such as the hub, start once), and the files in SHARED_WORKER go
    to one worker together.

    xdist's hook for a custom scheduler; ``_split_scope`` is how its own ``--dist loadfile``
    scheduler names a test's unit of work. (``--dist loadgroup`` with ``xdist_group`` marks was
    tried first: with pytest 9 it left every test ungrouped.)
    """
    from xdist.scheduler import LoadScopeScheduling

    group_of = {stem: group for group, stems in SHARED_WORKER.items() for stem in stems}

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return group_of.get(Path(path).stem, path)

    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def curriculum():
    from alcourse.curriculum import load_curriculum

    return load_curriculum()


@pytest.fixture(scope="session")
def course(curriculum):
    return curriculum.course


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """One course folder with every module released by nbgrader, shared by the slow tests."""
    from alcourse.grading import CourseFolder

    folder = CourseFolder.init(tmp_path_factory.mktemp("course") / "cohort")
    from alcourse.curriculum import load_curriculum

    folder.generate(sorted(load_curriculum().modules))
    return folder


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The book and its JupyterLite site, built once per session (see tests/site.py)."""
    from tests.site import build_site

    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium for the whole session (never a downloaded browser).

    Playwright's sync API refuses to start while another sync session is alive in the thread,
    so every test shares this one rather than launching its own.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser(chromium):
    """The session's chromium; pages and contexts a test opens are closed when it ends."""
    before = set(chromium.contexts)
    yield chromium
    for context in chromium.contexts:
        if context not in before:
            context.close()
