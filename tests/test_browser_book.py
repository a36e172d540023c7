"""The published book in a real browser, with the network cut off.

Every page loads with no failed or external request and no console error; the exercise
widgets of every module render in the static pages and respond to mouse and keyboard; every
module page links to its notebook in the JupyterLite site and on the JupyterHub that
``_config.yml`` names.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from alcourse.publish.serve import serving
from tests.browser import shots
from tests.site import TEST_HUB, Watch, book_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]






def test_every_page_loads_with_nothing_from_outside_and_no_errors(site, browser, curriculum):
    pages = book_pages(site)
    for module in curriculum.modules.values():
        assert f"book/modules/{module.id}.html" in pages, f"no book page for {module.id}"
    assert "book/glossary.html" in pages and "book/intro.html" in pages
    with serving(site) as base:
        context = browser.new_context()
        watch = Watch(base).attach(context)
        page = context.new_page()
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="networkidle")
            assert page.title(), rel
            problems = watch.problems()
            assert problems == [], f"{rel}:\n" + "\n".join(problems)
        context.close()


def _module_pages_with_exercises(curriculum):
    for module in sorted(curriculum.modules.values(), key=lambda m: m.number):
        count = len(module.exercise_specs())
        if count:
            yield module, count


def test_widgets_render_in_static_pages_and_respond(site, browser, curriculum, tmp_path):
    with serving(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        watch = Watch(base).attach(context)
        page = context.new_page()
        checked = 0
        for module, count in _module_pages_with_exercises(curriculum):
            page.goto(f"{base}/book/modules/{module.id}.html", wait_until="networkidle")
            exercises = page.locator(".alcourse-exercise")
            exercises.first.wait_for(timeout=20_000)
            assert exercises.count() == count, f"{module.id}: {exercises.count()} widgets, {count} exercises"
            # every question has its radio group with labelled choices
            group = exercises.first.locator(".alcourse-choice").first
            radios = group.locator("input[type=radio]")
            assert radios.count() >= 2
            label = group.locator(".widget-radio-box label").nth(1)
            assert label.inner_text().strip(), "a choice without a visible label"
            # mouse: click the label; keyboard: the arrow key moves the choice
            label.click()
            assert radios.nth(1).is_checked()
            radios.nth(1).focus()
            page.keyboard.press("ArrowUp")
            assert radios.nth(0).is_checked() and not radios.nth(1).is_checked()
            checked += 1
            if checked == 1:
                exercises.first.scroll_into_view_if_needed()
                page.screenshot(path=str(shots(tmp_path) / f"book-{module.id}.png"))
        assert checked, "no module page has an exercise widget"
        assert watch.problems() == []
        context.close()


def test_module_pages_link_to_jupyterlite_and_the_configured_hub(site, curriculum):
    lite_files = site / "lite" / "files"
    for module in curriculum.modules.values():
        page = (site / "book" / "modules" / f"{module.id}.html").read_text(encoding="utf-8")
        links = re.findall(r'<a class="[^"]*alcourse-launch-lite[^"]*" href="([^"]+)"', page)
        assert links, f"{module.id}: no 'Run in your browser' link"
        href = links[0].replace("&amp;", "&")
        target = urlparse(urljoin(f"http://site/book/modules/{module.id}.html", href))
        assert target.path == "/lite/lab/index.html"
        notebook = parse_qs(target.query)["path"][0]
        assert (lite_files / notebook).exists(), f"{module.id}: {notebook} is not in the lite site"
        assert f'href="{TEST_HUB}/hub/user-redirect/lab/tree/{module.id}/{module.id}.ipynb"' in page
        assert "a **Hand in** step" not in page and "<strong>Hand in</strong> step" in page
        # no launch link made up by the theme (it points at Jupyter Book's own repository)
        assert "git-pull" not in page and "executablebooks" not in page


def test_module_pages_and_glossary_cross_reference_terms(site, curriculum):
    terms = {t.term for t in curriculum.course.glossary.values()}
    glossary = (site / "book" / "glossary.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    assert len(anchors) == len(terms), "every glossary term gets its own anchor"
    assert re.search(r'href="#term-[^"]+"', glossary), "glossary entries do not link each other"
    for module in curriculum.modules.values():
        page = (site / "book" / "modules" / f"{module.id}.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="\.\./glossary\.html#(term-[^"]+)"', page))
        assert linked, f"{module.id}: no glossary term is linked"
        assert linked <= anchors, f"{module.id}: links to missing terms {linked - anchors}"
