"""alcourse works from an installed wheel, with no repository checkout (as on a hub)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MODULE, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel, built from this checkout and unpacked into a folder outside it."""
    base = tmp_path_factory.mktemp("wheel")
    # build from a copy of what the wheel is made of: a build leaves build/ and *.egg-info behind
    tree = base / "tree"
    shutil.copytree(ROOT / "alcourse", tree / "alcourse", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(base / "dist"), str(tree)], check=True)
    wheel = next((base / "dist").glob("alcourse-*.whl"))
    target = base / "lib"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True)
    return base, target


def run(installed, *args):
    base, target = installed
    env = {**os.environ, "PYTHONPATH": str(target),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=base, env=env,
                          capture_output=True, text=True, check=False)


def test_the_installed_package_is_used_not_the_checkout(installed):
    base, target = installed
    proc = subprocess.run([sys.executable, "-c", "import alcourse; print(alcourse.__file__)"], cwd=base,
                          env={**os.environ, "PYTHONPATH": str(target)}, capture_output=True, text=True)
    assert proc.stdout.strip().startswith(str(target))
    assert not (target / "notebooks").exists() and not (target / "alcourse" / "notebooks").exists()
    assert (target / "alcourse" / "hub" / "templates" / "jupyterhub_config.py.j2").is_file()
    # the feedback page's nbconvert template, found by nbconvert in the installed package
    from alcourse.grading.feedback import TEMPLATE_FILE

    assert (target / "alcourse" / "templates" / "nbconvert" / "feedback" / TEMPLATE_FILE).is_file()


def test_course_init_release_grade_and_simulate_from_the_wheel(installed):
    base, _ = installed
    course = base / "course"
    proc = run(installed, "course", "init", str(course))
    assert proc.returncode == 0, proc.stderr
    # the source notebooks were written from the packaged content, identical to the checkout's
    written = course / "source" / MODULE / f"{MODULE}.ipynb"
    assert written.read_text() == (ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb").read_text()
    proc = run(installed, "release", str(course), MODULE)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert (course / "release" / MODULE / f"{MODULE}.ipynb").is_file()
    # a trainee's submission, graded by the installed package (nbgrader for real)
    from alcourse.curriculum import load_curriculum
    from alcourse.grading.synthetic import write_submission

    cur = load_curriculum()
    answers = {ex.id: ex.model_answers() for ex in cur.module_exercises(MODULE)}
    write_submission(course / "release" / MODULE / f"{MODULE}.ipynb", course / "submitted" / "ann" / MODULE,
                     MODULE, answers, None)
    proc = run(installed, "grade", str(course), MODULE, "--jobs", "1", "--no-isolation")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    full = sum(ex.max_points for ex in cur.module_exercises(MODULE))
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("ann"))
    assert f"{full:g} / " in line and "graded" in line, line
    # ann's feedback page, rendered with the wheel's nbconvert template
    proc = run(installed, "feedback", str(course), MODULE)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    page = (course / "feedback" / "ann" / MODULE / f"{MODULE}.html").read_text()
    assert '<html lang="en">' in page and page.count("<main>") == 1
    assert page.index('class="alcourse-summary"') < page.index('id="notebook"')
    out = base / "runs.csv"
    proc = run(installed, "simulate", "discharge-improvement", "--runs", "3", "--seed", "1",
               "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert len(out.read_text().splitlines()) > 3
