"""HTML comes from the one template folder (alcourse/templates, rendered by alcourse.render), never
from strings assembled in Python, so escaping cannot be forgotten and there is one escape: Jinja2's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from alcourse import render

PACKAGE = Path(render.__file__).parent
# an opening or closing tag of an element the course writes
TAG = re.compile(r"</?(?:html|head|body|main|div|p|ul|ol|li|table|tr|td|th|span|strong|em|b|i|br|a|h[1-6]|"
                 r"figure|img|figcaption|style|script|link|kbd|section|details|summary|label)\b[^<>]*>",
                 re.I)
# the one environment for HTML is alcourse.render's; the hub writes Python and JSON config files
# from its own templates (autoescape off, values through repr() or tojson), not HTML
OWN_ENVIRONMENT = {"render.py", "hub/config.py"}
ESCAPES = ("html.escape", "markupsafe.escape", "Markup(", "import html\n", "from html import",
           "jinja2.Environment(", "Template(")
# (file, why) where a tag in Python is not HTML being assembled
ALLOWED: dict[str, str] = {}
# nbconvert's templates (the feedback page extends nbgrader's): rendered by nbconvert, not alcourse.render
NBCONVERT = "nbconvert/"


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (doctests may show a tag)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def html_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string (f-string parts included) that holds an HTML tag, outside docstrings.

    >>> html_in_python('x = f"<li>{name}!"\\n')
    [(1, '<li>')]
    >>> html_in_python("def f():\\n    '>>> f() == <p>'\\n    return 'a < b > c'\\n")
    []
    """
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [(node.lineno, match.group(0)) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            for match in [TAG.search(node.value)] if match]


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.relative_to(PACKAGE).parts)


def test_the_checker_finds_assembled_html_and_escapes() -> None:
    assert sorted(html_in_python("page = '<div class=\"x\">' + body + '</div>'\n")) == [
        (1, "</div>"), (1, '<div class="x">')]
    assert html_in_python("row = f'<td>{html.escape(v)}'\n") == [(1, "<td>")]
    assert html_in_python("note = 'a < b and c > d'\n") == []
    assert any(e in "import html\nx = html.escape(y)\n" for e in ESCAPES)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_html_is_assembled_in_python(path: Path) -> None:
    name = path.relative_to(PACKAGE).as_posix()
    source = path.read_text(encoding="utf-8")
    if name not in OWN_ENVIRONMENT:
        assert not [e for e in ESCAPES if e in source], (
            f"{name}: escapes or builds HTML by hand; put the markup in alcourse/templates and render it "
            "with alcourse.render")
    if name in ALLOWED:
        return
    assert html_in_python(source) == [], (
        f"{name}: HTML tags in Python strings; put the markup in alcourse/templates and render it with "
        "alcourse.render")


def test_every_template_compiles_in_the_one_environment() -> None:
    env = render.environment()
    names = env.list_templates(filter_func=lambda n: n.endswith(".j2") and not n.startswith(NBCONVERT))
    assert len(names) >= 20 and any(n.startswith("widgets/") for n in names)
    for name in names:
        env.get_template(name)
    assert env is render.environment()  # one per process: widgets do not recompile at every event
    assert not (PACKAGE / "observe" / "templates").exists()
