"""The Jupyter Book builds offline from a clean _build, warnings as errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_book(site: Path) -> Path:
    """The session's one build (tests/site.py): `make book` from a copy, offline, with warnings
    as errors and nitpicky references, so the developer's _build is untouched."""
    return site


EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*?(?:src|href)=["'](?:https?:)?//""", re.I)


def test_pages_exist_and_render_the_module_from_data(built_book, curriculum):
    page = built_book / "book" / "modules" / "m03-traditional-vs-action-learning.html"
    html = page.read_text()
    module = curriculum.module("m03-traditional-vs-action-learning")
    assert module.title in html
    # content rendered from the data, not retyped
    assert curriculum.course.item("contrast.investment").explanation.split()[0] in html
    assert "Investment Return Required" in html
    assert "application/vnd.jupyter.widget-state+json" in html
    for reflection in module.reflections():
        assert reflection.model_answer[:50] not in html
    assert (built_book / "book" / "glossary.html").exists()


def test_no_page_loads_anything_from_outside_the_site(built_book):
    pages = list(built_book.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        offenders = EXTERNAL.findall(page.read_text())
        assert offenders == [], (page, offenders)
    page = (built_book / "book" / "modules" / "m03-traditional-vs-action-learning.html").read_text()
    assert '_static/embed-amd.js' in page and '_static/require.min.js' in page
    assert (built_book / "_static" / "embed-amd.js").exists()
