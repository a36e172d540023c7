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


@pytest.fixture(scope="module")
def browser():
    """One headless Debian chromium per test module (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
