"""WCAG 2.2 AA: axe-core finds no violation on any book page or in the module notebooks.

axe-core comes from the npm registry at set-up (``make setup`` → book/_vendor/axe) and is
injected by playwright; the rule tags are WCAG 2.0, 2.1 and 2.2 at levels A and AA. Every
violation is printed (page, rule, element, what to fix) before the test fails.

In JupyterLab the check covers what this project puts in the notebook, as trainees read and
use it: the rendered text and every output and widget after Run All. What JupyterLab 4.6
itself draws around them is printed, not asserted, because only JupyterLab can fix it (today:
its cell list's ``role=feed`` holds unlabelled children, its collapse-heading buttons have no
name, its code editors have no accessible name).
"""

from __future__ import annotations

from collections import Counter

import pytest

from alcourse.publish.serve import serving
from tests.browser import jupyter_lab, require_chromium, run_all
from tests.site import axe, book_pages, describe, open_alone, open_next, trainee_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _report(lines: list[str]) -> str:
    for line in lines:
        print(line)
    return f"{len(lines)} WCAG A/AA violation(s):\n" + "\n".join(lines)


def test_every_book_page_has_no_wcag_violations(site, browser):
    require_chromium()
    lines: list[str] = []
    pages = book_pages(site)
    with serving(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="networkidle")  # index.html redirects
            if page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
                # check the widgets as drawn, not the page before the widget manager ran
                page.locator(".widget-subarea .lm-Widget").first.wait_for(timeout=20_000)
            lines += describe(rel, axe(page))
    print(f"axe: {len(pages)} book pages checked, {len(lines)} violations")
    assert lines == [], _report(lines)


NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"


def test_module_notebooks_in_jupyterlab_have_no_wcag_violations(tmp_path, browser, curriculum):
    require_chromium()
    workspace = tmp_path / "workspace"
    modules = trainee_workspace(workspace)
    lines: list[str] = []
    theirs: list[str] = []
    with jupyter_lab(workspace, tmp_path / "lab.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_alone(page, base, f"{modules[0]}/{modules[0]}.ipynb")
        for module in modules:
            if module != modules[0]:
                open_next(page, f"{module}/{module}.ipynb")
            run_all(page)
            spec = curriculum.module(module)
            for selector, count in ((".alcourse-exercise", len(spec.exercise_specs())),
                                    (".alcourse-simulator", len(spec.simulations()))):
                page.wait_for_function(
                    f"() => document.querySelectorAll('{NOTEBOOK} {selector}').length >= {count}",
                    timeout=30_000)
            page.wait_for_timeout(500)
            lines += describe(f"JupyterLab {module}",
                              axe(page, [f"{NOTEBOOK} .jp-RenderedMarkdown", f"{NOTEBOOK} .jp-OutputArea"]))
            theirs += describe(f"JupyterLab {module} (JupyterLab's own)", axe(page, NOTEBOOK))
    print(f"axe: {len(modules)} notebooks checked in JupyterLab, {len(lines)} violations in their "
          f"content; {len(theirs)} elements in JupyterLab's own parts of the notebooks (not ours to fix):")
    for rule, count in sorted(Counter(line.split(": ")[1].split(" ")[0] for line in theirs).items()):
        print(f"   {rule}: {count} elements")
    assert lines == [], _report(lines)
